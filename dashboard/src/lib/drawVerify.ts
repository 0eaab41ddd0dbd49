// The browser's own check of a draw proof (SPEC §4, algorithm
// prizequiz-draw-v1): every step recomputed from the published inputs, as
// `prizequiz verify-draw` does (internal/draw/proof.go), and the first
// failing step named. Nothing here trusts the server: hashes, HMAC_DRBG and
// the shuffle run in this file; the drand signature check (BLS12-381,
// large) is loaded only when a drand proof is verified.
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export const ALGORITHM = 'prizequiz-draw-v1';
const SECRET_SIZE = 32;
const QUICKNET_GENESIS = 1692803367; // Unix seconds of round 1
const QUICKNET_PERIOD = 3; // seconds
const ENTROPY_DELAY = 600; // the round 10 min after the cutoff
const SIG_SIZE = 48;

export type StepName = 'commitment' | 'serverSeed' | 'pool' | 'entropy' | 'order' | 'winners';
export const STEPS: StepName[] = ['commitment', 'serverSeed', 'pool', 'entropy', 'order', 'winners'];

export interface StepResult {
  step: StepName;
  status: 'ok' | 'failed' | 'skipped';
  /** why it failed (English, like the CLI) */
  error?: string;
  /** a caveat on a passed step, e.g. declared entropy a human must check */
  note?: string;
  /** for a declared source: the public result the record named, and the text the draw used */
  declared?: { text: string; entropy: string };
}

/** The fields of a DrawProof the check reads. */
export interface ProofInput {
  algorithm: string;
  commitmentRecord: string;
  commitmentDigest: string;
  poolFile: string;
  poolDigest: string;
  entropySource: string;
  entropy: string;
  entropyDigest: string;
  serverSeed: string;
  order: readonly string[];
  winnersCount: number;
  winnersDigest: string;
}

export const hex = bytesToHex;
export const sha256Hex = (b: Uint8Array | string) => bytesToHex(sha256(typeof b === 'string' ? utf8ToBytes(b) : b));

const isLowerHex = (s: string, bytes: number) => s.length === 2 * bytes && /^[0-9a-f]+$/.test(s);

// ---------------------------------------------------------------- HMAC_DRBG

/** HMAC_DRBG with SHA-256 (NIST SP 800-90A §10.1.2), no reseeding, no additional input. */
export class HmacDrbg {
  private k = new Uint8Array(32);
  private v = new Uint8Array(32).fill(0x01);

  constructor(entropy: Uint8Array, nonce: Uint8Array, personalization: Uint8Array) {
    this.update(concatBytes(entropy, nonce, personalization));
  }

  private update(provided?: Uint8Array) {
    this.k = hmac(sha256, this.k, concatBytes(this.v, Uint8Array.of(0x00), provided ?? new Uint8Array()));
    this.v = hmac(sha256, this.k, this.v);
    if (!provided || provided.length === 0) return;
    this.k = hmac(sha256, this.k, concatBytes(this.v, Uint8Array.of(0x01), provided));
    this.v = hmac(sha256, this.k, this.v);
  }

  /** One Generate call of n bytes. */
  generate(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let filled = 0; filled < n; ) {
      this.v = hmac(sha256, this.k, this.v);
      const take = Math.min(this.v.length, n - filled);
      out.set(this.v.subarray(0, take), filled);
      filled += take;
    }
    this.update();
    return out;
  }
}

// ---------------------------------------------------------------- the steps' pieces

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

const RECORD_KEYS = ['version', 'campaign', 'period', 'cutoff', 'pool_size', 'winners', 'exclude_previous_winners', 'entropy', 'server_seed_sha256'];

function count(s: string, what: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(s)) throw new Error(`${what}: ${JSON.stringify(s)} is not a canonical non-negative integer`);
  return Number(s);
}

export type EntropySource = { kind: 'drand'; round: number } | { kind: 'declared'; text: string };

