import { describe, expect, it } from 'vitest';
import dayjs from './dayjs';
import {
  CAMPAIGN_DEFAULTS,
  campaignFormDefaults,
  campaignPhase,
  countPeriods,
  currentPeriod,
  entropySourceOf,
  nextCutoff,
  parseEntropySource,
  periodSecondsOf,
  splitPeriod,
  toCreateCampaignInput,
  campaignToFormValues,
  rulesLocked,
  toUpdateCampaignInput,
  type StoredCampaign,
} from './campaign';

describe('campaign defaults (SPEC §1)', () => {
  it('are the brief’s rules', () => {
    expect(CAMPAIGN_DEFAULTS).toEqual({
      questionsPerAttempt: 5,
      timeLimitSeconds: 300,
      graceSeconds: 5,
      pointsPerQuestion: 20,
      rankingMode: 'BEST_ATTEMPT',
      periodSeconds: 604800,
      poolSize: 1000,
      winnersPerPeriod: 520,
      excludePreviousWinners: true,
      maxAttemptsPerDay: null,
      timezone: 'Asia/Shanghai',
      entropySource: 'drand-quicknet',
    });
  });

  it('pre-fill the form, the window from the next full hour in the zone for 4 weeks', () => {
    const now = dayjs('2026-09-01T01:23:45Z'); // 09:23:45 in Shanghai
    const v = campaignFormDefaults(now, 'Asia/Shanghai');
    expect(v).toMatchObject({
      timezone: 'Asia/Shanghai',
      questionsPerAttempt: 5,
      timeLimitSeconds: 300,
      graceSeconds: 5,
      pointsPerQuestion: 20,
      rankingMode: 'BEST_ATTEMPT',
      periodValue: 7,
      periodUnit: 'day',
      poolSize: 1000,
      winnersPerPeriod: 520,
      excludePreviousWinners: true,
      maxAttemptsPerDay: null,
      entropyKind: 'drand',
    });
    expect(v.window[0].format('YYYY-MM-DD HH:mm')).toBe('2026-09-01 10:00');
    expect(v.window[1].format('YYYY-MM-DD HH:mm')).toBe('2026-09-29 10:00');
  });

  it('map to CreateCampaignInput with every rule explicit', () => {
    const v = campaignFormDefaults(dayjs('2026-09-01T01:23:45Z'));
    const input = toCreateCampaignInput({ ...v, name: '  医保竞答 ', bankID: 'b1' });
    expect(input).toEqual({
      name: '医保竞答',
      description: null,
      bankID: 'b1',
      startsAt: '2026-09-01T02:00:00.000Z',
      endsAt: '2026-09-29T02:00:00.000Z',
      timezone: 'Asia/Shanghai',
      questionsPerAttempt: 5,
      categoryQuotas: null,
      timeLimitSeconds: 300,
      graceSeconds: 5,
      pointsPerQuestion: 20,
      rankingMode: 'BEST_ATTEMPT',
      periodSeconds: 604800,
      poolSize: 1000,
      winnersPerPeriod: 520,
      excludePreviousWinners: true,
      maxAttemptsPerDay: null,
      entropySource: 'drand-quicknet',
    });
  });

  it('map the optional fields', () => {
    const v = campaignFormDefaults(dayjs('2026-09-01T01:23:45Z'));
    const input = toCreateCampaignInput({
      ...v,
      name: 'x',
      bankID: 'b',
      description: ' 说明 ',
      maxAttemptsPerDay: 3,
      periodValue: 5,
      periodUnit: 'second',
      entropyKind: 'declared',
      entropyDeclared: ' 2026-10-05 福彩3D开奖号码 ',
      categoryQuotas: [{ category: ' 参保缴费 ', count: 2 }, { category: '', count: 1 }],
    });
    expect(input.description).toBe('说明');
    expect(input.maxAttemptsPerDay).toBe(3);
    expect(input.periodSeconds).toBe(5);
    expect(input.entropySource).toBe('declared: 2026-10-05 福彩3D开奖号码');
    expect(input.categoryQuotas).toEqual([{ category: '参保缴费', count: 2 }]);
  });

  it('the window follows the chosen zone', () => {
    const v = campaignFormDefaults(dayjs('2026-09-01T01:23:45Z'), 'UTC');
    expect(v.window[0].format('HH:mm')).toBe('02:00');
    expect(toCreateCampaignInput({ ...v, name: 'x', bankID: 'b' }).startsAt).toBe('2026-09-01T02:00:00.000Z');
  });
});

describe('period length', () => {
  it('splits seconds into the largest exact unit', () => {
    expect(splitPeriod(604800)).toEqual({ value: 7, unit: 'day' });
    expect(splitPeriod(7200)).toEqual({ value: 2, unit: 'hour' });
    expect(splitPeriod(90)).toEqual({ value: 90, unit: 'second' });
    expect(splitPeriod(120)).toEqual({ value: 2, unit: 'minute' });
    expect(periodSecondsOf({ periodValue: 7, periodUnit: 'day' })).toBe(604800);
  });

  it('counts periods, the last one cut at the end', () => {
    expect(countPeriods('2026-09-01T00:00:00Z', '2026-09-29T00:00:00Z', 604800)).toBe(4);
    expect(countPeriods('2026-09-01T00:00:00Z', '2026-09-30T00:00:00Z', 604800)).toBe(5);
    expect(countPeriods('2026-09-01T00:00:00Z', '2026-09-01T00:00:00Z', 604800)).toBe(0);
  });
});

