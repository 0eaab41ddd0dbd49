package play

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/lib/pq"

	"prizequiz/ent"
	"prizequiz/ent/attempt"
	"prizequiz/internal/groupcommit"
	"prizequiz/internal/store"
)

// Starts on PostgreSQL are written in groups too, like submits: a city's
// campaign announced in the morning paper starts thousands at once.
const (
	startsInFlight     = 2
	startsPerStatement = 32
)

// startWrite is one attempt to create.
type startWrite struct {
	campaignID, participantID int
	now, deadline             time.Time
	day                       string
	qs                        []*ent.Question
}

type startGroup struct {
	once sync.Once
	w    *groupcommit.Writer[startWrite, standingOf, *ent.Attempt]

	encodeOnce sync.Once
	encoded    *lru.Cache[questionVersion, encodedQuestion]
}

// questionVersion names a question's content: an edit of its options or
// answer makes a new version.
type questionVersion struct{ id, version int }

// encodedQuestion is a question's options and answer as JSON, as every
// start of it stores them: encoding them was a twentieth of the server's
// CPU at a city's rate.
type encodedQuestion struct{ options, answer string }

func (s *Service) encode(q *ent.Question) (encodedQuestion, error) {
	s.starts.encodeOnce.Do(func() {
		s.starts.encoded, _ = lru.New[questionVersion, encodedQuestion](4096) // errors only on a size ≤ 0
	})
	key := questionVersion{q.ID, q.Version}
	if e, ok := s.starts.encoded.Get(key); ok {
		return e, nil
	}
	options, err := json.Marshal(q.Options)
	if err != nil {
		return encodedQuestion{}, fmt.Errorf("play: encode options: %w", err)
	}
	answer, err := json.Marshal(q.Answer)
	if err != nil {
		return encodedQuestion{}, fmt.Errorf("play: encode answer: %w", err)
	}
	e := encodedQuestion{string(options), string(answer)}
	s.starts.encoded.Add(key, e)
	return e, nil
}

// createGrouped is create for PostgreSQL: the attempt and its items written
// in one statement with the starts in flight beside it. It answers
// errInProgress when the participant has an attempt in progress.
func (s *Service) createGrouped(ctx context.Context, sw startWrite) (*ent.Attempt, error) {
	s.starts.once.Do(func() {
		s.starts.w = &groupcommit.Writer[startWrite, standingOf, *ent.Attempt]{
			Write: s.writeStarts,
			Key:   func(w startWrite) standingOf { return standingOf{w.campaignID, w.participantID} },
			Max:   startsPerStatement, Parallel: startsInFlight,
			Shared: store.IsOutage,
		}
	})
	a, err := s.starts.w.Do(ctx, sw)
	if err == nil && a == nil {
		err = errInProgress
	}
	return a, err
}

// startsStatement creates the attempts and items of writeStarts, and the
// question versions they are the first to use. The rows come as one array
// per column, so the text is the same for any number of starts: prepared
// once per connection and planned once, where a VALUES list was a new
// statement, prepared and planned again, for every length (planning was a
// third of its time). A data-modifying CTE runs whether or not the query
// reads it, so qv needs no reader.
const startsStatement = `WITH v AS (
		SELECT * FROM unnest($1::int[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::bigint[], $6::bigint[])
			AS v(k, started_at, deadline, started_day, campaign_id, participant_id)
	), a AS (
		INSERT INTO attempts (status, started_at, deadline, started_day, score, correct_count, duration_ms, folded, campaign_id, participant_id)
		SELECT 'IN_PROGRESS', v.started_at, v.deadline, v.started_day, 0, 0, 0, false, v.campaign_id, v.participant_id
		FROM v
		ON CONFLICT (participant_id, campaign_id) WHERE status = 'IN_PROGRESS' DO NOTHING
		RETURNING id, campaign_id, participant_id
	), qv AS (
		INSERT INTO question_versions (question_id, version, kind, stem, options, answer, explanation, category)
		SELECT * FROM unnest($11::bigint[], $12::bigint[], $13::text[], $14::text[], $15::jsonb[], $16::jsonb[], $17::text[], $18::text[])
		ON CONFLICT (question_id, version) DO NOTHING
	), q AS (
		SELECT * FROM unnest($7::int[], $8::bigint[], $9::bigint[], $10::bigint[])
			AS q(k, position, question_id, question_version)
	), i AS (
		INSERT INTO attempt_items (attempt_id, position, question_id, question_version, correct)
		SELECT a.id, q.position, q.question_id, q.question_version, false
		FROM q, v, a
		WHERE q.k = v.k AND a.campaign_id = v.campaign_id AND a.participant_id = v.participant_id
		RETURNING attempt_id, id, position
	)
	SELECT v.k, i.attempt_id, i.id, i.position
	FROM i, a, v
	WHERE i.attempt_id = a.id AND a.campaign_id = v.campaign_id AND a.participant_id = v.participant_id`

