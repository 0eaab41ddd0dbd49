// The admin session kept in localStorage: the bearer token, when it
// expires, and who it belongs to.

export type AdminRole = 'OWNER' | 'EDITOR' | 'VIEWER';

export interface Session {
  token: string;
  expiresAt: string;
  username: string;
  role: AdminRole;
}

export const SESSION_KEY = 'prizequiz.admin.session';

function valid(s: unknown): s is Session {
  if (!s || typeof s !== 'object') return false;
  const o = s as Record<string, unknown>;
  return typeof o.token === 'string' && o.token !== '' && typeof o.expiresAt === 'string' && typeof o.username === 'string';
}

/** The saved session, or null when there is none or it has expired. */
export function loadSession(now: number = Date.now()): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s: unknown = JSON.parse(raw);
    if (!valid(s)) return null;
    const exp = Date.parse(s.expiresAt);
    if (Number.isFinite(exp) && exp <= now) {
      localStorage.removeItem(SESSION_KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(s: Session): void {
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify(s));
  } catch {
    /* private mode: the session lives as long as the tab */
  }
}

export function clearSession(): void {
  try {
    localStorage.removeItem(SESSION_KEY);
  } catch {
    /* ignore */
  }
}

/** Editors and owners change data; viewers only look. */
export function canEdit(role: AdminRole | undefined | null): boolean {
  return role === 'OWNER' || role === 'EDITOR';
}
