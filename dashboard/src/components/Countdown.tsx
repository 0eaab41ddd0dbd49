import { useEffect, useState } from 'react';
import { formatCountdown, msUntil } from '../lib/format';
import { useI18n } from '../i18n/I18nContext';

/** The current time, ticking every `intervalMs`. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

/** "3 天 04:05:06" until `to`, ticking each second; calls onDone once at zero. */
export function Countdown({ to, onDone, className }: { to: string; onDone?: () => void; className?: string }) {
  const now = useNow(1000);
  const { lang } = useI18n();
  const left = msUntil(to, now);
  useEffect(() => {
    if (left === 0) onDone?.();
    // fire once when it reaches zero
  }, [left === 0]);
  return (
    <span className={className} style={{ fontVariantNumeric: 'tabular-nums' }}>
      {formatCountdown(left, lang)}
    </span>
  );
}
