package prizedraw

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"prizequiz/ent"
	"prizequiz/ent/attempt"
	"prizequiz/ent/campaign"
	"prizequiz/ent/participant"
	"prizequiz/ent/period"
	"prizequiz/ent/winner"
	"prizequiz/internal/draw"
	"prizequiz/internal/store"
)

// result is one participant's ranked values at a cutoff.
type result struct {
	participantID int
	score         int
	durationMs    int64
	achievedAt    time.Time
}

func better(a, b result) int {
	return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.durationMs, b.durationMs),
		a.achievedAt.Compare(b.achievedAt), cmp.Compare(a.participantID, b.participantID))
}

// ineligible returns the participants who may not enter a pool of the
// campaign at period index: blocked players and, when the campaign says so,
// winners of its earlier periods.
func ineligible(ctx context.Context, c *ent.Client, camp *ent.Campaign, index int) (map[int]bool, error) {
	out := map[int]bool{}
	blocked, err := c.Participant.Query().Where(participant.Blocked(true)).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("prizedraw: blocked players: %w", err)
	}
	for _, id := range blocked {
		out[id] = true
	}
	if camp.ExcludePreviousWinners {
		var won []struct {
			ParticipantID int `json:"participant_id"`
		}
		err := c.Winner.Query().
			Where(winner.Alternate(false), winner.Disqualified(false),
				winner.HasPeriodWith(period.HasCampaignWith(campaign.ID(camp.ID)), period.IndexLT(index))).
			Select(winner.FieldParticipantID).
			Scan(ctx, &won)
		if err != nil {
			return nil, fmt.Errorf("prizedraw: earlier winners: %w", err)
		}
		for _, w := range won {
			out[w.ParticipantID] = true
		}
	}
	return out, nil
}

// ComputePool ranks the campaign's participants by the attempts submitted
// before the cutoff (so the pool is the same whenever it is computed),
// removes the ineligible, and returns the top poolSize in full tie order.
func ComputePool(ctx context.Context, c *ent.Client, camp *ent.Campaign, p *ent.Period) ([]draw.Entry, []int, error) {
	skip, err := ineligible(ctx, c, camp, p.Index)
	if err != nil {
		return nil, nil, err
	}
	var top []result
	if camp.RankingMode == campaign.RankingModeTOTAL_SCORE {
		top, err = totals(ctx, c, camp, p.EndsAt, skip)
	} else {
		top, err = bests(ctx, c, camp, p.EndsAt, skip)
	}
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int, len(top))
	for i, r := range top {
		ids[i] = r.participantID
	}
	ps, err := c.Participant.Query().Where(participant.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("prizedraw: pool players: %w", err)
	}
	publicID := make(map[int]string, len(ps))
	for _, x := range ps {
		publicID[x.ID] = x.PublicID
	}
	entries := make([]draw.Entry, len(top))
	for i, r := range top {
		entries[i] = draw.Entry{Rank: i + 1, PublicID: publicID[r.participantID], Score: r.score, DurationMs: r.durationMs}
	}
	return entries, ids, nil
}

// bests walks submitted attempts in ranking order (an index serves it) and
// keeps each eligible participant's first, i.e. best, attempt until the
// pool is full.
func bests(ctx context.Context, c *ent.Client, camp *ent.Campaign, cutoff time.Time, skip map[int]bool) ([]result, error) {
	const batch = 5000
	seen := map[int]bool{}
	var out []result
	for offset := 0; len(out) < camp.PoolSize; offset += batch {
		as, err := c.Attempt.Query().
			Where(attempt.CampaignID(camp.ID), store.SubmittedAttempts(), attempt.SubmittedAtLT(cutoff)).
			Order(attempt.ByScore(entsql.OrderDesc()), attempt.ByDurationMs(), attempt.BySubmittedAt(), attempt.ByParticipantID(), attempt.ByID()).
			Offset(offset).Limit(batch).
			Select(attempt.FieldParticipantID, attempt.FieldScore, attempt.FieldDurationMs, attempt.FieldSubmittedAt).
			All(ctx)
		if err != nil {
			return nil, fmt.Errorf("prizedraw: rank attempts: %w", err)
		}
		for _, a := range as {
			if seen[a.ParticipantID] || skip[a.ParticipantID] {
				continue
			}
			seen[a.ParticipantID] = true
			out = append(out, result{a.ParticipantID, a.Score, a.DurationMs, *a.SubmittedAt})
			if len(out) == camp.PoolSize {
				break
			}
		}
		if len(as) < batch {
			break
		}
	}
	return out, nil
}

// totals sums each participant's attempts submitted before the cutoff;
// the achievement time is their last such submission.
func totals(ctx context.Context, c *ent.Client, camp *ent.Campaign, cutoff time.Time, skip map[int]bool) ([]result, error) {
	as, err := c.Attempt.Query().
		Where(attempt.CampaignID(camp.ID), store.SubmittedAttempts(), attempt.SubmittedAtLT(cutoff)).
		Select(attempt.FieldParticipantID, attempt.FieldScore, attempt.FieldDurationMs, attempt.FieldSubmittedAt).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("prizedraw: sum attempts: %w", err)
	}
	by := map[int]*result{}
	for _, a := range as {
		if skip[a.ParticipantID] {
			continue
		}
		r := by[a.ParticipantID]
		if r == nil {
			r = &result{participantID: a.ParticipantID}
			by[a.ParticipantID] = r
		}
		r.score += a.Score
		r.durationMs += a.DurationMs
		if a.SubmittedAt.After(r.achievedAt) {
			r.achievedAt = *a.SubmittedAt
		}
	}
	out := make([]result, 0, len(by))
	for _, r := range by {
		out = append(out, *r)
	}
	slices.SortFunc(out, better)
	return out[:min(len(out), camp.PoolSize)], nil
}
