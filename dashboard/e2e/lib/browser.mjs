// Debian's Chromium through playwright-core (`npx playwright install` cannot
// download browsers here), one page at 1280 px in zh-CN that records CSP
// violations and uncaught errors, and screenshots numbered in run order.
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const shotsDir = resolve(import.meta.dirname, '..', 'screenshots');

export async function launch() {
  rmSync(shotsDir, { recursive: true, force: true });
  mkdirSync(shotsDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) problems.push(`CSP violation: ${msg.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  let n = 0;
  /** Saves a full-page screenshot as NN-name.png. */
  const shot = async (name) => {
    n++;
    const file = join(shotsDir, `${String(n).padStart(2, '0')}-${name}.png`);
    // The whole page in a viewport as tall as the page, so the sticky header,
    // sider menu and form action bar sit where a reader expects them.
    const viewport = page.viewportSize();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: file });
    await page.setViewportSize(viewport);
    return file;
  };
  return { browser, page, problems, shot };
}

/** Waits until the page shows no loading skeleton or spinner. */
export async function settled(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.ant-skeleton, .ant-spin-spinning, .ant-table-placeholder .ant-spin'), null, { timeout: 15_000 });
}

/**
 * Clicks the OK button of the open confirmation dialog, once its opening
 * animation is over, and waits for it to close (a click that landed while it
 * was still zooming in is repeated).
 */
export async function confirmDialog(page, okText) {
  const dialog = page.locator('.ant-modal-confirm:visible, .ant-popover:visible').filter({ has: page.getByRole('button', { name: label(okText) }) }).last();
  await dialog.waitFor();
  for (let attempt = 1; ; attempt++) {
    await page.waitForFunction(() => !document.querySelector('.ant-zoom-appear, .ant-zoom-enter, .ant-zoom-big-appear, .ant-zoom-big-enter'));
    await dialog.getByRole('button', { name: label(okText) }).click();
    try {
      await dialog.waitFor({ state: 'hidden', timeout: 5000 });
      return;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
}

/** The message toast with this text appears. */
export async function toast(page, text) {
  await page.locator('.ant-message-notice').filter({ hasText: text }).first().waitFor();
}

/** A button's accessible name: Ant Design spaces out two-character Chinese labels ("新 建") and an icon may come first ("plus 新建题库"). */
export function label(text) {
  const esc = [...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`${esc.join('\\s*')}\\s*$`);
}

/**
 * Picks an option of an Ant Design Select, checking that the select shows it.
 * The dropdown animates in and may open over other fields; a click that
 * lands while it moves, or after it closed, is tried again with the
 * dropdown reopened.
 */
export async function pick(page, select, text) {
  for (let attempt = 1; ; attempt++) {
    try {
      await select.click();
      const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first();
      await option.click({ timeout: 5000 });
      await select.filter({ hasText: text }).waitFor({ timeout: 2000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape'); // close what is left open before the next try
    }
  }
}
