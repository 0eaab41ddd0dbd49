// One question at a time, answers kept on every change, focus moved to
// each new question so screen-reader and keyboard users start there.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AttemptFieldsFragment } from '../gql/graphql';
import { useLang } from '../lib/i18n';
import type { Progress } from '../lib/storage';
import { Countdown } from './Countdown';

export type QuizPhase = 'answering' | 'submitting' | 'timeup';

export interface QuizProps {
  attempt: AttemptFieldsFragment;
  progress: Progress;
  phase: QuizPhase;
  timeLimitSeconds: number;
  now: () => number;
  onChange: (p: Progress) => void;
  onSubmit: (auto: boolean) => void;
  /** a problem to show above the buttons (e.g. a failed submit) */
  notice?: string | null;
}

export function Quiz({ attempt, progress, phase, timeLimitSeconds, now, onChange, onSubmit, notice }: QuizProps) {
  const { t } = useLang();
  const qs = [...attempt.questions].sort((a, b) => a.position - b.position);
  const n = qs.length;
  const index = Math.min(Math.max(progress.index, 0), n - 1);
  const q = qs[index];
  const chosen = progress.answers[q.id] ?? [];
  const answered = qs.filter((x) => (progress.answers[x.id] ?? []).length > 0).length;
  const heading = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const [confirming, setConfirming] = useState(false);
  const locked = phase !== 'answering';

  useEffect(() => {
    heading.current?.focus();
  }, [index, attempt.id]);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const go = (i: number) => {
    setConfirming(false);
    onChange({ ...progress, index: i });
  };
  const choose = (key: string, checked: boolean) => {
    if (locked) return;
    let next: string[];
    if (q.kind === 'MULTIPLE') next = checked ? [...new Set([...chosen, key])].sort() : chosen.filter((k) => k !== key);
    else next = [key];
    onChange({ ...progress, answers: { ...progress.answers, [q.id]: next } });
  };
  const submit = () => {
    if (answered < n && !confirming) setConfirming(true);
    else onSubmit(false);
  };

  return (
    <main class="quiz" aria-busy={phase === 'submitting'}>
      <Countdown deadlineMs={Date.parse(attempt.deadline)} totalSeconds={timeLimitSeconds} now={now} onExpire={() => onSubmit(true)} />
      {phase === 'timeup' && (
        <div class="banner banner-warn" role="alert">
          {t.timeUpSubmitting}
        </div>
      )}
      <section class="card question" aria-labelledby="question-heading">
        <h2 id="question-heading" ref={heading} tabIndex={-1} class="question-heading">
          {t.question(index + 1, n)}
          <span class="question-kind">{t[`kind${q.kind}`]}</span>
        </h2>
        <fieldset disabled={locked}>
          <legend class="question-stem">{q.stem}</legend>
          <div class="options">
            {q.options.map((o) => {
              const id = `opt-${q.id}-${o.key}`;
              const on = chosen.includes(o.key);
              return (
                <label key={o.key} for={id} class={`option${on ? ' selected' : ''}`}>
                  <input
                    id={id}
                    type={q.kind === 'MULTIPLE' ? 'checkbox' : 'radio'}
                    name={`q-${q.id}`}
                    value={o.key}
                    checked={on}
                    onChange={(e) => choose(o.key, (e.currentTarget as HTMLInputElement).checked)}
                  />
                  <span class="option-key" aria-hidden="true">
                    {o.key}
                  </span>
                  <span class="option-text">{o.text}</span>
                </label>
              );
            })}
          </div>
        </fieldset>
      </section>

      <nav class="dots" aria-label={t.progress}>
        <span class="dots-count">{t.answered(answered, n)}</span>
        <ol>
          {qs.map((x, i) => {
            const done = (progress.answers[x.id] ?? []).length > 0;
            return (
              <li key={x.id}>
                <button
                  type="button"
                  class={`dot${done ? ' done' : ''}${i === index ? ' current' : ''}`}
                  aria-label={t.goToQuestion(i + 1, done)}
                  aria-current={i === index ? 'step' : undefined}
                  onClick={() => go(i)}
                >
                  {i + 1}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>

      {notice && (
        <div class="banner banner-error" role="alert">
          <p>{notice}</p>
          {phase === 'timeup' && (
            <button type="button" class="btn btn-primary btn-block" onClick={() => onSubmit(true)}>
              {t.retry}
            </button>
          )}
        </div>
      )}

      {confirming && !locked && (
        <div class="card confirm" role="alertdialog" aria-labelledby="confirm-text" tabIndex={-1} ref={confirmRef}>
          <p id="confirm-text">{t.confirmUnanswered(n - answered)}</p>
          <div class="actions">
            <button type="button" class="btn" onClick={() => setConfirming(false)}>
              {t.keepAnswering}
            </button>
            <button type="button" class="btn btn-primary" onClick={() => onSubmit(false)}>
              {t.confirmSubmit}
            </button>
          </div>
        </div>
      )}

      <div class="actions quiz-actions">
        <button type="button" class="btn" disabled={index === 0 || locked} onClick={() => go(index - 1)}>
          {t.prev}
        </button>
        {index < n - 1 ? (
          <button type="button" class="btn btn-primary" disabled={locked} onClick={() => go(index + 1)}>
            {t.next}
          </button>
        ) : (
          <button type="button" class="btn btn-primary" disabled={locked} onClick={submit}>
            {phase === 'submitting' ? t.submitting : t.submit}
          </button>
        )}
      </div>
    </main>
  );
}
