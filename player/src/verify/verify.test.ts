// @vitest-environment node
// The browser verifier against the same vectors as the Go package
// internal/draw: NIST's HMAC_DRBG file, the drand quicknet round 123 beacon
// and the 10- and 1,000-entry golden proofs, read from ../internal/draw/testdata.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { HmacDrbg } from './drbg';
import { roundAt, verifyQuicknet } from './drand';
import { STEPS, parseRecord, verifyProof, type DrawProof, type StepName } from './verify';

const testdata = resolve(import.meta.dirname, '../../../internal/draw/testdata');
const proof10: DrawProof = JSON.parse(readFileSync(resolve(testdata, 'proof_pool10.json'), 'utf8'));
const proof1000: DrawProof = JSON.parse(readFileSync(resolve(testdata, 'proof_pool1000.json'), 'utf8'));

/** The NIST CAVP cases of the .rsp excerpt, as hmacdrbg_test.go reads them. */
function readCAVP(path: string) {
  const cases: { name: string; entropy: Uint8Array; nonce: Uint8Array; personalization: Uint8Array; returned: Uint8Array }[] = [];
  let cur: Record<string, string> = {};
  let header = '';
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      if (line.startsWith('[PersonalizationStringLen')) header = line;
      continue;
    }
    const eq = line.indexOf('=');
    const k = line.slice(0, eq).trim();
    const v = line.slice(eq + 1).trim();
    if (k === 'COUNT') cur = { name: `${header} COUNT=${v}` };
    else if (k === 'AdditionalInput') expect(v).toBe('');
    else cur[k] = v;
    if (k === 'ReturnedBits') {
      cases.push({
        name: cur.name,
        entropy: fromHex(cur.EntropyInput),
        nonce: fromHex(cur.Nonce),
        personalization: fromHex(cur.PersonalizationString ?? ''),
        returned: fromHex(cur.ReturnedBits),
      });
    }
  }
  return cases;
}

describe('HMAC_DRBG', () => {
  const cases = readCAVP(resolve(testdata, 'hmac_drbg_sha256_no_reseed.rsp'));
  it('reads both NIST cases', () => expect(cases).toHaveLength(2));
  for (const c of cases) {
    it(`matches NIST CAVP ${c.name}`, async () => {
      const d = await HmacDrbg.create(c.entropy, c.nonce, c.personalization);
      await d.generate(c.returned.length); // CAVP: generate and discard, then compare
      expect(toHex(await d.generate(c.returned.length))).toBe(toHex(c.returned));
    });
  }
  it('ends each Generate with an Update, so call boundaries matter', async () => {
    const e = new TextEncoder().encode('entropy-entropy-entropy-entropy!');
    const n = new TextEncoder().encode('nonce-nonce-nonc');
    const a = await HmacDrbg.create(e, n, new Uint8Array());
    const b = await HmacDrbg.create(e, n, new Uint8Array());
    const long = await a.generate(16);
    const w1 = await b.generate(8);
    const w2 = await b.generate(8);
    expect(toHex(long.slice(0, 8))).toBe(toHex(w1));
    expect(toHex(long.slice(8))).not.toBe(toHex(w2));
  });
});

describe('drand quicknet', () => {
  const sig = 'b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92';
  it('verifies round 123 (SPEC §4.1), in either hex case', async () => {
    expect(await verifyQuicknet(123n, sig)).toBe(true);
    expect(await verifyQuicknet(123n, sig.toUpperCase())).toBe(true);
  });
  it('refuses the signature for another round or with a bit flipped', async () => {
    expect(await verifyQuicknet(124n, sig)).toBe(false);
    const flipped = sig.slice(0, 95) + ((parseInt(sig[95], 16) ^ 1).toString(16));
    expect(await verifyQuicknet(123n, flipped)).toBe(false);
    const middle = sig.slice(0, 40) + ((parseInt(sig[40], 16) ^ 4).toString(16)) + sig.slice(41);
    expect(await verifyQuicknet(123n, middle)).toBe(false);
  });
  it('refuses malformed signatures', async () => {
    await expect(verifyQuicknet(123n, sig.slice(0, 94))).rejects.toThrow(/bytes/);
    await expect(verifyQuicknet(123n, 'zz' + sig.slice(2))).rejects.toThrow(/hex/);
  });
  it('numbers rounds from genesis every 3 s', () => {
    const g = 1692803367 * 1000;
    expect(roundAt(g - 5000)).toBe(1n);
    expect(roundAt(g)).toBe(1n);
    expect(roundAt(g + 1)).toBe(2n);
    expect(roundAt(g + 3000)).toBe(2n);
    expect(roundAt(g + 366000)).toBe(123n);
  });
});

describe('golden proofs', () => {
  for (const [name, proof, winners] of [
    ['10-entry pool, drand round 123', proof10, 3],
    ['1,000-entry pool, declared entropy', proof1000, 520],
  ] as const) {
    it(`verifies the ${name}`, async () => {
      const seen: StepName[] = [];
      const v = await verifyProof(proof, {}, (s) => seen.push(s.step));
      expect(v.steps.map((s) => [s.step, s.status, s.detail])).toEqual(STEPS.map((s) => [s, 'passed', undefined]));
      expect(seen).toEqual([...STEPS]);
      expect(v.ok).toBe(true);
      expect(v.winners).toEqual(proof.order.slice(0, winners));
      expect(v.steps[0].values?.C).toBe(proof.commitmentDigest);
    });
  }
  it('flags declared entropy for a person to check', async () => {
    const v = await verifyProof(proof1000);
    expect(v.steps.find((s) => s.step === 'entropy')?.note).toBe('declared:the 福彩3D numbers drawn on 2026-10-05');
  });
  it('holds the proof to the digests the period published earlier', async () => {
    const bad = '0'.repeat(64);
    let v = await verifyProof(proof10, { commitmentDigest: bad });
    expect(firstFailure(v.steps)).toEqual(['commitment', 'published']);
    v = await verifyProof(proof10, { commitmentDigest: proof10.commitmentDigest, poolDigest: bad });
    expect(firstFailure(v.steps)).toEqual(['pool', 'published']);
    v = await verifyProof(proof10, { commitmentDigest: proof10.commitmentDigest, poolDigest: proof10.poolDigest });
    expect(v.ok).toBe(true);
  });
});

