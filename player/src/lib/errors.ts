import { ApiError } from '../api/client';
import type { Dict } from './i18n';

/** What to tell the player about a failed request, by its error code. */
export function errorText(e: unknown, t: Dict): string {
  if (e instanceof ApiError) {
    if (e.code === 'NETWORK') return t.networkError;
    const v = t[`err${e.code}` as keyof Dict];
    if (typeof v === 'string') return v;
  }
  return t.errINTERNAL;
}
