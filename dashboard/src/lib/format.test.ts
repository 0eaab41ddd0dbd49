import { describe, expect, it } from 'vitest';
import dayjs from './dayjs';
import {
  formatCountdown,
  formatDuration,
  formatInTz,
  formatSeconds,
  formatWindow,
  formatFor,
  isValidTimezone,
  isoToWallClock,
  msUntil,
  tzOffsetLabel,
  wallClockToISO,
} from './format';

describe('formatDuration (mm:ss.SSS)', () => {
  it.each([
    [0, '00:00.000'],
    [7, '00:00.007'],
    [1234, '00:01.234'],
    [65123, '01:05.123'],
    [299999, '04:59.999'],
    [300000, '05:00.000'],
    [3725004, '62:05.004'], // minutes keep counting past an hour
    [1234.9, '00:01.234'], // whole milliseconds
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('shows a placeholder for missing or negative values', () => {
    expect(formatDuration(null)).toBe('--:--.---');
    expect(formatDuration(undefined)).toBe('--:--.---');
    expect(formatDuration(-1)).toBe('--:--.---');
    expect(formatDuration(Number.NaN)).toBe('--:--.---');
  });
});

describe('formatSeconds', () => {
  it('reads like a person would say it', () => {
    expect(formatSeconds(300)).toBe('5 分钟');
    expect(formatSeconds(90)).toBe('1 分 30 秒');
    expect(formatSeconds(5)).toBe('5 秒');
    expect(formatSeconds(604800)).toBe('7 天');
    expect(formatSeconds(90061)).toBe('1 天 1 小时 1 分 1 秒');
    expect(formatSeconds(0)).toBe('0 秒');
    expect(formatSeconds(300, 'en')).toBe('5 min');
    expect(formatSeconds(604800, 'en')).toBe('7 d');
  });
});

describe('time zones', () => {
  const instant = '2026-10-04T12:00:00Z';

  it('formats an instant in the campaign zone, whatever the browser zone', () => {
    expect(formatInTz(instant, 'Asia/Shanghai')).toBe('2026-10-04 20:00');
    expect(formatInTz(instant, 'UTC')).toBe('2026-10-04 12:00');
    expect(formatInTz(instant, 'America/New_York', 'YYYY-MM-DD HH:mm:ss')).toBe('2026-10-04 08:00:00');
    // 15:59:59.999 UTC is the last moment of the Shanghai day
    expect(formatInTz('2026-10-04T15:59:59.999Z', 'Asia/Shanghai', 'MM-DD HH:mm')).toBe('10-04 23:59');
  });

  it('handles missing and invalid values', () => {
    expect(formatInTz(null)).toBe('-');
    expect(formatInTz('')).toBe('-');
    expect(formatInTz('not a time')).toBe('-');
  });

  it('labels the zone offset', () => {
    expect(tzOffsetLabel('Asia/Shanghai', instant)).toBe('UTC+08:00');
    expect(tzOffsetLabel('UTC', instant)).toBe('UTC+00:00');
    // New York is on daylight time in October, standard time in December
    expect(tzOffsetLabel('America/New_York', instant)).toBe('UTC-04:00');
    expect(tzOffsetLabel('America/New_York', '2026-12-01T00:00:00Z')).toBe('UTC-05:00');
  });

  it('reads picker values as wall-clock times in the zone', () => {
    const picked = dayjs('2026-10-04T20:00:00'); // what the organiser picked
    expect(wallClockToISO(picked, 'Asia/Shanghai')).toBe('2026-10-04T12:00:00.000Z');
    expect(wallClockToISO(picked, 'UTC')).toBe('2026-10-04T20:00:00.000Z');
    expect(wallClockToISO(picked, 'America/New_York')).toBe('2026-10-05T00:00:00.000Z');
  });

  it('round-trips between an instant and the wall clock', () => {
    const wall = isoToWallClock(instant, 'Asia/Shanghai');
    expect(wall.format('YYYY-MM-DD HH:mm')).toBe('2026-10-04 20:00');
    expect(wallClockToISO(wall, 'Asia/Shanghai')).toBe('2026-10-04T12:00:00.000Z');
  });

  it('formats a window', () => {
    expect(formatWindow('2026-09-01T00:00:00Z', '2026-10-04T15:00:00Z', 'Asia/Shanghai')).toBe('2026-09-01 08:00 ~ 2026-10-04 23:00');
    // a test campaign of 20-second periods is shown to the second
    expect(formatWindow('2026-09-01T00:00:10Z', '2026-09-01T00:00:30Z', 'Asia/Shanghai')).toBe('2026-09-01 08:00:10 ~ 2026-09-01 08:00:30');
    expect(formatFor('2026-09-01T00:00:00Z', null, '2026-09-01T00:01:00Z')).toBe('YYYY-MM-DD HH:mm');
    expect(formatFor('2026-09-01T00:00:00Z', '2026-09-01T00:00:20.000Z')).toBe('YYYY-MM-DD HH:mm:ss');
  });

  it('knows IANA names', () => {
    expect(isValidTimezone('Asia/Shanghai')).toBe(true);
    expect(isValidTimezone('UTC')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
    expect(isValidTimezone('')).toBe(false);
    expect(isValidTimezone('Local')).toBe(false);
  });
});

describe('countdowns', () => {
  it('counts down to a moment, never below zero', () => {
    const now = Date.parse('2026-10-01T00:00:00Z');
    expect(msUntil('2026-10-01T00:00:05Z', now)).toBe(5000);
    expect(msUntil('2026-09-30T00:00:00Z', now)).toBe(0);
  });

  it('formats days, hours, minutes and seconds', () => {
    expect(formatCountdown(0)).toBe('00:00:00');
    expect(formatCountdown(5_999)).toBe('00:00:05');
    expect(formatCountdown(3_723_000)).toBe('01:02:03');
    expect(formatCountdown(3 * 86400_000 + 4 * 3600_000 + 5 * 60_000 + 6_000)).toBe('3 天 04:05:06');
    expect(formatCountdown(86400_000, 'en')).toBe('1d 00:00:00');
  });
});
