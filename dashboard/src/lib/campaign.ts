// The campaign rules of SPEC §1: their defaults, the form's shape, and the
// mapping from the form to CreateCampaignInput.
import dayjs, { type Dayjs } from './dayjs';
import { DEFAULT_TIMEZONE, isoToWallClock, wallClockToISO } from './format';

export type RankingMode = 'BEST_ATTEMPT' | 'TOTAL_SCORE';
export type PeriodStatus = 'UPCOMING' | 'OPEN' | 'CLOSED' | 'DRAWN' | 'PUBLISHED';
export type PeriodUnit = 'day' | 'hour' | 'minute' | 'second';
export type EntropyKind = 'drand' | 'declared';

export const ENTROPY_DRAND = 'drand-quicknet';
export const ENTROPY_DECLARED_PREFIX = 'declared:';

/** SPEC §1 defaults, from the brief (每次5题, 5分钟, 每题20分, 每7天前1000名抽520名). */
export const CAMPAIGN_DEFAULTS = {
  questionsPerAttempt: 5,
  timeLimitSeconds: 300,
  graceSeconds: 5,
  pointsPerQuestion: 20,
  rankingMode: 'BEST_ATTEMPT' as RankingMode,
  periodSeconds: 7 * 24 * 3600,
  poolSize: 1000,
  winnersPerPeriod: 520,
  excludePreviousWinners: true,
  maxAttemptsPerDay: null as number | null,
  timezone: DEFAULT_TIMEZONE,
  entropySource: ENTROPY_DRAND,
} as const;

/** Server-side bounds (internal/campaigns), checked in the form too. */
export const CAMPAIGN_LIMITS = {
  name: 200,
  questionsPerAttempt: [1, 100],
  timeLimitSeconds: [1, 24 * 3600],
  graceSeconds: [0, 600],
  pointsPerQuestion: [1, 10000],
  periodSeconds: [1, 366 * 24 * 3600],
  poolSize: [1, 1000000],
  maxAttemptsPerDay: [1, 10000],
  maxPeriods: 1000,
} as const;

export const UNIT_SECONDS: Record<PeriodUnit, number> = { day: 86400, hour: 3600, minute: 60, second: 1 };

export interface CategoryQuotaValue {
  category?: string;
  count?: number | null;
}

/** What the campaign form holds. Times are wall-clock values in `timezone`. */
export interface CampaignFormValues {
  name: string;
  description?: string;
  bankID?: string;
  timezone: string;
  window: [Dayjs, Dayjs];
  questionsPerAttempt: number;
  timeLimitSeconds: number;
  graceSeconds: number;
  pointsPerQuestion: number;
  rankingMode: RankingMode;
  periodValue: number;
  periodUnit: PeriodUnit;
  poolSize: number;
  winnersPerPeriod: number;
  excludePreviousWinners: boolean;
  maxAttemptsPerDay?: number | null;
  entropyKind: EntropyKind;
  entropyDeclared?: string;
  categoryQuotas?: CategoryQuotaValue[];
}

/** The largest unit that divides the seconds exactly: 604800 → 7 day. */
export function splitPeriod(seconds: number): { value: number; unit: PeriodUnit } {
  for (const unit of ['day', 'hour', 'minute'] as PeriodUnit[]) {
    if (seconds > 0 && seconds % UNIT_SECONDS[unit] === 0) return { value: seconds / UNIT_SECONDS[unit], unit };
  }
  return { value: seconds, unit: 'second' };
}

export function periodSecondsOf(v: Pick<CampaignFormValues, 'periodValue' | 'periodUnit'>): number {
  return Math.round((v.periodValue ?? 0) * UNIT_SECONDS[v.periodUnit ?? 'second']);
}

/**
 * The form's initial values: every rule at its default, the window from the
 * next full hour (wall clock in the zone) for four periods.
 */
