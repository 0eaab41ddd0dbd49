// Package stats keeps the admin statistics: per question (times served,
// correct rate, option shares) and per campaign (attempts by hour and day,
// completions, expiries, score distribution, median time).
//
// Nothing is counted on the submit path. A folder takes settled attempts
// not yet counted, adds them to aggregate rows and marks them counted, in
// one transaction: every attempt is counted exactly once, and reading the
// statistics costs a handful of rows however many attempts there are.
package stats

import (
	"context"
	"fmt"
	"time"

	"prizequiz/ent"
	"prizequiz/ent/attempt"
	"prizequiz/ent/attemptitem"
	"prizequiz/ent/campaignhourstat"
	"prizequiz/ent/questionstat"
	"prizequiz/internal/clock"
	"prizequiz/internal/store"
)

// foldLockKey is the PostgreSQL advisory lock that keeps one folder at a time
// across processes.
const foldLockKey = 0x70715f666f6c64 // "pq_fold"

// Folder counts settled attempts into the aggregates.
type Folder struct {
	DB    *store.DB
	Clock clock.Clock
}

type hourKey struct {
	campaign int
	hour     time.Time
}

type hourAgg struct {
	submitted, expired, newParticipants int
	scores, durations                   map[int]int
}

type questionAgg struct {
	served, answered, correct int
	options                   map[string]int
}

// Fold counts up to limit settled attempts and reports how many it counted.
func (f *Folder) Fold(ctx context.Context, limit int) (int, error) {
	n := 0
	err := store.InTx(ctx, f.DB.Client, func(ctx context.Context, tx *ent.Client) error {
		if locked, err := f.DB.TryLock(ctx, tx, foldLockKey); err != nil || !locked {
			return err // !locked: another process is folding
		}
		as, err := tx.Attempt.Query().
			Where(store.UnfoldedAttempts()).
			Order(attempt.ByID()).
			Limit(limit).
			All(ctx)
		if err != nil {
			return fmt.Errorf("stats: list attempts: %w", err)
		}
		if len(as) == 0 {
			return nil
		}
		ids := make([]int, len(as))
		for i, a := range as {
			ids[i] = a.ID
		}
		items, err := tx.AttemptItem.Query().
			Where(store.IntsIn(attemptitem.FieldAttemptID, ids)).
			// Not the questions' text: a batch holds thousands of items.
			Select(attemptitem.FieldAttemptID, attemptitem.FieldQuestionID, attemptitem.FieldChosen, attemptitem.FieldCorrect).
			All(ctx)
		if err != nil {
			return fmt.Errorf("stats: list items: %w", err)
		}
		itemsOf := make(map[int][]*ent.AttemptItem, len(as))
		for _, it := range items {
			itemsOf[it.AttemptID] = append(itemsOf[it.AttemptID], it)
		}
		hours := map[hourKey]*hourAgg{}
		questions := map[int]*questionAgg{}
		first, err := firstSubmissions(ctx, tx, as)
		if err != nil {
			return err
		}
		for _, a := range as {
			k := hourKey{a.CampaignID, a.StartedAt.UTC().Truncate(time.Hour)}
			h := hours[k]
			if h == nil {
				h = &hourAgg{scores: map[int]int{}, durations: map[int]int{}}
				hours[k] = h
			}
			submitted := a.Status == attempt.StatusSUBMITTED
			if first[a.ID] {
				h.newParticipants++
			}
			if submitted {
				h.submitted++
				h.scores[a.Score]++
				h.durations[int(a.DurationMs/1000)]++
			} else {
				h.expired++
			}
			for _, it := range itemsOf[a.ID] {
				q := questions[it.QuestionID]
				if q == nil {
					q = &questionAgg{options: map[string]int{}}
					questions[it.QuestionID] = q
				}
				q.served++
				if submitted && len(it.Chosen) > 0 {
					q.answered++
					for _, k := range it.Chosen {
						q.options[k]++
					}
				}
				if submitted && it.Correct {
					q.correct++
				}
			}
		}
		now := f.Clock.Now()
		for k, h := range hours {
			if err := addHour(ctx, tx, k, h, now); err != nil {
				return err
			}
		}
		for id, q := range questions {
			if err := addQuestion(ctx, tx, id, q); err != nil {
				return err
			}
		}
		n, err = tx.Attempt.Update().Where(store.IntsIn(attempt.FieldID, ids), attempt.Folded(false)).SetFolded(true).Save(ctx)
		if err != nil {
			return fmt.Errorf("stats: mark counted: %w", err)
		}
		return nil
	})
	return n, err
}

