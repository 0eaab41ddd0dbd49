import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { App } from 'antd';
import { makeClient } from '../api/client';
import { useI18n } from '../i18n/I18nContext';
import { clearSession, loadSession, saveSession, type Session } from './session';

export interface Auth {
  session: Session | null;
  signIn: (s: Session) => void;
  /** forgets the session; `expired` tells the user why they are back at sign-in */
  signOut: (opts?: { expired?: boolean }) => void;
  /** updates username/role from `me` */
  refresh: (s: Pick<Session, 'username' | 'role'>) => void;
}

const AuthCtx = createContext<Auth>({
  session: null,
  signIn: () => {},
  signOut: () => {},
  refresh: () => {},
});

/**
 * Holds the admin session and the GraphQL client made for it: signing in
 * or out makes a new client, so no cached data of one session reaches the
 * next and the websocket reconnects with the new token.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const { message } = App.useApp();
  const { t } = useI18n();
  const tRef = useRef(t);
  tRef.current = t;

  const signOut = useCallback<Auth['signOut']>(
    (opts) => {
      clearSession();
      setSession((prev) => {
        if (prev && opts?.expired) message.warning({ content: tRef.current('signIn.expired'), key: 'session-expired' });
        return null;
      });
    },
    [message],
  );
  const signOutRef = useRef(signOut);
  signOutRef.current = signOut;

  const signIn = useCallback((s: Session) => {
    saveSession(s);
    setSession(s);
  }, []);

  const refresh = useCallback<Auth['refresh']>((who) => {
    setSession((prev) => {
      if (!prev || (prev.username === who.username && prev.role === who.role)) return prev;
      const next = { ...prev, ...who };
      saveSession(next);
      return next;
    });
  }, []);

  const token = session?.token ?? null;
  const api = useMemo(
    () =>
      makeClient({
        token,
        onUnauthenticated: () => {
          if (token) signOutRef.current({ expired: true });
        },
      }),
    [token],
  );
  useEffect(() => () => api.dispose(), [api]);

  // The token dies on its own at expiresAt.
  useEffect(() => {
    if (!session) return;
    const ms = Date.parse(session.expiresAt) - Date.now();
    if (!Number.isFinite(ms)) return;
    const id = window.setTimeout(() => signOutRef.current({ expired: true }), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    return () => window.clearTimeout(id);
  }, [session]);

  // Another tab signed in or out.
  useEffect(() => {
    const onStorage = () => setSession(loadSession());
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const value = useMemo(() => ({ session, signIn, signOut, refresh }), [session, signIn, signOut, refresh]);
  return (
    <AuthCtx.Provider value={value}>
      <UrqlProvider value={api.client}>{children}</UrqlProvider>
    </AuthCtx.Provider>
  );
}

export function useAuth(): Auth {
  return useContext(AuthCtx);
}
