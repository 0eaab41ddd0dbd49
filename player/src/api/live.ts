// Subscriptions over graphql-ws on /graphql; the player's token goes in
// connection_init ({"authorization": "Bearer …"}, SPEC §3).
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../gql/graphql';
import { GRAPHQL_PATH } from './client';

export function websocketURL(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${GRAPHQL_PATH}`;
}

/** Whether e is the server closing the socket because the token was refused. */
export function isRefused(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e as { code: unknown }).code === 4403;
}

let current: { token: string | null; client: Client } | null = null;

/** The websocket client for token, replacing one opened with another token. */
function clientFor(token: string | null): Client {
  if (current && current.token === token) return current.client;
  void current?.client.dispose();
  const client = createClient({
    url: websocketURL(),
    lazy: true,
    lazyCloseTimeout: 1000,
    retryAttempts: Infinity,
    // Retry through flaky networks, but not a refused token (4403): the
    // subscriber hears of it and signs the player out.
    shouldRetry: (e) => !isRefused(e),
    retryWait: async (n) => new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** n, 15000) * (0.5 + Math.random() / 2))),
    connectionParams: () => (token ? { authorization: `Bearer ${token}` } : {}),
  });
  current = { token, client };
  return client;
}

/** Subscribes; returns the function that stops it. */
export function subscribe<R, V extends Record<string, unknown>>(
  doc: TypedDocumentString<R, V>,
  variables: V,
  token: string | null,
  onData: (data: R) => void,
  onError?: (e: unknown) => void,
): () => void {
  return clientFor(token).subscribe<R>(
    { query: doc.toString(), variables },
    {
      next: (v) => {
        if (v.data) onData(v.data);
      },
      error: (e) => onError?.(e),
      complete: () => {},
    },
  );
}
