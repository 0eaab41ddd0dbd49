// Package ranking keeps each participant's Standing row and answers ranking
// queries from the index over the ranking order of SPEC §1: score desc,
// time used asc, earlier achievement, participant id.
package ranking

import (
	"time"

	"prizequiz/ent"
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

// SameTopWithin reports whether a live leaderboard page b shows nothing
// new after a: a page whose places are unchanged counts as the same even
// if its total grew, until totalEvery
// has passed since a was computed (by now; b may be a page cached for a
// while). Every submit changes the total, and pushing each one to every
// subscriber would swamp them with pages whose top N did not move.
func SameTopWithin(totalEvery time.Duration, now func() time.Time) func(a, b *Leaderboard) bool {
	return func(a, b *Leaderboard) bool {
		return sameEntries(a, b) && (a.Total == b.Total || now().Sub(a.UpdatedAt) < totalEvery)
	}
}

func sameEntries(a, b *Leaderboard) bool {
	if len(a.Entries) != len(b.Entries) {
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
