// The submitted attempt: score, time, rank, and each question with the
// player's answer, the correct answer and the explanation.
import { useEffect, useRef } from 'preact/hooks';
import type { SubmitAttemptMutation } from '../gql/graphql';
import { duration } from '../lib/format';
import { useLang } from '../lib/i18n';

export type AttemptResult = SubmitAttemptMutation['submitAttempt'];

export interface ResultProps {
  result: AttemptResult;
  auto: boolean;
  onBack: () => void;
}

export function Result({ result, auto, onBack }: ResultProps) {
  const { t, lang } = useLang();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const qs = [...result.attempt.questions].sort((a, b) => a.position - b.position);
  const byID = new Map(result.review.map((r) => [r.questionID, r]));
  const keys = (ks: string[]) => (ks.length ? ks.join('、') : t.noAnswer);

  return (
    <main class="result">
      <section class="card result-summary" aria-labelledby="result-heading">
        <h2 id="result-heading" ref={heading} tabIndex={-1}>
          {t.resultTitle}
        </h2>
        {auto && (
          <p class="banner banner-warn" role="status">
            {t.timeUpSubmitted}
          </p>
        )}
        <p class="big-score" data-testid="score">
          {t.yourScore(result.score)}
        </p>
        <dl class="stats">
          <div>
            <dt>{t.correct}</dt>
            <dd>{t.correctCount(result.correctCount, qs.length)}</dd>
          </div>
          <div>
            <dt>{t.timeUsed}</dt>
            <dd data-testid="duration">{duration(result.durationMs, lang)}</dd>
          </div>
          <div>
            <dt>{t.rank}</dt>
            <dd data-testid="rank">{t.rankNow(result.standing.rank)}</dd>
          </div>
        </dl>
        <button type="button" class="btn btn-primary btn-block" onClick={onBack}>
          {t.back}
        </button>
      </section>

      <section aria-labelledby="review-heading">
        <h2 id="review-heading" class="section-title">
          {t.review}
        </h2>
        <ol class="review">
          {qs.map((q, i) => {
            const r = byID.get(q.id);
            const ok = !!r?.isCorrect;
            return (
              <li key={q.id} class={`card review-item ${ok ? 'ok' : 'bad'}`}>
                <p class="review-head">
                  <span class="review-no">{i + 1}.</span>
                  <span class={`tag ${ok ? 'tag-ok' : 'tag-bad'}`}>{ok ? `✓ ${t.correct}` : `✗ ${t.wrong}`}</span>
                </p>
                <p class="review-stem">{q.stem}</p>
                <ul class="review-options">
                  {q.options.map((o) => {
                    const isCorrect = r?.correct.includes(o.key);
                    const isChosen = r?.chosen.includes(o.key);
                    return (
                      <li key={o.key} class={`${isCorrect ? 'is-correct' : ''}${isChosen ? ' is-chosen' : ''}`}>
                        <span class="option-key">{o.key}</span> {o.text}
                      </li>
                    );
                  })}
                </ul>
                <p>
                  {t.yourAnswer}：<strong>{keys(r?.chosen ?? [])}</strong>　{t.correctAnswer}：<strong>{keys(r?.correct ?? [])}</strong>
                </p>
                {r?.explanation && (
                  <p class="explanation">
                    <strong>{t.explanation}：</strong>
                    {r.explanation}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
        <button type="button" class="btn btn-block" onClick={onBack}>
          {t.back}
        </button>
      </section>
    </main>
  );
}
