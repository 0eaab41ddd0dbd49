import dayjs, { type Dayjs } from './dayjs';

/** The zone every campaign uses unless told otherwise (SPEC §1). */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A time used in milliseconds as mm:ss.SSS ("01:05.123"). Minutes keep
 * counting past 59 (a time limit can be long), negative or missing values
 * show as "--:--.---".
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return '--:--.---';
  const total = Math.floor(ms);
  const minutes = Math.floor(total / 60000);
  const seconds = Math.floor((total % 60000) / 1000);
  const millis = total % 1000;
  return `${pad(minutes)}:${pad(seconds)}.${pad(millis, 3)}`;
}

/** Seconds as a short human text: 300 → "5 分钟", 604800 → "7 天", 90 → "1 分 30 秒". */
export function formatSeconds(total: number, lang: 'zh' | 'en' = 'zh'): string {
  if (!Number.isFinite(total) || total < 0) return '-';
  const units: [number, string, string][] = [
    [86400, ' 天', 'd'],
    [3600, ' 小时', 'h'],
    [60, ' 分', 'min'],
    [1, ' 秒', 's'],
  ];
  if (total === 0) return lang === 'zh' ? '0 秒' : '0 s';
  const parts: string[] = [];
  let rest = Math.floor(total);
  for (const [size, zh, en] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(lang === 'zh' ? `${n}${zh}` : `${n} ${en}`);
      rest -= n * size;
    }
  }
  let out = parts.join(' ');
  // "5 分" alone reads better as "5 分钟".
  if (lang === 'zh' && parts.length === 1 && out.endsWith(' 分')) out += '钟';
  return out;
}

/** An instant (RFC 3339 string, Date or Dayjs) shown in an IANA zone. */
export function formatInTz(
  at: string | Date | Dayjs | null | undefined,
  tz: string = DEFAULT_TIMEZONE,
  fmt = 'YYYY-MM-DD HH:mm',
): string {
  if (at == null || at === '') return '-';
  const d = dayjs(at);
  if (!d.isValid()) return '-';
  try {
    return d.tz(tz).format(fmt);
  } catch {
    return d.utc().format(fmt) + ' UTC';
  }
}

/** The zone's UTC offset at an instant, as "UTC+08:00". */
export function tzOffsetLabel(tz: string = DEFAULT_TIMEZONE, at: string | Date | Dayjs = new Date()): string {
  try {
    return 'UTC' + dayjs(at).tz(tz).format('Z');
  } catch {
    return tz;
  }
}

/**
 * The format for a set of instants: to the minute when all of them fall on
 * a whole minute (weekly periods), to the second otherwise (a test campaign
 * with 20-second periods would show the same minute twice).
 */
export function formatFor(...times: (string | null | undefined)[]): string {
  const seconds = times.some((t) => {
    const ms = t ? Date.parse(t) : NaN;
    return Number.isFinite(ms) && ms % 60_000 !== 0;
  });
  return seconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm';
}

/** A window "2026-09-01 08:00 ~ 2026-10-04 24:00" in the campaign's zone. */
export function formatWindow(start: string, end: string, tz: string = DEFAULT_TIMEZONE): string {
  const f = formatFor(start, end);
  return `${formatInTz(start, tz, f)} ~ ${formatInTz(end, tz, f)}`;
}

/**
 * Reads a picker value as a wall-clock time in `tz` and returns the instant
 * as RFC 3339 UTC. The pickers show plain wall-clock times (the browser's
 * own zone plays no part), so 2026-10-04 20:00 picked for Asia/Shanghai is
 * 2026-10-04T12:00:00.000Z whatever zone the organiser's laptop is in.
 */
export function wallClockToISO(value: Dayjs, tz: string = DEFAULT_TIMEZONE): string {
  return dayjs.tz(value.format('YYYY-MM-DDTHH:mm:ss'), tz).toISOString();
}

/** The inverse of wallClockToISO: the wall-clock time in `tz` of an instant, for a picker. */
export function isoToWallClock(iso: string | Date | Dayjs, tz: string = DEFAULT_TIMEZONE): Dayjs {
  return dayjs(dayjs(iso).tz(tz).format('YYYY-MM-DDTHH:mm:ss'));
}

/** Milliseconds left until `at`, never negative. */
export function msUntil(at: string | Date | Dayjs, now: number = Date.now()): number {
  return Math.max(0, dayjs(at).valueOf() - now);
}

/** A countdown text: "3 天 04:05:06" / "3d 04:05:06", or "04:05:06" under a day. */
export function formatCountdown(ms: number, lang: 'zh' | 'en' = 'zh'): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / 86400);
  const hms = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  if (days === 0) return hms;
  return lang === 'zh' ? `${days} 天 ${hms}` : `${days}d ${hms}`;
}

/** Time zones offered in the campaign form; any IANA name can be typed. */
export const COMMON_TIMEZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Macau',
  'Asia/Taipei',
  'Asia/Urumqi',
  'Asia/Singapore',
  'Asia/Tokyo',
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
];

/** Whether the runtime knows the IANA zone name. */
export function isValidTimezone(tz: string): boolean {
  if (!tz || tz === 'Local') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
