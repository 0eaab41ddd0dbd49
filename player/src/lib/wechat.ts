// WeChat official-account web authorization (网页授权, OAuth2): the page
// sends the player to WeChat with a random state kept in sessionStorage and,
// on the way back, signs in with the code only if the state matches (so a
// code planted by another site cannot sign the player in as someone else).

const STATE_KEY = 'pq.wechatState';
export const AUTHORIZE_URL = 'https://open.weixin.qq.com/connect/oauth2/authorize';

function randomState(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** The authorization URL for appID, returning to redirectURI; stores the state it puts in. */
export function authorizeURL(appID: string, redirectURI: string, store: Storage = sessionStorage): string {
  const state = randomState();
  store.setItem(STATE_KEY, state);
  const q = new URLSearchParams({
    appid: appID,
    redirect_uri: redirectURI,
    response_type: 'code',
    scope: 'snsapi_userinfo',
    state,
  });
  // WeChat wants its parameters in this order and the #wechat_redirect fragment.
  return `${AUTHORIZE_URL}?${q.toString()}#wechat_redirect`;
}

/** Where WeChat should send the player back: this page without code/state. */
export function redirectURI(loc: Pick<Location, 'origin' | 'pathname' | 'search'> = window.location): string {
  const q = new URLSearchParams(loc.search);
  q.delete('code');
  q.delete('state');
  const s = q.toString();
  return `${loc.origin}${loc.pathname}${s ? '?' + s : ''}`;
}

export type Return = { kind: 'none' } | { kind: 'ok'; code: string } | { kind: 'bad-state' };

/**
 * Reads a return from WeChat in search. The stored state is used once:
 * it is removed whatever the outcome.
 */
export function readReturn(search: string, store: Storage = sessionStorage): Return {
  const q = new URLSearchParams(search);
  const code = q.get('code');
  if (code == null) return { kind: 'none' };
  const want = store.getItem(STATE_KEY);
  store.removeItem(STATE_KEY);
  const got = q.get('state');
  if (!want || !got || got !== want || code === '') return { kind: 'bad-state' };
  return { kind: 'ok', code };
}
