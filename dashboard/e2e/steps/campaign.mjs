// 活动: create a campaign with short periods through the form, as an
// organiser would: window typed to the second in the campaign's zone,
// 20-second periods, a 2-second time limit, one winner per period, and a
// declared entropy source (drand needs the internet, which CI lacks).
import { pick, settled, toast } from '../lib/browser.mjs';

export const PERIOD_SECONDS = 20;

/** "YYYY-MM-DD HH:mm:ss" of an instant in Asia/Shanghai (UTC+8, no DST). */
export function shanghai(ms) {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const item = (page, label) => page.locator('.ant-form-item').filter({ has: page.locator(`label:text-is("${label}")`) }).first();

export async function createCampaign({ page, base, shot }, { bankName, startInMs = 15_000, periods = 2 }) {
  await page.goto(`${base}/admin/campaigns/new`);
  await settled(page);
  const name = `e2e 短周期活动 ${Date.now() % 100000}`;
  const startsAt = Math.ceil((Date.now() + startInMs) / 1000) * 1000;
  const endsAt = startsAt + periods * PERIOD_SECONDS * 1000;

  await item(page, '活动名称').locator('input').fill(name);
  await pick(page, item(page, '题库').locator('.ant-select'), bankName);
  // The window, typed as wall-clock times of the campaign's zone (Asia/Shanghai).
  const window = item(page, '活动时间');
  const from = window.locator('input[date-range="start"]');
  const to = window.locator('input[date-range="end"]');
  await from.click();
  await from.fill(shanghai(startsAt));
  await from.press('Enter');
  await to.fill(shanghai(endsAt));
  await to.press('Enter');
  await page.locator('.ant-picker-dropdown').first().waitFor({ state: 'hidden' });
  // Enter confirmed the dates; it must not have submitted the form.
  if (!page.url().endsWith('/campaigns/new')) throw new Error(`Enter in the date picker submitted the form: ${page.url()}`);
  for (const [input, want] of [[from, startsAt], [to, endsAt]]) {
    const got = await input.inputValue();
    if (got !== shanghai(want)) throw new Error(`the window picker shows ${got}, want ${shanghai(want)}`);
  }
  await item(page, '每次题数').locator('input').fill('3');
  await item(page, '答题时限').locator('input').fill('2');
  const period = item(page, '开奖周期');
  await period.locator('input').first().fill(String(PERIOD_SECONDS));
  await pick(page, period.locator('.ant-select'), '秒');
  await item(page, '每期获奖人数').locator('input').fill('1');
  await page.getByRole('radio', { name: '声明的公开结果' }).check();
  const declared = 'e2e 测试：开奖时由组织者公布的号码';
  await page.getByPlaceholder('如：2026-10-05 福彩3D开奖号码').fill(declared);
  // The form counts the periods the window and period length make.
  await item(page, '活动时间').locator('.ant-form-item-extra').filter({ hasText: `共 ${periods} 期` }).waitFor();
  await shot('campaign-form');

  await page.getByTestId('campaign-submit').click();
  await toast(page, `活动“${name}”已创建`);
  await page.waitForURL(/\/admin\/campaigns\/[^/]+$/);
  const campaignID = decodeURIComponent(page.url().split('/').pop());
  await page.getByText(`开奖期次（${periods}）`).waitFor();
  await page.getByText('距活动开始').or(page.getByText('距第 1 期截止')).first().waitFor();
  await settled(page);
  await shot('campaign-detail');
  console.log(`ok created campaign ${name} (${campaignID}): ${shanghai(startsAt)} ~ ${shanghai(endsAt)}, ${periods} periods of ${PERIOD_SECONDS} s`);
  return { campaignID, name, startsAt, endsAt, declared };
}
