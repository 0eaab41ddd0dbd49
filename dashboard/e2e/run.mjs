// The dashboard end to end, in real headless Chromium against a real
// `prizequiz serve` on a fresh SQLite file, driven through the UI as an
// organiser would:
//   sign in → create a bank → import an XLSX with a bad row (the dry run
//   names the row and cell) → fix it → import → create a campaign with
//   20-second periods → two players submit over GraphQL and appear live on
//   概览 → after the cutoff run the draw (entropy, confirmation), watch the
//   reveal, verify the proof, publish, the winner claims, mark the prize,
//   export the winners and read the XLSX → every page → sign out.
// Screenshots of every page and step go to e2e/screenshots/. It fails on
// any CSP violation or uncaught page error. Run from dashboard/ after a
// build (the binary embeds dist/): `npm run e2e`.
import { build, start } from './lib/server.mjs';
import { launch } from './lib/browser.mjs';
import { client } from './lib/gql.mjs';
import { signIn, signOut } from './steps/signin.mjs';
import { answerKey, bankImport } from './steps/bank.mjs';
import { createCampaign, PERIOD_SECONDS } from './steps/campaign.mjs';
import { liveOverview } from './steps/live.mjs';
import { runDraw } from './steps/draw.mjs';
import { visitPages } from './steps/pages.mjs';

const password = 'e2e-admin-password';
const began = Date.now();
const { work, bin } = build();
const server = await start({ work, bin, password });
const { browser, page, problems, shot } = await launch();
const ctx = { page, base: server.base, shot, work, gql: client(server.base) };

let failed = false;
try {
  await signIn(ctx, password);
  const bank = await bankImport(ctx);
  const campaign = await createCampaign(ctx, { bankName: bank.bankName });
  const players = await liveOverview(ctx, { ...campaign, key: answerKey() });
  await runDraw(ctx, { ...campaign, periodSeconds: PERIOD_SECONDS, players });
  await visitPages(ctx, { campaignID: campaign.campaignID, bankID: bank.bankID });
  await signOut(ctx);
} catch (e) {
  console.error(e);
  await shot('failure').catch(() => {});
  failed = true;
} finally {
  await browser.close();
  server.stop();
}
for (const p of problems) console.error(p);
failed ||= problems.length > 0;
console.log(`${failed ? 'FAILED' : 'ok'}: e2e in ${((Date.now() - began) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
