// What the page keeps on the phone: the session, and the attempt in
// progress with its chosen answers (so a reload or reopening resumes it).
// Attempts left today come from the server (myAttemptsLeftToday), not from
// here. Storage may be blocked (private mode): then everything still works
// for this page view.

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown) {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage blocked or full */
  }
}

export interface Session {
  token: string;
  expiresAt: string;
  participant: { publicID: string; nickname: string };
}

export function loadSession(now = Date.now()): Session | null {
  const s = read<Session>('pq.session');
  if (!s?.token || !(Date.parse(s.expiresAt) > now)) return null;
  return s;
}

export const saveSession = (s: Session | null) => write('pq.session', s);

/** The attempt in progress for a campaign: enough to resume it after a reload. */
export interface OpenAttempt {
  id: string;
  deadline: string;
  participant: string;
}

const attemptKey = (campaignID: string) => `pq.attempt.${campaignID}`;
export const loadOpenAttempt = (campaignID: string) => read<OpenAttempt>(attemptKey(campaignID));
export const saveOpenAttempt = (campaignID: string, a: OpenAttempt | null) => write(attemptKey(campaignID), a);

/** The player's choices for one attempt, and the question on screen. */
export interface Progress {
  answers: Record<string, string[]>;
  index: number;
}

const progressKey = (attemptID: string) => `pq.answers.${attemptID}`;
export const loadProgress = (attemptID: string): Progress => read<Progress>(progressKey(attemptID)) ?? { answers: {}, index: 0 };
export const saveProgress = (attemptID: string, p: Progress | null) => write(progressKey(attemptID), p);
