// @vitest-environment node
//
// Runs every operation the dashboard sends against a real server:
//
//   PRIZEQUIZ_LIVE_API=http://localhost:8091 PRIZEQUIZ_LIVE_PASSWORD=admin-pass-123 npm run test:live
//
// Skipped unless PRIZEQUIZ_LIVE_API is set (so `npm test` never needs a server).
// It creates a bank, questions and a campaign in that server's database.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { makeClient } from '../src/api/client';
import { describeError, primaryCode } from '../src/api/errors';
import { campaignFormDefaults, toCreateCampaignInput } from '../src/lib/campaign';
import dayjs from '../src/lib/dayjs';
import { AdminSignInMutation, MeQuery } from '../src/auth/operations';
import {
  BankCategoriesQuery,
  BankQuestionCountQuery,
  CreateQuestionBankMutation,
  CreateQuestionMutation,
  DeleteQuestionMutation,
  QuestionBanksQuery,
  QuestionsQuery,
  SetQuestionEnabledMutation,
  UpdateQuestionBankMutation,
  UpdateQuestionMutation,
  bankWhere,
  questionsWhere,
} from '../src/pages/banks/operations';

import { ActiveCampaignsQuery, CampaignBanksQuery, CampaignQuery, CampaignsQuery, CreateCampaignMutation } from '../src/pages/campaigns/operations';
import { LeaderboardCampaignsQuery, LeaderboardQuery } from '../src/pages/leaderboard/operations';

const API = process.env.PRIZEQUIZ_LIVE_API;
const PASSWORD = process.env.PRIZEQUIZ_LIVE_PASSWORD ?? 'admin-pass-123';

