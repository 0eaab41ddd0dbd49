// The browser verifier of prizequiz-draw-v1 (SPEC §4): it recomputes every
// step of a draw from its published proof, as internal/draw/proof.go does
// for `prizequiz verify-draw`, and says which step fails. Pure: no DOM, no
// network; SHA-256 and HMAC from Web Crypto, BLS from @noble/curves.
import { concat, fromHex, isLowerHex, sha256, sha256Hex, toHex, utf8 } from './bytes';
import { HmacDrbg } from './drbg';
import { ENTROPY_DELAY_MS, decodeSignature, roundAt, verifyQuicknet } from './drand';

export const ALGORITHM = 'prizequiz-draw-v1';
const SECRET_SIZE = 32;
const TWO64 = 1n << 64n;

/** The fields of the GraphQL DrawProof that the draw depends on. */
export interface DrawProof {
  algorithm: string;
  commitmentRecord: string;
  commitmentDigest: string;
  poolFile: string;
  poolDigest: string;
  entropySource: string;
  entropy: string;
  entropyDigest: string;
  serverSeed: string;
  order: string[];
  winnersCount: number;
  winnersDigest: string;
}

/** The steps, in the order they run; the names match `prizequiz verify-draw`. */
export const STEPS = ['commitment', 'server seed', 'pool', 'entropy', 'order', 'winners'] as const;
export type StepName = (typeof STEPS)[number];

/** Why a step failed, for the page to say in the reader's language. */
export type FailureCode =
  | 'algorithm'
  | 'record'
  | 'digest'
  | 'published'
  | 'seed-format'
  | 'seed-mismatch'
  | 'pool-format'
  | 'pool-size'
  | 'source-mismatch'
  | 'source'
  | 'signature'
  | 'declared'
  | 'order-length'
  | 'order'
  | 'winners-count';

export interface StepResult {
  step: StepName;
  status: 'passed' | 'failed' | 'skipped';
  /** set when failed */
  code?: FailureCode;
  /** a technical explanation (values recomputed vs stated) */
  detail?: string;
  /** a caveat on a passed step, e.g. declared entropy that a person must check */
  note?: string;
  /** values recomputed by this step, hex or text, for display */
  values?: Record<string, string>;
}

export interface Commitment {
  campaign: string;
  period: number;
  cutoff: string;
  poolSize: number;
  winners: number;
  excludePreviousWinners: boolean;
  entropy: string;
  serverSeedSHA256: string;
}

export interface PoolEntry {
  rank: number;
  publicID: string;
  score: number;
  durationMs: number;
}

export type EntropySource = { kind: 'drand'; round: bigint } | { kind: 'declared'; text: string };

export class VerifyError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
  }
}

const fail = (code: FailureCode, msg: string): never => {
  throw new VerifyError(code, msg);
};

/** Canonical non-negative decimals only (no sign, no leading zeros), as Go's parseCount. */
function parseCount(s: string, what: string, code: FailureCode): number {
  if (!/^(0|[1-9][0-9]*)$/.test(s) || s.length > 15) fail(code, `${what}: ${JSON.stringify(s)} is not a canonical non-negative integer`);
  return Number(s);
}

/** Parses "drand-quicknet round <R>" or "declared: <text>". */
export function parseEntropySource(src: string): EntropySource {
  const drand = 'drand-quicknet round ';
  const declared = 'declared: ';
  if (src.startsWith(drand)) {
    const digits = src.slice(drand.length);
    if (!/^[1-9][0-9]*$/.test(digits) || BigInt(digits) >= TWO64) fail('source', `entropy source ${JSON.stringify(src)}: round must be a positive canonical integer`);
    return { kind: 'drand', round: BigInt(digits) };
  }
  if (src.startsWith(declared)) {
    const text = src.slice(declared.length);
    if (text.trim() === '') fail('source', `entropy source ${JSON.stringify(src)}: declared text is empty`);
    return { kind: 'declared', text };
  }
  return fail('source', `entropy source ${JSON.stringify(src)}: want "drand-quicknet round <R>" or "declared: <text>"`);
}