/** "drand-quicknet round <R>" or "declared: <text>", exactly as the record writes it. */
export function parseEntropySource(src: string): EntropySource {
  const d = /^drand-quicknet round ([1-9][0-9]*)$/.exec(src);
  if (d) return { kind: 'drand', round: Number(d[1]) };
  if (src.startsWith('declared: ') && src.slice(10).trim() !== '') return { kind: 'declared', text: src.slice(10) };
  throw new Error(`entropy source ${JSON.stringify(src)}: want "drand-quicknet round <R>" or "declared: <text>"`);
}

/** The first quicknet round at or after a Unix time. */
export function roundAt(unixSeconds: number): number {
  const d = unixSeconds - QUICKNET_GENESIS;
  if (d <= 0) return 1;
  return 1 + Math.ceil(d / QUICKNET_PERIOD);
}

/** Parses a commitment record and checks that it is canonical. */
export function parseRecord(rec: string): Commitment {
  if (!rec.endsWith('\n')) throw new Error('record: must end with LF');
  const lines = rec.slice(0, -1).split('\n');
  if (lines.length !== RECORD_KEYS.length) throw new Error(`record: ${lines.length} lines, want ${RECORD_KEYS.length}`);
  const vals = lines.map((line, i) => {
    const eq = line.indexOf('=');
    if (eq < 0 || line.slice(0, eq) !== RECORD_KEYS[i]) throw new Error(`record line ${i + 1}: want key "${RECORD_KEYS[i]}"`);
    return line.slice(eq + 1);
  });
  if (vals[0] !== ALGORITHM) throw new Error(`record: version ${JSON.stringify(vals[0])}, want "${ALGORITHM}"`);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(vals[3]) || Number.isNaN(Date.parse(vals[3]))) {
    throw new Error(`record cutoff: ${JSON.stringify(vals[3])} is not an RFC 3339 UTC time to the second`);
  }
  if (vals[6] !== 'true' && vals[6] !== 'false') throw new Error(`record exclude_previous_winners: ${JSON.stringify(vals[6])} is not true or false`);
  const c: Commitment = {
    campaign: vals[1],
    period: count(vals[2], 'record period'),
    cutoff: vals[3],
    poolSize: count(vals[4], 'record pool_size'),
    winners: count(vals[5], 'record winners'),
    excludePreviousWinners: vals[6] === 'true',
    entropy: vals[7],
    serverSeedSHA256: vals[8],
  };
  if (c.campaign === '') throw new Error('record campaign: must be non-empty');
  const src = parseEntropySource(c.entropy);
  if (src.kind === 'drand') {
    const want = roundAt(Date.parse(c.cutoff) / 1000 + ENTROPY_DELAY);
    if (src.round !== want) throw new Error(`record entropy: round ${src.round}, but the first round at or after cutoff + 10m is ${want}`);
  }
  if (!isLowerHex(c.serverSeedSHA256, 32)) throw new Error('record server_seed_sha256: want 64 lowercase hex digits');
  return c;
}

export interface PoolEntry {
  rank: number;
  publicID: string;
  score: number;
  durationMs: number;
}

/** Parses the canonical pool file: rank TAB publicID TAB score TAB durationMs LF, ranks 1..n. */
export function parsePoolFile(file: string): PoolEntry[] {
  if (file === '') return [];
  if (!file.endsWith('\n')) throw new Error('pool file: must end with LF');
  const seen = new Map<string, number>();
  return file
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      const f = line.split('\t');
      if (f.length !== 4) throw new Error(`pool file line ${i + 1}: ${f.length} fields, want 4`);
      const e = {
        rank: count(f[0], `pool file line ${i + 1} rank`),
        publicID: f[1],
        score: count(f[2], `pool file line ${i + 1} score`),
        durationMs: count(f[3], `pool file line ${i + 1} durationMs`),
      };
      if (e.rank !== i + 1) throw new Error(`pool file line ${i + 1}: rank ${e.rank}, want ${i + 1}`);
      if (e.publicID === '' || /[\r\t]/.test(e.publicID)) throw new Error(`pool rank ${e.rank}: public id is empty or contains TAB/CR`);
      const prev = seen.get(e.publicID);
      if (prev) throw new Error(`pool rank ${e.rank}: public id ${JSON.stringify(e.publicID)} already at rank ${prev}`);
      seen.set(e.publicID, e.rank);
      return e;
    });
}

