// 抽奖: after the period's cutoff, run the draw from the page (entropy,
// confirmation), watch the winners revealed, verify the proof in the
// browser, publish, let the winner claim, track the prize and export the
// winners with contacts.
import { join } from 'node:path';
import { confirmDialog, pick, settled, toast } from '../lib/browser.mjs';
import { readRows } from '../lib/xlsx.mjs';

export async function runDraw({ page, base, shot, gql, work }, { campaignID, startsAt, periodSeconds, declared, players }) {
  const cutoff = startsAt + periodSeconds * 1000;
  await page.goto(`${base}/admin/draws?campaign=${encodeURIComponent(campaignID)}`);
  await settled(page);
  const panel = page.getByTestId('period-panel');
  await panel.locator('.ant-card-head').filter({ hasText: '第 1 期' }).waitFor();
  // The page follows the cutoff by itself: the status turns 已截止 and the pool appears.
  await panel.locator('.ant-card-head').getByText('已截止').waitFor({ timeout: Math.max(0, cutoff - Date.now()) + 10_000 });
  const pool = panel.locator('.ant-table-row:visible');
  await pool.first().waitFor();
  if ((await pool.count()) !== players.length) throw new Error(`pool has ${await pool.count()} rows, want ${players.length}`);
  await shot('draw-pool');
  console.log(`ok period 1 closed; its pool has ${players.length} entries`);

  await panel.getByRole('tab', { name: '开奖' }).click();
  await panel.getByTestId('draw-entropy').fill(declared);
  await panel.getByTestId('draw-submit').click();
  await page.getByTestId('draw-confirm').waitFor();
  await shot('draw-confirm');
  await confirmDialog(page, '开奖');
  await toast(page, '第 1 期已开奖');
  const reveal = page.getByTestId('winner-reveal');
  await page.locator('[data-testid="winner-reveal"][data-done="true"]').waitFor();
  const first = (await reveal.getByTestId('revealed-winner').first().innerText()).trim(); // "#1 p…"
  const winnerID = first.split(/\s+/)[1];
  const winner = players.find((p) => p.publicID === winnerID);
  if (!winner) throw new Error(`the revealed winner ${winnerID} is not one of the players`);
  await shot('draw-revealed');
  console.log(`ok drawn and revealed: ${winner.nickname} (${winnerID})`);

  await panel.getByRole('tab', { name: '开奖证明' }).click();
  await panel.getByTestId('proof-verify').click();
  const verdict = panel.getByTestId('proof-verify-result');
  await verdict.waitFor();
  if (!(await verdict.innerText()).includes('验证通过')) throw new Error(`the proof does not verify: ${await verdict.innerText()}`);
  await shot('draw-proof-verified');
  console.log('ok the proof verifies in the browser');

  await panel.getByRole('tab', { name: '中奖名单' }).click();
  await panel.getByTestId('publish').click();
  await confirmDialog(page, '公布中奖名单');
  await toast(page, '中奖名单已公布');
  await panel.locator('.ant-card-head').getByText('已公布').waitFor();

  // The winner claims the prize from the H5 page.
  const { myPrizes } = await gql('{myPrizes{id drawOrder period{id}}}', {}, winner.token);
  if (myPrizes.length !== 1) throw new Error(`the winner sees ${myPrizes.length} prizes`);
  await gql(
    'mutation($w:ID!,$n:String!,$p:String!,$a:String){claimPrize(winnerID:$w,name:$n,phone:$p,address:$a){id claimedAt}}',
    { w: myPrizes[0].id, n: '张三', p: '13800138000', a: '上海市黄浦区人民大道 200 号' },
    winner.token,
  );

  // Prize tracking: the claim shows after a reload; mark it 已联系.
  await page.reload();
  await settled(page);
  await panel.getByRole('tab', { name: '中奖名单' }).click();
  const row = panel.locator('.ant-table-row').filter({ hasText: winnerID });
  await row.getByText('13800138000').waitFor();
  await pick(page, row.locator('.ant-select'), '已联系');
  await toast(page, '已保存');
  await panel.getByTestId('prize-summary').filter({ hasText: '已联系 1' }).filter({ hasText: '已登记领奖 1' }).waitFor();
  await shot('draw-winners');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    (async () => {
      await panel.getByRole('button', { name: /导出名单/ }).hover();
      await page.getByRole('menuitem', { name: '导出 Excel (xlsx)' }).click();
    })(),
  ]);
  const file = join(work, download.suggestedFilename() || 'winners.xlsx');
  await download.saveAs(file);
  const rows = await readRows(file);
  const [header, ...body] = rows;
  const col = (name) => header.indexOf(name);
  for (const h of ['抽取顺序', '状态', '参赛编号', '昵称', '领奖姓名', '手机号', '地址', '奖品状态']) if (col(h) < 0) throw new Error(`export header lacks ${h}: ${header}`);
  const won = body.filter((r) => r[col('状态')].startsWith('获奖'));
  if (won.length !== 1) throw new Error(`export has ${won.length} winner rows: ${JSON.stringify(body)}`);
  const w = won[0];
  // (the server stores the phone as +86…)
  const want = { 抽取顺序: '1', 参赛编号: winnerID, 昵称: winner.nickname, 领奖姓名: '张三', 手机号: /^(\+86)?13800138000$/, 奖品状态: 'CONTACTED' };
  for (const [k, v] of Object.entries(want)) {
    const ok = v instanceof RegExp ? v.test(w[col(k)]) : w[col(k)] === v;
    if (!ok) throw new Error(`export ${k} = ${w[col(k)]}, want ${v}: ${JSON.stringify(w)}`);
  }
  if (body.length !== players.length) throw new Error(`export has ${body.length} places, want ${players.length} (winner and alternate)`);
  console.log(`ok exported ${download.suggestedFilename()}: ${body.length} places, the winner with contacts: ${w.join(' | ')}`);
  return { winnerID };
}
