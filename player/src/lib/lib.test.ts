import { describe, expect, it } from 'vitest';
import { ServerClock } from './clock';
import { announceAt, clockText, secondsLeft } from './countdown';
import { duration, span } from './format';
import { loadOpenAttempt, loadProgress, loadSession, saveOpenAttempt, saveProgress, saveSession } from './storage';
import { normalizeMobile, validateClaim, validateNickname } from './validate';
import { AUTHORIZE_URL, authorizeURL, readReturn, redirectURI } from './wechat';

describe('ServerClock', () => {
  it('follows the server, not a phone clock that is 7 minutes fast', () => {
    const skew = 7 * 60_000;
    let local = Date.UTC(2026, 9, 1, 8, 0, 0, 300) + skew;
    const c = new ServerClock(() => local);
    // the request took 80 ms; the server stamped 08:00:00 (its clock, whole seconds)
    c.observeDate('Thu, 01 Oct 2026 08:00:00 GMT', local - 80, local);
    expect(Math.abs(c.offset() + skew)).toBeLessThan(1000);
    // a second response whose Date ticked over narrows the window
    local += 900;
    c.observeDate('Thu, 01 Oct 2026 08:00:01 GMT', local - 50, local);
    expect(Math.abs(c.offset() + skew)).toBeLessThan(600);
    expect(c.uncertainty()).toBeLessThan(500);
    // an instant stamped in flight (a new attempt's startedAt) pins it further
    c.observeInstant('2026-10-01T08:00:01.150Z', local - 50, local);
    expect(Math.abs(c.now() - Date.UTC(2026, 9, 1, 8, 0, 1, 200))).toBeLessThan(60);
  });
  it('is 0 before anything is seen and starts over when the phone clock jumps', () => {
    let local = 1_000_000;
    const c = new ServerClock(() => local);
    expect(c.offset()).toBe(0);
    c.observeDate(new Date(local).toUTCString(), local - 10, local);
    local += 3_600_000; // the user moved the phone clock an hour ahead
    c.observeDate(new Date(local - 3_600_000 + 1000).toUTCString(), local - 10, local);
    expect(c.offset()).toBeLessThan(-3_500_000);
  });
  it('ignores a missing or bad Date header', () => {
    const c = new ServerClock(() => 0);
    c.observeDate(null, 0, 1);
    c.observeDate('yesterday-ish', 0, 1);
    expect(c.offset()).toBe(0);
  });
});

describe('countdown', () => {
  it('rounds the remaining time up and never below zero', () => {
    expect(secondsLeft(10_000, 0)).toBe(10);
    expect(secondsLeft(10_000, 100)).toBe(10);
    expect(secondsLeft(10_000, 9_001)).toBe(1);
    expect(secondsLeft(10_000, 12_000)).toBe(0);
    expect(clockText(299)).toBe('4:59');
    expect(clockText(5)).toBe('0:05');
  });
  it('announces each minute, 30 s, 10 s and time up, and nothing else', () => {
    const said: number[] = [];
    for (let s = 300; s > 0; s--) {
      const a = announceAt(s, s - 1);
      if (a != null) said.push(a);
    }
    expect(said).toEqual([240, 180, 120, 60, 30, 10, 0]);
  });
  it('says the lowest threshold passed when the page slept', () => {
    expect(announceAt(200, 45)).toBe(60);
    expect(announceAt(61, 59)).toBe(60);
    expect(announceAt(40, 0)).toBe(0);
    expect(announceAt(50, 50)).toBeNull();
  });
});

describe('format', () => {
  it('writes durations and spans in both languages', () => {
    expect(duration(42_460, 'zh')).toBe('42.5秒');
    expect(duration(65_300, 'zh')).toBe('1分05.3秒');
    expect(duration(65_300, 'en')).toBe('1 min 05.3 s');
    expect(span(604800, 'zh')).toBe('7 天');
    expect(span(300, 'zh')).toBe('5 分钟');
    expect(span(300, 'en')).toBe('5 minutes');
    expect(span(2, 'en')).toBe('2 seconds');
    expect(span(90, 'zh')).toBe('90 秒');
  });
});