function firstFailure(steps: { step: StepName; status: string; code?: string }[]) {
  const f = steps.find((s) => s.status === 'failed');
  return f ? [f.step, f.code] : null;
}

/** s with the character at i replaced by a different one of the same kind (hex stays hex). */
function changeAt(s: string, i: number): string {
  const ch = s[i];
  const hex = '0123456789abcdef';
  let repl: string;
  if (hex.includes(ch)) repl = hex[(hex.indexOf(ch) + 1) % 16];
  else if (/[A-Za-z]/.test(ch)) repl = ch === 'z' ? 'a' : String.fromCharCode(ch.charCodeAt(0) + 1);
  else if (ch === '\t' || ch === '\n' || ch === '=') repl = 'x';
  else repl = ch === '字' ? '子' : '字';
  return s.slice(0, i) + repl + s.slice(i + 1);
}

type Field = keyof DrawProof;
const expectedStep: Record<Exclude<Field, 'order' | 'winnersCount'>, StepName> = {
  algorithm: 'commitment',
  commitmentRecord: 'commitment',
  commitmentDigest: 'commitment',
  serverSeed: 'server seed',
  poolFile: 'pool',
  poolDigest: 'pool',
  entropySource: 'entropy',
  entropy: 'entropy',
  entropyDigest: 'entropy',
  winnersDigest: 'winners',
};

describe('a tampered proof fails at the step it touches', () => {
  for (const [name, proof] of [
    ['10', proof10],
    ['1000', proof1000],
  ] as const) {
    for (const [field, step] of Object.entries(expectedStep) as [keyof typeof expectedStep, StepName][]) {
      const value = proof[field];
      // the first, a middle and the last character
      const positions = [...new Set([0, Math.floor(value.length / 2), value.length - 1])];
      it.each(positions)(`pool ${name}: ${field} changed at %i fails at "${step}"`, async (i) => {
        const bad = { ...proof, [field]: changeAt(value, i) };
        const v = await verifyProof(bad);
        expect(v.ok).toBe(false);
        const failedAt = v.steps.findIndex((s) => s.status === 'failed');
        expect(v.steps[failedAt].step).toBe(step);
        // every step that depends on it is skipped, not blamed
        for (const s of v.steps.slice(failedAt + 1)) expect(s.status).not.toBe('failed');
        for (const s of v.steps.slice(0, failedAt)) expect(s.status).toBe('passed');
      });
    }
  }
  it('an order with two places swapped fails at "order"', async () => {
    const order = [...proof10.order];
    [order[3], order[7]] = [order[7], order[3]];
    const v = await verifyProof({ ...proof10, order });
    expect(firstFailure(v.steps)).toEqual(['order', 'order']);
    expect(v.steps.at(-1)?.status).toBe('skipped');
  });
  it('an order with one character changed fails at "order"', async () => {
    const order = [...proof10.order];
    order[0] = changeAt(order[0], 3);
    expect(firstFailure((await verifyProof({ ...proof10, order })).steps)).toEqual(['order', 'order']);
  });
  it('an order with a place dropped fails at "order"', async () => {
    const v = await verifyProof({ ...proof10, order: proof10.order.slice(0, -1) });
    expect(firstFailure(v.steps)).toEqual(['order', 'order-length']);
  });
  it('a wrong winners count fails at "winners"', async () => {
    const v = await verifyProof({ ...proof10, winnersCount: 4 });
    expect(firstFailure(v.steps)).toEqual(['winners', 'winners-count']);
  });
  it('a drand signature of another round fails at "entropy"', async () => {
    // round 123's beacon presented for a record that names another round
    const rec = proof10.commitmentRecord;
    expect(parseRecord(rec).entropy).toBe('drand-quicknet round 123');
    const v = await verifyProof({ ...proof10, entropy: proof10.entropy.slice(0, -2) + '00' });
    expect(firstFailure(v.steps)).toEqual(['entropy', 'signature']);
  });
});

describe('record parsing', () => {
  const rec = proof10.commitmentRecord;
  it('reads the golden record', () => {
    expect(parseRecord(rec)).toMatchObject({ campaign: 'cmp-golden10', period: 1, poolSize: 10, winners: 3, excludePreviousWinners: true });
  });
  it.each([
    ['no final LF', rec.slice(0, -1)],
    ['keys out of order', rec.replace('pool_size=10\nwinners=3', 'winners=3\npool_size=10')],
    ['a leading zero', rec.replace('pool_size=10', 'pool_size=010')],
    ['a cutoff with fractional seconds', rec.replace('15:05:33Z', '15:05:33.000Z')],
    ['a cutoff with an offset', rec.replace('2023-08-23T15:05:33Z', '2023-08-23T23:05:33+08:00')],
    ['a round that the cutoff does not fix', rec.replace('round 123', 'round 124')],
    ['an upper-case seed digest', rec.replace('c847d487', 'C847D487')],
    ['an extra line', rec + 'extra=1\n'],
  ])('refuses %s', (_, bad) => {
    expect(() => parseRecord(bad)).toThrow();
  });
});
