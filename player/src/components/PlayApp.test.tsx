// The player's page against a fake server: fetch is mocked (as for the
// proof page) and answers each operation by name; the live subscriptions
// are stubbed out. Attempts left today come from the server's
// myAttemptsLeftToday, not from anything counted on the phone.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AttemptFieldsFragment } from '../gql/graphql';
import { saveOpenAttempt, saveSession } from '../lib/storage';
import { PlayApp } from './PlayApp';
import type { Campaign } from './Rules';

vi.mock('../api/live', () => ({ subscribe: () => () => {}, isRefused: () => false }));

const DAY = 86_400_000;
const campaign: Campaign = {
  id: 'c1',
  publicID: 'cmp1',
  name: '医保政策全民普及有奖竞答',
  description: null,
  startsAt: new Date(Date.now() - DAY).toISOString(),
  endsAt: new Date(Date.now() + 7 * DAY).toISOString(),
  timezone: 'Asia/Shanghai',
  questionsPerAttempt: 1,
  timeLimitSeconds: 300,
  graceSeconds: 5,
  pointsPerQuestion: 100,
  rankingMode: 'BEST_ATTEMPT',
  periodSeconds: 604800,
  poolSize: 1000,
  winnersPerPeriod: 520,
  excludePreviousWinners: true,
  maxAttemptsPerDay: 3,
  entropySource: 'drand-quicknet',
  periods: [],
};

const attempt = (): AttemptFieldsFragment => ({
  id: 'a1',
  status: 'IN_PROGRESS',
  startedAt: new Date().toISOString(),
  deadline: new Date(Date.now() + 300_000).toISOString(),
  questions: [{ id: 'q1', position: 1, kind: 'TRUE_FALSE', stem: '异地就医可以直接结算。', options: [{ key: 'T', text: '正确' }, { key: 'F', text: '错误' }] }],
});

type Reply = { data: unknown } | { errors: { message: string; extensions: { code: string } }[] };
const refuse = (code: string): Reply => ({ errors: [{ message: code, extensions: { code } }] });

/**
 * A fake server: handlers by operation name, and the operations it was sent
 * in order, with their Authorization header.
 */
function serve(handlers: Record<string, (vars: Record<string, unknown>) => Reply>) {
  const sent: { op: string; vars: Record<string, unknown>; auth: string | null }[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    if (String(input).includes('/api/play-config')) return Response.json({ wechatAppID: '' });
    const body = JSON.parse(String(init?.body)) as { query: string; variables: Record<string, unknown> };
    const op = /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? '?';
    const auth = new Headers(init?.headers).get('Authorization');
    sent.push({ op, vars: body.variables, auth });
    const h = handlers[op];
    return Response.json(h ? h(body.variables) : { data: null });
  });
  return sent;
}

const signedIn = () =>
  saveSession({ token: 'tok1', expiresAt: new Date(Date.now() + DAY).toISOString(), participant: { publicID: 'p1', nickname: '小明' } });

const base = {
  ActiveCampaigns: () => ({ data: { activeCampaigns: [campaign] } }),
  Leaderboard: () => ({ data: { leaderboard: { total: 0, updatedAt: new Date().toISOString(), entries: [] } } }),
  MyPrizes: () => ({ data: { myPrizes: [] } }),
};

