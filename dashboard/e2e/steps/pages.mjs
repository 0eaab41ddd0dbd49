// Every page, screenshotted once the data has loaded; each must show
// something and no error, and the sider must run the page's full height.
import { settled } from '../lib/browser.mjs';

export async function visitPages({ page, base, shot }, { campaignID, bankID }) {
  const c = encodeURIComponent(campaignID);
  const pages = [
    ['overview', `/admin/?campaign=${c}`],
    ['banks', '/admin/banks'],
    ['bank-questions', `/admin/banks/${encodeURIComponent(bankID)}`],
    ['campaigns', '/admin/campaigns'],
    ['campaign-new', '/admin/campaigns/new'],
    ['campaign-detail', `/admin/campaigns/${c}`],
    ['campaign-edit', `/admin/campaigns/${c}/edit`],
    ['leaderboard', `/admin/leaderboard?campaign=${c}`],
    ['draws', `/admin/draws?campaign=${c}`],
    ['participants', '/admin/participants'],
    ['admins', '/admin/admins'],
    ['audit', '/admin/audit'],
  ];
  for (const [name, path] of pages) {
    await page.goto(base + path);
    await page.locator('.pq-page-header h4').waitFor();
    await settled(page);
    const file = await shot(name);
    const text = await page.locator('body').innerText();
    if (text.trim().length < 20 || /页面不存在|加载失败|出错了|Something went wrong/.test(text)) throw new Error(`${path}: the page is empty or shows an error`);
    const { sider, doc } = await page.evaluate(() => ({
      sider: document.querySelector('.pq-sider')?.getBoundingClientRect().height ?? 0,
      doc: document.documentElement.scrollHeight,
    }));
    if (sider < doc - 1) throw new Error(`${path}: the sider is ${sider}px tall on a ${doc}px page`);
    console.log(`ok ${path} → ${file}`);
  }

  // 可疑参赛者 has its own tab.
  await page.goto(`${base}/admin/participants`);
  await page.getByRole('tab', { name: '可疑参赛者' }).click();
  await settled(page);
  await shot('participants-suspicious');

  // English.
  await page.goto(`${base}/admin/?campaign=${c}`);
  await page.locator('.pq-header').getByText('EN', { exact: true }).click();
  await page.locator('.pq-page-header h4', { hasText: 'Overview' }).waitFor();
  await settled(page);
  await shot('overview-en');
  await page.locator('.pq-header').getByText('中文', { exact: true }).click();
  await page.locator('.pq-page-header h4', { hasText: '概览' }).waitFor();
  console.log('ok every page, the suspicious tab and the English overview');
}
