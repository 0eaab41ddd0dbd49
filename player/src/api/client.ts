// GraphQL over HTTP with fetch: typed by the codegen'd operation strings,
// the player's bearer token, errors reduced to their codes, and every
// response's Date header fed to the server clock.
import type { TypedDocumentString } from '../gql/graphql';
import { serverClock } from '../lib/clock';

export const GRAPHQL_PATH = '/graphql';

export class ApiError extends Error {
  constructor(
    message: string,
    /** extensions.code of each error; NETWORK when the server was not reached */
    readonly codes: string[],
  ) {
    super(message);
  }
  get code(): string {
    return this.codes[0] ?? 'INTERNAL';
  }
}

export interface RequestOptions {
  token?: string | null;
  /** called with the local send and receive times, e.g. to bound the clock with a server timestamp in the result */
  timing?: (sent: number, received: number) => void;
}

export async function request<R, V>(doc: TypedDocumentString<R, V>, variables: V, opts: RequestOptions = {}): Promise<R> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  const sent = Date.now();
  let res: Response;
  try {
    res = await fetch(GRAPHQL_PATH, { method: 'POST', headers, body: JSON.stringify({ query: doc.toString(), variables }) });
  } catch (e) {
    throw new ApiError(`network: ${(e as Error).message}`, ['NETWORK']);
  }
  const received = Date.now();
  serverClock.observeDate(res.headers.get('Date'), sent, received);
  opts.timing?.(sent, received);
  let body: { data?: R | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`HTTP ${res.status}`, [res.status === 429 ? 'RATE_LIMITED' : 'NETWORK']);
  }
  if (body.errors?.length) {
    throw new ApiError(body.errors.map((e) => e.message).join('; '), body.errors.map((e) => e.extensions?.code ?? 'INTERNAL'));
  }
  if (!body.data) throw new ApiError(`HTTP ${res.status}: no data`, ['INTERNAL']);
  return body.data;
}

/** The page's public settings from GET /api/play-config. */
export async function playConfig(): Promise<{ wechatAppID: string }> {
  try {
    const res = await fetch('/api/play-config');
    if (!res.ok) return { wechatAppID: '' };
    const c = await res.json();
    return { wechatAppID: typeof c.wechatAppID === 'string' ? c.wechatAppID : '' };
  } catch {
    return { wechatAppID: '' };
  }
}
