import { describe, expect, it } from 'vitest';
import { completionRate, daySeries, formatMedian, hourSeries, scoreDistribution, statsCounted } from './stats';

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
});
