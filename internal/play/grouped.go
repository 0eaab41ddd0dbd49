package play

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/internal/groupcommit"
	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
)

// Submits on PostgreSQL are written in groups (internal/groupcommit): the
// submits that arrive while others are being written go together in the
// next statement. At most submitsInFlight statements run at once, each
// with at most submitsPerStatement submits. Two in flight beat four and
// one on the two-core machine (BenchmarkAttempts: 1,324-1,662 attempts/s
// against 1,156-1,333 and 1,338-1,399): fewer, larger statements, without
// a lone statement holding everyone up.
const (
	submitsInFlight     = 2
	submitsPerStatement = 32
)

// submitWrite is one graded submit to write.
type submitWrite struct {
	a       *ent.Attempt // with its items
	res     ranking.Result
	count   int
	chosen  [][]string
	correct []bool
}

// submitWritten is what writing it did: wrote is false when nothing was
// written (the attempt was no longer in progress, or its participant is
// blocked).
type submitWritten struct {
	written ranking.Written
	wrote   bool
}

// standingOf names the standing a submit writes: one statement cannot
// upsert it twice.
type standingOf struct{ campaignID, participantID int }

type submitGroups struct {
	once   sync.Once
	byMode map[campaign.RankingMode]*groupcommit.Writer[submitWrite, standingOf, submitWritten]
}

func (s *Service) submitWriter(mode campaign.RankingMode) *groupcommit.Writer[submitWrite, standingOf, submitWritten] {
	s.submits.once.Do(func() {
		s.submits.byMode = map[campaign.RankingMode]*groupcommit.Writer[submitWrite, standingOf, submitWritten]{}
		for _, m := range []campaign.RankingMode{campaign.RankingModeBEST_ATTEMPT, campaign.RankingModeTOTAL_SCORE} {
			s.submits.byMode[m] = &groupcommit.Writer[submitWrite, standingOf, submitWritten]{
				Write: func(ctx context.Context, ws []submitWrite) ([]submitWritten, error) {
					return s.writeSubmits(ctx, m, ws)
				},
				Key: func(w submitWrite) standingOf {
					return standingOf{w.res.CampaignID, w.res.ParticipantID}
				},
				Max: submitsPerStatement, Parallel: submitsInFlight,
				Shared: store.IsOutage,
			}
		}
	})
	return s.submits.byMode[mode]
}

// writeGrouped is writeInTx for PostgreSQL: the attempt, its answers and
// the standing written in one statement with the submits in flight beside
// it. A blocked participant is refused by the attempt's own WHERE, so
// nothing of theirs is written; a block committed while the statement runs
// shows as a hidden standing.
func (s *Service) writeGrouped(ctx context.Context, a *ent.Attempt, mode campaign.RankingMode, res ranking.Result, count int, chosen [][]string, correct []bool) (ranking.Written, bool, error) {
	w := s.submitWriter(mode)
	if w == nil {
		return ranking.Written{}, false, fmt.Errorf("play: ranking mode %q", mode)
	}
	out, err := w.Do(ctx, submitWrite{a: a, res: res, count: count, chosen: chosen, correct: correct})
	return out.written, out.wrote, err
}

// submitsStatements write the submits of writeSubmits, by ranking mode.
// As startsStatement, the rows come as one array per column, so that each
// is one statement whatever the number of submits.
var submitsStatements = map[campaign.RankingMode]string{
	campaign.RankingModeBEST_ATTEMPT: submitsStatement(campaign.RankingModeBEST_ATTEMPT),
	campaign.RankingModeTOTAL_SCORE:  submitsStatement(campaign.RankingModeTOTAL_SCORE),
}