export function campaignFormDefaults(now: Dayjs = dayjs(), tz: string = DEFAULT_TIMEZONE): CampaignFormValues {
  const local = dayjs(now.tz(tz).format('YYYY-MM-DDTHH:mm:ss'));
  const start = local.add(1, 'hour').startOf('hour');
  const end = start.add(4 * 7, 'day');
  const period = splitPeriod(CAMPAIGN_DEFAULTS.periodSeconds);
  return {
    name: '',
    description: '',
    bankID: undefined,
    timezone: tz,
    window: [start, end],
    questionsPerAttempt: CAMPAIGN_DEFAULTS.questionsPerAttempt,
    timeLimitSeconds: CAMPAIGN_DEFAULTS.timeLimitSeconds,
    graceSeconds: CAMPAIGN_DEFAULTS.graceSeconds,
    pointsPerQuestion: CAMPAIGN_DEFAULTS.pointsPerQuestion,
    rankingMode: CAMPAIGN_DEFAULTS.rankingMode,
    periodValue: period.value,
    periodUnit: period.unit,
    poolSize: CAMPAIGN_DEFAULTS.poolSize,
    winnersPerPeriod: CAMPAIGN_DEFAULTS.winnersPerPeriod,
    excludePreviousWinners: CAMPAIGN_DEFAULTS.excludePreviousWinners,
    maxAttemptsPerDay: null,
    entropyKind: 'drand',
    entropyDeclared: '',
    categoryQuotas: [],
  };
}

/** "drand-quicknet" or "declared: <text>" as the server expects. */
export function entropySourceOf(kind: EntropyKind, declared?: string): string {
  if (kind === 'drand') return ENTROPY_DRAND;
  return `${ENTROPY_DECLARED_PREFIX} ${(declared ?? '').trim()}`;
}

/** Splits a stored entropy source back into the form's two fields. */
export function parseEntropySource(src: string): { kind: EntropyKind; declared: string } {
  const s = src.trim();
  if (s.startsWith(ENTROPY_DECLARED_PREFIX)) return { kind: 'declared', declared: s.slice(ENTROPY_DECLARED_PREFIX.length).trim() };
  return { kind: 'drand', declared: '' };
}

/** How many periods [start, end) cuts into with periods of `seconds` (the last one shorter). */
export function countPeriods(startISO: string, endISO: string, seconds: number): number {
  const span = dayjs(endISO).valueOf() - dayjs(startISO).valueOf();
  if (!(span > 0) || !(seconds > 0)) return 0;
  return Math.ceil(span / (seconds * 1000));
}

/** The mutation input (CreateCampaignInput) for the form's values. */
export function toCreateCampaignInput(v: CampaignFormValues) {
  const tz = v.timezone || DEFAULT_TIMEZONE;
  const quotas = (v.categoryQuotas ?? [])
    .filter((q) => (q.category ?? '').trim() !== '')
    .map((q) => ({ category: (q.category ?? '').trim(), count: Number(q.count ?? 0) }));
  return {
    name: v.name.trim(),
    description: v.description?.trim() ? v.description.trim() : null,
    bankID: v.bankID ?? '',
    startsAt: wallClockToISO(v.window[0], tz),
    endsAt: wallClockToISO(v.window[1], tz),
    timezone: tz,
    questionsPerAttempt: v.questionsPerAttempt,
    categoryQuotas: quotas.length > 0 ? quotas : null,
    timeLimitSeconds: v.timeLimitSeconds,
    graceSeconds: v.graceSeconds,
    pointsPerQuestion: v.pointsPerQuestion,
    rankingMode: v.rankingMode,
    periodSeconds: periodSecondsOf(v),
    poolSize: v.poolSize,
    winnersPerPeriod: v.winnersPerPeriod,
    excludePreviousWinners: v.excludePreviousWinners,
    maxAttemptsPerDay: v.maxAttemptsPerDay == null || (v.maxAttemptsPerDay as unknown) === '' ? null : v.maxAttemptsPerDay,
    entropySource: entropySourceOf(v.entropyKind, v.entropyDeclared),
  };
}

/** What the edit form needs of a stored campaign (GraphQL Campaign). */
export interface StoredCampaign {
  name: string;
  description?: string | null;
  bank: { id: string };
  startsAt: string;
  endsAt: string;
  timezone: string;
  questionsPerAttempt: number;
  categoryQuotas: readonly { category: string; count: number }[];
  timeLimitSeconds: number;
  graceSeconds: number;
  pointsPerQuestion: number;
  rankingMode: string;
  periodSeconds: number;
  poolSize: number;
  winnersPerPeriod: number;
  excludePreviousWinners: boolean;
  maxAttemptsPerDay?: number | null;
  entropySource: string;
}

