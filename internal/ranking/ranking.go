// Package ranking keeps each participant's Standing row and answers ranking
// queries from the index over the ranking order of SPEC §1: score desc,
// time used asc, earlier achievement, participant id.
package ranking

import (
	"context"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/ent/predicate"
	"prizequiz/ent/standing"
	"prizequiz/internal/apperr"
)

// MaxPage is the most entries one leaderboard request returns.
const MaxPage = 1000

// Standing is a participant's place in a campaign. Rank is nil for a
// blocked participant, who is not ranked publicly.
type Standing struct {
	Rank        *int
	Score       int
	DurationMs  int64
	Attempts    int
	AchievedAt  time.Time
	Participant *ent.Participant
}

// Entry is one row of a leaderboard.
type Entry struct {
	Rank        int
	Participant *ent.Participant
	Score       int
	DurationMs  int64
	AchievedAt  time.Time
}

// Leaderboard is one page of a campaign's ranking.
type Leaderboard struct {
	Total     int
	Entries   []Entry
	UpdatedAt time.Time
}

// Result is one submitted attempt, as the ranking sees it.
type Result struct {
	CampaignID    int
	ParticipantID int
	Score         int
	DurationMs    int64
	At            time.Time
}

// Record applies a submitted attempt to its participant's standing. It runs
// inside the submit transaction, so a result and its standing commit
// together. Calls for one participant never overlap: an attempt leaves
// IN_PROGRESS in the same transaction, and a participant has at most one.
func Record(ctx context.Context, tx *ent.Tx, mode campaign.RankingMode, r Result) error {
	s, err := tx.Standing.Query().
		Where(standing.CampaignID(r.CampaignID), standing.ParticipantID(r.ParticipantID)).
		Only(ctx)
	if ent.IsNotFound(err) {
		err = tx.Standing.Create().
			SetCampaignID(r.CampaignID).
			SetParticipantID(r.ParticipantID).
			SetScore(r.Score).
			SetDurationMs(r.DurationMs).
			SetAchievedAt(r.At).
			SetAttempts(1).
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("ranking: create standing: %w", err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("ranking: find standing: %w", err)
	}
	u := tx.Standing.UpdateOne(s).AddAttempts(1)
	switch mode {
	case campaign.RankingModeTOTAL_SCORE:
		u.AddScore(r.Score).AddDurationMs(r.DurationMs).SetAchievedAt(r.At)
	default:
		// A new best must be strictly better: an equal result later keeps
		// the earlier achievement.
		if r.Score > s.Score || (r.Score == s.Score && r.DurationMs < s.DurationMs) {
			u.SetScore(r.Score).SetDurationMs(r.DurationMs).SetAchievedAt(r.At)
		}
	}
	if err := u.Exec(ctx); err != nil {
		return fmt.Errorf("ranking: update standing: %w", err)
	}
	return nil
}

// byRank orders standings in ranking order; the rank index serves it.
func byRank() []standing.OrderOption {
	return []standing.OrderOption{
		standing.ByScore(entsql.OrderDesc()),
		standing.ByDurationMs(),
		standing.ByAchievedAt(),
		standing.ByParticipantID(),
	}
}

// ahead selects the standings ranked before s in its campaign.
func ahead(s *ent.Standing) predicate.Standing {
	return standing.And(
		standing.CampaignID(s.CampaignID),
		visible(),
		standing.Or(
			standing.ScoreGT(s.Score),
			standing.And(standing.Score(s.Score), standing.DurationMsLT(s.DurationMs)),
			standing.And(standing.Score(s.Score), standing.DurationMs(s.DurationMs), standing.AchievedAtLT(s.AchievedAt)),
			standing.And(standing.Score(s.Score), standing.DurationMs(s.DurationMs), standing.AchievedAt(s.AchievedAt),
				participantIDLT(s.ParticipantID)),
		),
	)
}

// Top returns entries offset+1 … offset+first of a campaign's ranking.
func Top(ctx context.Context, c *ent.Client, campaignID, first, offset int, now time.Time) (*Leaderboard, error) {
	if first < 0 || first > MaxPage {
		return nil, apperr.Invalidf("first: must be between 0 and %d", MaxPage)
	}
	if offset < 0 {
		return nil, apperr.Invalidf("offset: must not be negative")
	}
	rows, err := c.Standing.Query().
		Where(standing.CampaignID(campaignID), visible()).
		Order(byRank()...).
		Offset(offset).
		Limit(first).
		WithParticipant().
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("ranking: top: %w", err)
	}
	total, err := c.Standing.Query().Where(standing.CampaignID(campaignID), visible()).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("ranking: count: %w", err)
	}
	lb := &Leaderboard{Total: total, Entries: make([]Entry, len(rows)), UpdatedAt: now}
	for i, s := range rows {
		lb.Entries[i] = Entry{
			Rank:        offset + i + 1,
			Participant: s.Edges.Participant,
			Score:       s.Score,
			DurationMs:  s.DurationMs,
			AchievedAt:  s.AchievedAt,
		}
	}
	return lb, nil
}

// Of returns a participant's standing with its exact rank, or nil when the
// participant has not been ranked in the campaign.
func Of(ctx context.Context, c *ent.Client, campaignID, participantID int) (*Standing, error) {
	s, err := c.Standing.Query().
		Where(standing.CampaignID(campaignID), standing.ParticipantID(participantID)).
		WithParticipant().
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ranking: find standing: %w", err)
	}
	st := &Standing{
		Score:       s.Score,
		DurationMs:  s.DurationMs,
		Attempts:    s.Attempts,
		AchievedAt:  s.AchievedAt,
		Participant: s.Edges.Participant,
	}
	if s.Hidden {
		return st, nil // a blocked participant keeps a standing but no public rank
	}
	n, err := c.Standing.Query().Where(ahead(s)).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("ranking: rank: %w", err)
	}
	rank := n + 1
	st.Rank = &rank
	return st, nil
}

// participantIDLT is the predicate ent does not generate for edge fields.
func participantIDLT(id int) predicate.Standing {
	return func(s *entsql.Selector) { s.Where(entsql.LT(s.C(standing.FieldParticipantID), id)) }
}

// visible selects standings of participants not blocked. Written as an
// equality (ent renders Hidden(false) as NOT hidden) so SQLite can use the
// rank index's hidden column.
func visible() predicate.Standing {
	return func(s *entsql.Selector) {
		s.Where(entsql.P(func(b *entsql.Builder) {
			b.Ident(s.C(standing.FieldHidden)).WriteOp(entsql.OpEQ).Arg(false)
		}))
	}
}

// SameTop reports whether two leaderboard pages show the same places.
func SameTop(a, b *Leaderboard) bool {
	if a.Total != b.Total || len(a.Entries) != len(b.Entries) {
		return false
	}
	for i, x := range a.Entries {
		y := b.Entries[i]
		if x.Rank != y.Rank || x.Participant.ID != y.Participant.ID || x.Score != y.Score || x.DurationMs != y.DurationMs {
			return false
		}
	}
	return true
}

// SameStanding reports whether two standings show the same place.
func SameStanding(a, b *Standing) bool {
	rank := func(s *Standing) int {
		if s.Rank == nil {
			return 0
		}
		return *s.Rank
	}
	return rank(a) == rank(b) && a.Score == b.Score && a.DurationMs == b.DurationMs && a.Attempts == b.Attempts
}
