// HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1 §10.1.2) without
// reseeding, additional input or prediction resistance: the generator of
// prizequiz-draw-v1, as internal/draw/hmacdrbg.go. HMAC comes from Web Crypto.
import { concat, hmac, hmacKey } from './bytes';

/** SP 800-90A's max_number_of_bits_per_request (2^19 bits). */
export const MAX_GENERATE_BYTES = 1 << 16;

export class HmacDrbg {
  private k!: CryptoKey;
  private v: Uint8Array = new Uint8Array(32).fill(0x01);

  private constructor() {}

  /** HMAC_DRBG_Instantiate: Key = 0x00…, V = 0x01…, Update(entropy ‖ nonce ‖ personalization). */
  static async create(entropy: Uint8Array, nonce: Uint8Array, personalization: Uint8Array): Promise<HmacDrbg> {
    const d = new HmacDrbg();
    d.k = await hmacKey(new Uint8Array(32));
    await d.update(concat(entropy, nonce, personalization));
    return d;
  }

  /** HMAC_DRBG_Update (§10.1.2.2); an empty input skips the second round. */
  private async update(provided: Uint8Array): Promise<void> {
    for (const sep of [0x00, 0x01]) {
      this.k = await hmacKey(await hmac(this.k, concat(this.v, Uint8Array.of(sep), provided)));
      this.v = await hmac(this.k, this.v);
      if (provided.length === 0) return;
    }
  }

  /** HMAC_DRBG_Generate (§10.1.2.5) with no additional input: n pseudorandom bytes. */
  async generate(n: number): Promise<Uint8Array> {
    if (n < 0 || n > MAX_GENERATE_BYTES) throw new Error('hmac_drbg: request length out of range');
    const out = new Uint8Array(n);
    for (let filled = 0; filled < n; ) {
      this.v = await hmac(this.k, this.v);
      const take = Math.min(this.v.length, n - filled);
      out.set(this.v.subarray(0, take), filled);
      filled += take;
    }
    await this.update(new Uint8Array(0));
    return out;
  }
}