const RECORD_KEYS = [
  'version',
  'campaign',
  'period',
  'cutoff',
  'pool_size',
  'winners',
  'exclude_previous_winners',
  'entropy',
  'server_seed_sha256',
] as const;

/**
 * The strict reader of a commitment record (internal/draw/record.go
 * ParseRecord): exactly nine LF-terminated key=value lines in SPEC order,
 * canonical values, so one commitment has exactly one byte representation.
 */
export function parseRecord(rec: string): Commitment {
  if (!rec.endsWith('\n')) fail('record', 'record: must end with LF');
  const lines = rec.slice(0, -1).split('\n');
  if (lines.length !== RECORD_KEYS.length) fail('record', `record: ${lines.length} lines, want ${RECORD_KEYS.length}`);
  const vals = lines.map((line, i) => {
    const eq = line.indexOf('=');
    if (eq < 0 || line.slice(0, eq) !== RECORD_KEYS[i]) fail('record', `record line ${i + 1}: want key "${RECORD_KEYS[i]}"`);
    return line.slice(eq + 1);
  });
  if (vals[0] !== ALGORITHM) fail('record', `record: version ${JSON.stringify(vals[0])}, want "${ALGORITHM}"`);
  const [, campaign, period, cutoff, poolSize, winners, exclude, entropy, seedSum] = vals;
  if (campaign === '' || /[\r]/.test(campaign)) fail('record', 'record campaign: must be non-empty and single-line');
  // Go writes the cutoff as RFC 3339 UTC at second precision; nothing else
  // re-serialises to the same bytes.
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(cutoff);
  const cutoffMs = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
  if (!m || Number.isNaN(cutoffMs) || new Date(cutoffMs).toISOString().replace('.000Z', 'Z') !== cutoff) {
    fail('record', `record cutoff: ${JSON.stringify(cutoff)} is not RFC 3339 UTC at second precision`);
  }
  if (exclude !== 'true' && exclude !== 'false') fail('record', `record exclude_previous_winners: ${JSON.stringify(exclude)} is not true or false`);
  if (/[\r]/.test(entropy)) fail('record', 'record entropy: must be single-line');
  const src = parseEntropySource(entropy);
  if (src.kind === 'drand') {
    const want = roundAt(cutoffMs + ENTROPY_DELAY_MS);
    if (src.round !== want) fail('record', `record entropy: round ${src.round}, but the first round at or after cutoff + 10m is ${want}`);
  }
  if (!isLowerHex(seedSum, 32)) fail('record', 'record server_seed_sha256: want 64 lowercase hex digits');
  return {
    campaign,
    period: parseCount(period, 'record period', 'record'),
    cutoff,
    poolSize: parseCount(poolSize, 'record pool_size', 'record'),
    winners: parseCount(winners, 'record winners', 'record'),
    excludePreviousWinners: exclude === 'true',
    entropy,
    serverSeedSHA256: seedSum,
  };
}

/** The strict reader of a pool file (internal/draw/pool.go ParsePoolFile). */
export function parsePoolFile(file: string): PoolEntry[] {
  if (file === '') return [];
  if (!file.endsWith('\n')) fail('pool-format', 'pool file: must end with LF');
  const seen = new Map<string, number>();
  return file
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      const f = line.split('\t');
      if (f.length !== 4) fail('pool-format', `pool file line ${i + 1}: ${f.length} fields, want 4`);
      const rank = parseCount(f[0], `pool file line ${i + 1} rank`, 'pool-format');
      const score = parseCount(f[2], `pool file line ${i + 1} score`, 'pool-format');
      const durationMs = parseCount(f[3], `pool file line ${i + 1} durationMs`, 'pool-format');
      if (rank !== i + 1) fail('pool-format', `pool line ${i + 1}: rank ${rank}, want ${i + 1}`);
      const id = f[1];
      if (id === '' || /[\r]/.test(id)) fail('pool-format', `pool rank ${rank}: public id is empty or contains CR`);
      const prev = seen.get(id);
      if (prev !== undefined) fail('pool-format', `pool rank ${rank}: public id ${JSON.stringify(id)} already at rank ${prev}`);
      seen.set(id, rank);
      return { rank, publicID: id, score, durationMs };
    });
}

