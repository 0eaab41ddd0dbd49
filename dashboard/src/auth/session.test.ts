import { describe, expect, it } from 'vitest';
import { canEdit, clearSession, loadSession, saveSession, SESSION_KEY } from './session';

const s = { token: 'tok', expiresAt: '2030-01-01T00:00:00Z', username: 'admin', role: 'OWNER' as const };

describe('session storage', () => {
  it('keeps the token in localStorage', () => {
    saveSession(s);
    expect(JSON.parse(localStorage.getItem(SESSION_KEY)!)).toEqual(s);
    expect(loadSession(Date.parse('2029-01-01T00:00:00Z'))).toEqual(s);
    clearSession();
    expect(loadSession()).toBeNull();
  });

  it('forgets an expired or malformed session', () => {
    saveSession(s);
    expect(loadSession(Date.parse('2030-01-01T00:00:01Z'))).toBeNull();
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
    localStorage.setItem(SESSION_KEY, '{not json');
    expect(loadSession()).toBeNull();
    localStorage.setItem(SESSION_KEY, JSON.stringify({ token: '' }));
    expect(loadSession()).toBeNull();
  });

  it('lets editors and owners change data', () => {
    expect(canEdit('OWNER')).toBe(true);
    expect(canEdit('EDITOR')).toBe(true);
    expect(canEdit('VIEWER')).toBe(false);
    expect(canEdit(undefined)).toBe(false);
  });
});
