import { afterEach } from 'vitest';

afterEach(async () => {
  if (typeof document === 'undefined') return; // node-environment tests (the verifier)
  const { cleanup } = await import('@testing-library/preact');
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
});
