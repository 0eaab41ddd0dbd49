// End-to-end test of the player's page in real headless Chromium at a phone
// viewport (360×740, touch) against a real `prizequiz serve` on a fresh
// SQLite file, with WeChat sign-in pointed at a fake WeChat API on loopback.
// The phone's clock runs 7 minutes fast: the countdown must follow the
// server. Screenshots land in e2e/screenshots/. Run from player/:
// `npm run e2e` (after `npm run build`).
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const shots = resolve(import.meta.dirname, 'screenshots');
const work = mkdtempSync(join(tmpdir(), 'prizequiz-player-e2e-'));
const bin = join(work, 'prizequiz');
const port = 19000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const password = 'e2e-admin-password';
const SKEW_MS = 7 * 60 * 1000; // the phone's clock is this far ahead
const t0 = Date.now();
// axe-core checks each screen against WCAG 2 A/AA (labels, names, contrast…).
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });

// A fake WeChat API: any code is a valid authorization of openid o-<code>.
const wechat = createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  res.setHeader('Content-Type', 'application/json');
  if (u.pathname === '/sns/oauth2/access_token') {
    res.end(JSON.stringify({ access_token: 'at-' + u.searchParams.get('code'), openid: 'o-' + u.searchParams.get('code'), scope: 'snsapi_userinfo' }));
  } else if (u.pathname === '/sns/userinfo') {
    res.end(JSON.stringify({ nickname: '微信用户小王' }));
  } else {
    res.statusCode = 404;
    res.end('{}');
  }
});
await new Promise((r) => wechat.listen(0, '127.0.0.1', r));
const wechatBase = `http://127.0.0.1:${wechat.address().port}`;