// writeStarts creates attempts and their items in one statement (data-
// modifying CTEs), atomic by itself. A participant with an attempt in
// progress in the campaign gets none (ON CONFLICT on the partial unique
// index): a nil attempt.
func (s *Service) writeStarts(ctx context.Context, ws []startWrite) ([]*ent.Attempt, error) {
	var v struct { // one row per start
		k, campaign, participant []int64
		startedAt, deadline, day []string
	}
	var q struct{ k, position, question, version []int64 } // one row per question of a start
	starts := make([][]*ent.Question, len(ws))
	for k, w := range ws {
		starts[k] = w.qs
		v.k = append(v.k, int64(k))
		v.startedAt = append(v.startedAt, string(pq.FormatTimestamp(w.now)))
		v.deadline = append(v.deadline, string(pq.FormatTimestamp(w.deadline)))
		v.day = append(v.day, w.day)
		v.campaign = append(v.campaign, int64(w.campaignID))
		v.participant = append(v.participant, int64(w.participantID))
		for i, qu := range w.qs {
			q.k = append(q.k, int64(k))
			q.position = append(q.position, int64(i+1))
			q.question = append(q.question, int64(qu.ID))
			q.version = append(q.version, int64(qu.Version))
		}
	}
	var qv struct { // one row per version no start of this process wrote yet
		question, version                                  []int64
		kind, stem, options, answer, explanation, category []string
	}
	news := s.versions.unstored(starts...)
	for _, qu := range news {
		e, err := s.encode(qu)
		if err != nil {
			return nil, err
		}
		qv.question = append(qv.question, int64(qu.ID))
		qv.version = append(qv.version, int64(qu.Version))
		qv.kind = append(qv.kind, string(qu.Kind))
		qv.stem = append(qv.stem, qu.Stem)
		qv.options = append(qv.options, e.options)
		qv.answer = append(qv.answer, e.answer)
		qv.explanation = append(qv.explanation, qu.Explanation)
		qv.category = append(qv.category, qu.Category)
	}
	args := []any{pq.Array(v.k), pq.Array(v.startedAt), pq.Array(v.deadline), pq.Array(v.day), pq.Array(v.campaign), pq.Array(v.participant),
		pq.Array(q.k), pq.Array(q.position), pq.Array(q.question), pq.Array(q.version),
		pq.Array(qv.question), pq.Array(qv.version), pq.Array(qv.kind), pq.Array(qv.stem), pq.Array(qv.options), pq.Array(qv.answer),
		pq.Array(qv.explanation), pq.Array(qv.category)}
	rows, err := s.Client.QueryContext(ctx, startsStatement, args...)
	if err != nil {
		return nil, fmt.Errorf("play: create attempts: %w", err)
	}
	defer rows.Close()
	out := make([]*ent.Attempt, len(ws))
	for rows.Next() {
		var k, id, itemID, position int
		if err := rows.Scan(&k, &id, &itemID, &position); err != nil {
			return nil, fmt.Errorf("play: create attempts: %w", err)
		}
		if k < 0 || k >= len(ws) || position < 1 || position > len(ws[k].qs) {
			return nil, fmt.Errorf("play: create attempts: row for start %d, position %d", k, position)
		}
		w := ws[k]
		a := out[k]
		if a == nil {
			a = &ent.Attempt{ID: id, Status: attempt.StatusIN_PROGRESS, StartedAt: w.now, Deadline: w.deadline, StartedDay: w.day,
				CampaignID: w.campaignID, ParticipantID: w.participantID}
			a.Edges.Items = make([]*ent.AttemptItem, len(w.qs))
			out[k] = a
		}
		q := w.qs[position-1]
		it := &ent.AttemptItem{ID: itemID, Position: position, QuestionID: q.ID, QuestionVersion: q.Version, AttemptID: id}
		shown := versionOf(q)
		show(it, &shown)
		a.Edges.Items[position-1] = it
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("play: create attempts: %w", err)
	}
	s.versions.written(news) // committed: the statement ran to its end
	for k, a := range out {
		if a == nil {
			continue
		}
		for _, it := range a.Edges.Items {
			if it == nil {
				// Committed already, so a broken invariant, not a rollback.
				return nil, fmt.Errorf("play: create attempts: start %d lacks items", k)
			}
		}
	}
	return out, nil
}
