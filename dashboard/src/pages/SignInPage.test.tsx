import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import SignInPage, { safeFrom } from './SignInPage';
import { loadSession } from '../auth/session';
import { mockClient, opName, renderWithProviders } from '../test/utils';

describe('SignInPage', () => {
  it('shows the server’s reason for a refused sign-in', async () => {
    const client = mockClient((req) =>
      opName(req) === 'AdminSignIn'
        ? {
            error: new CombinedError({
              graphQLErrors: [new GraphQLError('wrong username or password (用户名或密码错误)', { extensions: { code: 'UNAUTHENTICATED' } })],
            }),
          }
        : undefined,
    );
    renderWithProviders(<SignInPage />, { client, route: '/login' });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
    expect(await screen.findByText('用户名或密码错误')).toBeInTheDocument();
    expect(loadSession()).toBeNull();
  });

  it('keeps the token after a successful sign-in', async () => {
    const client = mockClient((req) =>
      opName(req) === 'AdminSignIn'
        ? {
            data: {
              adminSignIn: { token: 'tok123', expiresAt: '2099-01-01T00:00:00Z', admin: { username: 'admin', role: 'OWNER' } },
            },
          }
        : undefined,
    );
    renderWithProviders(<SignInPage />, { client, route: '/login' });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'admin-pass-123' } });
    fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
    await waitFor(() => expect(loadSession()?.token).toBe('tok123'));
    const vars = (client.executeMutation.mock.calls[0][0] as { variables: unknown }).variables;
    expect(vars).toEqual({ username: 'admin', password: 'admin-pass-123' });
  });

  it('only redirects inside the app after sign-in', () => {
    expect(safeFrom('/campaigns/1')).toBe('/campaigns/1');
    expect(safeFrom('//evil.example')).toBe('/');
    expect(safeFrom('https://evil.example')).toBe('/');
    expect(safeFrom('/login')).toBe('/');
    expect(safeFrom(null)).toBe('/');
  });
});
