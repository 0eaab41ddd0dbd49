import { formatInTz, formatSeconds } from './format';

/** Scores as "score → number of people", ascending by score. */
export function scoreDistribution(scores: number[]): { score: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const s of scores) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([score, count]) => ({ score, count }));
}

export interface CampaignStatsLike {
  participants: number;
  attempts: number;
  inProgress: number;
  completions: number;
  expiries: number;
  attemptsPerHour: readonly { at: string; count: number }[];
  attemptsPerDay: readonly { day: string; count: number }[];
  scoreDistribution: readonly { score: number; count: number }[];
  medianDurationMs?: number | null;
  updatedAt: string;
}

/** The statistics refresh every 10 s (the server folds settled attempts every few seconds). */
export const STATS_REFRESH_MS = 10_000;

/** Completed share of settled attempts (completions + expiries), null before any. */
export function completionRate(s: Pick<CampaignStatsLike, 'completions' | 'expiries'>): number | null {
  const settled = s.completions + s.expiries;
  return settled > 0 ? s.completions / settled : null;
}

/** Median time as "1 分 30 秒" (the server rounds it to the second), "-" when unknown. */
export function formatMedian(ms: number | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  if (ms == null || !Number.isFinite(ms)) return '-';
  return formatSeconds(Math.round(ms / 1000), lang);
}

/** The server's zero time ("0001-01-01…") means it has not counted yet. */
export function statsCounted(updatedAt: string | null | undefined): boolean {
  if (!updatedAt) return false;
  const t = Date.parse(updatedAt);
  return Number.isFinite(t) && new Date(t).getUTCFullYear() > 1;
}

/** Axis labels and values of the attempts-per-hour series, hours shown in the campaign's zone. */
export function hourSeries(points: CampaignStatsLike['attemptsPerHour'], tz: string): { labels: string[]; values: number[] } {
  const sorted = [...points].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { labels: sorted.map((p) => formatInTz(p.at, tz, 'MM-DD HH:00')), values: sorted.map((p) => p.count) };
}

/** Axis labels (MM-DD) and values of attempts per day. */
export function daySeries(points: CampaignStatsLike['attemptsPerDay']): { labels: string[]; values: number[] } {
  const sorted = [...points].sort((a, b) => a.day.localeCompare(b.day));
  return { labels: sorted.map((p) => p.day.slice(5)), values: sorted.map((p) => p.count) };
}
