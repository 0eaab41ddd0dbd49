import type { ReactElement, ReactNode } from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { Provider as UrqlProvider } from 'urql';
import type { Client, GraphQLRequest, OperationResult } from '@urql/core';
import { fromValue, never } from 'wonka';
import { vi } from 'vitest';
import { I18nProvider } from '../i18n/I18nContext';
import { AuthProvider } from '../auth/AuthContext';
import { saveSession, type Session } from '../auth/session';
import type { Lang } from '../api/errors';

type Responder = (req: GraphQLRequest & { query: unknown }) => Partial<OperationResult> | undefined;

/** A urql client whose answers come from `respond` (subscriptions too: one value); unanswered operations never resolve. */
export function mockClient(respond: Responder = () => undefined) {
  const answer = (op: GraphQLRequest) => {
    const r = respond(op as never);
    return r ? fromValue({ operation: op, stale: false, hasNext: false, ...r } as OperationResult) : never;
  };
  return {
    executeQuery: vi.fn(answer),
    executeMutation: vi.fn(answer),
    executeSubscription: vi.fn(answer),
  } as unknown as Client & {
    executeQuery: ReturnType<typeof vi.fn>;
    executeMutation: ReturnType<typeof vi.fn>;
  };
}

/** The operation name of a request, for matching in a responder. */
export function opName(req: { query: unknown }): string | undefined {
  const doc = req.query as { definitions?: { kind: string; name?: { value: string } }[] };
  return doc.definitions?.find((d) => d.kind === 'OperationDefinition')?.name?.value;
}

export const testSession: Session = { token: 't', expiresAt: '2099-01-01T00:00:00Z', username: 'admin', role: 'OWNER' };

export function renderWithProviders(
  ui: ReactElement,
  { client, lang = 'zh', session, route = '/' }: { client?: Client; lang?: Lang; session?: Session | null; route?: string } = {},
) {
  if (session) saveSession(session);
  const c = client ?? mockClient();
  // AuthProvider makes its own client; the mock one wraps the page so the
  // page's queries use it.
  const wrap = (children: ReactNode) => (
    <I18nProvider lang={lang}>
      <ConfigProvider locale={zhCN}>
        <AntApp>
          <AuthProvider>
            <UrqlProvider value={c}>
              <MemoryRouter initialEntries={[route]}>{children}</MemoryRouter>
            </UrqlProvider>
          </AuthProvider>
        </AntApp>
      </ConfigProvider>
    </I18nProvider>
  );
  return { client: c, ...render(wrap(ui)) };
}
