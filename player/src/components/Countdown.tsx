// The countdown to the server's deadline. The visible clock ticks every
// second (role="timer", which screen readers do not read out on each
// change); a separate polite live region speaks at each whole minute, at 30
// and 10 seconds and when time is up.
import { useEffect, useRef, useState } from 'preact/hooks';
import { announceAt, clockText, secondsLeft } from '../lib/countdown';
import { useLang } from '../lib/i18n';

export interface CountdownProps {
  deadlineMs: number;
  totalSeconds: number;
  now: () => number;
  onExpire: () => void;
}

export function Countdown({ deadlineMs, totalSeconds, now, onExpire }: CountdownProps) {
  const { t } = useLang();
  const [left, setLeft] = useState(() => secondsLeft(deadlineMs, now()));
  const [spoken, setSpoken] = useState(() => {
    const s = secondsLeft(deadlineMs, now());
    return s > 0 ? t.announceStart(speak(s, t)) : t.timeUp;
  });
  const prev = useRef(left);
  const expired = useRef(false);
  const expire = useRef(onExpire);
  expire.current = onExpire;

  useEffect(() => {
    const tick = () => {
      const s = secondsLeft(deadlineMs, now());
      const at = announceAt(prev.current, s);
      prev.current = s;
      setLeft(s);
      if (at === 0) setSpoken(t.timeUp);
      else if (at != null) setSpoken(at >= 60 ? t.announceMinutes(at / 60) : t.announceSeconds(at));
      if (s === 0 && !expired.current) {
        expired.current = true;
        expire.current();
      }
    };
    tick();
    const id = setInterval(tick, 250);
    return () => clearInterval(id);
  }, [deadlineMs, now, t]);

  const frac = totalSeconds > 0 ? Math.min(1, left / totalSeconds) : 0;
  const urgent = left <= 30;
  return (
    <div class={`countdown${urgent ? ' urgent' : ''}`}>
      <div class="countdown-row">
        <span class="countdown-label" id="countdown-label">
          {t.timeLeft}
        </span>
        <span class="countdown-clock" role="timer" aria-labelledby="countdown-label" data-testid="countdown">
          {clockText(left)}
        </span>
      </div>
      <div class="countdown-bar" aria-hidden="true">
        <div class="countdown-fill" style={{ width: `${frac * 100}%` }} />
      </div>
      <p class="sr-only" aria-live="polite" aria-atomic="true" data-testid="countdown-announcer">
        {spoken}
      </p>
    </div>
  );
}

function speak(seconds: number, t: ReturnType<typeof useLang>['t']): string {
  return t.spokenTime(Math.floor(seconds / 60), seconds % 60);
}
