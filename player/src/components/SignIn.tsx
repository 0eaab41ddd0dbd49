// Guest sign-in with a nickname, and WeChat when the server has an AppID.
import { useState } from 'preact/hooks';
import { useLang } from '../lib/i18n';
import { validateNickname } from '../lib/validate';

export interface SignInProps {
  wechatAppID: string;
  busy: boolean;
  onGuest: (nickname: string) => void;
  onWeChat: () => void;
}

export function SignIn({ wechatAppID, busy, onGuest, onWeChat }: SignInProps) {
  const { t } = useLang();
  const [nick, setNick] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    const bad = validateNickname(nick);
    if (bad) {
      setError(t[bad]);
      (document.getElementById('nickname') as HTMLInputElement | null)?.focus();
      return;
    }
    setError(null);
    onGuest(nick.trim());
  };
  return (
    <section class="card signin" aria-labelledby="signin-heading">
      <h2 id="signin-heading">{t.signInTitle}</h2>
      {wechatAppID && (
        <>
          <button type="button" class="btn btn-wechat btn-block" disabled={busy} onClick={onWeChat}>
            {t.wechatSignIn}
          </button>
          <p class="or">
            <span>{t.or}</span>
          </p>
        </>
      )}
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="nickname">{t.nickname}</label>
          <input
            id="nickname"
            name="nickname"
            autoComplete="nickname"
            maxLength={40}
            value={nick}
            aria-describedby={error ? 'nickname-error' : 'nickname-hint'}
            aria-invalid={error ? true : undefined}
            onInput={(e) => setNick((e.currentTarget as HTMLInputElement).value)}
          />
          {error ? (
            <p id="nickname-error" class="field-error" role="alert">
              {error}
            </p>
          ) : (
            <p id="nickname-hint" class="field-hint">
              {t.nicknameHint}
            </p>
          )}
        </div>
        <button type="submit" class={`btn btn-block ${wechatAppID ? '' : 'btn-primary'}`} disabled={busy}>
          {t.guestSignIn}
        </button>
      </form>
    </section>
  );
}
