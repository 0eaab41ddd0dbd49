// The countdown's arithmetic and what it says to screen readers: the
// remaining time is announced at each whole minute and at 30 and 10
// seconds, never every second.

/** Whole seconds left before deadline (rounded up, never negative). */
export function secondsLeft(deadlineMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000));
}

/** m:ss */
export function clockText(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/**
 * The moment to announce when the remaining time went from prev to now
 * seconds: a whole minute (…, 120, 60), 30 or 10 seconds, or 0 (time is
 * up). Returns the threshold crossed (the lowest one if the page slept
 * through several), or null when there is nothing to say.
 */
export function announceAt(prev: number, now: number): number | null {
  if (now >= prev) return null;
  if (now === 0) return 0;
  let hit: number | null = null;
  for (let t = prev - 1; t >= now; t--) {
    if (t === 30 || t === 10 || (t > 0 && t % 60 === 0)) hit = t;
  }
  return hit;
}
