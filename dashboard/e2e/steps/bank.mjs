// 题库: create a bank, import an XLSX filled into the server's template with
// a bad row first (the dry run names the row and the cell), then the fixed
// file for real.
import { join } from 'node:path';
import { fillTemplate, readRows } from '../lib/xlsx.mjs';
import { label, settled, toast } from '../lib/browser.mjs';

/** The questions of the test bank; the player helper answers from them. */
export const QUESTIONS = [
  { 题型: '单选', 题干: '职工医保个人账户可以用于支付哪一项？', options: ['本人门诊费用', '购买彩票', '缴纳物业费'], 答案: 'A', 分类: '个人账户' },
  { 题型: '多选', 题干: '以下哪些属于基本医疗保险？', options: ['职工医保', '居民医保', '商业健康险'], 答案: 'AB', 分类: '基本医保' },
  { 题型: '判断', 题干: '异地就医直接结算需要先备案。', options: [], 答案: '正确', 分类: '异地就医' },
  { 题型: '单选', 题干: '居民医保一般按什么周期缴费？', options: ['按年', '按周', '按小时'], 答案: 'A', 分类: '基本医保' },
  { 题型: '多选', 题干: '办理医保可以通过哪些渠道？', options: ['医保经办窗口', '官方线上平台', '陌生来电'], 答案: 'AB', 分类: '经办服务' },
  { 题型: '单选', 题干: '医保电子凭证由谁签发？', options: ['国家医保信息平台', '任意商家', '个人自制'], 答案: 'A', 分类: '经办服务' },
];

/** stem → the texts of the correct options, as a player sees them. */
export function answerKey(questions = QUESTIONS) {
  const key = new Map();
  for (const q of questions) {
    if (q.题型 === '判断') key.set(q.题干, [q.答案]);
    else key.set(q.题干, [...q.答案].map((k) => q.options['ABCDEF'.indexOf(k)]));
  }
  return key;
}

export async function bankImport({ page, base, shot, work }) {
  const bankName = `e2e 医保题库 ${Date.now() % 100000}`;
  await page.goto(`${base}/admin/banks`);
  await settled(page);
  await page.getByRole('button', { name: label('新建题库') }).first().click();
  const modal = page.locator('.ant-modal').filter({ hasText: '新建题库' });
  await modal.locator('input').first().fill(bankName);
  await modal.getByRole('button', { name: label('新建') }).click();
  await page.waitForURL(/\/admin\/banks\/[^/]+$/);
  const bankID = decodeURIComponent(page.url().split('/').pop());
  await page.getByText('题库里还没有题目').waitFor();
  console.log(`ok created bank ${bankName} (${bankID})`);

  // The template, downloaded from the dialog as an organiser would.
  await page.getByTestId('import-open').click();
  const dialog = page.locator('.ant-modal').filter({ hasText: '导入题目' });
  await dialog.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByText('下载 Excel 模板').click()]);
  const template = join(work, 'template.xlsx');
  await download.saveAs(template);
  const header = (await readRows(template))[0];
  for (const h of ['题型', '题干', '选项A', '答案', '解析', '分类']) if (!header.includes(h)) throw new Error(`template header lacks ${h}: ${header}`);

  // A bad row: its answer names an option that does not exist.
  const badRow = 4; // spreadsheet row: header is 1, so the third question
  const bad = QUESTIONS.map((q, i) => (i === badRow - 2 ? { ...q, 答案: 'Z' } : q));
  const badFile = join(work, '题库-有错误.xlsx');
  await fillTemplate(template, badFile, bad);
  await dialog.locator('input[type="file"]').setInputFiles(badFile);
  await dialog.getByTestId('import-check').click();
  const report = dialog.getByTestId('import-report');
  await report.waitFor();
  const errorRow = report.locator('.ant-table-row').filter({ hasText: `第 ${badRow} 行` });
  await errorRow.waitFor();
  const rowText = await errorRow.innerText();
  if (!rowText.includes('答案')) throw new Error(`the dry run names row ${badRow} but not the 答案 cell: ${rowText}`);
  if (!(await dialog.getByTestId('import-confirm').isDisabled())) throw new Error('a file with errors can be imported');
  await shot('import-dry-run-bad-row');
  console.log(`ok the dry run shows row ${badRow}, cell 答案: ${rowText.replace(/\s+/g, ' ')}`);

  // Fixed: the dry run passes, then the real import.
  const goodFile = join(work, '题库.xlsx');
  await fillTemplate(template, goodFile, QUESTIONS);
  await dialog.locator('input[type="file"]').setInputFiles(goodFile);
  await dialog.getByTestId('import-check').click();
  await dialog.getByText(`检查通过：${QUESTIONS.length} 道题可以导入。`).waitFor();
  await shot('import-dry-run-ok');
  await dialog.getByTestId('import-confirm').click();
  await toast(page, `已导入 ${QUESTIONS.length} 道题`);
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText(QUESTIONS[0].题干).waitFor();
  await page.getByText(`共 ${QUESTIONS.length} 条`).waitFor();
  await settled(page);
  await shot('bank-imported');
  console.log(`ok imported ${QUESTIONS.length} questions`);
  return { bankID, bankName };
}