/** ρ (SPEC §4.3): SHA-256 of the drand signature bytes, or of the declared text in UTF-8. */
export async function rho(src: EntropySource, entropy: string): Promise<Uint8Array> {
  if (src.kind === 'drand') return sha256(decodeSignature(entropy));
  if (entropy === '') fail('declared', 'declared entropy: must be non-empty text');
  return sha256(utf8(entropy));
}

/** A uniform integer in [0, m) by rejection: only u < 2^64 − (2^64 mod m) is used. */
export async function uniform(m: bigint, next: () => Promise<bigint>): Promise<bigint> {
  const limit = TWO64 - (TWO64 % m);
  for (;;) {
    const u = await next();
    if (u < limit) return u % m;
  }
}

/**
 * The draw order of pool ranks 1..n (SPEC §4.4–4.5): Fisher–Yates driven by
 * HMAC_DRBG-SHA-256 with entropy_input = ρ‖S, nonce = C‖P and
 * personalization "prizequiz-draw-v1", one 8-byte Generate per word.
 */
export async function shuffle(rhoB: Uint8Array, seed: Uint8Array, c: Uint8Array, p: Uint8Array, n: number): Promise<number[]> {
  for (const [name, b] of [
    ['rho', rhoB],
    ['server seed', seed],
    ['commitment digest', c],
    ['pool digest', p],
  ] as const) {
    if (b.length !== 32) throw new Error(`shuffle: ${name} is ${b.length} bytes, want 32`);
  }
  const d = await HmacDrbg.create(concat(rhoB, seed), concat(c, p), utf8(ALGORITHM));
  const next = async () => {
    const w = await d.generate(8);
    return new DataView(w.buffer, w.byteOffset, 8).getBigUint64(0);
  };
  const a = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = 0; i + 1 < n; i++) {
    const j = i + Number(await uniform(BigInt(n - i), next));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** hex SHA-256 of the winners' public IDs in draw order, each followed by LF. */
export function winnersDigest(ids: string[]): Promise<string> {
  return sha256Hex(utf8(ids.map((id) => id + '\n').join('')));
}

/** What the period published before the draw, to hold the proof to. */
export interface Published {
  commitmentDigest?: string | null;
  poolDigest?: string | null;
}

/** Everything a verification recomputed, for the page to show. */
export interface Verification {
  steps: StepResult[];
  commitment?: Commitment;
  pool?: PoolEntry[];
  /** publicIDs of the winners in draw order, when the order verified */
  winners?: string[];
  ok: boolean;
}

/**
 * Recomputes every step of proof and reports each step's outcome in
 * order. A step that needs a failed step is "skipped", so only the real
 * cause is blamed. onStep is called as each step finishes (the order step
 * of a large pool takes a moment).
 */
export async function verifyProof(proof: DrawProof, published: Published = {}, onStep?: (s: StepResult) => void): Promise<Verification> {
  const steps: StepResult[] = [];
  const out: Verification = { steps, ok: false };
  let failed = false;
  let c: Commitment | undefined;
  let cSum: Uint8Array | undefined;
  let seed: Uint8Array | undefined;
  let pool: PoolEntry[] | undefined;
  let pSum: Uint8Array | undefined;
  let rhoB: Uint8Array | undefined;
  let winners: string[] | undefined;

  const run = async (step: StepName, needs: () => boolean, body: (r: StepResult) => Promise<void>) => {
    const r: StepResult = { step, status: 'passed', values: {} };
    if (!needs()) {
      r.status = 'skipped';
    } else {
      try {
        await body(r);
      } catch (e) {
        failed = true;
        r.status = 'failed';
        r.code = e instanceof VerifyError ? e.code : 'record';
        r.detail = e instanceof Error ? e.message : String(e);
      }
    }
    steps.push(r);
    onStep?.(r);
  };

  await run('commitment', () => true, async (r) => {
    if (proof.algorithm !== ALGORITHM) fail('algorithm', `algorithm ${JSON.stringify(proof.algorithm)}, want "${ALGORITHM}"`);
    const parsed = parseRecord(proof.commitmentRecord);
    const sum = await sha256(utf8(proof.commitmentRecord));
    const got = toHex(sum);
    r.values!.C = got;
    if (got !== proof.commitmentDigest) fail('digest', `SHA-256(record) = ${got}, proof says ${proof.commitmentDigest}`);
    if (published.commitmentDigest && published.commitmentDigest !== got) {
      fail('published', `SHA-256(record) = ${got}, but the period published ${published.commitmentDigest} when it opened`);
    }
    c = parsed;
    cSum = sum;
    out.commitment = parsed;
  });

  await run('server seed', () => !!c, async (r) => {
    if (!isLowerHex(proof.serverSeed, SECRET_SIZE)) fail('seed-format', `server seed must be ${SECRET_SIZE} bytes in lowercase hex`);
    const s = fromHex(proof.serverSeed);
    const got = await sha256Hex(s);
    r.values!['SHA-256(S)'] = got;
    if (got !== c!.serverSeedSHA256) fail('seed-mismatch', `SHA-256(server seed) = ${got}, record commits to ${c!.serverSeedSHA256}`);
    seed = s;
  });

  await run('pool', () => !!c, async (r) => {
    const entries = parsePoolFile(proof.poolFile);
    const sum = await sha256(utf8(proof.poolFile));
    const got = toHex(sum);
    r.values!.P = got;
    r.values!.n = String(entries.length);
    if (got !== proof.poolDigest) fail('digest', `SHA-256(pool file) = ${got}, proof says ${proof.poolDigest}`);
    if (published.poolDigest && published.poolDigest !== got) {
      fail('published', `SHA-256(pool file) = ${got}, but the period published ${published.poolDigest} at its cutoff`);
    }
    if (entries.length > c!.poolSize) fail('pool-size', `pool has ${entries.length} entries, record allows at most ${c!.poolSize}`);
    pool = entries;
    pSum = sum;
    out.pool = entries;
  });

  await run('entropy', () => !!c, async (r) => {
    if (proof.entropySource !== c!.entropy) {
      fail('source-mismatch', `entropy source ${JSON.stringify(proof.entropySource)} differs from the record's ${JSON.stringify(c!.entropy)}`);
    }
    const src = parseEntropySource(c!.entropy);
    if (src.kind === 'drand') {
      let ok: boolean;
      try {
        ok = await verifyQuicknet(src.round, proof.entropy);
      } catch (e) {
        return fail('signature', (e as Error).message);
      }
      if (!ok) fail('signature', `round ${src.round}: the signature does not verify under the quicknet public key`);
      r.values!.round = String(src.round);
    } else {
      r.note = `declared:${src.text}`;
      r.values!.entropy = proof.entropy; // a person checks it against the declared public result
    }
    const got = toHex(await rho(src, proof.entropy));
    r.values!['ρ'] = got;
    if (got !== proof.entropyDigest) fail('digest', `ρ = ${got}, proof says ${proof.entropyDigest}`);
    rhoB = fromHex(got);
  });

  await run('order', () => !failed, async (r) => {
    const ranks = await shuffle(rhoB!, seed!, cSum!, pSum!, pool!.length);
    const ids = ranks.map((rank) => pool![rank - 1].publicID);
    if (proof.order.length !== ids.length) fail('order-length', `order has ${proof.order.length} entries, pool has ${ids.length}`);
    ids.forEach((id, i) => {
      if (proof.order[i] !== id) fail('order', `position ${i + 1} is ${JSON.stringify(proof.order[i])}, recomputed ${JSON.stringify(id)}`);
    });
    winners = ids.slice(0, Math.min(c!.winners, ids.length));
    r.values!.n = String(ids.length);
  });

  await run('winners', () => !failed, async (r) => {
    const want = winners!.length;
    if (proof.winnersCount !== want) {
      fail('winners-count', `winnersCount ${proof.winnersCount}, want min(winners ${c!.winners}, pool ${pool!.length}) = ${want}`);
    }
    const got = await winnersDigest(winners!);
    r.values!.digest = got;
    if (got !== proof.winnersDigest) fail('digest', `SHA-256(winners) = ${got}, proof says ${proof.winnersDigest}`);
    out.winners = winners;
  });

  out.ok = !failed;
  return out;
}

