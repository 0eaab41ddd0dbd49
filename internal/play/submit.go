package play

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"prizequiz/ent"
	"prizequiz/ent/attempt"
	"prizequiz/ent/attemptitem"
	"prizequiz/ent/campaign"
	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/apperr"
	"prizequiz/internal/ranking"
)

// Submit scores an attempt. Submitting again returns the stored result; it
// never scores twice. Past deadline + grace the attempt expires and scores
// nothing.
func (s *Service) Submit(ctx context.Context, participantID, attemptID int, answers []*Answer) (*Result, error) {
	a, err := s.load(ctx, participantID, attemptID)
	if err != nil {
		return nil, err
	}
	switch a.Status {
	case attempt.StatusSUBMITTED:
		return s.result(ctx, a)
	case attempt.StatusEXPIRED:
		return nil, expiredErr()
	}
	now := s.Clock.Now() // the receive time: the client never reports time
	c, err := s.campaign(ctx, a.CampaignID)
	if err != nil {
		return nil, err
	}
	if overdue(a, c, now) {
		if err := s.expire(ctx, a.ID); err != nil {
			return nil, err
		}
		return s.settled(ctx, participantID, attemptID)
	}
	chosen, correct, count, err := grade(a.Edges.Items, answers)
	if err != nil {
		return nil, err
	}
	score := count * c.PointsPerQuestion
	duration := now.Sub(a.StartedAt).Milliseconds()

	res := ranking.Result{CampaignID: c.ID, ParticipantID: participantID, Score: score, DurationMs: duration, At: now}
	write := s.writeInTx
	if s.grouped() {
		write = s.writeGrouped
	}
	written, wrote, err := write(ctx, a, c.RankingMode, res, count, chosen, correct)
	if err != nil {
		return nil, err
	}
	if !wrote {
		// Another submission (or the sweeper) settled it first, or the
		// participant is blocked.
		return s.settled(ctx, participantID, attemptID)
	}
	s.Ranks.Written(written) // after commit: subscribers never see what may roll back
	s.open.forget(a.ID)
	if written.Row.Hidden {
		// A block committed while this submit was written: the result
		// stands, hidden, as if the block had come just after it.
		return nil, blockedErr()
	}
	s.count(EventSubmitted, 1)

	// The answer is what was just written: no need to read it back.
	a.Status, a.SubmittedAt, a.Score, a.CorrectCount, a.DurationMs = attempt.StatusSUBMITTED, &now, score, count, duration
	for i, it := range a.Edges.Items {
		it.Chosen, it.Correct = chosen[i], correct[i]
	}
	st, err := s.Ranks.OfWritten(ctx, written)
	if err != nil {
		return nil, err
	}
	return s.resultWith(a, st), nil
}

// writeInTx writes a graded attempt, its answers and its standing in one
// transaction, on SQLite (PostgreSQL groups them: writeGrouped). It writes nothing and reports false when the attempt is no
// longer in progress; it writes nothing and fails with FORBIDDEN when the
// participant is blocked.
func (s *Service) writeInTx(ctx context.Context, a *ent.Attempt, mode campaign.RankingMode, res ranking.Result, count int, chosen [][]string, correct []bool) (ranking.Written, bool, error) {
	tx, err := s.Client.Tx(ctx)
	if err != nil {
		return ranking.Written{}, false, fmt.Errorf("play: begin submit: %w", err)
	}
	defer tx.Rollback()
	n, err := tx.Attempt.Update().
		Where(attempt.ID(a.ID), attempt.StatusEQ(attempt.StatusIN_PROGRESS)).
		SetStatus(attempt.StatusSUBMITTED).
		SetSubmittedAt(res.At).
		SetScore(res.Score).
		SetCorrectCount(count).
		SetDurationMs(res.DurationMs).
		Save(ctx)
	if err != nil {
		return ranking.Written{}, false, fmt.Errorf("play: mark submitted: %w", err)
	}
	if n == 0 {
		return ranking.Written{}, false, nil
	}
	if err := s.storeAnswers(ctx, tx, a.Edges.Items, chosen, correct); err != nil {
		return ranking.Written{}, false, err
	}
	written, err := s.Ranks.Record(ctx, tx, mode, res)
	if err != nil {
		return ranking.Written{}, false, err
	}
	if written.Row.Hidden {
		// The standing took the participant's block as it stands in this
		// transaction: a block is checked here, not in a query of its own.
		return ranking.Written{}, false, blockedErr()
	}
	if err := tx.Commit(); err != nil {
		return ranking.Written{}, false, fmt.Errorf("play: commit submit: %w", err)
	}
	return written, true, nil
}

// storeAnswers writes each item's chosen keys and correctness in one
// statement, for writeInTx.
func (s *Service) storeAnswers(ctx context.Context, tx *ent.Tx, items []*ent.AttemptItem, chosen [][]string, correct []bool) error {
	if len(items) == 0 {
		return nil
	}
	var chosenCase, correctCase, ids strings.Builder
	var chosenArgs, correctArgs, idArgs []any
	for i, it := range items {
		keys, err := json.Marshal(chosen[i]) // as ent stores it: null when unanswered
		if err != nil {
			return fmt.Errorf("play: encode answer: %w", err)
		}
		chosenCase.WriteString(" WHEN ? THEN ?")
		correctCase.WriteString(" WHEN ? THEN ?")
		if i > 0 {
			ids.WriteString(", ")
		}
		ids.WriteString("?")
		chosenArgs = append(chosenArgs, it.ID, string(keys))
		correctArgs = append(correctArgs, it.ID, correct[i])
		idArgs = append(idArgs, it.ID)
	}
	q := `UPDATE ` + attemptitem.Table + ` SET ` +
		attemptitem.FieldChosen + ` = CASE id` + chosenCase.String() + ` END, ` +
		attemptitem.FieldCorrect + ` = CASE id` + correctCase.String() + ` END
		WHERE id IN (` + ids.String() + `)`
	args := append(append(chosenArgs, correctArgs...), idArgs...)
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("play: store answers: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n != int64(len(items)) {
		return fmt.Errorf("play: store answers: %d of %d items updated", n, len(items))
	}
	return nil
}

