// The urql client: HTTP for queries and mutations with the admin's bearer
// token, graphql-ws for subscriptions on the same origin (/graphql), and a
// hook that ends the session on UNAUTHENTICATED.
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange, type CombinedError, type Operation } from '@urql/core';
import { createClient as createWSClient, type Client as WSClient } from 'graphql-ws';
import { errorCodes } from './errors';

export const GRAPHQL_PATH = '/graphql';

/** ws(s)://<this host>/graphql */
export function websocketURL(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${GRAPHQL_PATH}`;
}

export interface ClientOptions {
  token: string | null;
  /** called once per failing operation whose errors include UNAUTHENTICATED */
  onUnauthenticated?: (err: CombinedError, op: Operation) => void;
  url?: string;
}

export interface ApiClient {
  client: Client;
  /** closes the websocket, if one was opened */
  dispose: () => void;
}

export function makeClient({ token, onUnauthenticated, url = GRAPHQL_PATH }: ClientOptions): ApiClient {
  let ws: WSClient | null = null;
  const wsClient = () => {
    ws ??= createWSClient({
      url: websocketURL(),
      lazy: true,
      retryAttempts: 10,
      // SPEC §3: the websocket authenticates in connection_init.
      connectionParams: () => (token ? { authorization: `Bearer ${token}` } : {}),
    });
    return ws;
  };

  const client = new Client({
    url,
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: (): RequestInit => {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      return { headers };
    },
    exchanges: [
      mapExchange({
        onError(error, operation) {
          if (errorCodes(error).includes('UNAUTHENTICATED')) onUnauthenticated?.(error, operation);
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = wsClient().subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    dispose: () => {
      void ws?.dispose();
      ws = null;
    },
  };
}
