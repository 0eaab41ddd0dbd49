// What the page keeps on the phone: the session, the attempt in progress
// and its chosen answers (so a reload or reopening resumes it), and the
// attempts started today. Storage may be blocked (private mode): then
// everything still works for this page view.

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

/**
 * Attempts started today, counted on this phone: the schema has no
 * "attempts left today" yet, so the page counts the attempts it started and
 * trusts ATTEMPT_LIMIT_REACHED over its own count.
 */
interface Today {
  day: string;
  ids: string[];
  limitReached?: boolean;
}

const todayKey = (participant: string, campaignID: string) => `pq.today.${participant}.${campaignID}`;

export function attemptsToday(participant: string, campaignID: string, day: string): Today {
  const t = read<Today>(todayKey(participant, campaignID));
  return t && t.day === day ? t : { day, ids: [] };
}

export function recordAttempt(participant: string, campaignID: string, day: string, attemptID: string) {
  const t = attemptsToday(participant, campaignID, day);
  if (!t.ids.includes(attemptID)) t.ids.push(attemptID);
  write(todayKey(participant, campaignID), t);
}

export function recordLimitReached(participant: string, campaignID: string, day: string) {
  write(todayKey(participant, campaignID), { ...attemptsToday(participant, campaignID, day), limitReached: true });
}

/** What is left today: null when unlimited. */
export function attemptsLeft(max: number | null | undefined, t: Today): number | null {
  if (max == null) return null;
  return t.limitReached ? 0 : Math.max(0, max - t.ids.length);
}