func submitsStatement(mode campaign.RankingMode) string {
	return `WITH v AS (
		SELECT * FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::bigint[], $5::timestamptz[], $6::bigint[], $7::bigint[], $8::bigint[])
			AS v(k, attempt_id, participant_id, campaign_id, submitted_at, score, correct_count, duration_ms)
	), a AS (
		UPDATE attempts SET status = 'SUBMITTED', submitted_at = v.submitted_at, score = v.score,
			correct_count = v.correct_count, duration_ms = v.duration_ms
		FROM v
		WHERE attempts.id = v.attempt_id AND attempts.status = 'IN_PROGRESS'
			AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.id = v.participant_id AND p.blocked)
		RETURNING attempts.id
	), iv AS (
		SELECT * FROM unnest($9::bigint[], $10::bigint[], $11::jsonb[], $12::boolean[]) AS iv(id, attempt_id, chosen, correct)
	), i AS (
		UPDATE attempt_items SET chosen = iv.chosen, correct = iv.correct
		FROM iv, a
		WHERE attempt_items.id = iv.id AND iv.attempt_id = a.id AND attempt_items.attempt_id = a.id
		RETURNING attempt_items.attempt_id
	), s AS (
		` + ranking.Upsert(mode, `SELECT v.campaign_id, v.participant_id, v.score, v.duration_ms, v.submitted_at, 1,
			(SELECT blocked FROM participants WHERE id = v.participant_id), `+ranking.NextChange(dialect.Postgres)+`
			FROM v, a WHERE a.id = v.attempt_id`) + `
		RETURNING campaign_id, participant_id, ` + ranking.WrittenColumns + `
	)
	SELECT v.k, s.score, s.duration_ms, s.achieved_at, s.attempts, s.hidden, s.change,
		(SELECT count(*) FROM i WHERE i.attempt_id = v.attempt_id)
	FROM s, v WHERE v.campaign_id = s.campaign_id AND v.participant_id = s.participant_id`
}

// writeSubmits writes submits of campaigns ranked by mode in one statement
// (data-modifying CTEs), atomic by itself.
func (s *Service) writeSubmits(ctx context.Context, mode campaign.RankingMode, ws []submitWrite) ([]submitWritten, error) {
	var v struct{ k, attempt, participant, campaign, score, count, duration []int64 }
	var at []string
	var i struct {
		id, attempt []int64
		chosen      []string
		correct     []bool
	}
	for k, w := range ws {
		v.k = append(v.k, int64(k))
		v.attempt = append(v.attempt, int64(w.a.ID))
		v.participant = append(v.participant, int64(w.res.ParticipantID))
		v.campaign = append(v.campaign, int64(w.res.CampaignID))
		at = append(at, string(pq.FormatTimestamp(w.res.At)))
		v.score = append(v.score, int64(w.res.Score))
		v.count = append(v.count, int64(w.count))
		v.duration = append(v.duration, w.res.DurationMs)
		for n, it := range w.a.Edges.Items {
			keys, err := json.Marshal(w.chosen[n]) // as ent stores it: null when unanswered
			if err != nil {
				return nil, fmt.Errorf("play: encode answer: %w", err)
			}
			i.id = append(i.id, int64(it.ID))
			i.attempt = append(i.attempt, int64(w.a.ID))
			i.chosen = append(i.chosen, string(keys))
			i.correct = append(i.correct, w.correct[n])
		}
	}
	rows, err := s.Client.QueryContext(ctx, submitsStatements[mode],
		pq.Array(v.k), pq.Array(v.attempt), pq.Array(v.participant), pq.Array(v.campaign), pq.Array(at),
		pq.Array(v.score), pq.Array(v.count), pq.Array(v.duration),
		pq.Array(i.id), pq.Array(i.attempt), pq.Array(i.chosen), pq.Array(i.correct))
	if err != nil {
		return nil, fmt.Errorf("play: write submits: %w", err)
	}
	defer rows.Close()
	out := make([]submitWritten, len(ws))
	for rows.Next() {
		var k, stored int
		var w ranking.Written
		if err := rows.Scan(&k, &w.Score, &w.DurationMs, &w.AchievedAt, &w.Attempts, &w.Row.Hidden, &w.Row.Change, &stored); err != nil {
			return nil, fmt.Errorf("play: read written submits: %w", err)
		}
		if k < 0 || k >= len(ws) {
			return nil, fmt.Errorf("play: write submits: row for submit %d of %d", k, len(ws))
		}
		sub := ws[k]
		if stored != len(sub.a.Edges.Items) {
			// Committed already, so this is a broken invariant, not a rollback.
			return nil, fmt.Errorf("play: write submits: %d of %d answers stored", stored, len(sub.a.Edges.Items))
		}
		var err error
		if w.Row.Key, err = ranking.MakeKey(w.Score, w.DurationMs, w.AchievedAt, sub.res.ParticipantID); err != nil {
			return nil, err
		}
		w.CampaignID = sub.res.CampaignID
		out[k] = submitWritten{written: w, wrote: true}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("play: write submits: %w", err)
	}
	return out, nil
}
