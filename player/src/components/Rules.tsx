// The campaign's rules, written from its settings rather than fixed text,
// so a campaign with other numbers reads right.
import type { CampaignFieldsFragment } from '../gql/graphql';
import { dateTime, span } from '../lib/format';
import { useLang } from '../lib/i18n';

export type Campaign = CampaignFieldsFragment;

/** The cutoff of the period running at nowMs, if any. */
export function nextCutoff(c: Campaign, nowMs: number): string | null {
  const p = [...c.periods].sort((a, b) => a.index - b.index).find((x) => Date.parse(x.endsAt) > nowMs);
  return p ? p.endsAt : null;
}

export function isRunning(c: Campaign, nowMs: number): boolean {
  return Date.parse(c.startsAt) <= nowMs && nowMs < Date.parse(c.endsAt);
}

export function Rules({ campaign: c, nowMs }: { campaign: Campaign; nowMs: number }) {
  const { t, lang } = useLang();
  const cutoff = nextCutoff(c, nowMs);
  const ended = nowMs >= Date.parse(c.endsAt);
  return (
    <section class="card rules" aria-labelledby="rules-heading">
      <h2 id="rules-heading">{t.rulesTitle}</h2>
      {c.description && <p class="description">{c.description}</p>}
      <ul>
        <li>{t.ruleQuestions(c.questionsPerAttempt, span(c.timeLimitSeconds, lang))}</li>
        <li>{t.rulePoints(c.pointsPerQuestion, c.pointsPerQuestion * c.questionsPerAttempt)}</li>
        <li>{c.rankingMode === 'TOTAL_SCORE' ? t.ruleRankingTotal : t.ruleRankingBest}</li>
        <li>
          {t.ruleDraw(span(c.periodSeconds, lang), c.poolSize, c.winnersPerPeriod)}
          {c.excludePreviousWinners && ` ${t.ruleExclude}`}
        </li>
        <li>{t.ruleAttempts(c.maxAttemptsPerDay ?? null)}</li>
        <li>{t.ruleWindow(dateTime(c.startsAt, c.timezone, lang), dateTime(c.endsAt, c.timezone, lang))}</li>
        <li>{t.ruleFair}</li>
      </ul>
      {ended ? (
        <p class="cutoff">{t.ruleEnded}</p>
      ) : (
        cutoff && (
          <p class="cutoff" data-testid="next-cutoff">
            {t.ruleNextCutoff(dateTime(cutoff, c.timezone, lang))}
          </p>
        )
      )}
    </section>
  );
}