execFileSync('go', ['build', '-o', bin, './cmd/prizequiz'], { cwd: root, stdio: 'inherit' });
const server = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`], {
  cwd: work,
  env: {
    ...process.env,
    PRIZEQUIZ_ADMIN_PASSWORD: password,
    PRIZEQUIZ_WECHAT_APPID: 'wxe2e0123456789abc',
    PRIZEQUIZ_WECHAT_SECRET: 'e2e-secret',
    PRIZEQUIZ_WECHAT_API_BASE: wechatBase,
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});

async function ready() {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error('server did not become ready');
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function gql(query, variables, token) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

let failed = false;
let step = 0;
let lastPage = null;
const ok = (msg) => console.log(`ok ${msg}`);
const expect = (cond, msg) => {
  if (!cond) throw new Error(`expectation failed: ${msg}`);
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  await ready();
  const audited = [];
  const shot = async (page, name) => {
    step++;
    await page.screenshot({ path: join(shots, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
    // page.evaluate is not subject to the page's CSP, unlike an injected <script>
    await page.evaluate(axeSource);
    const { violations, passes } = await page.evaluate(async () => {
      const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return {
        passes: r.passes.map((p) => p.id),
        violations: r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\s+/g, ' ')).join('; ')}`),
      };
    });
    expect(passes.includes('color-contrast') || passes.length > 5, `axe ran on ${name} (passed: ${passes.join(', ')})`);
    if (violations.length) {
      console.error(`accessibility (${name}):\n  ${violations.join('\n  ')}`);
      failed = true;
    }
    audited.push(name);
  };

  // Admin set-up over GraphQL: the demo bank, a 2-second campaign and a
  // campaign with 30-second periods and declared entropy for a draw.
  const { adminSignIn } = await gql('mutation($p:String!){adminSignIn(username:"admin",password:$p){token}}', { p: password });
  const admin = adminSignIn.token;
  const { questionBanks } = await gql('{questionBanks{id}}', {}, admin);
  const bankID = questionBanks[0].id;
  const { activeCampaigns } = await gql('{activeCampaigns{id name}}');
  const demo = activeCampaigns[0].id;
  const answers = {};
  for (let after = null; ; ) {
    const { questions } = await gql(
      'query($a:Cursor){questions(first:50,after:$a){edges{node{id answer}} pageInfo{hasNextPage endCursor}}}',
      { a: after },
      admin,
    );
    for (const e of questions.edges) answers[e.node.id] = e.node.answer;
    if (!questions.pageInfo.hasNextPage) break;
    after = questions.pageInfo.endCursor;
  }
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const iso = (ms) => new Date(now.getTime() + ms).toISOString();
  const create = async (input) =>
    (await gql('mutation($i:CreateCampaignInput!){createCampaign(input:$i){id periods{id index endsAt}}}', { i: input }, admin)).createCampaign;
  const drawCampaign = await create({
    name: '抽奖测试活动',
    bankID,
    startsAt: iso(-1000),
    endsAt: iso(3600_000),
    periodSeconds: 40,
    poolSize: 10,
    winnersPerPeriod: 10, // everyone in the pool wins, so the page's player surely does
    maxAttemptsPerDay: 3,
    entropySource: 'declared: the e2e numbers drawn after the cutoff',
  });
  const short = await create({ name: '限时2秒', bankID, startsAt: iso(-1000), endsAt: iso(3600_000), timeLimitSeconds: 2, graceSeconds: 2 });
  const period1 = drawCampaign.periods.find((p) => p.index === 1) ?? drawCampaign.periods[0];
  // Four more players in the draw, so its order is a real shuffle.
  const play = async (nick, campaignID, correct) => {
    const { signInGuest: g } = await gql('mutation($n:String!){signInGuest(nickname:$n){token}}', { n: nick });
    const { startAttempt: a } = await gql('mutation($c:ID!){startAttempt(campaignID:$c){id questions{id}}}', { c: campaignID }, g.token);
    await gql(
      'mutation($a:ID!,$x:[AnswerInput!]!){submitAttempt(attemptID:$a,answers:$x){score}}',
      { a: a.id, x: a.questions.map((q) => ({ questionID: q.id, choices: correct ? answers[q.id] : [] })) },
      g.token,
    );
  };
  for (const nick of ['甲', '乙', '丙', '丁']) await play(`选手${nick}`, drawCampaign.id, nick === '甲');
  ok(`campaigns created (draw period cut at ${period1.endsAt})`);

  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    locale: 'zh-CN',
  });
  await context.addInitScript((skew) => {
    const real = Date.now.bind(Date);
    Date.now = () => real() + skew;
  }, SKEW_MS);
  const page = await context.newPage();
  lastPage = page;
  if (process.env.E2E_DEBUG) {
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => console.log('ws →', String(f.payload).slice(0, 160)));
      ws.on('framereceived', (f) => console.log('ws ←', String(f.payload).slice(0, 160)));
      ws.on('close', () => console.log('ws closed'));
    });
    page.on('console', (m) => console.log('console:', m.text()));
  }
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
  // WeChat's authorize page: send the player straight back with a code, as WeChat does after consent.
  let authorizeURL = null;
  await page.route('https://open.weixin.qq.com/**', (route) => {
    const u = new URL(route.request().url());
    authorizeURL = u;
    const back = new URL(u.searchParams.get('redirect_uri'));
    back.searchParams.set('code', 'e2ecode1');
    back.searchParams.set('state', u.searchParams.get('state'));
    return route.fulfill({ status: 302, headers: { Location: back.toString() } });
  });

  const answerAll = async (pick) => {
    for (;;) {
      const heading = page.locator('#question-heading');
      await heading.waitFor();
      // Focus moves to each new question: in an effect, which runs after the
      // heading is painted, so wait for it (a bounded wait, not a check at
      // the first instant the heading exists).
      const focused = await page
        .waitForFunction(() => document.activeElement?.id === 'question-heading', null, { timeout: 2000 })
        .then(() => true, () => false);
      expect(focused, 'focus is on the question heading');
      const n = await page.locator('.option').count();
      await page.locator('.option').nth(pick(n)).click();
      const next = page.getByRole('button', { name: '下一题' });
      if (await next.count()) await next.click();
      else break;
    }
  };

  // 1. The draw campaign first (its period is cut 40 s from now): WeChat sign-in, a full attempt.
  await page.goto(`${base}/play?campaign=${drawCampaign.id}`);
  await page.getByRole('heading', { name: '活动规则' }).waitFor();
  await shot(page, 'home-signed-out');
  await page.getByRole('button', { name: '微信授权登录' }).click();
  await page.getByText('你好，微信用户小王').waitFor();
  expect(authorizeURL && authorizeURL.searchParams.get('appid') === 'wxe2e0123456789abc', 'authorize URL carries the AppID');
  expect(authorizeURL.searchParams.get('scope') === 'snsapi_userinfo' && authorizeURL.searchParams.get('response_type') === 'code', 'authorize URL scope'); // the #wechat_redirect fragment never reaches the network; a unit test checks it
  expect(!page.url().includes('code='), 'the code is removed from the address bar');
  ok('WeChat sign-in: redirect with state, back with a code, signed in');
  // A forged return (state not ours) is refused.
  await page.goto(`${base}/play?campaign=${drawCampaign.id}&code=stolen&state=forged`);
  await page.getByText('微信登录校验失败').waitFor();
  ok('a WeChat return with a foreign state is refused');
  // Attempts left today (maxAttemptsPerDay 3) are the server's myAttemptsLeftToday.
  const pageToken = await page.evaluate(() => JSON.parse(localStorage.getItem('pq.session')).token);
  const serverLeft = async (token) =>
    (await gql('query($c:ID!){myAttemptsLeftToday(campaignID:$c)}', { c: drawCampaign.id }, token)).myAttemptsLeftToday;
  const leftShown = async (n, why) => {
    const want = `今日还可答题 ${n} 次`;
    const shown = await page
      .waitForFunction((w) => document.querySelector('[data-testid="attempts-left"]')?.textContent === w, want, { timeout: 5000 })
      .then(() => true, () => false);
    expect(shown, `${why}: the page shows "${want}" (it shows "${await page.getByTestId('attempts-left').textContent({ timeout: 1000 }).catch(() => null)}")`);
  };
  expect((await serverLeft(pageToken)) === 3, 'the server has three attempts left today');
  await leftShown(3, 'before any attempt');
  await page.getByRole('button', { name: '开始答题' }).click();
  await answerAll(() => 0);
  await page.getByRole('button', { name: '交卷' }).click();
  await page.getByTestId('score').waitFor();
  ok(`draw campaign: attempt submitted, ${await page.getByTestId('score').innerText()}`);
  await page.getByRole('button', { name: '返回首页' }).first().click();
  expect((await serverLeft(pageToken)) === 2, 'the server has two attempts left today');
  await leftShown(2, 'after an attempt on the page');
  // The same WeChat player on a second phone plays one: nothing on this phone saw it.
  const { signInWeChat: phone2 } = await gql('mutation($c:String!){signInWeChat(code:$c){token participant{nickname}}}', { c: 'e2ecode1' });
  expect(phone2.participant.nickname === '微信用户小王', 'the second phone is the same player');
  const { startAttempt: a2 } = await gql('mutation($c:ID!){startAttempt(campaignID:$c){id questions{id}}}', { c: drawCampaign.id }, phone2.token);
  await gql(
    'mutation($a:ID!,$x:[AnswerInput!]!){submitAttempt(attemptID:$a,answers:$x){score}}',
    { a: a2.id, x: a2.questions.map((q) => ({ questionID: q.id, choices: [] })) },
    phone2.token,
  );
  expect((await serverLeft(pageToken)) === 1, 'the server has one attempt left today');
  await page.reload();
  await leftShown(1, 'after an attempt on a second phone');
  ok("attempts left today are the server's count: 3, 2 after an attempt, 1 after one on a second phone");

  // 2. The demo campaign: a full attempt with the result and explanations.
  // With several campaigns running, /play lets the player choose.
  await page.goto(`${base}/play`);
  await page.getByRole('link', { name: activeCampaigns[0].name }).click();
  await page.getByRole('heading', { name: activeCampaigns[0].name }).waitFor();
  expect(page.url().endsWith(`?campaign=${demo}`), 'the chosen campaign is in the address');
  await page.getByRole('button', { name: '开始答题' }).click();
  await page.locator('#question-heading').waitFor();
  const clock = await page.getByTestId('countdown').innerText();
  expect(/^4:5\d$|^5:00$/.test(clock), `countdown follows the server's deadline despite a fast phone clock (shows ${clock})`);
  ok(`countdown shows ${clock} with the phone clock 7 minutes fast`);
  expect((await page.getByTestId('countdown-announcer').innerText()).includes('开始答题，剩余时间 5 分钟'), 'the start is announced');
  await shot(page, 'question-1');
  await answerAll((n) => n - 1);
  await page.getByRole('button', { name: '交卷' }).click();
  await page.getByTestId('score').waitFor();
  await page.getByRole('heading', { name: '答案解析' }).waitFor();
  expect((await page.locator('.review-item').count()) === 5, 'five questions reviewed');
  expect((await page.locator('.explanation').count()) > 0, 'explanations shown');
  await shot(page, 'result');
  ok(`demo campaign: full attempt, ${await page.getByTestId('score').innerText()}, ${await page.getByTestId('rank').innerText()}`);

  // 3. Reload mid-attempt: same attempt, same answers, same deadline.
  await page.getByRole('button', { name: '返回首页' }).first().click();
  await page.getByRole('button', { name: '开始答题' }).click();
  await page.locator('#question-heading').waitFor();
  const stem1 = await page.locator('.question-stem').innerText();
  await page.locator('.option').first().click();
  await page.getByRole('button', { name: '下一题' }).click();
  const stem2 = await page.locator('.question-stem').innerText();
  await sleep(2500); // let the clock run, so a reload that reset it would show
  const before = toSeconds(await page.getByTestId('countdown').innerText());
  const reloadedAt = Date.now();
  await page.reload();
  await page.locator('#question-heading').waitFor();
  const after = toSeconds(await page.getByTestId('countdown').innerText());
  const elapsed = (Date.now() - reloadedAt) / 1000;
  expect((await page.locator('.question-stem').innerText()) === stem2, 'back on the same question');
  expect(before <= 298 && after <= before && after >= before - elapsed - 2, `the deadline is kept across the reload (${before}s → ${after}s in ${elapsed.toFixed(1)}s)`);
  expect((await page.locator('.dot').first().getAttribute('class')).includes('done'), 'the first answer is kept');
  await page.locator('.dot').first().click();
  expect((await page.locator('.question-stem').innerText()) === stem1, 'the same questions');
  expect(await page.locator('.option input').first().isChecked(), 'the chosen option is still chosen');
  await shot(page, 'reloaded-mid-attempt');
  ok(`reload mid-attempt resumed the same attempt: ${before}s → ${after}s`);
  await page.locator('.dot').last().click();
  await page.getByRole('button', { name: '交卷' }).click();
  await page.getByRole('alertdialog').waitFor(); // unanswered questions: confirm
  await page.getByRole('button', { name: '确定交卷' }).click();
  await page.getByTestId('score').waitFor();
  await page.getByRole('button', { name: '返回首页' }).first().click();

  // 4. A rank update pushed live: a faster perfect player overtakes us.
  await page.getByTestId('leaderboard').waitFor();
  const myRankBefore = await page.getByTestId('my-rank').innerText();
  const rival = '闪电' + Math.floor(Math.random() * 1000);
  await play(rival, demo, true);
  await page.getByTestId('leaderboard').getByText(rival).waitFor({ timeout: 4000 });
  await page.waitForFunction((b) => document.querySelector('[data-testid="my-rank"]')?.textContent !== b, myRankBefore, { timeout: 4000 });
  await shot(page, 'live-rank-update');
  ok(`live: ${rival} appeared in the top 10, my rank ${myRankBefore} → ${await page.getByTestId('my-rank').innerText()}`);

  // 5. A 2-second attempt expires: time is up, answers submitted within the grace.
  await page.goto(`${base}/play?campaign=${short.id}`);
  await page.getByRole('button', { name: '开始答题' }).click();
  await page.locator('#question-heading').waitFor();
  await page.locator('.option').first().click();
  await page.getByText('时间到，已自动交卷').waitFor({ timeout: 8000 });
  await shot(page, 'time-up-auto-submitted');
  ok('2-second attempt: time up, submitted automatically within the grace');
  // …and one whose submit is held up past deadline + grace scores nothing.
  await page.getByRole('button', { name: '返回首页' }).first().click();
  await page.route('**/graphql', async (route) => {
    if ((route.request().postData() ?? '').includes('SubmitAttempt')) await sleep(5000);
    return route.continue();
  });
  await page.getByRole('button', { name: '开始答题' }).click();
  await page.getByText('时间到！正在自动交卷').waitFor({ timeout: 5000 });
  await shot(page, 'time-up-submitting');
  await page.getByText('本次答题已超时，成绩无效').waitFor({ timeout: 10000 });
  await shot(page, 'attempt-expired');
  await page.unroute('**/graphql');
  ok('a submit that arrives after deadline + grace shows the attempt expired');

  // 6. The draw: wait for the cutoff, run it with the declared result, publish.
  const cutoff = Date.parse(period1.endsAt);
  if (Date.now() < cutoff + 2500) await sleep(cutoff + 2500 - Date.now());
  for (let i = 0; ; i++) {
    try {
      await gql('mutation($p:ID!){runDraw(periodID:$p,externalEntropy:"e2e 3D: 1 2 3"){winnersCount}}', { p: period1.id }, admin);
      break;
    } catch (e) {
      if (i > 20 || !String(e).includes('DRAW_NOT_READY')) throw e;
      await sleep(500);
    }
  }
  await gql('mutation($p:ID!){publishWinners(periodID:$p){id}}', { p: period1.id }, admin);
  ok('period 1 drawn and published');

  // 7. Winners and the claim form, with validation.
  await page.goto(`${base}/play?campaign=${drawCampaign.id}`);
  await page.getByRole('heading', { name: '我的奖品' }).waitFor();
  await page.locator('[data-testid="winners-1"] .winner-list li').first().waitFor();
  const listed = await page.locator('[data-testid="winners-1"] .winner-list').innerText();
  expect(/微\*+王/.test(listed) && !listed.includes('微信用户小王'), `the winners' nicknames are masked: ${listed.replace(/\n/g, ' ')}`);
  await page.getByLabel('收件人姓名').fill('王小明');
  await page.getByLabel('手机号码').fill('12345');
  await page.getByRole('button', { name: '提交领奖信息' }).click();
  await page.getByText('请输入有效的中国大陆手机号').waitFor();
  await page.getByText('请填写收货地址').waitFor();
  expect(await page.getByLabel('手机号码').evaluate((el) => el === document.activeElement), 'focus moves to the first invalid field');
  await shot(page, 'claim-validation');
  await page.getByLabel('手机号码').fill('138 1234 5678');
  await page.getByLabel('收货地址').fill('北京市东城区示例街道 1 号');
  await page.getByRole('button', { name: '提交领奖信息' }).click();
  await page.getByTestId('claimed').waitFor();
  await shot(page, 'claimed');
  ok('prize claimed after the form caught a bad phone number and a missing address');

  // 8. The proof page re-runs the draw in the browser…
  await page.getByRole('link', { name: '验证本期抽奖' }).first().click();
  await page.getByTestId('proof-verdict').waitFor({ timeout: 15000 });
  for (const s of ['commitment', 'server-seed', 'pool', 'entropy', 'order', 'winners']) {
    expect((await page.getByTestId(`step-${s}`).getAttribute('data-status')) === 'passed', `proof step ${s} passed`);
  }
  expect((await page.getByTestId('proof-verdict').innerText()).includes('验证通过'), 'the proof verifies');
  await shot(page, 'proof-verified');
  ok('proof verified in the browser');

  // …and a proof with one byte changed in transit fails at the right step.
  for (const [field, stepName] of [
    ['serverSeed', 'server-seed'],
    ['poolFile', 'pool'],
    ['order', 'order'],
  ]) {
    await page.route('**/graphql', async (route) => {
      if (!(route.request().postData() ?? '').includes('DrawProof')) return route.continue();
      const response = await route.fetch();
      const json = await response.json();
      const p = json.data.drawProof;
      if (field === 'order') p.order = [...p.order].reverse();
      else p[field] = p[field].slice(0, 10) + (p[field][10] === '1' ? '2' : '1') + p[field].slice(11);
      return route.fulfill({ response, json });
    });
    await page.reload();
    await page.getByTestId('proof-verdict').waitFor({ timeout: 15000 });
    const status = await page.getByTestId(`step-${stepName}`).getAttribute('data-status');
    expect(status === 'failed', `tampered ${field}: step ${stepName} is ${status}`);
    expect((await page.getByTestId('proof-verdict').innerText()).includes('验证失败'), 'the verdict says failed');
    await shot(page, `proof-tampered-${field}`);
    await page.unroute('**/graphql');
    ok(`a proof with ${field} tampered fails at "${stepName}"`);
  }
  if (Number(period1.index) !== 1 || drawCampaign.periods.length < 2) console.log('note: unexpected periods', drawCampaign.periods.length);

  // 9. English.
  await page.goto(`${base}/play?campaign=${drawCampaign.id}`);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { name: 'Rules' }).waitFor();
  await shot(page, 'home-english');
  await page.getByRole('button', { name: '切换到中文' }).click();
  ok('English switch');
  ok(`axe-core found no WCAG 2.1 A/AA violation on ${audited.length} screens`);
} catch (e) {
  console.error(e);
  failed = true;
  await lastPage?.screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => {});
} finally {
  await browser.close();
  server.kill('SIGTERM');
  wechat.close();
  rmSync(work, { recursive: true, force: true });
}
console.log(`player e2e ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${shots}`);
process.exit(failed ? 1 : 0);

function toSeconds(clock) {
  const [m, s] = clock.split(':').map(Number);
  return m * 60 + s;
}
