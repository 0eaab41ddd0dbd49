import { describe, expect, it } from 'vitest';
import { drandRoundURL, drawReadiness, entropyProblem, normalizeEntropy, parsePeriodEntropy, proofFileName, proofJSON, PROOF_FIELDS, prizeStatusCounts } from './draw';

const SIG = 'b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92';

describe('draw entropy', () => {
  it('reads the period’s source', () => {
    expect(parsePeriodEntropy('drand-quicknet round 34525956')).toEqual({ kind: 'drand', round: 34525956 });
    expect(parsePeriodEntropy('declared: 2026-10-05 福彩3D开奖号码')).toEqual({ kind: 'declared', text: '2026-10-05 福彩3D开奖号码' });
    expect(parsePeriodEntropy(null).kind).toBe('unknown');
    expect(drandRoundURL(123)).toBe('https://api.drand.sh/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/123');
  });

  it('validates a drand signature: hex, 96 digits, pasted with spaces or 0x', () => {
    const drand = parsePeriodEntropy('drand-quicknet round 123');
    expect(entropyProblem(drand, SIG)).toBeNull();
    expect(entropyProblem(drand, `0x${SIG.toUpperCase().slice(0, 40)} \n${SIG.toUpperCase().slice(40)}`)).toBeNull();
    expect(normalizeEntropy(drand, ` 0x${SIG.toUpperCase()} `)).toBe(SIG);
    expect(entropyProblem(drand, '')).toBe('required');
    expect(entropyProblem(drand, 'xyz')).toBe('notHex');
    expect(entropyProblem(drand, SIG.slice(2))).toBe('hexLength');
  });

  it('takes declared text as typed (trimmed)', () => {
    const declared = parsePeriodEntropy('declared: lottery');
    expect(entropyProblem(declared, '  ')).toBe('required');
    expect(entropyProblem(declared, '3 5 8')).toBeNull();
    expect(normalizeEntropy(declared, '  3 5 8 ')).toBe('3 5 8');
  });

  it('knows when a period can be drawn', () => {
    const now = Date.parse('2026-12-04T11:00:00Z');
    expect(drawReadiness({ status: 'OPEN', endsAt: '2026-12-05T00:00:00Z' }, now)).toBe('notClosed');
    expect(drawReadiness({ status: 'CLOSED', endsAt: '2026-12-04T10:00:00Z', entropyAvailableAt: '2026-12-04T11:10:00Z' }, now)).toBe('entropyPending');
    expect(drawReadiness({ status: 'CLOSED', endsAt: '2026-12-04T10:00:00Z', entropyAvailableAt: '2026-12-04T10:10:00Z' }, now)).toBe('ready');
    expect(drawReadiness({ status: 'CLOSED', endsAt: '2026-12-04T10:00:00Z', entropyAvailableAt: null }, now)).toBe('ready');
    expect(drawReadiness({ status: 'DRAWN', endsAt: '2026-12-04T10:00:00Z' }, now)).toBe('done');
  });
});

describe('proof JSON', () => {
  const proof = {
    __typename: 'DrawProof',
    drawnAt: '2026-12-04T11:00:00Z',
    algorithm: 'prizequiz-draw-v1',
    commitmentRecord: 'version=prizequiz-draw-v1\n',
    commitmentDigest: 'aa',
    poolFile: '1\tp-a\t100\t5000\n',
    poolDigest: 'bb',
    entropySource: 'declared: x',
    entropy: 'x',
    entropyDigest: 'cc',
    serverSeed: 'dd',
    order: ['p-a', 'p-b'],
    winnersCount: 1,
    winnersDigest: 'ee',
    disqualifications: [{ __typename: 'Disqualification', publicID: 'p-a', drawOrder: 1, reason: '违规', at: '2026-12-05T00:00:00Z', replacedBy: 'p-b', replacement: 2 }],
  };

  it('is exactly the drawProof object: schema fields in schema order, no __typename', () => {
    const json = proofJSON(proof);
    const back = JSON.parse(json);
    expect(Object.keys(back)).toEqual([...PROOF_FIELDS]);
    expect(json).not.toContain('__typename');
    expect(back.disqualifications).toEqual([{ publicID: 'p-a', drawOrder: 1, reason: '违规', at: '2026-12-05T00:00:00Z', replacedBy: 'p-b', replacement: 2 }]);
    const { __typename: _t, disqualifications: _d, ...rest } = proof;
    expect(back).toMatchObject(rest);
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('is named after the campaign and period', () => {
    expect(proofFileName('c-demo', 3)).toBe('draw-proof-c-demo-period-3.json');
  });
});

describe('prize tracking', () => {
  it('counts places per prize status', () => {
    expect(prizeStatusCounts([{ prizeStatus: 'PENDING' }, { prizeStatus: 'SENT' }, { prizeStatus: 'PENDING' }])).toEqual({ PENDING: 2, CONTACTED: 0, SENT: 1, FORFEITED: 0 });
  });
});
