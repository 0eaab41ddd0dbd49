// The verifiable draw (SPEC §4) as the 抽奖 page needs it: entropy sources,
// validation of the entropy an owner types in, and the proof file.

export const DRAND_CHAIN = '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971';
/** A quicknet signature (BLS G1, unchained) is 48 bytes = 96 hex digits. */
export const DRAND_SIGNATURE_HEX = 96;

export type EntropyInfo = { kind: 'drand'; round: number } | { kind: 'declared'; text: string } | { kind: 'unknown'; text: string };

/** "drand-quicknet round 34525956" → round; "declared: 福彩3D…" → the text. */
export function parsePeriodEntropy(source: string | null | undefined): EntropyInfo {
  const s = (source ?? '').trim();
  const drand = /^drand-quicknet\s+round\s+(\d+)$/i.exec(s);
  if (drand) return { kind: 'drand', round: Number(drand[1]) };
  const declared = /^declared:\s*(.*)$/is.exec(s);
  if (declared) return { kind: 'declared', text: declared[1].trim() };
  return { kind: 'unknown', text: s };
}

export function drandRoundURL(round: number): string {
  return `https://api.drand.sh/${DRAND_CHAIN}/public/${round}`;
}

/** The entropy as sent: hex is lowercased with spaces and a 0x prefix removed; declared text is trimmed. */
export function normalizeEntropy(info: EntropyInfo, value: string): string {
  if (info.kind === 'drand') return value.replace(/\s+/g, '').replace(/^0x/i, '').toLowerCase();
  return value.trim();
}

export type EntropyProblem = 'required' | 'notHex' | 'hexLength';

/** Why the typed entropy cannot be right, or null. */
export function entropyProblem(info: EntropyInfo, value: string): EntropyProblem | null {
  const v = normalizeEntropy(info, value);
  if (!v) return 'required';
  if (info.kind !== 'drand') return null;
  if (!/^[0-9a-f]+$/.test(v)) return 'notHex';
  if (v.length !== DRAND_SIGNATURE_HEX) return 'hexLength';
  return null;
}

export interface PeriodDrawState {
  status: string;
  endsAt: string;
  entropyAvailableAt?: string | null;
}

export type DrawReadiness = 'ready' | 'notClosed' | 'entropyPending' | 'done';

/** Whether 开奖 can be run now: closed, and for drand once the round is out. */
export function drawReadiness(p: PeriodDrawState, now: number = Date.now()): DrawReadiness {
  if (p.status === 'DRAWN' || p.status === 'PUBLISHED') return 'done';
  if (p.status !== 'CLOSED') return 'notClosed';
  if (p.entropyAvailableAt && Date.parse(p.entropyAvailableAt) > now) return 'entropyPending';
  return 'ready';
}

/** The fields of GraphQL DrawProof, in schema order (what `prizequiz verify-draw` reads). */
export const PROOF_FIELDS = [
  'algorithm',
  'commitmentRecord',
  'commitmentDigest',
  'poolFile',
  'poolDigest',
  'entropySource',
  'entropy',
  'entropyDigest',
  'serverSeed',
  'order',
  'winnersCount',
  'winnersDigest',
  'drawnAt',
  'disqualifications',
] as const;

const DISQUALIFICATION_FIELDS = ['publicID', 'drawOrder', 'reason', 'at', 'replacedBy', 'replacement'] as const;

type ProofLike = { [K in (typeof PROOF_FIELDS)[number]]?: unknown } & { __typename?: string };

/**
 * The drawProof object exactly as the API defines it: schema fields in
 * schema order, without urql's __typename, as pretty JSON.
 */
export function proofObject(proof: ProofLike): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of PROOF_FIELDS) {
    if (!(f in proof)) continue;
    const v = proof[f];
    if (f === 'disqualifications' && Array.isArray(v)) {
      out[f] = v.map((d: Record<string, unknown>) => {
        const o: Record<string, unknown> = {};
        for (const k of DISQUALIFICATION_FIELDS) if (k in d) o[k] = d[k];
        return o;
      });
    } else if (f === 'order' && Array.isArray(v)) {
      out[f] = [...v];
    } else out[f] = v;
  }
  return out;
}

export function proofJSON(proof: ProofLike): string {
  return JSON.stringify(proofObject(proof), null, 2) + '\n';
}

export function proofFileName(campaignPublicID: string, periodIndex: number): string {
  return `draw-proof-${campaignPublicID}-period-${periodIndex}.json`;
}

export const PRIZE_STATUSES = ['PENDING', 'CONTACTED', 'SENT', 'FORFEITED'] as const;
export type PrizeStatusValue = (typeof PRIZE_STATUSES)[number];
export const PRIZE_STATUS_COLORS: Record<PrizeStatusValue, string> = {
  PENDING: 'default',
  CONTACTED: 'processing',
  SENT: 'success',
  FORFEITED: 'error',
};

/** How many places are in each prize status. */
export function prizeStatusCounts(places: readonly { prizeStatus: string }[]): Record<PrizeStatusValue, number> {
  const out: Record<PrizeStatusValue, number> = { PENDING: 0, CONTACTED: 0, SENT: 0, FORFEITED: 0 };
  for (const p of places) if (p.prizeStatus in out) out[p.prizeStatus as PrizeStatusValue]++;
  return out;
}
