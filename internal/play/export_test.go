package play

import (
	"context"
	"time"

	"prizequiz/ent/campaign"
	"prizequiz/internal/ranking"
)

// Submitted is what SubmitInOneStatement reports of one submit.
type Submitted struct {
	Wrote    bool
	Score    int
	Attempts int
}

// SubmitInOneStatement grades the given attempts and writes them all in
// one statement, as a group of submits arriving together is written on
// PostgreSQL, without the grouping's retry of a failed statement one
// submit at a time.
func (s *Service) SubmitInOneStatement(ctx context.Context, participantIDs, attemptIDs []int, answers [][]*Answer) ([]Submitted, error) {
	var ws []submitWrite
	var mode campaign.RankingMode
	for i, id := range attemptIDs {
		a, err := s.loadStored(ctx, participantIDs[i], id)
		if err != nil {
			return nil, err
		}
		c, err := s.campaign(ctx, a.CampaignID)
		if err != nil {
			return nil, err
		}
		mode = c.RankingMode
		chosen, correct, count, err := grade(a.Edges.Items, answers[i])
		if err != nil {
			return nil, err
		}
		now := s.Clock.Now()
		ws = append(ws, submitWrite{a: a, count: count, chosen: chosen, correct: correct, res: ranking.Result{
			CampaignID: c.ID, ParticipantID: participantIDs[i], Score: count * c.PointsPerQuestion,
			DurationMs: now.Sub(a.StartedAt).Milliseconds(), At: now,
		}})
	}
	out, err := s.writeSubmits(ctx, mode, ws)
	if err != nil {
		return nil, err
	}
	res := make([]Submitted, len(out))
	for i, o := range out {
		res[i] = Submitted{Wrote: o.wrote, Score: o.written.Score, Attempts: o.written.Attempts}
	}
	return res, nil
}

// StartInOneStatement draws questions for each participant and creates
// their attempts in one statement, as a group of starts arriving together
// is written on PostgreSQL. A participant with an attempt in progress gets
// nil.
func (s *Service) StartInOneStatement(ctx context.Context, campaignID int, participantIDs []int) ([]*Attempt, error) {
	c, err := s.campaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	var ws []startWrite
	for _, p := range participantIDs {
		qs, err := s.draw(ctx, c)
		if err != nil {
			return nil, err
		}
		ws = append(ws, startWrite{campaignID: c.ID, participantID: p, now: now,
			deadline: now.Add(time.Duration(c.TimeLimitSeconds) * time.Second), day: now.Format(time.DateOnly), qs: qs})
	}
	out, err := s.writeStarts(ctx, ws)
	if err != nil {
		return nil, err
	}
	views := make([]*Attempt, len(out))
	for i, a := range out {
		if a != nil {
			views[i] = view(a)
		}
	}
	return views, nil
}
