import { describe, expect, it } from 'vitest';
import {
  addSample,
  attemptsToday,
  campaignDays,
  completionRate,
  completionsPerMinute,
  daySeries,
  formatMedian,
  formatRate,
  hourSeries,
  recentHours,
  scoreDistribution,
  statsCounted,
} from './stats';

describe('campaign statistics', () => {
  it('orders hours and shows them in the campaign zone', () => {
    const s = hourSeries(
      [
        { at: '2026-11-27T02:00:00Z', count: 30 },
        { at: '2026-11-27T01:00:00Z', count: 12 },
      ],
      'Asia/Shanghai',
    );
    expect(s).toEqual({ labels: ['11-27 09:00', '11-27 10:00'], values: [12, 30] });
  });

  it('orders days', () => {
    expect(daySeries([{ day: '2026-11-28', count: 2 }, { day: '2026-11-27', count: 5 }])).toEqual({ labels: ['11-27', '11-28'], values: [5, 2] });
  });

  it('formats the median and the completion rate', () => {
    expect(formatMedian(95000)).toBe('1 分 35 秒');
    expect(formatMedian(95000, 'en')).toBe('1 min 35 s');
    expect(formatMedian(null)).toBe('-');
    expect(completionRate({ completions: 3, expiries: 1 })).toBe(0.75);
    expect(completionRate({ completions: 0, expiries: 0 })).toBeNull();
  });

  it('knows the zero time means "not counted yet"', () => {
    expect(statsCounted('0001-01-01T00:00:00Z')).toBe(false);
    expect(statsCounted('2026-11-27T10:00:00Z')).toBe(true);
  });

  it('still counts raw scores', () => {
    expect(scoreDistribution([100, 80, 100])).toEqual([{ score: 80, count: 1 }, { score: 100, count: 2 }]);
  });

  it('fills the last 24 hours with zeros, from the campaign start at the earliest', () => {
    const window = { startsAt: '2026-11-27T00:30:00Z', endsAt: '2026-12-27T00:00:00Z' };
    const now = Date.parse('2026-11-27T03:10:00Z');
    const s = recentHours([{ at: '2026-11-27T01:00:00Z', count: 4 }, { at: '2026-11-27T03:00:00Z', count: 2 }], 'Asia/Shanghai', window, now);
    expect(s.labels).toEqual(['11-27 08:00', '11-27 09:00', '11-27 10:00', '11-27 11:00']);
    expect(s.values).toEqual([0, 4, 0, 2]);
    const later = recentHours([], 'UTC', window, Date.parse('2026-11-30T12:00:00Z'));
    expect(later.labels).toHaveLength(24);
    expect(later.labels.at(-1)).toBe('11-30 12:00');
  });

  it('stops the hours at the end of an ended campaign', () => {
    const window = { startsAt: '2026-11-27T00:00:00Z', endsAt: '2026-11-27T02:00:00Z' };
    const s = recentHours([], 'UTC', window, Date.parse('2026-12-01T00:00:00Z'));
    expect(s.labels).toEqual(['11-27 00:00', '11-27 01:00']);
  });

  it('lists every campaign day up to today in the campaign zone', () => {
    // 2026-11-26T17:00Z is already 11-27 in Shanghai
    const window = { startsAt: '2026-11-26T17:00:00Z', endsAt: '2026-12-31T00:00:00Z' };
    const s = campaignDays([{ day: '2026-11-28', count: 7 }], 'Asia/Shanghai', window, Date.parse('2026-11-29T01:00:00Z'));
    expect(s).toEqual({ labels: ['11-27', '11-28', '11-29'], values: [0, 7, 0] });
  });

  it("counts today's attempts in the campaign zone", () => {
    const days = [{ day: '2026-11-27', count: 5 }, { day: '2026-11-28', count: 9 }];
    // 20:00 UTC on the 27th is the 28th in Shanghai
    expect(attemptsToday(days, 'Asia/Shanghai', Date.parse('2026-11-27T20:00:00Z'))).toBe(9);
    expect(attemptsToday(days, 'UTC', Date.parse('2026-11-27T20:00:00Z'))).toBe(5);
    expect(attemptsToday(days, 'UTC', Date.parse('2026-12-01T00:00:00Z'))).toBe(0);
  });

  it('measures completions per minute over the last minute', () => {
    let s = addSample([], { at: 0, completions: 100 });
    expect(completionsPerMinute(s, 5_000)).toBeNull(); // watched too briefly
    s = addSample(s, { at: 20_000, completions: 110 });
    expect(completionsPerMinute(s, 30_000)).toBe(20); // 10 in 30 s
    for (let at = 22_000; at <= 120_000; at += 2_000) s = addSample(s, { at, completions: 110 + Math.floor((at - 20_000) / 2_000) });
    // one completion every 2 s → 30 a minute
    expect(completionsPerMinute(s, 120_000)).toBe(30);
    // nothing new for two minutes: the rate falls to 0
    expect(completionsPerMinute(s, 240_000)).toBe(0);
    // old readings are dropped, one baseline older than two windows is kept
    expect(s[0].at).toBeLessThanOrEqual(0 + 120_000 - 120_000);
    expect(s.length).toBeLessThan(70);
    expect(formatRate(2.345)).toBe('2.3');
    expect(formatRate(12.6)).toBe('13');
    expect(formatRate(null)).toBe('-');
  });
});

