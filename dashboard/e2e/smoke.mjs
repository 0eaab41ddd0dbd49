// End-to-end smoke test of the dashboard in real headless Chromium against a
// real `prizequiz serve` on a fresh SQLite file: sign in, visit every page,
// save a screenshot of each to e2e/screenshots/, fail on a page that shows
// an error or nothing. Run from dashboard/: `npm run e2e` (after `make dashboard`).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const shots = resolve(import.meta.dirname, 'screenshots');
const work = mkdtempSync(join(tmpdir(), 'prizequiz-e2e-'));
const bin = join(work, 'prizequiz');
const port = 18000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const password = 'e2e-admin-password';

rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });
execFileSync('go', ['build', '-o', bin, './cmd/prizequiz'], { cwd: root, stdio: 'inherit' });
const server = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`], {
  cwd: work,
  env: { ...process.env, PRIZEQUIZ_ADMIN_PASSWORD: password },
  stdio: ['ignore', 'ignore', 'inherit'],
});

async function ready() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

const pages = [
  ['overview', '/admin/'],
  ['banks', '/admin/banks'],
  ['campaigns', '/admin/campaigns'],
  ['leaderboard', '/admin/leaderboard'],
  ['draws', '/admin/draws'],
  ['participants', '/admin/participants'],
  ['admins', '/admin/admins'],
  ['audit', '/admin/audit'],
];

let failed = false;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  await ready();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) {
      console.error('CSP violation:', msg.text());
      failed = true;
    }
  });
  page.on('pageerror', (e) => {
    console.error('page error:', e.message);
    failed = true;
  });
  await page.goto(`${base}/admin/`);
  await page.locator('input[autocomplete="username"]').fill('admin');
  await page.locator('input[type="password"]').fill(password);
  await page.screenshot({ path: join(shots, '00-sign-in.png') });
  await page.locator('button[type="submit"]').click();
  await page.getByText('概览').first().waitFor();
  for (const [i, [name, path]] of pages.entries()) {
    await page.goto(base + path);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    const file = join(shots, `${String(i + 1).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const text = await page.locator('body').innerText();
    if (text.trim().length < 20 || /页面不存在|出错了|Something went wrong/.test(text)) {
      console.error(`${path}: the page is empty or shows an error`);
      failed = true;
    } else {
      console.log(`ok ${path} → ${file}`);
    }
  }
  // Live: a player's submit appears on 概览's top 10 without a reload.
  await page.goto(`${base}/admin/`);
  await page.waitForLoadState('networkidle');
  const gql = async (query, variables, token) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const nick = '直播测试' + Math.floor(Math.random() * 1000);
  const { signInGuest } = await gql('mutation($n:String!){signInGuest(nickname:$n){token}}', { n: nick });
  const { activeCampaigns } = await gql('{activeCampaigns{id}}');
  const { startAttempt } = await gql('mutation($c:ID!){startAttempt(campaignID:$c){id}}', { c: activeCampaigns[0].id }, signInGuest.token);
  await gql('mutation($a:ID!){submitAttempt(attemptID:$a,answers:[]){score}}', { a: startAttempt.id }, signInGuest.token);
  await page.getByText(nick).first().waitFor({ timeout: 4000 }); // pushed: polling alone waits 5 s
  await page.screenshot({ path: join(shots, '09-overview-live.png'), fullPage: true });
  console.log(`ok a submit by ${nick} appeared live on 概览`);
} catch (e) {
  console.error(e);
  failed = true;
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
