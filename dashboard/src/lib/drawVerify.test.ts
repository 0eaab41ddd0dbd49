// The browser's proof check against the Go implementation's own vectors
// (internal/draw/testdata): NIST's HMAC_DRBG answers and two golden proofs,
// one with a real drand quicknet signature (round 123), one declared.
import { describe, expect, it } from 'vitest';
import rsp from '../../../internal/draw/testdata/hmac_drbg_sha256_no_reseed.rsp?raw';
import proof10Text from '../../../internal/draw/testdata/proof_pool10.json?raw';
import proof1000Text from '../../../internal/draw/testdata/proof_pool1000.json?raw';
import { hexToBytes } from '@noble/hashes/utils.js';
import { HmacDrbg, firstFailure, hex, parsePoolFile, parseRecord, roundAt, verifyProof, verifyQuicknet, winnersDigest, type ProofInput } from './drawVerify';

const proof10 = JSON.parse(proof10Text) as ProofInput;
const proof1000 = JSON.parse(proof1000Text) as ProofInput;
const noDrand = { verifyDrand: async () => true };

function cavpCases(text: string) {
  return text
    .split(/\n(?=COUNT = )/)
    .slice(1)
    .map((block) => {
      const get = (k: string) => (new RegExp(`^${k} = ?(.*)$`, 'm').exec(block)?.[1] ?? '').trim();
      return { entropy: get('EntropyInput'), nonce: get('Nonce'), pers: get('PersonalizationString'), returned: get('ReturnedBits') };
    });
}

describe('HMAC_DRBG', () => {
  const cases = cavpCases(rsp);
  it('has the NIST cases', () => expect(cases.length).toBeGreaterThanOrEqual(2));
  it.each(cases.map((c, i) => [i, c] as const))('answers NIST CAVP case %i', (_i, c) => {
    const d = new HmacDrbg(hexToBytes(c.entropy), hexToBytes(c.nonce), hexToBytes(c.pers));
    d.generate(c.returned.length / 2);
    expect(hex(d.generate(c.returned.length / 2))).toBe(c.returned);
  });
});

describe('draw proof check', () => {
  it('passes a golden drand proof, signature included', async () => {
    const steps = await verifyProof(proof10);
    expect(steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(firstFailure(steps)).toBeNull();
  }, 30_000);

  it('passes a golden declared proof of 1000 and notes the human check', async () => {
    const steps = await verifyProof(proof1000);
    expect(firstFailure(steps)).toBeNull();
    expect(steps.find((s) => s.step === 'entropy')?.note).toMatch(/check by hand/);
    expect(steps.map((s) => s.step)).toEqual(['commitment', 'serverSeed', 'pool', 'entropy', 'order', 'winners']);
  });

  it('blames the commitment when the record was edited, and skips what depends on it', async () => {
    const bad = { ...proof10, commitmentRecord: proof10.commitmentRecord.replace('winners=3', 'winners=4') };
    const steps = await verifyProof(bad, noDrand);
    expect(firstFailure(steps)?.step).toBe('commitment');
    expect(steps.filter((s) => s.status === 'skipped').map((s) => s.step)).toEqual(['serverSeed', 'pool', 'entropy', 'order', 'winners']);
  });

  it('blames the server seed, the pool, the entropy, the order and the winners each', async () => {
    const flip = (h: string) => (h[0] === '0' ? '1' : '0') + h.slice(1);
    expect(firstFailure(await verifyProof({ ...proof10, serverSeed: flip(proof10.serverSeed) }, noDrand))?.step).toBe('serverSeed');
    expect(firstFailure(await verifyProof({ ...proof10, poolDigest: flip(proof10.poolDigest) }, noDrand))?.step).toBe('pool');
    expect(firstFailure(await verifyProof({ ...proof10, entropyDigest: flip(proof10.entropyDigest) }, noDrand))?.step).toBe('entropy');
    const swapped = [...proof10.order];
    [swapped[0], swapped[1]] = [swapped[1], swapped[0]];
    const order = firstFailure(await verifyProof({ ...proof10, order: swapped }, noDrand));
    expect(order?.step).toBe('order');
    expect(order?.error).toMatch(/position 1/);
    expect(firstFailure(await verifyProof({ ...proof10, winnersDigest: flip(proof10.winnersDigest) }, noDrand))?.step).toBe('winners');
  });

  it('refuses a drand signature that does not verify', async () => {
    const sig = proof10.entropy;
    expect(await verifyQuicknet(123, sig)).toBe(true);
    expect(await verifyQuicknet(124, sig)).toBe(false);
    const steps = await verifyProof(proof10, { verifyDrand: async () => false });
    expect(firstFailure(steps)?.error).toMatch(/signature does not verify/);
  }, 30_000);
});

describe('record, pool and rounds', () => {
  it('reads the record and checks the committed round', () => {
    const c = parseRecord(proof10.commitmentRecord);
    expect(c).toMatchObject({ campaign: 'cmp-golden10', period: 1, poolSize: 10, winners: 3, entropy: 'drand-quicknet round 123' });
    expect(roundAt(Date.parse(c.cutoff) / 1000 + 600)).toBe(123);
    expect(() => parseRecord(proof10.commitmentRecord.replace('round 123', 'round 124'))).toThrow(/first round/);
    expect(() => parseRecord(proof10.commitmentRecord.trimEnd())).toThrow(/LF/);
  });

  it('reads the pool file strictly', () => {
    expect(parsePoolFile(proof10.poolFile)).toHaveLength(10);
    expect(() => parsePoolFile('1\tA\t10\t5\n3\tB\t10\t6\n')).toThrow(/rank 3, want 2/);
    expect(() => parsePoolFile('1\tA\t10\t05\n')).toThrow(/canonical/);
    expect(parsePoolFile('')).toEqual([]);
  });

  it('hashes the winners in order', () => {
    expect(winnersDigest(proof10.order.slice(0, 3))).toBe(proof10.winnersDigest);
  });
});
