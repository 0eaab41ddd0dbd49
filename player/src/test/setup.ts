import { webcrypto } from 'node:crypto';
import { afterEach } from 'vitest';

if (typeof document !== 'undefined') {
  // Under jsdom, typed arrays come from jsdom's realm, which Node's Web
  // Crypto refuses ("not instance of ArrayBuffer"); a browser has one realm.
  // Hand Node's SubtleCrypto copies of the bytes made in its own realm.
  const subtle = webcrypto.subtle;
  const own = (d: BufferSource) =>
    Buffer.from(ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d as ArrayBuffer));
  const jsdomCrypto = globalThis.crypto;
  Object.defineProperty(globalThis, 'crypto', {
    configurable: true,
    value: {
      getRandomValues: jsdomCrypto.getRandomValues.bind(jsdomCrypto),
      subtle: {
        digest: (a: AlgorithmIdentifier, d: BufferSource) => subtle.digest(a, own(d)),
        sign: (a: AlgorithmIdentifier, k: CryptoKey, d: BufferSource) => subtle.sign(a, k, own(d)),
        importKey: (f: 'raw', k: BufferSource, a: HmacImportParams, e: boolean, u: KeyUsage[]) => subtle.importKey(f, own(k), a, e, u),
      },
    },
  });
}

afterEach(async () => {
  if (typeof document === 'undefined') return; // node-environment tests (the verifier)
  const { cleanup } = await import('@testing-library/preact');
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
});