/** ρ = SHA-256(signature bytes) for drand, SHA-256(text) for a declared source. */
export function rho(src: EntropySource, entropy: string): Uint8Array {
  if (src.kind === 'drand') return sha256(decodeSignature(entropy));
  if (entropy === '') throw new Error('declared entropy: must be non-empty text');
  return sha256(utf8ToBytes(entropy));
}

export function decodeSignature(sigHex: string): Uint8Array {
  if (!/^([0-9a-fA-F]{2})*$/.test(sigHex)) throw new Error('drand signature: not hex');
  const sig = hexToBytes(sigHex.toLowerCase());
  if (sig.length !== SIG_SIZE) throw new Error(`drand signature: ${sig.length} bytes, want ${SIG_SIZE}`);
  return sig;
}

const TWO64 = 1n << 64n;

/**
 * The Fisher–Yates shuffle of ranks 1..n driven by HMAC_DRBG(ρ‖S, C‖P,
 * "prizequiz-draw-v1"), each word one 8-byte Generate read big-endian,
 * rejection-sampled to be uniform.
 */
export function shuffle(rhoBytes: Uint8Array, seed: Uint8Array, c: Uint8Array, p: Uint8Array, n: number): number[] {
  const d = new HmacDrbg(concatBytes(rhoBytes, seed), concatBytes(c, p), utf8ToBytes(ALGORITHM));
  const next = () => new DataView(d.generate(8).buffer).getBigUint64(0, false);
  const a = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = 0; i + 1 < n; i++) {
    const m = BigInt(n - i);
    const limit = TWO64 - 1n - ((TWO64 - m) % m);
    let u = next();
    while (u > limit) u = next();
    const j = i + Number(u % m);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** SHA-256 of the winners' public IDs in order, each followed by LF. */
export function winnersDigest(ids: readonly string[]): string {
  return sha256Hex(ids.map((id) => id + '\n').join(''));
}

// ---------------------------------------------------------------- drand

export const QUICKNET_PUBLIC_KEY =
  '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a';

/** Checks a quicknet round's signature offline (bls-unchained-g1-rfc9380: message = SHA-256(round as 8 bytes BE)). */
export async function verifyQuicknet(round: number, sigHex: string): Promise<boolean> {
  const sig = decodeSignature(sigHex);
  const { bls12_381 } = await import('@noble/curves/bls12-381.js');
  const msg = new Uint8Array(8);
  new DataView(msg.buffer).setBigUint64(0, BigInt(round), false);
  const bls = bls12_381.shortSignatures;
  try {
    return bls.verify(sig, bls.hash(sha256(msg)), hexToBytes(QUICKNET_PUBLIC_KEY));
  } catch {
    return false; // not a point on the curve
  }
}

// ---------------------------------------------------------------- the proof

const SKIP = Symbol('skipped: an earlier step failed');

export interface VerifyOptions {
  /** the drand signature check; the real one by default */
  verifyDrand?: (round: number, sigHex: string) => Promise<boolean>;
}

/**
 * Recomputes every step of a proof and reports each in order; steps that
 * depend on a failed one are "skipped" so only the real cause is blamed.
 */
export async function verifyProof(p: ProofInput, { verifyDrand = verifyQuicknet }: VerifyOptions = {}): Promise<StepResult[]> {
  const out: StepResult[] = [];
  let failed = false;
  let c: Commitment | undefined;
  let cSum: Uint8Array | undefined;
  let seed: Uint8Array | undefined;
  let pool: PoolEntry[] | undefined;
  let pSum: Uint8Array | undefined;
  let rhoBytes: Uint8Array | undefined;
  let winIDs: string[] = [];

  let declared: StepResult['declared'];
  const step = async (name: StepName, run: () => Promise<string | void> | string | void) => {
    try {
      declared = undefined;
      const note = await run();
      out.push({ step: name, status: 'ok', ...(note ? { note } : {}), ...(declared ? { declared } : {}) });
    } catch (e) {
      if (e === SKIP) {
        out.push({ step: name, status: 'skipped' });
        return;
      }
      failed = true;
      out.push({ step: name, status: 'failed', error: e instanceof Error ? e.message : String(e) });
    }
  };

  await step('commitment', () => {
    if (p.algorithm !== ALGORITHM) throw new Error(`algorithm ${JSON.stringify(p.algorithm)}, want "${ALGORITHM}"`);
    const parsed = parseRecord(p.commitmentRecord);
    const sum = sha256(utf8ToBytes(p.commitmentRecord));
    if (hex(sum) !== p.commitmentDigest) throw new Error(`SHA-256(record) = ${hex(sum)}, proof says ${p.commitmentDigest}`);
    c = parsed;
    cSum = sum;
  });
  await step('serverSeed', () => {
    if (!c) throw SKIP;
    if (!isLowerHex(p.serverSeed, SECRET_SIZE)) throw new Error(`server seed must be ${SECRET_SIZE} bytes in lowercase hex`);
    const s = hexToBytes(p.serverSeed);
    const got = sha256Hex(s);
    if (got !== c.serverSeedSHA256) throw new Error(`SHA-256(server seed) = ${got}, record commits to ${c.serverSeedSHA256}`);
    seed = s;
  });
  await step('pool', () => {
    if (!c) throw SKIP;
    const entries = parsePoolFile(p.poolFile);
    const sum = sha256(utf8ToBytes(p.poolFile));
    if (hex(sum) !== p.poolDigest) throw new Error(`SHA-256(pool file) = ${hex(sum)}, proof says ${p.poolDigest}`);
    if (entries.length > c.poolSize) throw new Error(`pool has ${entries.length} entries, record allows at most ${c.poolSize}`);
    pool = entries;
    pSum = sum;
  });
  await step('entropy', async () => {
    if (!c) throw SKIP;
    if (p.entropySource !== c.entropy) throw new Error(`entropy source ${JSON.stringify(p.entropySource)} differs from the record's ${JSON.stringify(c.entropy)}`);
    const src = parseEntropySource(c.entropy);
    let note: string | undefined;
    if (src.kind === 'drand') {
      if (!(await verifyDrand(src.round, p.entropy))) throw new Error(`drand: round ${src.round}: signature does not verify`);
    } else {
      note = `check by hand that ${JSON.stringify(p.entropy)} is ${src.text}`;
      declared = { text: src.text, entropy: p.entropy };
    }
    const r = rho(src, p.entropy);
    if (hex(r) !== p.entropyDigest) throw new Error(`ρ = ${hex(r)}, proof says ${p.entropyDigest}`);
    rhoBytes = r;
    return note;
  });
  await step('order', () => {
    if (failed || !c || !seed || !pool || !cSum || !pSum || !rhoBytes) throw SKIP;
    const entries = pool;
    const ids = shuffle(rhoBytes, seed, cSum, pSum, entries.length).map((r) => entries[r - 1].publicID);
    if (p.order.length !== ids.length) throw new Error(`order has ${p.order.length} entries, pool has ${ids.length}`);
    ids.forEach((id, i) => {
      if (p.order[i] !== id) throw new Error(`position ${i + 1} is ${JSON.stringify(p.order[i])}, recomputed ${JSON.stringify(id)}`);
    });
    winIDs = ids.slice(0, Math.min(c.winners, ids.length));
  });
  await step('winners', () => {
    if (failed || !c || !pool) throw SKIP;
    const want = winIDs.length;
    if (p.winnersCount !== want) throw new Error(`winnersCount ${p.winnersCount}, want min(winners ${c.winners}, pool ${pool.length}) = ${want}`);
    const got = winnersDigest(winIDs);
    if (got !== p.winnersDigest) throw new Error(`SHA-256(winners) = ${got}, proof says ${p.winnersDigest}`);
  });
  return out;
}


/** The first failed step, or null when every step passed. */
export function firstFailure(steps: readonly StepResult[]): StepResult | null {
  return steps.find((s) => s.status === 'failed') ?? null;
}
