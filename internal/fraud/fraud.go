// Package fraud lists participants whose play looks wrong, with the
// evidence: attempts faster than a person can read, unusually many
// attempts, and many identities from one device.
package fraud

import (
	"context"
	"fmt"
	"sort"

	entsql "entgo.io/ent/dialect/sql"

	"prizequiz/ent"
	"prizequiz/ent/attempt"
	"prizequiz/ent/participant"
	"prizequiz/ent/standing"
	"prizequiz/internal/apperr"
	"prizequiz/internal/store"
)

// Kinds of signal.
const (
	FastAttempt       = "FAST_ATTEMPT"
	ManyAttempts      = "MANY_ATTEMPTS"
	SharedFingerprint = "SHARED_FINGERPRINT"
)

// MaxEvidence bounds how many rows each signal reads.
const MaxEvidence = 1000

// Params are the thresholds an admin tunes.
type Params struct {
	MinSecondsPerQuestion float64 // below this per question, a scoring attempt is impossible
	MaxAttempts           int     // at or above this many submitted attempts
	MaxPerFingerprint     int     // at or above this many players on one device
}

// Signal is one piece of evidence.
type Signal struct {
	Kind       string
	Detail     string
	AttemptID  *int
	DurationMs *int64
	Count      *int
}

// Suspect is a participant with the evidence against them.
type Suspect struct {
	Participant *ent.Participant
	Signals     []Signal
}

// Suspicious lists the campaign's suspects, most signals first.
func Suspicious(ctx context.Context, c *ent.Client, camp *ent.Campaign, p Params) ([]*Suspect, error) {
	if p.MinSecondsPerQuestion < 0 || p.MaxAttempts < 1 || p.MaxPerFingerprint < 2 {
		return nil, apperr.Invalidf("thresholds: minSecondsPerQuestion ≥ 0, maxAttempts ≥ 1, maxPerFingerprint ≥ 2")
	}
	byID := map[int]*Suspect{}
	add := func(pid int, s Signal) {
		if byID[pid] == nil {
			byID[pid] = &Suspect{}
		}
		byID[pid].Signals = append(byID[pid].Signals, s)
	}

	limitMs := int64(p.MinSecondsPerQuestion * 1000 * float64(camp.QuestionsPerAttempt))
	fast, err := c.Attempt.Query().
		Where(attempt.CampaignID(camp.ID), store.SubmittedAttempts(),
			attempt.DurationMsLT(limitMs), attempt.ScoreGT(0)).
		Order(attempt.ByDurationMs()).
		Limit(MaxEvidence).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("fraud: fast attempts: %w", err)
	}
	for _, a := range fast {
		id, d := a.ID, a.DurationMs
		add(a.ParticipantID, Signal{Kind: FastAttempt, AttemptID: &id, DurationMs: &d,
			Detail: fmt.Sprintf("%d 题用时 %.1f 秒、得 %d 分，低于每题 %.1f 秒 (%d questions in %.1f s scoring %d)",
				camp.QuestionsPerAttempt, float64(d)/1000, a.Score, p.MinSecondsPerQuestion,
				camp.QuestionsPerAttempt, float64(d)/1000, a.Score)})
	}

	many, err := c.Standing.Query().
		Where(standing.CampaignID(camp.ID), standing.AttemptsGTE(p.MaxAttempts)).
		Order(standing.ByAttempts(entsql.OrderDesc())).
		Limit(MaxEvidence).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("fraud: many attempts: %w", err)
	}
	for _, s := range many {
		n := s.Attempts
		add(s.ParticipantID, Signal{Kind: ManyAttempts, Count: &n,
			Detail: fmt.Sprintf("提交 %d 次，达到阈值 %d (%d submitted attempts)", n, p.MaxAttempts, n)})
	}

	var groups []struct {
		Fingerprint string `json:"fingerprint"`
		Count       int    `json:"count"`
	}
	err = c.Participant.Query().
		Where(participant.HasStandingsWith(standing.CampaignID(camp.ID)), participant.FingerprintNEQ("")).
		GroupBy(participant.FieldFingerprint).
		Aggregate(ent.Count()).
		Scan(ctx, &groups)
	if err != nil {
		return nil, fmt.Errorf("fraud: fingerprints: %w", err)
	}
	for _, g := range groups {
		if g.Count < p.MaxPerFingerprint {
			continue
		}
		ids, err := c.Participant.Query().
			Where(participant.Fingerprint(g.Fingerprint), participant.HasStandingsWith(standing.CampaignID(camp.ID))).
			Limit(MaxEvidence).IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("fraud: fingerprint members: %w", err)
		}
		n := g.Count
		for _, id := range ids {
			add(id, Signal{Kind: SharedFingerprint, Count: &n,
				Detail: fmt.Sprintf("同一设备指纹 %s 下有 %d 名参赛者 (%d players share device %s)", g.Fingerprint, n, n, g.Fingerprint)})
		}
	}

	ids := make([]int, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	ps, err := c.Participant.Query().Where(participant.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("fraud: participants: %w", err)
	}
	out := make([]*Suspect, 0, len(ps))
	for _, pt := range ps {
		s := byID[pt.ID]
		s.Participant = pt
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].Signals) != len(out[j].Signals) {
			return len(out[i].Signals) > len(out[j].Signals)
		}
		return out[i].Participant.ID < out[j].Participant.ID
	})
	return out, nil
}
