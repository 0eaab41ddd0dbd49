// The real server: `prizequiz serve` built from this checkout, on a fresh
// SQLite file in a temporary folder (which seeds the demo bank and
// campaign), with the admin account bootstrapped by PRIZEQUIZ_ADMIN_PASSWORD.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..', '..', '..');

/** Builds the binary into a new temporary folder; returns the folder and the binary. */
export function build() {
  const work = mkdtempSync(join(tmpdir(), 'prizequiz-e2e-'));
  const bin = join(work, 'prizequiz');
  execFileSync('go', ['build', '-o', bin, './cmd/prizequiz'], { cwd: root, stdio: 'inherit' });
  return { work, bin };
}

/** Starts the server on a free-ish loopback port and waits for /readyz. */
export async function start({ work, bin, password }) {
  const port = 18000 + Math.floor(Math.random() * 1000);
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`], {
    cwd: work,
    env: { ...process.env, PRIZEQUIZ_ADMIN_PASSWORD: password },
    stdio: ['ignore', 'ignore', process.env.E2E_SERVER_LOG ? 'inherit' : 'ignore'],
  });
  let exited = null;
  proc.on('exit', (code) => (exited = code));
  const stop = () => {
    if (exited === null) proc.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  };
  // However the run ends, the server goes with it.
  process.on('exit', () => {
    if (exited === null) proc.kill('SIGKILL');
  });
  for (let i = 0; i < 200; i++) {
    if (exited !== null) throw new Error(`prizequiz serve exited with ${exited}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { base, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error('server did not become ready');
}