func expiredErr() error {
	return apperr.New(apperr.AttemptExpired, "time is up: this attempt was not submitted in time and scores nothing (答题已超时)")
}

// settled reloads an attempt that a submit could not write and reports it.
func (s *Service) settled(ctx context.Context, participantID, attemptID int) (*Result, error) {
	a, err := s.loadStored(ctx, participantID, attemptID)
	if err != nil {
		return nil, err
	}
	if a.Status != attempt.StatusIN_PROGRESS {
		s.open.forget(a.ID)
	}
	switch a.Status {
	case attempt.StatusSUBMITTED:
		return s.result(ctx, a)
	case attempt.StatusIN_PROGRESS:
		// A write that found the attempt open and wrote nothing: only a
		// block does that (writeSubmits).
		return nil, blockedErr()
	}
	return nil, expiredErr()
}

// loadStored reads a participant's own attempt; anyone else's is
// NOT_FOUND, so attempt ids reveal nothing.
func (s *Service) loadStored(ctx context.Context, participantID, attemptID int) (*ent.Attempt, error) {
	a, err := s.Client.Attempt.Query().
		Where(attempt.ID(attemptID), attempt.ParticipantID(participantID)).
		WithItems(func(q *ent.AttemptItemQuery) { q.Order(attemptitem.ByPosition()) }).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFoundf("attempt %d not found", attemptID)
	}
	if err != nil {
		return nil, fmt.Errorf("play: find attempt: %w", err)
	}
	if err := s.fill(ctx, a.Edges.Items); err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Service) result(ctx context.Context, a *ent.Attempt) (*Result, error) {
	st, err := s.Ranks.Of(ctx, a.CampaignID, a.ParticipantID)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("play: submitted attempt %d has no standing", a.ID)
	}
	return s.resultWith(a, st), nil
}

// resultWith reports a submitted attempt and its participant's standing.
func (s *Service) resultWith(a *ent.Attempt, st *ranking.Standing) *Result {
	r := &Result{
		Attempt:      view(a),
		Score:        a.Score,
		CorrectCount: a.CorrectCount,
		DurationMs:   a.DurationMs,
		Standing:     st,
	}
	for _, it := range a.Edges.Items {
		item := ReviewItem{
			QuestionID: it.QuestionID,
			Chosen:     it.Chosen,
			Correct:    it.Answer,
			IsCorrect:  it.Correct,
		}
		if item.Chosen == nil {
			item.Chosen = []string{}
		}
		if it.Explanation != "" {
			item.Explanation = &it.Explanation
		}
		r.Review = append(r.Review, item)
	}
	return r
}

// grade checks answers against an attempt's items and scores them: the
// chosen keys per item (sorted; nil when unanswered), whether each item is
// fully correct, and how many are.
func grade(items []*ent.AttemptItem, answers []*Answer) (chosen [][]string, correct []bool, count int, err error) {
	chosen, err = match(items, answers)
	if err != nil {
		return nil, nil, 0, err
	}
	correct = make([]bool, len(items))
	for i, it := range items {
		correct[i] = sameSet(chosen[i], it.Answer)
		if correct[i] {
			count++
		}
	}
	return chosen, correct, count, nil
}

// match checks answers against the attempt's questions and returns the
// chosen keys per item, in item order (nil for an unanswered question).
func match(items []*ent.AttemptItem, answers []*Answer) ([][]string, error) {
	index := make(map[int]int, len(items))
	for i, it := range items {
		index[it.QuestionID] = i
	}
	chosen := make([][]string, len(items))
	seen := make([]bool, len(items))
	for _, ans := range answers {
		i, ok := index[ans.QuestionID]
		if !ok {
			return nil, apperr.Invalidf("question %d is not part of this attempt", ans.QuestionID)
		}
		if seen[i] {
			return nil, apperr.Invalidf("question %d is answered twice", ans.QuestionID)
		}
		seen[i] = true
		it := items[i]
		keys := make([]string, 0, len(ans.Choices))
		for _, k := range ans.Choices {
			if !slices.ContainsFunc(it.Options, func(o schematype.Option) bool { return o.Key == k }) {
				return nil, apperr.Invalidf("%q is not an option of question %d", k, ans.QuestionID)
			}
			if slices.Contains(keys, k) {
				return nil, apperr.Invalidf("option %q of question %d is chosen twice", k, ans.QuestionID)
			}
			keys = append(keys, k)
		}
		if it.Kind != schematype.KindMultiple && len(keys) > 1 {
			return nil, apperr.Invalidf("question %d takes one option, got %d", ans.QuestionID, len(keys))
		}
		slices.Sort(keys)
		chosen[i] = keys
	}
	return chosen, nil
}

// sameSet reports whether chosen is exactly the answer key: a multiple-choice
// question is correct only with the exact set.
func sameSet(chosen, answer []string) bool {
	if len(chosen) != len(answer) || len(chosen) == 0 {
		return false
	}
	a := slices.Sorted(slices.Values(answer))
	return slices.Equal(chosen, a)
}
