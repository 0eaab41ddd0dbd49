// The winners of each published period (masked nicknames, in draw order),
// each with a link to its proof page.
import type { WinnersQuery } from '../gql/graphql';
import { useLang } from '../lib/i18n';
import type { Campaign } from './Rules';

export type PeriodWinners = { periodID: string; index: number; winners: WinnersQuery['winners'] | null };

export function Winners({ campaign, lists }: { campaign: Campaign; lists: Record<string, WinnersQuery['winners']> }) {
  const { t } = useLang();
  const drawn = [...campaign.periods].filter((p) => p.status === 'PUBLISHED' || p.status === 'DRAWN').sort((a, b) => b.index - a.index);
  if (drawn.length === 0) return null;
  return (
    <section class="card winners" aria-labelledby="winners-heading">
      <h2 id="winners-heading">{t.winnersTitle}</h2>
      {drawn.map((p, i) => {
        const list = lists[p.id];
        return (
          <details key={p.id} open={i === 0} data-testid={`winners-${p.index}`}>
            <summary>{t.periodN(p.index)}</summary>
            {p.status !== 'PUBLISHED' || !list || list.length === 0 ? (
              <p class="muted">{t.noWinnersYet}</p>
            ) : (
              <ol class="winner-list">
                {list.map((w) => (
                  <li key={w.drawOrder}>
                    <span class="order">{w.drawOrder}</span> {w.participant.nickname}
                    {w.alternate && <span class="tag">{t.alternate}</span>}
                  </li>
                ))}
              </ol>
            )}
            <p>
              <a href={`/proof/${encodeURIComponent(p.id)}`}>{t.verifyDraw} →</a>
            </p>
          </details>
        );
      })}
    </section>
  );
}
