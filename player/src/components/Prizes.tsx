// A winner's prizes and the claim form (name, mobile number, address),
// checked here as the server checks it.
import { useState } from 'preact/hooks';
import type { MyPrizesQuery } from '../gql/graphql';
import { dateTime } from '../lib/format';
import { useLang } from '../lib/i18n';
import { validateClaim, type ClaimErrors, type ClaimInput } from '../lib/validate';

export type Prize = MyPrizesQuery['myPrizes'][number];

export interface PrizesProps {
  prizes: Prize[];
  timezone: string;
  onClaim: (winnerID: string, v: ClaimInput) => Promise<string | null>;
}

export function Prizes({ prizes, timezone, onClaim }: PrizesProps) {
  const { t, lang } = useLang();
  if (prizes.length === 0) return null;
  return (
    <section class="card prizes" aria-labelledby="prizes-heading">
      <h2 id="prizes-heading">{t.myPrizesTitle}</h2>
      {prizes.map((p) => (
        <div key={p.id} class="prize">
          <p>{t.wonPeriod(p.period.index, p.drawOrder)}</p>
          {p.claimedAt ? (
            <p class="banner banner-ok" data-testid="claimed">
              {t.claimed(dateTime(p.claimedAt, timezone, lang))} · {t[`prizeStatus${p.prizeStatus}`]}
            </p>
          ) : (
            <ClaimForm winnerID={p.id} onClaim={onClaim} />
          )}
        </div>
      ))}
    </section>
  );
}

function ClaimForm({ winnerID, onClaim }: { winnerID: string; onClaim: PrizesProps['onClaim'] }) {
  const { t } = useLang();
  const [v, setV] = useState<ClaimInput>({ name: '', phone: '', address: '' });
  const [errors, setErrors] = useState<ClaimErrors>({});
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const id = (f: string) => `claim-${winnerID}-${f}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs = validateClaim(v);
    setErrors(errs);
    const first = (['name', 'phone', 'address'] as const).find((f) => errs[f]);
    if (first) {
      (document.getElementById(id(first)) as HTMLElement | null)?.focus();
      return;
    }
    setBusy(true);
    setServerError(await onClaim(winnerID, v));
    setBusy(false);
  };

  const field = (f: keyof ClaimInput, label: string, props: Record<string, unknown>, hint?: string) => {
    const err = errors[f];
    const describedBy = err ? id(f) + '-error' : hint ? id(f) + '-hint' : undefined;
    const Tag = f === 'address' ? 'textarea' : 'input';
    return (
      <div class="field">
        <label for={id(f)}>{label}</label>
        <Tag
          id={id(f)}
          name={f}
          value={v[f]}
          required
          aria-invalid={err ? true : undefined}
          aria-describedby={describedBy}
          onInput={(e: Event) => setV({ ...v, [f]: (e.currentTarget as HTMLInputElement).value })}
          {...props}
        />
        {err ? (
          <p id={id(f) + '-error'} class="field-error">
            {t[err]}
          </p>
        ) : (
          hint && (
            <p id={id(f) + '-hint'} class="field-hint">
              {hint}
            </p>
          )
        )}
      </div>
    );
  };

  return (
    <form class="claim" onSubmit={submit} noValidate aria-labelledby={id('title')}>
      <h3 id={id('title')}>{t.claimTitle}</h3>
      {field('name', t.claimName, { autoComplete: 'name', maxLength: 50 })}
      {field('phone', t.claimPhone, { type: 'tel', inputMode: 'tel', autoComplete: 'tel', maxLength: 20 })}
      {field('address', t.claimAddress, { autoComplete: 'street-address', maxLength: 200, rows: 3 }, t.claimAddressHint)}
      {serverError && (
        <p class="banner banner-error" role="alert">
          {serverError}
        </p>
      )}
      <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
        {busy ? t.claimSubmitting : t.claimSubmit}
      </button>
    </form>
  );
}
