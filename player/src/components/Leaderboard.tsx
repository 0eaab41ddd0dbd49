// The live top 10 and the player's own standing, both pushed by the server.
import type { LeaderboardFieldsFragment, StandingFieldsFragment } from '../gql/graphql';
import { duration } from '../lib/format';
import { useLang } from '../lib/i18n';

export function MyStanding({ standing }: { standing: StandingFieldsFragment | null }) {
  const { t, lang } = useLang();
  return (
    <dl class="stats my-standing" aria-label={t.myRank} data-testid="my-standing">
      <div>
        <dt>{t.rank}</dt>
        <dd data-testid="my-rank">{standing?.rank ? `#${standing.rank}` : t.notRanked}</dd>
      </div>
      <div>
        <dt>{t.score}</dt>
        <dd>{standing?.rank ? standing.score : '—'}</dd>
      </div>
      <div>
        <dt>{t.timeUsed}</dt>
        <dd>{standing?.rank ? duration(standing.durationMs, lang) : '—'}</dd>
      </div>
    </dl>
  );
}

export function Leaderboard({ board, me }: { board: LeaderboardFieldsFragment | null; me?: string }) {
  const { t, lang } = useLang();
  return (
    <section class="card leaderboard" aria-labelledby="board-heading">
      <h2 id="board-heading">
        {t.top10} <span class="live-dot">{t.live}</span>
      </h2>
      {!board ? (
        <p class="muted">{t.loading}</p>
      ) : board.entries.length === 0 ? (
        <p class="muted">{t.emptyBoard}</p>
      ) : (
        <>
          <table data-testid="leaderboard">
            <thead>
              <tr>
                <th scope="col">{t.rank}</th>
                <th scope="col">{t.nickname}</th>
                <th scope="col" class="num">
                  {t.score}
                </th>
                <th scope="col" class="num">
                  {t.timeUsed}
                </th>
              </tr>
            </thead>
            <tbody>
              {board.entries.map((e) => (
                <tr key={e.participant.publicID} class={e.participant.publicID === me ? 'me' : undefined}>
                  <td>
                    <span class={`rank-badge r${e.rank}`}>{e.rank}</span>
                  </td>
                  <td class="nick">
                    {e.participant.nickname}
                    {e.participant.publicID === me && t.you}
                  </td>
                  <td class="num">{e.score}</td>
                  <td class="num">{duration(e.durationMs, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted small">{t.participants(board.total)}</p>
        </>
      )}
    </section>
  );
}
