// 概览 live: players submit over GraphQL from node while the organiser
// watches; the top 10 and the counters change without a reload.
import { settled } from '../lib/browser.mjs';
import { play } from '../lib/gql.mjs';

export async function liveOverview({ page, base, shot, gql }, { campaignID, name, startsAt, key }) {
  await page.goto(`${base}/admin/?campaign=${encodeURIComponent(campaignID)}`);
  // The campaign is listed as running once its start has passed.
  const wait = startsAt - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait + 200));
  await page.reload();
  await page.getByTestId('campaign-stats').filter({ hasText: name }).waitFor();
  await settled(page);
  await page.getByTestId('stat-participants').filter({ hasText: /^参与人数\s*0/ }).waitFor();

  const tag = Math.floor(Math.random() * 1000);
  const players = [];
  players.push(await play(gql, { campaignID, nickname: `学霸${tag}`, key }));
  players.push(await play(gql, { campaignID, nickname: `新手${tag}`, key, right: 1 }));
  for (const p of players) console.log(`   ${p.nickname} (${p.publicID}) scored ${p.score} in ${p.durationMs} ms`);
  if (!(players[0].score > players[1].score)) throw new Error('the answer key did not score');

  // Pushed: no reload, no click.
  const top = page.getByTestId('top10');
  await top.getByText(players[0].nickname).waitFor({ timeout: 5000 });
  await top.getByText(players[1].nickname).waitFor({ timeout: 5000 });
  await page.getByTestId('stat-participants').filter({ hasText: /参与人数\s*2/ }).waitFor({ timeout: 8000 });
  await page.getByTestId('stat-today').filter({ hasText: /今日答题\D*2/ }).waitFor({ timeout: 8000 });
  await page.getByTestId('stats-mode').getByText('实时').waitFor();
  await page.getByTestId('score-distribution').locator('canvas').first().waitFor();
  await page.getByTestId('campaign-hours').locator('canvas').first().waitFor();
  // Completions per minute, measured since the page opened (10 s at least).
  await page.getByTestId('stat-rate').filter({ hasText: /每分钟完成\D*\d/ }).waitFor({ timeout: 15_000 });
  await shot('overview-live');
  console.log('ok both submissions appeared live on 概览 (top 10 and counters)');
  return players;
}
