import { describe, expect, it } from 'vitest';
import { atLeast, auditWhere, formatPayload, menuFor, passwordProblem } from './admin';
import { participantsWhere } from '../pages/participants/operations';

describe('role-based menu', () => {
  it('shows 管理员 and 审计日志 to owners only', () => {
    expect(menuFor('OWNER')).toEqual(['/', '/banks', '/campaigns', '/leaderboard', '/draws', '/participants', '/admins', '/audit']);
    expect(menuFor('EDITOR')).not.toContain('/admins');
    expect(menuFor('VIEWER')).not.toContain('/audit');
    expect(menuFor('VIEWER')).toContain('/draws');
    expect(menuFor(undefined)).toEqual([]);
    expect(atLeast('EDITOR', 'VIEWER')).toBe(true);
    expect(atLeast('VIEWER', 'EDITOR')).toBe(false);
  });
});

describe('passwords', () => {
  it('needs 8 characters and a matching confirmation', () => {
    expect(passwordProblem('1234567')).toBe('short');
    expect(passwordProblem('12345678', '12345679')).toBe('mismatch');
    expect(passwordProblem('12345678', '12345678')).toBeNull();
  });
});

describe('filters', () => {
  it('audit: action and actor, case-insensitive contains', () => {
    expect(auditWhere({ action: ' runDraw ', actor: '' })).toEqual({ actionContainsFold: 'runDraw' });
    expect(auditWhere({ actor: 'admin' })).toEqual({ actorContainsFold: 'admin' });
    expect(auditWhere({ subject: 'Period:3', from: '2026-11-27T00:00:00.000Z', to: '2026-11-28T00:00:00.000Z' })).toEqual({
      subjectContainsFold: 'Period:3',
      atGTE: '2026-11-27T00:00:00.000Z',
      atLT: '2026-11-28T00:00:00.000Z',
    });
  });
  it('audit payload as formatted JSON', () => {
    expect(formatPayload({ a: { b: 1 } })).toBe('{\n  "a": {\n    "b": 1\n  }\n}');
    expect(formatPayload(null)).toBe('-');
    expect(formatPayload({})).toBe('-');
  });
  it('participants: nickname search, public IDs also matched exactly, blocked filter', () => {
    expect(participantsWhere({ search: ' 小王 ' })).toEqual({ nicknameContains: '小王' });
    expect(participantsWhere({ search: 'pjjkfnl6t6k37', blocked: true })).toEqual({ or: [{ publicID: 'pjjkfnl6t6k37' }, { nicknameContains: 'pjjkfnl6t6k37' }], blocked: true });
    expect(participantsWhere({ search: '' })).toEqual({});
  });
});