/** The form's values for editing a stored campaign (times as wall clock in its zone). */
export function campaignToFormValues(c: StoredCampaign): CampaignFormValues {
  const period = splitPeriod(c.periodSeconds);
  const entropy = parseEntropySource(c.entropySource);
  return {
    name: c.name,
    description: c.description ?? '',
    bankID: c.bank.id,
    timezone: c.timezone,
    window: [isoToWallClock(c.startsAt, c.timezone), isoToWallClock(c.endsAt, c.timezone)],
    questionsPerAttempt: c.questionsPerAttempt,
    timeLimitSeconds: c.timeLimitSeconds,
    graceSeconds: c.graceSeconds,
    pointsPerQuestion: c.pointsPerQuestion,
    rankingMode: c.rankingMode as RankingMode,
    periodValue: period.value,
    periodUnit: period.unit,
    poolSize: c.poolSize,
    winnersPerPeriod: c.winnersPerPeriod,
    excludePreviousWinners: c.excludePreviousWinners,
    maxAttemptsPerDay: c.maxAttemptsPerDay ?? null,
    entropyKind: entropy.kind,
    entropyDeclared: entropy.declared,
    categoryQuotas: c.categoryQuotas.map((q) => ({ category: q.category, count: q.count })),
  };
}

/** Once a campaign has started only these may change (internal/campaigns: the rest is locked). */
export const UNLOCKED_AFTER_START = ['name', 'description', 'endsAt'] as const;

/** Whether a campaign's scoring and draw rules are locked at `now` (it has started). */
export function rulesLocked(c: { startsAt: string }, now: number = Date.now()): boolean {
  return now >= dayjs(c.startsAt).valueOf();
}

/**
 * The UpdateCampaignInput for edited values. Before the start every field
 * is sent (the periods are cut anew); once started only what changed among
 * name, description and endsAt. Unlimited attempts per day is sent as 0, an
 * emptied description as "" (a left-out field keeps its value).
 */
export function toUpdateCampaignInput(v: CampaignFormValues, before: StoredCampaign, locked: boolean) {
  const full = toCreateCampaignInput(v);
  if (!locked) {
    return {
      ...full,
      description: full.description ?? '',
      categoryQuotas: full.categoryQuotas ?? [],
      maxAttemptsPerDay: full.maxAttemptsPerDay ?? 0,
    };
  }
  const out: { name?: string; description?: string; endsAt?: string } = {};
  if (full.name !== before.name) out.name = full.name;
  if ((full.description ?? '') !== (before.description ?? '')) out.description = full.description ?? '';
  if (dayjs(full.endsAt).valueOf() !== dayjs(before.endsAt).valueOf()) out.endsAt = full.endsAt;
  return out;
}

export type CampaignPhase = 'upcoming' | 'running' | 'ended';

/** Where a campaign is in its window at `now`. */
export function campaignPhase(c: { startsAt: string; endsAt: string }, now: number = Date.now()): CampaignPhase {
  if (now < dayjs(c.startsAt).valueOf()) return 'upcoming';
  if (now < dayjs(c.endsAt).valueOf()) return 'running';
  return 'ended';
}

export interface PeriodLike {
  index: number;
  startsAt: string;
  endsAt: string;
  status: PeriodStatus | string;
}

/**
 * The period whose cutoff comes next at `now` (the one running, or the
 * first not started yet), or undefined once every cutoff has passed.
 */
export function nextCutoff<P extends PeriodLike>(periods: readonly P[], now: number = Date.now()): P | undefined {
  return [...periods].sort((a, b) => a.index - b.index).find((p) => dayjs(p.endsAt).valueOf() > now);
}

/** The period running at `now`, if any. */
export function currentPeriod<P extends PeriodLike>(periods: readonly P[], now: number = Date.now()): P | undefined {
  return periods.find((p) => dayjs(p.startsAt).valueOf() <= now && now < dayjs(p.endsAt).valueOf());
}

export const PERIOD_STATUS_COLORS: Record<PeriodStatus, string> = {
  UPCOMING: 'default',
  OPEN: 'processing',
  CLOSED: 'warning',
  DRAWN: 'purple',
  PUBLISHED: 'success',
};
