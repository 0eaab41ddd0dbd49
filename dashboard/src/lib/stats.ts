/** Scores as "score → number of people", ascending by score. */
export function scoreDistribution(scores: number[]): { score: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const s of scores) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([score, count]) => ({ score, count }));
}