const leftText = () => screen.getByTestId('attempts-left').textContent;
const startButton = () => screen.getByRole('button', { name: /开始答题|继续答题|正在出题/ }) as HTMLButtonElement;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('PlayApp: attempts left today', () => {
  it("shows the server's count, not the campaign's maximum, and asks again after a start and a submit", async () => {
    let left = 2; // one played today on another phone: nothing on this one knows
    const sent = serve({
      ...base,
      MyAttemptsLeftToday: () => ({ data: { myAttemptsLeftToday: left } }),
      StartAttempt: () => {
        left--;
        return { data: { startAttempt: attempt() } };
      },
      SubmitAttempt: () => {
        left = 0; // another phone of the player started one meanwhile
        return {
          data: {
            submitAttempt: {
              attempt: { ...attempt(), status: 'SUBMITTED' },
              score: 100,
              correctCount: 1,
              durationMs: 5000,
              standing: { rank: 1, score: 100, durationMs: 5000, attempts: 2 },
              review: [{ questionID: 'q1', chosen: ['T'], correct: ['T'], isCorrect: true, explanation: null }],
            },
          },
        };
      },
    });
    signedIn();
    render(<PlayApp />);
    await waitFor(() => expect(leftText()).toBe('今日还可答题 2 次'));
    const asks = () => sent.filter((s) => s.op === 'MyAttemptsLeftToday');
    expect(asks()[0]).toEqual({ op: 'MyAttemptsLeftToday', vars: { campaignID: 'c1' }, auth: 'Bearer tok1' });
    expect(Object.keys(localStorage).filter((k) => k.startsWith('pq.today'))).toEqual([]);

    const before = asks().length;
    fireEvent.click(startButton());
    await screen.findByRole('heading', { name: /第 1 \/ 1 题/ });
    await waitFor(() => expect(asks().length).toBe(before + 1)); // after startAttempt
    fireEvent.click(screen.getByLabelText(/正确$/));
    fireEvent.click(screen.getByRole('button', { name: '交卷' }));
    await screen.findByTestId('score');
    await waitFor(() => expect(asks().length).toBe(before + 2)); // after submitAttempt
    expect(sent.map((s) => s.op).indexOf('SubmitAttempt')).toBeLessThan(sent.map((s) => s.op).lastIndexOf('MyAttemptsLeftToday'));

    fireEvent.click(screen.getAllByRole('button', { name: '返回首页' })[0]);
    await waitFor(() => expect(leftText()).toBe('今日答题次数已用完，明天再来吧。'));
    expect(startButton().disabled).toBe(true);
  });

  it('asks again on ATTEMPT_LIMIT_REACHED and shows none left', async () => {
    let left = 1; // stale: the last one was played on another phone
    const sent = serve({
      ...base,
      MyAttemptsLeftToday: () => ({ data: { myAttemptsLeftToday: left } }),
      StartAttempt: () => {
        left = 0;
        return refuse('ATTEMPT_LIMIT_REACHED');
      },
    });
    signedIn();
    render(<PlayApp />);
    await waitFor(() => expect(leftText()).toBe('今日还可答题 1 次'));
    fireEvent.click(startButton());
    await waitFor(() => expect(leftText()).toBe('今日答题次数已用完，明天再来吧。'));
    expect(screen.getByRole('alert').textContent).toBe('今日答题次数已用完，明天再来吧。');
    expect(startButton().disabled).toBe(true);
    expect(sent.map((s) => s.op).slice(-2)).toEqual(['StartAttempt', 'MyAttemptsLeftToday']);
  });

  it('asks again when an attempt left open turns out expired', async () => {
    let left = 1;
    const sent = serve({
      ...base,
      MyAttemptsLeftToday: () => ({ data: { myAttemptsLeftToday: left } }),
      SubmitAttempt: () => {
        left = 0;
        return refuse('ATTEMPT_EXPIRED');
      },
    });
    signedIn();
    // time ran out while the page was closed: it submits by itself on opening
    saveOpenAttempt('c1', { id: 'a0', deadline: new Date(Date.now() - 60_000).toISOString(), participant: 'p1' });
    render(<PlayApp />);
    await screen.findByText('本次答题已超时，成绩无效。');
    await waitFor(() => expect(leftText()).toBe('今日答题次数已用完，明天再来吧。'));
    expect(sent.map((s) => s.op)).toContain('SubmitAttempt');
    expect(sent.map((s) => s.op).lastIndexOf('MyAttemptsLeftToday')).toBeGreaterThan(sent.map((s) => s.op).indexOf('SubmitAttempt'));
  });

  it('says unlimited when the server says null, and lets an attempt in progress be resumed with none left', async () => {
    serve({ ...base, MyAttemptsLeftToday: () => ({ data: { myAttemptsLeftToday: null } }) });
    signedIn();
    const { unmount } = render(<PlayApp />);
    await waitFor(() => expect(leftText()).toBe('今日答题次数不限'));
    unmount();
    vi.restoreAllMocks();

    // The third attempt is open (none left to start) and resuming it failed on the network.
    serve({
      ...base,
      MyAttemptsLeftToday: () => ({ data: { myAttemptsLeftToday: 0 } }),
      StartAttempt: () => refuse('NETWORK'),
    });
    saveOpenAttempt('c1', { id: 'a3', deadline: new Date(Date.now() + 60_000).toISOString(), participant: 'p1' });
    render(<PlayApp />);
    await waitFor(() => expect(leftText()).toBe('今日答题次数已用完，明天再来吧。'));
    await waitFor(() => expect(startButton().textContent).toBe('继续答题'));
    expect(startButton().disabled).toBe(false);
  });

  it('does not ask when nobody is signed in', async () => {
    const sent = serve({ ...base, MyAttemptsLeftToday: () => refuse('UNAUTHENTICATED') });
    render(<PlayApp />);
    await screen.findByRole('button', { name: '开始参与' });
    await waitFor(() => expect(sent.some((s) => s.op === 'Leaderboard')).toBe(true));
    expect(sent.some((s) => s.op === 'MyAttemptsLeftToday')).toBe(false);
    expect(screen.queryByTestId('attempts-left')).toBeNull();
  });
});