func addHour(ctx context.Context, tx *ent.Client, k hourKey, h *hourAgg, now time.Time) error {
	row, err := tx.CampaignHourStat.Query().
		Where(campaignhourstat.CampaignID(k.campaign), campaignhourstat.Hour(k.hour)).Only(ctx)
	if ent.IsNotFound(err) {
		err = tx.CampaignHourStat.Create().SetCampaignID(k.campaign).SetHour(k.hour).
			SetSubmitted(h.submitted).SetExpired(h.expired).SetNewParticipants(h.newParticipants).
			SetScoreCounts(h.scores).SetDurationCounts(h.durations).SetUpdatedAt(now).Exec(ctx)
		if err != nil {
			return fmt.Errorf("stats: create hour: %w", err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("stats: find hour: %w", err)
	}
	err = tx.CampaignHourStat.UpdateOne(row).
		AddSubmitted(h.submitted).AddExpired(h.expired).AddNewParticipants(h.newParticipants).
		SetScoreCounts(merge(row.ScoreCounts, h.scores)).
		SetDurationCounts(merge(row.DurationCounts, h.durations)).
		SetUpdatedAt(now).Exec(ctx)
	if err != nil {
		return fmt.Errorf("stats: update hour: %w", err)
	}
	return nil
}

func addQuestion(ctx context.Context, tx *ent.Client, id int, q *questionAgg) error {
	row, err := tx.QuestionStat.Query().Where(questionstat.QuestionID(id)).Only(ctx)
	if ent.IsNotFound(err) {
		err = tx.QuestionStat.Create().SetQuestionID(id).SetServed(q.served).SetAnswered(q.answered).
			SetCorrect(q.correct).SetOptionCounts(q.options).Exec(ctx)
		if err != nil {
			return fmt.Errorf("stats: create question stat: %w", err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("stats: find question stat: %w", err)
	}
	err = tx.QuestionStat.UpdateOne(row).AddServed(q.served).AddAnswered(q.answered).AddCorrect(q.correct).
		SetOptionCounts(merge(row.OptionCounts, q.options)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("stats: update question stat: %w", err)
	}
	return nil
}

func merge[K comparable](into, add map[K]int) map[K]int {
	out := make(map[K]int, len(into)+len(add))
	for k, v := range into {
		out[k] = v
	}
	for k, v := range add {
		out[k] += v
	}
	return out
}

// firstSubmissions marks, among the batch's submitted attempts, each
// player's first in a campaign: the earliest in the batch, provided no
// submitted attempt of theirs was counted before.
func firstSubmissions(ctx context.Context, tx *ent.Client, as []*ent.Attempt) (map[int]bool, error) {
	type key struct{ campaign, participant int }
	earliest := map[key]*ent.Attempt{}
	for _, a := range as {
		if a.Status != attempt.StatusSUBMITTED {
			continue
		}
		k := key{a.CampaignID, a.ParticipantID}
		if e := earliest[k]; e == nil || a.ID < e.ID {
			earliest[k] = a
		}
	}
	// One query per campaign for the players counted before, not one per
	// player: a batch holds thousands.
	players := map[int][]int{}
	for k := range earliest {
		players[k.campaign] = append(players[k.campaign], k.participant)
	}
	out := map[int]bool{}
	for campaignID, ids := range players {
		var counted []int
		err := tx.Attempt.Query().
			Where(attempt.CampaignID(campaignID), store.IntsIn(attempt.FieldParticipantID, ids),
				store.SubmittedAttempts(), attempt.Folded(true)).
			Unique(true).
			Select(attempt.FieldParticipantID).
			Scan(ctx, &counted)
		if err != nil {
			return nil, fmt.Errorf("stats: earlier submissions: %w", err)
		}
		before := map[int]bool{}
		for _, id := range counted {
			before[id] = true
		}
		for _, id := range ids {
			if !before[id] {
				out[earliest[key{campaignID, id}].ID] = true
			}
		}
	}
	return out, nil
}
