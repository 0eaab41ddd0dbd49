// Admin accounts, passwords, audit filters and who sees which menu entry.
import type { AdminRole } from '../auth/session';

export const ROLES: AdminRole[] = ['OWNER', 'EDITOR', 'VIEWER'];
export const MIN_PASSWORD = 8;

/** Why a new password cannot be used, or null. */
export function passwordProblem(pw: string, confirm?: string): 'short' | 'mismatch' | null {
  if (pw.length < MIN_PASSWORD) return 'short';
  if (confirm !== undefined && pw !== confirm) return 'mismatch';
  return null;
}

export interface MenuEntry {
  key: string;
  /** the lowest role that sees it */
  role: AdminRole;
}

const RANK: Record<AdminRole, number> = { VIEWER: 1, EDITOR: 2, OWNER: 3 };

export function atLeast(role: AdminRole | undefined | null, min: AdminRole): boolean {
  return !!role && RANK[role] >= RANK[min];
}

/** The sider menu in order; 管理员 and 审计日志 are for owners only (the API refuses others). */
export const MENU: MenuEntry[] = [
  { key: '/', role: 'VIEWER' },
  { key: '/banks', role: 'VIEWER' },
  { key: '/campaigns', role: 'VIEWER' },
  { key: '/leaderboard', role: 'VIEWER' },
  { key: '/draws', role: 'VIEWER' },
  { key: '/participants', role: 'VIEWER' },
  { key: '/admins', role: 'OWNER' },
  { key: '/audit', role: 'OWNER' },
];

export function menuFor(role: AdminRole | undefined | null): string[] {
  return MENU.filter((m) => atLeast(role, m.role)).map((m) => m.key);
}

export interface AuditFilters {
  action?: string;
  actor?: string;
  subject?: string;
  /** RFC 3339 instants: events at or after `from`, before `to` */
  from?: string;
  to?: string;
}

/** The where of auditEvents: action, actor and subject as case-insensitive "contains", and a time range. */
export function auditWhere(f: AuditFilters): Record<string, string> {
  const w: Record<string, string> = {};
  if (f.action?.trim()) w.actionContainsFold = f.action.trim();
  if (f.actor?.trim()) w.actorContainsFold = f.actor.trim();
  if (f.subject?.trim()) w.subjectContainsFold = f.subject.trim();
  if (f.from) w.atGTE = f.from;
  if (f.to) w.atLT = f.to;
  return w;
}

/** The audited actions (every admin mutation by name, and the winners export), offered in the filter; any text can be typed. */
export const AUDIT_ACTIONS = [
  'createQuestionBank',
  'updateQuestionBank',
  'importQuestions',
  'createQuestion',
  'updateQuestion',
  'setQuestionEnabled',
  'deleteQuestion',
  'createCampaign',
  'updateCampaign',
  'runDraw',
  'publishWinners',
  'disqualifyWinner',
  'updateWinner',
  'exportWinners',
  'blockParticipant',
  'unblockParticipant',
  'createAdmin',
  'setAdminRole',
  'setAdminDisabled',
  'resetAdminPassword',
  'changeMyPassword',
  'adminSignOut',
];

/** A payload as indented JSON ("{}" shows as "-"). */
export function formatPayload(payload: unknown): string {
  if (payload == null) return '-';
  if (typeof payload === 'object' && Object.keys(payload as object).length === 0) return '-';
  return JSON.stringify(payload, null, 2);
}
