// Error codes of SPEC §3 (errors[].extensions.code) and how the dashboard
// talks about them.
import type { CombinedError } from '@urql/core';

export type Lang = 'zh' | 'en';

export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CAMPAIGN_NOT_ACTIVE',
  'ATTEMPT_EXPIRED',
  'ATTEMPT_LIMIT_REACHED',
  'DRAW_NOT_READY',
  'DRAW_ALREADY_DONE',
  'RATE_LIMITED',
  'INTERNAL',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'NETWORK',
  'UNKNOWN',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const CODE_TEXT: Record<ErrorCode, Record<Lang, string>> = {
  UNAUTHENTICATED: { zh: '登录已失效，请重新登录', en: 'Your session has ended, please sign in again' },
  FORBIDDEN: { zh: '没有权限执行此操作', en: 'You do not have permission to do this' },
  NOT_FOUND: { zh: '数据不存在或已被删除', en: 'Not found or already deleted' },
  BAD_USER_INPUT: { zh: '输入有误，请检查后重试', en: 'Invalid input, please check and retry' },
  CAMPAIGN_NOT_ACTIVE: { zh: '活动未在进行中', en: 'The campaign is not running' },
  ATTEMPT_EXPIRED: { zh: '答题已超时', en: 'The attempt has expired' },
  ATTEMPT_LIMIT_REACHED: { zh: '今日答题次数已用完', en: 'Daily attempt limit reached' },
  DRAW_NOT_READY: { zh: '尚不能开奖（未到截止时间或随机源未就绪）', en: 'The draw is not ready yet' },
  DRAW_ALREADY_DONE: { zh: '本期已经开过奖', en: 'This period has already been drawn' },
  RATE_LIMITED: { zh: '操作过于频繁，请稍后再试', en: 'Too many requests, please wait a moment' },
  INTERNAL: { zh: '服务器内部错误，请稍后重试', en: 'Internal server error, please retry later' },
  GRAPHQL_PARSE_FAILED: { zh: '请求格式错误（请升级管理后台）', en: 'Malformed request (dashboard out of date?)' },
  GRAPHQL_VALIDATION_FAILED: { zh: '请求与服务器接口不匹配（请升级管理后台）', en: 'Request does not match the API (dashboard out of date?)' },
  NETWORK: { zh: '网络错误，无法连接服务器', en: 'Network error: cannot reach the server' },
  UNKNOWN: { zh: '操作失败', en: 'Something went wrong' },
};

/** The Chinese (or English) text of a code; unknown codes read as UNKNOWN. */
export function codeText(code: string | undefined | null, lang: Lang = 'zh'): string {
  const known = (ERROR_CODES as readonly string[]).includes(code ?? '') ? (code as ErrorCode) : 'UNKNOWN';
  return CODE_TEXT[known][lang];
}

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown> | null;
}

/** Every extensions.code in the error, in order. */
export function errorCodes(err: CombinedError | null | undefined): string[] {
  if (!err) return [];
  const codes = (err.graphQLErrors ?? [])
    .map((e: GraphQLErrorLike) => e.extensions?.code)
    .filter((c): c is string => typeof c === 'string');
  if (err.networkError && codes.length === 0) codes.push('NETWORK');
  return codes;
}

/** The first code of the error ("NETWORK" for a failed request, "UNKNOWN" when none). */
export function primaryCode(err: CombinedError | null | undefined): string {
  return errorCodes(err)[0] ?? 'UNKNOWN';
}

export function hasCode(err: CombinedError | null | undefined, code: ErrorCode): boolean {
  return errorCodes(err).includes(code);
}

/**
 * Server messages are often bilingual: "stem: must not be empty (题干不能为空)".
 * In Chinese show the part in parentheses when it is Chinese, in English the
 * part before it; the field prefix stays out either way.
 */
export function localizeMessage(message: string, lang: Lang = 'zh'): string {
  const m = message.trim();
  const { rest } = splitField(m);
  const paren = /^(.*?)\s*[(（]([^()（）]*[\u4e00-\u9fff][^()（）]*)[)）]\s*$/.exec(rest);
  if (paren) return lang === 'zh' ? paren[2].trim() : paren[1].trim() || rest;
  return rest;
}

const FIELD_RE = /^([A-Za-z][A-Za-z0-9]*)(?:\[(\d+)\])?(?:\.([A-Za-z][A-Za-z0-9]*))?:\s*(.*)$/s;

/** A message's leading field path: "options[1].text: …" → { field: "options", index: 1, sub: "text" }. */
export function splitField(message: string): { field?: string; index?: number; sub?: string; rest: string } {
  const m = FIELD_RE.exec(message.trim());
  if (!m) return { rest: message.trim() };
  return { field: m[1], index: m[2] != null ? Number(m[2]) : undefined, sub: m[3], rest: m[4] };
}

export interface DescribedError {
  code: string;
  /** what the code means, in the UI language */
  title: string;
  /** the server's own message, localised, when it adds something */
  detail?: string;
  /** the input field the server blamed, if any */
  field?: string;
  index?: number;
}

const GENERIC = new Set(['internal error', 'unauthenticated', 'forbidden']);

/** Everything the UI shows about a failed request. */
export function describeError(err: CombinedError | null | undefined, lang: Lang = 'zh'): DescribedError {
  const code = primaryCode(err);
  const first = err?.graphQLErrors?.[0] as GraphQLErrorLike | undefined;
  const title = codeText(code, lang);
  if (!first || code === 'INTERNAL' || code === 'NETWORK') return { code, title };
  const { field, index } = splitField(first.message);
  let detail: string | undefined = localizeMessage(first.message, lang);
  // An English-only detail adds little for a Chinese reader, except on bad
  // input, where it names what to fix.
  if (lang === 'zh' && code !== 'BAD_USER_INPUT' && !/[\u4e00-\u9fff]/.test(detail)) detail = undefined;
  return {
    code,
    title,
    detail: detail && !GENERIC.has(detail.toLowerCase()) && detail !== title ? detail : undefined,
    field,
    index,
  };
}

/** One line for a toast: "输入有误：题干不能为空". */
export function errorLine(err: CombinedError | null | undefined, lang: Lang = 'zh'): string {
  const d = describeError(err, lang);
  if (!d.detail) return d.title;
  if (d.code === 'BAD_USER_INPUT') return d.detail;
  return lang === 'zh' ? `${d.title}：${d.detail}` : `${d.title}: ${d.detail}`;
}
