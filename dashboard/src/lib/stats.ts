import dayjs from './dayjs';
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

/** Without the live subscription the statistics are polled every 10 s (the server folds settled attempts every 2 s). */
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

const HOUR = 3600_000;

/**
 * Attempts in each of the last `hours` hours up to the one containing `now`
 * (or the campaign's last hour once it has ended), zeros filled in, labels
 * in the campaign's zone. Hours before the campaign's start are left out.
 */
export function recentHours(
  points: CampaignStatsLike['attemptsPerHour'],
  tz: string,
  window: { startsAt: string; endsAt: string },
  now: number = Date.now(),
  hours = 24,
): { labels: string[]; values: number[] } {
  const floor = (t: number) => Math.floor(t / HOUR) * HOUR;
  const last = floor(Math.min(now, Date.parse(window.endsAt) - 1));
  const first = Math.max(floor(Date.parse(window.startsAt)), last - (hours - 1) * HOUR);
  const counts = new Map<number, number>();
  for (const p of points) counts.set(floor(Date.parse(p.at)), (counts.get(floor(Date.parse(p.at))) ?? 0) + p.count);
  const labels: string[] = [];
  const values: number[] = [];
  for (let h = first; h <= last; h += HOUR) {
    labels.push(formatInTz(new Date(h), tz, 'MM-DD HH:00'));
    values.push(counts.get(h) ?? 0);
  }
  return { labels, values };
}

/**
 * Attempts on every day of the campaign up to today (days in its zone),
 * zeros filled in; at most the last `maxDays`.
 */
export function campaignDays(
  points: CampaignStatsLike['attemptsPerDay'],
  tz: string,
  window: { startsAt: string; endsAt: string },
  now: number = Date.now(),
  maxDays = 60,
): { labels: string[]; values: number[] } {
  const counts = new Map(points.map((p) => [p.day, p.count]));
  const endAt = Math.min(now, Date.parse(window.endsAt) - 1);
  const lastDay = dayjs(endAt).tz(tz).format('YYYY-MM-DD');
  let day = dayjs(window.startsAt).tz(tz).format('YYYY-MM-DD');
  const days: string[] = [];
  // Calendar days: step on the date, not on 24 h (no zone trouble).
  while (day <= lastDay && days.length < 400) {
    days.push(day);
    day = dayjs(day).add(1, 'day').format('YYYY-MM-DD');
  }
  for (const p of points) if (!days.includes(p.day) && p.day <= lastDay) days.push(p.day);
  days.sort();
  const shown = days.slice(-maxDays);
  return { labels: shown.map((d) => d.slice(5)), values: shown.map((d) => counts.get(d) ?? 0) };
}

/** Attempts counted on today's date in the campaign's zone. */
export function attemptsToday(points: CampaignStatsLike['attemptsPerDay'], tz: string, now: number = Date.now()): number {
  const today = dayjs(now).tz(tz).format('YYYY-MM-DD');
  return points.find((p) => p.day === today)?.count ?? 0;
}

/** One reading of the completions counter, at the time it arrived. */
export interface CompletionSample {
  at: number;
  completions: number;
}

/** Completions per minute are measured over the last minute. */
export const RATE_WINDOW_MS = 60_000;
/** Below this much observation the rate is not shown yet. */
export const RATE_MIN_SPAN_MS = 10_000;

/** Adds a reading and forgets those older than twice the window (one older reading is kept as the baseline). */
export function addSample(samples: readonly CompletionSample[], s: CompletionSample, windowMs = RATE_WINDOW_MS): CompletionSample[] {
  const out = [...samples.filter((x) => x.at <= s.at), s];
  // keep the newest reading at or before now - 2 windows, and all after it
  const cut = s.at - 2 * windowMs;
  let from = 0;
  for (let i = 0; i < out.length; i++) if (out[i].at <= cut) from = i;
  return out.slice(from);
}

/**
 * Completions per minute over the last minute: (newest − baseline) scaled
 * to a minute, where the baseline is the newest reading at least a minute
 * old, or the first reading while the page has watched for less than a
 * minute. Null until RATE_MIN_SPAN_MS has been watched.
 */
export function completionsPerMinute(
  samples: readonly CompletionSample[],
  now: number,
  windowMs = RATE_WINDOW_MS,
  minSpanMs = RATE_MIN_SPAN_MS,
): number | null {
  if (samples.length === 0) return null;
  let base = samples[0];
  for (const s of samples) if (s.at <= now - windowMs) base = s;
  const span = now - base.at;
  if (span < minSpanMs) return null;
  const latest = samples[samples.length - 1];
  const delta = Math.max(0, latest.completions - base.completions);
  return (delta * 60_000) / span;
}

/** A rate as "12.5" (one decimal under 10, whole numbers above). */
export function formatRate(rate: number | null): string {
  if (rate == null || !Number.isFinite(rate)) return '-';
  return rate < 10 ? rate.toFixed(1) : String(Math.round(rate));
}