describe('storage', () => {
  it('drops an expired session', () => {
    saveSession({ token: 'x', expiresAt: '2026-10-01T00:00:00Z', participant: { publicID: 'p', nickname: 'n' } });
    expect(loadSession(Date.UTC(2026, 8, 30))?.token).toBe('x');
    expect(loadSession(Date.UTC(2026, 9, 2))).toBeNull();
  });
  it('keeps the attempt in progress and its answers until they are cleared', () => {
    saveOpenAttempt('c', { id: 'a1', deadline: '2026-10-01T08:05:00Z', participant: 'p' });
    saveProgress('a1', { answers: { q1: ['B'] }, index: 1 });
    expect(loadOpenAttempt('c')?.id).toBe('a1');
    expect(loadProgress('a1')).toEqual({ answers: { q1: ['B'] }, index: 1 });
    saveOpenAttempt('c', null);
    saveProgress('a1', null);
    expect(loadOpenAttempt('c')).toBeNull();
    expect(loadProgress('a1')).toEqual({ answers: {}, index: 0 });
  });
});

describe('validation', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['+86 138-1234-5678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['12345678901', null],
    ['1381234567', null],
    ['010-12345678', null],
    ['', null],
  ])('mobile %s → %s', (raw, want) => expect(normalizeMobile(raw)).toBe(want));
  it('checks the claim form', () => {
    expect(validateClaim({ name: '王小明', phone: '13812345678', address: '北京市' })).toEqual({});
    expect(validateClaim({ name: ' ', phone: '123', address: '' })).toEqual({ name: 'errName', phone: 'errPhone', address: 'errAddress' });
    expect(validateClaim({ name: '名'.repeat(51), phone: '13812345678', address: '址'.repeat(201) })).toEqual({ name: 'errName', address: 'errAddress' });
    expect(validateClaim({ name: '名'.repeat(50), phone: '13812345678', address: '址'.repeat(200) })).toEqual({});
  });
  it('checks nicknames as the server does (1–20 characters)', () => {
    expect(validateNickname('  ')).toBe('nicknameRequired');
    expect(validateNickname('小'.repeat(21))).toBe('nicknameTooLong');
    expect(validateNickname('小'.repeat(20))).toBeNull();
  });
});

describe('WeChat web authorization', () => {
  it('builds the OAuth2 URL with a fresh state kept in sessionStorage', () => {
    const u = authorizeURL('wx123', 'https://quiz.example.com/play?campaign=7');
    expect(u.startsWith(AUTHORIZE_URL + '?appid=wx123&redirect_uri=https%3A%2F%2Fquiz.example.com%2Fplay%3Fcampaign%3D7&response_type=code&scope=snsapi_userinfo&state=')).toBe(true);
    expect(u.endsWith('#wechat_redirect')).toBe(true);
    const state = new URL(u).searchParams.get('state')!;
    expect(state).toMatch(/^[0-9a-f]{32}$/);
    expect(sessionStorage.getItem('pq.wechatState')).toBe(state);
    expect(new URL(authorizeURL('wx123', 'https://x/')).searchParams.get('state')).not.toBe(state);
  });
  it('accepts the code only with the state it sent, once', () => {
    const u = new URL(authorizeURL('wx123', 'https://x/play'));
    const state = u.searchParams.get('state');
    expect(readReturn(`?code=abc&state=${state}`)).toEqual({ kind: 'ok', code: 'abc' });
    expect(readReturn(`?code=abc&state=${state}`)).toEqual({ kind: 'bad-state' }); // replayed
    authorizeURL('wx123', 'https://x/play');
    expect(readReturn('?code=abc&state=forged')).toEqual({ kind: 'bad-state' });
    expect(readReturn('?campaign=1')).toEqual({ kind: 'none' });
  });
  it('returns to this page without the code', () => {
    expect(redirectURI({ origin: 'https://x', pathname: '/play', search: '?campaign=1&code=c&state=s' })).toBe('https://x/play?campaign=1');
    expect(redirectURI({ origin: 'https://x', pathname: '/play', search: '' })).toBe('https://x/play');
  });
});

describe('live', async () => {
  const { isRefused, websocketURL } = await import('../api/live');
  it('tells a refused token (4403) from a dropped connection', () => {
    expect(isRefused({ code: 4403, reason: 'invalid or expired token' })).toBe(true);
    expect(isRefused({ code: 1006 })).toBe(false);
    expect(isRefused(new Error('x'))).toBe(false);
  });
  it('opens the websocket on this origin', () => {
    expect(websocketURL({ protocol: 'https:', host: 'quiz.example.com' })).toBe('wss://quiz.example.com/graphql');
    expect(websocketURL({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/graphql');
  });
});