async function raw(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(`${API}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe.skipIf(!API)('the dashboard against a live server', () => {
  let unauthenticated = 0;
  const anon = makeClient({ token: null, url: `${API}/graphql` }).client;
  let token = '';
  const client = () => makeClient({ token, url: `${API}/graphql`, onUnauthenticated: () => unauthenticated++ }).client;
  async function q<R, V extends Record<string, unknown>>(doc: TypedDocumentNode<R, V>, vars: V) {
    const r = await client().query(doc, vars, { requestPolicy: 'network-only' }).toPromise();
    if (r.error) throw new Error(`${primaryCode(r.error)}: ${r.error.message}`);
    return r.data!;
  }
  async function m<R, V extends Record<string, unknown>>(doc: TypedDocumentNode<R, V>, vars: V) {
    return client().mutation(doc, vars).toPromise();
  }

  let bankID = '';
  let questionID = '';
  let campaignID = '';

  it('signs in (and refuses a wrong password with UNAUTHENTICATED)', async () => {
    const bad = await anon.mutation(AdminSignInMutation, { username: 'admin', password: 'wrong-password' }).toPromise();
    expect(primaryCode(bad.error)).toBe('UNAUTHENTICATED');
    expect(describeError(bad.error).detail).toBe('用户名或密码错误');
    const ok = await anon.mutation(AdminSignInMutation, { username: 'admin', password: PASSWORD }).toPromise();
    expect(ok.error).toBeUndefined();
    token = ok.data!.adminSignIn.token;
    expect(ok.data!.adminSignIn.admin.username).toBe('admin');
    const me = await q(MeQuery, {});
    expect(me.me.username).toBe('admin');
  });

  it('reports UNAUTHENTICATED for a bad token', async () => {
    const before = unauthenticated;
    const c = makeClient({ token: 'bogus', url: `${API}/graphql`, onUnauthenticated: () => unauthenticated++ }).client;
    const r = await c.query(MeQuery, {}).toPromise();
    expect(primaryCode(r.error)).toBe('UNAUTHENTICATED');
    expect(unauthenticated).toBe(before + 1);
  });

  it('lists banks and pages through the questions of the demo bank', async () => {
    const { questionBanks } = await q(QuestionBanksQuery, {});
    expect(questionBanks.length).toBeGreaterThan(0);
    const demo = questionBanks[0];
    const count = await q(BankQuestionCountQuery, { where: bankWhere(demo.id) });
    expect(count.questions.totalCount).toBeGreaterThan(0);
    const page1 = await q(QuestionsQuery, { first: 10, where: bankWhere(demo.id), orderBy: { field: 'CREATED_AT', direction: 'DESC' } });
    expect(page1.questions.totalCount).toBe(count.questions.totalCount);
    expect(page1.questions.edges).toHaveLength(Math.min(10, count.questions.totalCount));
    if (page1.questions.pageInfo.hasNextPage) {
      const page2 = await q(QuestionsQuery, { first: 10, after: page1.questions.pageInfo.endCursor, where: bankWhere(demo.id), orderBy: { field: 'CREATED_AT', direction: 'DESC' } });
      const ids1 = new Set(page1.questions.edges!.map((e) => e!.node!.id));
      expect(page2.questions.edges!.some((e) => ids1.has(e!.node!.id))).toBe(false);
    }
    const cats = await q(BankCategoriesQuery, { where: bankWhere(demo.id) });
    const categories = [...new Set(cats.questions.edges!.map((e) => e!.node!.category))];
    expect(categories.length).toBeGreaterThan(0);
    // filters and sorting the table offers
    for (const orderBy of [{ field: 'STEM', direction: 'ASC' }, { field: 'KIND', direction: 'DESC' }, { field: 'CATEGORY', direction: 'ASC' }] as const) {
      const r = await q(QuestionsQuery, { first: 5, where: questionsWhere(demo.id, { stem: '医保', kind: 'SINGLE', category: categories[0], enabled: true }), orderBy });
      for (const e of r.questions.edges ?? []) {
        expect(e!.node!.stem).toContain('医保');
        expect(e!.node!.kind).toBe('SINGLE');
        expect(e!.node!.category).toBe(categories[0]);
      }
    }
  });

  it('creates a bank and edits its questions', async () => {
    const bank = await m(CreateQuestionBankMutation, { input: { name: `联调题库 ${Date.now()}`, description: '仪表盘联调' } });
    expect(bank.error).toBeUndefined();
    bankID = bank.data!.createQuestionBank.id;

    const bad = await m(CreateQuestionMutation, {
      input: { bankID, kind: 'SINGLE', stem: '重复选项', options: [{ key: 'A', text: '甲' }, { key: 'B', text: '甲' }], answer: ['A'] },
    });
    expect(primaryCode(bad.error)).toBe('BAD_USER_INPUT');
    const d = describeError(bad.error);
    expect(d.field).toBe('options');
    expect(d.detail).toBe('选项内容重复');

    const created = await m(CreateQuestionMutation, {
      input: {
        bankID,
        kind: 'MULTIPLE',
        stem: '以下哪些属于基本医保？',
        options: [{ key: 'A', text: '职工医保' }, { key: 'B', text: '居民医保' }, { key: 'C', text: '商业保险' }],
        answer: ['A', 'B'],
        explanation: '商业保险不是基本医保。',
        category: '基本医保',
        enabled: true,
      },
    });
    expect(created.error).toBeUndefined();
    questionID = created.data!.createQuestion.id;
    const tf = await m(CreateQuestionMutation, { input: { bankID, kind: 'TRUE_FALSE', stem: '异地就医需要备案。', options: [{ key: 'A', text: '正确' }, { key: 'B', text: '错误' }], answer: ['A'] } });
    expect(tf.error).toBeUndefined();

    const updated = await m(UpdateQuestionMutation, { id: questionID, input: { stem: '以下哪些属于基本医疗保险？', explanation: '' } });
    expect(updated.error).toBeUndefined();
    expect(updated.data!.updateQuestion.version).toBe(2);
    const off = await m(SetQuestionEnabledMutation, { id: questionID, enabled: false });
    expect(off.data?.setQuestionEnabled.enabled).toBe(false);
    const list = await q(QuestionsQuery, { first: 20, where: questionsWhere(bankID, { stem: '', enabled: false }) });
    expect(list.questions.totalCount).toBe(1);
    const del = await m(DeleteQuestionMutation, { id: questionID });
    expect(del.error).toBeUndefined();
    const after = await q(BankQuestionCountQuery, { where: bankWhere(bankID) });
    expect(after.questions.totalCount).toBe(1);
    const arch = await m(UpdateQuestionBankMutation, { id: bankID, input: { archived: false, description: '仪表盘联调（已更新）' } });
    expect(arch.error).toBeUndefined();
  });

  it('creates a campaign with the form’s defaults and shows its periods', async () => {
    const banks = await q(CampaignBanksQuery, {});
    expect(banks.questionBanks.some((b) => b.id === bankID)).toBe(true);
    const values = { ...campaignFormDefaults(dayjs()), name: `联调活动 ${Date.now()}`, bankID };
    const created = await m(CreateCampaignMutation, { input: toCreateCampaignInput(values) });
    expect(created.error).toBeUndefined();
    const c = created.data!.createCampaign;
    campaignID = c.id;
    expect(c).toMatchObject({ questionsPerAttempt: 5, timeLimitSeconds: 300, graceSeconds: 5, pointsPerQuestion: 20, rankingMode: 'BEST_ATTEMPT', periodSeconds: 604800, poolSize: 1000, winnersPerPeriod: 520, excludePreviousWinners: true, maxAttemptsPerDay: null, timezone: 'Asia/Shanghai', entropySource: 'drand-quicknet' });
    expect(c.periods).toHaveLength(4);

    const bad = await m(CreateCampaignMutation, { input: { ...toCreateCampaignInput(values), winnersPerPeriod: 2000 } });
    expect(primaryCode(bad.error)).toBe('BAD_USER_INPUT');
    expect(describeError(bad.error).field).toBe('winnersPerPeriod');

    const one = await q(CampaignQuery, { id: campaignID });
    expect(one.campaign?.bank.id).toBe(bankID);
    const all = await q(CampaignsQuery, {});
    expect(all.campaigns.some((x) => x.id === campaignID)).toBe(true);
    const lbc = await q(LeaderboardCampaignsQuery, {});
    expect(lbc.campaigns.length).toBe(all.campaigns.length);
  });

  it('shows the leaderboard of the demo campaign after a guest plays', async () => {
    const { activeCampaigns } = await q(ActiveCampaignsQuery, {});
    expect(activeCampaigns.length).toBeGreaterThan(0);
    const demo = activeCampaigns[0];
    const guest = await raw('mutation { signInGuest(nickname: "联调玩家") { token } }');
    const gt = guest.data!.signInGuest.token as string;
    const att = await raw('mutation($c: ID!) { startAttempt(campaignID: $c) { id questions { id options { key } } } }', { c: demo.id }, gt);
    const a = att.data!.startAttempt;
    const answers = a.questions.map((qq: { id: string; options: { key: string }[] }) => ({ questionID: qq.id, choices: [qq.options[0].key] }));
    const sub = await raw('mutation($a: ID!, $ans: [AnswerInput!]!) { submitAttempt(attemptID: $a, answers: $ans) { score } }', { a: a.id, ans: answers }, gt);
    expect(sub.errors).toBeUndefined();
    const lb = await q(LeaderboardQuery, { campaignID: demo.id, first: 100, offset: 0 });
    expect(lb.leaderboard.total).toBeGreaterThan(0);
    expect(lb.leaderboard.entries[0].rank).toBe(1);
  });

  it('opens the websocket with the token in connection_init', async () => {
    const url = API!.replace(/^http/, 'ws') + '/graphql';
    const ack = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(url, 'graphql-transport-ws', { origin: new URL(API!).origin });
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      ws.on('message', (d) => {
        resolve(JSON.parse(String(d)).type);
        ws.close();
      });
      ws.on('error', reject);
      setTimeout(() => reject(new Error('no ack')), 5000);
    });
    expect(ack).toBe('connection_ack');
  });
});