describe('entropy source', () => {
  it('round-trips', () => {
    expect(entropySourceOf('drand')).toBe('drand-quicknet');
    expect(entropySourceOf('declared', '福彩3D')).toBe('declared: 福彩3D');
    expect(parseEntropySource('drand-quicknet')).toEqual({ kind: 'drand', declared: '' });
    expect(parseEntropySource('declared: 福彩3D')).toEqual({ kind: 'declared', declared: '福彩3D' });
  });
});

describe('where a campaign is', () => {
  const c = { startsAt: '2026-09-01T00:00:00Z', endsAt: '2026-09-15T00:00:00Z' };
  const periods = [
    { index: 2, startsAt: '2026-09-08T00:00:00Z', endsAt: '2026-09-15T00:00:00Z', status: 'UPCOMING' },
    { index: 1, startsAt: '2026-09-01T00:00:00Z', endsAt: '2026-09-08T00:00:00Z', status: 'OPEN' },
  ];

  it('phase', () => {
    expect(campaignPhase(c, Date.parse('2026-08-31T00:00:00Z'))).toBe('upcoming');
    expect(campaignPhase(c, Date.parse('2026-09-01T00:00:00Z'))).toBe('running');
    expect(campaignPhase(c, Date.parse('2026-09-15T00:00:00Z'))).toBe('ended');
  });

  it('next cutoff and current period', () => {
    expect(nextCutoff(periods, Date.parse('2026-08-01T00:00:00Z'))?.index).toBe(1);
    expect(nextCutoff(periods, Date.parse('2026-09-08T00:00:00Z'))?.index).toBe(2);
    expect(nextCutoff(periods, Date.parse('2026-09-15T00:00:00Z'))).toBeUndefined();
    expect(currentPeriod(periods, Date.parse('2026-09-03T00:00:00Z'))?.index).toBe(1);
    expect(currentPeriod(periods, Date.parse('2026-08-03T00:00:00Z'))).toBeUndefined();
  });
});

describe('editing a campaign', () => {
  const stored: StoredCampaign = {
    name: '医保竞答',
    description: null,
    bank: { id: 'b1' },
    startsAt: '2026-09-01T00:00:00Z',
    endsAt: '2026-10-04T16:00:00Z',
    timezone: 'Asia/Shanghai',
    questionsPerAttempt: 5,
    categoryQuotas: [{ category: '基本医保', count: 2 }],
    timeLimitSeconds: 2,
    graceSeconds: 1,
    pointsPerQuestion: 20,
    rankingMode: 'TOTAL_SCORE',
    periodSeconds: 20,
    poolSize: 1000,
    winnersPerPeriod: 1,
    excludePreviousWinners: false,
    maxAttemptsPerDay: null,
    entropySource: 'declared: 2026-10-05 福彩3D',
  };

  it('fills the form with the stored rules, times as wall clock in the campaign zone', () => {
    const v = campaignToFormValues(stored);
    expect(v.window[0].format('YYYY-MM-DD HH:mm:ss')).toBe('2026-09-01 08:00:00');
    expect(v.window[1].format('YYYY-MM-DD HH:mm:ss')).toBe('2026-10-05 00:00:00');
    expect(v).toMatchObject({ bankID: 'b1', periodValue: 20, periodUnit: 'second', entropyKind: 'declared', entropyDeclared: '2026-10-05 福彩3D', rankingMode: 'TOTAL_SCORE' });
    // and back: nothing changes
    const again = toCreateCampaignInput(v);
    expect(again).toMatchObject({ startsAt: '2026-09-01T00:00:00.000Z', endsAt: '2026-10-04T16:00:00.000Z', periodSeconds: 20, entropySource: 'declared: 2026-10-05 福彩3D' });
  });

  it('sends every field before the start, with "unlimited" and emptied fields spelled out', () => {
    const v = { ...campaignToFormValues(stored), categoryQuotas: [], description: '' };
    const input = toUpdateCampaignInput(v, stored, false);
    expect(input).toMatchObject({ bankID: 'b1', maxAttemptsPerDay: 0, categoryQuotas: [], description: '', timeLimitSeconds: 2 });
  });

  it('sends only what changed among name, description and end once started', () => {
    const v = campaignToFormValues(stored);
    expect(toUpdateCampaignInput(v, stored, true)).toEqual({});
    v.name = '医保竞答（延长）';
    v.window = [v.window[0], dayjs('2026-10-11T00:00:00')];
    v.timeLimitSeconds = 300; // locked: never sent
    expect(toUpdateCampaignInput(v, stored, true)).toEqual({ name: '医保竞答（延长）', endsAt: '2026-10-10T16:00:00.000Z' });
  });

  it('locks the rules from the start on', () => {
    expect(rulesLocked(stored, Date.parse('2026-08-31T23:59:59Z'))).toBe(false);
    expect(rulesLocked(stored, Date.parse('2026-09-01T00:00:00Z'))).toBe(true);
  });
});
