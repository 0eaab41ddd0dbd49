// League of Entropy quicknet (SPEC §4.1), pinned so that verification needs
// no network: the signature of round R is a BLS signature on G1
// (bls-unchained-g1-rfc9380) over SHA-256(R as 8-byte big-endian), checked
// with @noble/curves against the chain's public key on G2.
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { fromHex, sha256 } from './bytes';

export const QUICKNET_CHAIN_HASH = '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971';
export const QUICKNET_GENESIS = 1692803367; // Unix seconds of round 1
export const QUICKNET_PERIOD_MS = 3000;
export const QUICKNET_PUBLIC_KEY =
  '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a';
/** The round is taken this long after the cutoff. */
export const ENTROPY_DELAY_MS = 10 * 60 * 1000;
const SIG_SIZE = 48; // a compressed G1 point

/** The first quicknet round emitted at or after t (ms since the epoch). */
export function roundAt(tMs: number): bigint {
  const d = tMs - QUICKNET_GENESIS * 1000;
  if (d <= 0) return 1n;
  return 1n + BigInt(Math.ceil(d / QUICKNET_PERIOD_MS));
}

/** The 48 signature bytes of a hex signature (either case). */
export function decodeSignature(sigHex: string): Uint8Array {
  let sig: Uint8Array;
  try {
    sig = fromHex(sigHex);
  } catch {
    throw new Error('drand signature: not hex');
  }
  if (sig.length !== SIG_SIZE) throw new Error(`drand signature: ${sig.length} bytes, want ${SIG_SIZE}`);
  return sig;
}

/** The message quicknet signs for a round: SHA-256 of the round, 8 bytes big-endian. */
export async function roundMessage(round: bigint): Promise<Uint8Array> {
  const r = new Uint8Array(8);
  new DataView(r.buffer).setBigUint64(0, round);
  return sha256(r);
}

/** Whether sigHex is quicknet's signature for round. Malformed input is false or throws from decodeSignature. */
export async function verifyQuicknet(round: bigint, sigHex: string): Promise<boolean> {
  const sig = decodeSignature(sigHex);
  const msg = await roundMessage(round);
  const bls = bls12_381.shortSignatures;
  try {
    return bls.verify(sig, bls.hash(msg), fromHex(QUICKNET_PUBLIC_KEY));
  } catch {
    return false; // not a point on the curve, or not in the subgroup
  }
}
