package play

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"prizequiz/ent"
	"prizequiz/ent/attempt"
	"prizequiz/internal/groupcommit"
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
		}
	})
	a, err := s.starts.w.Do(ctx, sw)
	if err == nil && a == nil {
		err = errInProgress
	}
	return a, err
}

// writeStarts creates attempts and their items in one statement (data-
// modifying CTEs), atomic by itself. A participant with an attempt in
// progress in the campaign gets none (ON CONFLICT on the partial unique
// index): a nil attempt.
func (s *Service) writeStarts(ctx context.Context, ws []startWrite) ([]*ent.Attempt, error) {
	var (
		args              []any
		starts, questions strings.Builder
	)
	param := func(v any, cast string) string {
		args = append(args, v)
		p := "$" + strconv.Itoa(len(args))
		if cast != "" {
			p += "::" + cast
		}
		return p
	}
	for k, w := range ws {
		if k > 0 {
			starts.WriteString(", ")
		}
		fmt.Fprintf(&starts, "(%s, %s, %s, %s, %s, %s)", param(k, "int"), param(w.now, "timestamptz"),
			param(w.deadline, "timestamptz"), param(w.day, "text"), param(w.campaignID, "bigint"), param(w.participantID, "bigint"))
		for i, q := range w.qs {
			e, err := s.encode(q)
			if err != nil {
				return nil, err
			}
			if questions.Len() > 0 {
				questions.WriteString(", ")
			}
			fmt.Fprintf(&questions, "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", param(k, "int"), param(i+1, "bigint"),
				param(q.ID, "bigint"), param(q.Version, "bigint"), param(string(q.Kind), "text"), param(q.Stem, "text"),
				param(e.options, "jsonb"), param(e.answer, "jsonb"), param(q.Explanation, "text"), param(q.Category, "text"))
		}
	}
	q := `WITH v(k, started_at, deadline, started_day, campaign_id, participant_id) AS (
		VALUES ` + starts.String() + `
	), a AS (
		INSERT INTO attempts (status, started_at, deadline, started_day, score, correct_count, duration_ms, folded, campaign_id, participant_id)
		SELECT '` + string(attempt.StatusIN_PROGRESS) + `', v.started_at, v.deadline, v.started_day, 0, 0, 0, false, v.campaign_id, v.participant_id
		FROM v
		ON CONFLICT (participant_id, campaign_id) WHERE status = 'IN_PROGRESS' DO NOTHING
		RETURNING id, campaign_id, participant_id
	), q(k, position, question_id, question_version, kind, stem, options, answer, explanation, category) AS (
		VALUES ` + questions.String() + `
	), i AS (
		INSERT INTO attempt_items (attempt_id, position, question_id, question_version, kind, stem, options, answer, explanation, category, correct)
		SELECT a.id, q.position, q.question_id, q.question_version, q.kind, q.stem, q.options, q.answer, q.explanation, q.category, false
		FROM q, v, a
		WHERE q.k = v.k AND a.campaign_id = v.campaign_id AND a.participant_id = v.participant_id
		RETURNING attempt_id, id, position
	)
	SELECT v.k, i.attempt_id, i.id, i.position
	FROM i, a, v
	WHERE i.attempt_id = a.id AND a.campaign_id = v.campaign_id AND a.participant_id = v.participant_id`
	rows, err := s.Client.QueryContext(ctx, q, args...)
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
		a.Edges.Items[position-1] = &ent.AttemptItem{ID: itemID, Position: position, QuestionID: q.ID, QuestionVersion: q.Version,
			Kind: q.Kind, Stem: q.Stem, Options: q.Options, Answer: q.Answer, Explanation: q.Explanation, Category: q.Category, AttemptID: id}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("play: create attempts: %w", err)
	}
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
