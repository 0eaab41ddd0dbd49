import { act, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { useState } from 'preact/hooks';
import { describe, expect, it, vi } from 'vitest';
import type { AttemptFieldsFragment } from '../gql/graphql';
import { LangContext, dictionaries } from '../lib/i18n';
import type { Progress } from '../lib/storage';
import { Countdown } from './Countdown';
import { Prizes } from './Prizes';
import { ProofPage } from './ProofPage';
import { Quiz } from './Quiz';
import { Result, type AttemptResult } from './Result';
import { Rules, type Campaign } from './Rules';
import { SignIn } from './SignIn';

const attempt: AttemptFieldsFragment = {
  id: 'a1',
  status: 'IN_PROGRESS',
  startedAt: '2026-10-01T08:00:00Z',
  deadline: '2026-10-01T08:05:00Z',
  questions: [
    { id: 'q1', position: 1, kind: 'SINGLE', stem: '医保卡可以借给他人使用吗？', options: [{ key: 'A', text: '可以' }, { key: 'B', text: '不可以' }] },
    { id: 'q2', position: 2, kind: 'MULTIPLE', stem: '哪些属于医保报销范围？', options: [{ key: 'A', text: '住院' }, { key: 'B', text: '门诊' }, { key: 'C', text: '美容' }] },
    { id: 'q3', position: 3, kind: 'TRUE_FALSE', stem: '异地就医可以直接结算。', options: [{ key: 'T', text: '正确' }, { key: 'F', text: '错误' }] },
  ],
};
const start = Date.parse(attempt.startedAt);

/** Every form control has an accessible name (a label, aria-label or aria-labelledby). */
function expectAllLabelled(container: Element) {
  for (const el of container.querySelectorAll<HTMLElement>('input, textarea, select, button')) {
    const labelled = !!el.getAttribute('aria-label') || !!el.getAttribute('aria-labelledby') || (el.id && container.querySelector(`label[for="${el.id}"]`)) || el.closest('label') || (el.tagName === 'BUTTON' && el.textContent?.trim());
    expect(labelled, el.outerHTML).toBeTruthy();
  }
}

function QuizHarness({ onSubmit = () => {}, now = () => start }: { onSubmit?: (auto: boolean) => void; now?: () => number }) {
  // a tiny stateful wrapper, as PlayApp keeps the progress
  const [p, setP] = useState<Progress>({ answers: {}, index: 0 });
  return <Quiz attempt={attempt} progress={p} phase="answering" timeLimitSeconds={300} now={now} onChange={setP} onSubmit={onSubmit} />;
}

describe('Quiz', () => {
  it('shows one question at a time, moves focus to each new one and keeps answers', async () => {
    const { container } = render(<QuizHarness />);
    const heading = screen.getByRole('heading', { name: /第 1 \/ 3 题/ });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expectAllLabelled(container);
    fireEvent.click(screen.getByLabelText(/不可以$/));
    expect((screen.getByLabelText(/不可以$/) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '下一题' }));
    const h2 = screen.getByRole('heading', { name: /第 2 \/ 3 题/ });
    await waitFor(() => expect(document.activeElement).toBe(h2));
    // multiple choice: checkboxes, several keys
    fireEvent.click(screen.getByLabelText(/住院$/));
    fireEvent.click(screen.getByLabelText(/门诊$/));
    expect(screen.getByLabelText(/住院$/)).toHaveProperty('type', 'checkbox');
    expect(screen.getByText('已答 2 / 3')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '第 1 题（已答）' }));
    expect((screen.getByLabelText(/不可以$/) as HTMLInputElement).checked).toBe(true);
  });

  it('asks before submitting with questions unanswered', async () => {
    const onSubmit = vi.fn();
    render(<QuizHarness onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: '第 3 题（未答）' }));
    fireEvent.click(screen.getByRole('button', { name: '交卷' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('还有 3 题未作答');
    await waitFor(() => expect(document.activeElement).toBe(dialog));
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: '确定交卷' }));
    expect(onSubmit).toHaveBeenCalledWith(false);
  });

  it('submits by itself when the server deadline passes', async () => {
    vi.useFakeTimers();
    try {
      let t = Date.parse(attempt.deadline) - 1500;
      const onSubmit = vi.fn();
      render(<QuizHarness onSubmit={onSubmit} now={() => t} />);
      t += 2000;
      await act(async () => {
        await vi.advanceTimersByTimeAsync(500);
      });
      expect(onSubmit).toHaveBeenCalledTimes(1);
      expect(onSubmit).toHaveBeenCalledWith(true);
      await act(async () => {
        await vi.advanceTimersByTimeAsync(2000);
      });
      expect(onSubmit).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('Countdown', () => {
  it('speaks at each minute and at 30 and 10 seconds, not every second', async () => {
    vi.useFakeTimers();
    try {
      const deadline = 200_000;
      let t = deadline - 125_000; // 2:05 left
      const spoken: string[] = [];
      render(<Countdown deadlineMs={deadline} totalSeconds={300} now={() => t} onExpire={() => {}} />);
      const live = screen.getByTestId('countdown-announcer');
      expect(live.getAttribute('aria-live')).toBe('polite');
      expect(screen.getByRole('timer').textContent).toBe('2:05');
      spoken.push(live.textContent!);
      for (let i = 0; i < 126 * 4; i++) {
        t += 250;
        await act(async () => {
          await vi.advanceTimersByTimeAsync(250);
        });
        if (live.textContent !== spoken.at(-1)) spoken.push(live.textContent!);
      }
      expect(spoken).toEqual(['开始答题，剩余时间 2 分 5 秒', '还剩 2 分钟', '还剩 1 分钟', '还剩 30 秒', '还剩 10 秒', '时间到！']);
    } finally {
      vi.useRealTimers();
    }
  });
});

const campaign: Campaign = {
  id: 'c1',
  publicID: 'cmp1',
  name: '医保政策全民普及有奖竞答',
  description: null,
  startsAt: '2026-09-27T16:00:00Z',
  endsAt: '2026-10-04T16:00:00Z',
  timezone: 'Asia/Shanghai',
  questionsPerAttempt: 5,
  timeLimitSeconds: 300,
  graceSeconds: 5,
  pointsPerQuestion: 20,
  rankingMode: 'BEST_ATTEMPT',
  periodSeconds: 604800,
  poolSize: 1000,
  winnersPerPeriod: 520,
  excludePreviousWinners: true,
  maxAttemptsPerDay: 3,
  entropySource: 'drand-quicknet',
  periods: [{ id: 'p1', index: 1, startsAt: '2026-09-27T16:00:00Z', endsAt: '2026-10-04T16:00:00Z', status: 'OPEN' }],
};

describe('Rules', () => {
  it('are written from the campaign settings', () => {
    render(<Rules campaign={campaign} nowMs={Date.parse('2026-10-01T00:00:00Z')} />);
    const text = screen.getByRole('region', { name: '活动规则' }).textContent!;
    expect(text).toContain('每次从题库中随机抽取 5 道题，须在 5 分钟内完成答题');
    expect(text).toContain('答对一题得 20 分，满分 100 分');
    expect(text).toContain('每 7 天从累计排名前 1000 名的参赛者中随机抽取 520 名获奖者');
    expect(text).toContain('每人每天最多答题 3 次');
    expect(screen.getByTestId('next-cutoff').textContent).toBe('本期排名截止：2026年10月5日 00:00');
  });
  it('follow other numbers and English', () => {
    render(
      <LangContext.Provider value={{ lang: 'en', t: dictionaries.en, setLang: () => {} }}>
        <Rules campaign={{ ...campaign, questionsPerAttempt: 10, timeLimitSeconds: 90, pointsPerQuestion: 10, periodSeconds: 86400, maxAttemptsPerDay: null }} nowMs={Date.parse('2026-10-01T00:00:00Z')} />
      </LangContext.Provider>,
    );
    const text = screen.getByRole('region', { name: 'Rules' }).textContent!;
    expect(text).toContain('draws 10 random questions from the bank; finish within 90 seconds');
    expect(text).toContain('10 points per correct answer, 100 at most');
    expect(text).toContain('Every 1 day, 520 winners');
    expect(text).toContain('Play as often as you like');
  });
});

describe('Result', () => {
  it('shows the score, time, rank and each correct answer with its explanation', () => {
    const result: AttemptResult = {
      attempt: { ...attempt, status: 'SUBMITTED' },
      score: 40,
      correctCount: 2,
      durationMs: 83_400,
      standing: { rank: 12, score: 40, durationMs: 83_400, attempts: 1 },
      review: [
        { questionID: 'q1', chosen: ['B'], correct: ['B'], isCorrect: true, explanation: '医保卡仅限本人使用。' },
        { questionID: 'q2', chosen: ['A'], correct: ['A', 'B'], isCorrect: false, explanation: null },
        { questionID: 'q3', chosen: ['T'], correct: ['T'], isCorrect: true, explanation: '已全国联网。' },
      ],
    };
    render(<Result result={result} auto onBack={() => {}} />);
    expect(screen.getByTestId('score').textContent).toBe('40 分');
    expect(screen.getByTestId('duration').textContent).toBe('1分23.4秒');
    expect(screen.getByTestId('rank').textContent).toBe('当前排名第 12 名');
    expect(screen.getByText('时间到，已自动交卷。')).toBeTruthy();
    expect(screen.getByText('医保卡仅限本人使用。')).toBeTruthy();
    expect(screen.getAllByText('A、B').length).toBe(1);
  });
});

describe('SignIn', () => {
  it('offers WeChat only when the server has an AppID, and checks the nickname', () => {
    const onGuest = vi.fn();
    const { container, rerender } = render(<SignIn wechatAppID="" busy={false} onGuest={onGuest} onWeChat={() => {}} />);
    expect(screen.queryByRole('button', { name: '微信授权登录' })).toBeNull();
    expectAllLabelled(container);
    fireEvent.click(screen.getByRole('button', { name: '开始参与' }));
    expect(screen.getByRole('alert').textContent).toBe('请填写昵称');
    expect(onGuest).not.toHaveBeenCalled();
    fireEvent.input(screen.getByLabelText('昵称'), { target: { value: ' 小明 ' } });
    fireEvent.click(screen.getByRole('button', { name: '开始参与' }));
    expect(onGuest).toHaveBeenCalledWith('小明');
    rerender(<SignIn wechatAppID="wx1" busy={false} onGuest={onGuest} onWeChat={() => {}} />);
    expect(screen.getByRole('button', { name: '微信授权登录' })).toBeTruthy();
  });
});

describe('Prizes', () => {
  const prize = { id: 'w1', drawOrder: 3, prizeStatus: 'PENDING' as const, claimedAt: null, period: { id: 'p1', index: 1, campaign: { id: 'c1' } } };
  it('validates the claim form before sending it', async () => {
    const onClaim = vi.fn(async () => null);
    const { container } = render(<Prizes prizes={[prize]} timezone="Asia/Shanghai" onClaim={onClaim} />);
    expectAllLabelled(container);
    fireEvent.input(screen.getByLabelText('收件人姓名'), { target: { value: '王小明' } });
    fireEvent.input(screen.getByLabelText('手机号码'), { target: { value: '1234' } });
    fireEvent.click(screen.getByRole('button', { name: '提交领奖信息' }));
    expect(screen.getByText(/请输入有效的中国大陆手机号/)).toBeTruthy();
    expect(screen.getByLabelText('手机号码').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText('手机号码'));
    expect(onClaim).not.toHaveBeenCalled();
    fireEvent.input(screen.getByLabelText('手机号码'), { target: { value: '13812345678' } });
    fireEvent.input(screen.getByLabelText('收货地址'), { target: { value: '上海市黄浦区' } });
    fireEvent.click(screen.getByRole('button', { name: '提交领奖信息' }));
    await waitFor(() => expect(onClaim).toHaveBeenCalledWith('w1', { name: '王小明', phone: '13812345678', address: '上海市黄浦区' }));
  });
  it('shows a claimed prize without the form', () => {
    render(<Prizes prizes={[{ ...prize, claimedAt: '2026-10-06T02:00:00Z', prizeStatus: 'SENT' }]} timezone="Asia/Shanghai" onClaim={vi.fn()} />);
    expect(screen.queryByRole('button', { name: '提交领奖信息' })).toBeNull();
    expect(screen.getByTestId('claimed').textContent).toContain('已寄出');
  });
});

describe('ProofPage', () => {
  const proof = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../internal/draw/testdata/proof_pool10.json'), 'utf8'));
  const serve = (p: unknown) =>
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(
        JSON.stringify({
          data: {
            period: { id: 'p1', index: 1, status: 'PUBLISHED', endsAt: '2023-08-23T15:05:33Z', commitmentDigest: proof.commitmentDigest, poolDigest: proof.poolDigest, campaign: { name: '测试', timezone: 'Asia/Shanghai' } },
            drawProof: { ...(p as object), disqualifications: [] },
          },
        }),
        { headers: { 'Content-Type': 'application/json' } },
      ),
    );
  it('re-runs the golden proof and shows every step passed', async () => {
    serve(proof);
    render(<ProofPage periodID="p1" />);
    const verdict = await screen.findByTestId('proof-verdict', {}, { timeout: 10000 });
    expect(verdict.textContent).toContain('验证通过');
    for (const s of ['commitment', 'server-seed', 'pool', 'entropy', 'order', 'winners']) expect(screen.getByTestId(`step-${s}`).dataset.status).toBe('passed');
    expect(screen.getByText(/drand quicknet 第 123 轮/)).toBeTruthy();
    vi.restoreAllMocks();
  });
  it('names the failing step of a tampered proof', async () => {
    serve({ ...proof, winnersDigest: (proof.winnersDigest[0] === '0' ? '1' : '0') + proof.winnersDigest.slice(1) });
    render(<ProofPage periodID="p1" />);
    const verdict = await screen.findByTestId('proof-verdict', {}, { timeout: 10000 });
    expect(verdict.textContent).toBe('验证失败：「中奖名单摘要」一步不符。');
    expect(screen.getByTestId('step-winners').dataset.status).toBe('failed');
    expect(screen.getByTestId('step-order').dataset.status).toBe('passed');
    vi.restoreAllMocks();
  });
});
