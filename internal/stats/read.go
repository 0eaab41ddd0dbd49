package stats

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"prizequiz/ent"
	"prizequiz/ent/attempt"
	"prizequiz/ent/campaignhourstat"
	"prizequiz/ent/questionstat"
	"prizequiz/internal/store"
)

// QuestionStats is how one question fared.
type QuestionStats struct {
	Served       int
	Answered     int
	Correct      int
	CorrectRate  *float64 // correct / submitted attempts that served it; nil before any
	OptionShares []OptionShare
}

// OptionShare is how often one option was chosen, as a share of the answers.
type OptionShare struct {
	Key   string
	Count int
	Share float64
}

// ForQuestion returns a question's statistics.
func ForQuestion(ctx context.Context, c *ent.Client, q *ent.Question) (*QuestionStats, error) {
	row, err := c.QuestionStat.Query().Where(questionstat.QuestionID(q.ID)).Only(ctx)
	if ent.IsNotFound(err) {
		row, err = &ent.QuestionStat{OptionCounts: map[string]int{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("stats: question %d: %w", q.ID, err)
	}
	s := &QuestionStats{Served: row.Served, Answered: row.Answered, Correct: row.Correct}
	if row.Served > 0 {
		r := float64(row.Correct) / float64(row.Served)
		s.CorrectRate = &r
	}
	keys := make([]string, 0, len(q.Options))
	for _, o := range q.Options {
		keys = append(keys, o.Key)
	}
	for k := range row.OptionCounts { // keys of earlier versions of the question
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		sh := OptionShare{Key: k, Count: row.OptionCounts[k]}
		if row.Answered > 0 {
			sh.Share = float64(sh.Count) / float64(row.Answered)
		}
		s.OptionShares = append(s.OptionShares, sh)
	}
	return s, nil
}

// CampaignStats are a campaign's numbers. Settled attempts are counted by
// the folder, so they lag it by a moment; UpdatedAt says when it last ran.
type CampaignStats struct {
	Participants      int // players with a submitted attempt
	Attempts          int // started: settled + in progress
	InProgress        int
	Completions       int
	Expiries          int
	AttemptsPerHour   []TimeCount
	AttemptsPerDay    []DayCount
	ScoreDistribution []ScoreCount
	MedianDurationMs  *int
	UpdatedAt         time.Time
}

// TimeCount is a count for the hour starting At.
type TimeCount struct {
	At    time.Time
	Count int
}

// DayCount is a count for a date (YYYY-MM-DD) in the campaign's time zone.
type DayCount struct {
	Day   string
	Count int
}

// ScoreCount is how many submitted attempts scored Score.
type ScoreCount struct {
	Score int
	Count int
}

// ForCampaign returns a campaign's statistics.
func ForCampaign(ctx context.Context, c *ent.Client, camp *ent.Campaign) (*CampaignStats, error) {
	loc, err := time.LoadLocation(camp.Timezone)
	if err != nil {
		return nil, fmt.Errorf("stats: campaign %d time zone: %w", camp.ID, err)
	}
	rows, err := c.CampaignHourStat.Query().
		Where(campaignhourstat.CampaignID(camp.ID)).
		Order(campaignhourstat.ByHour()).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("stats: hours: %w", err)
	}
	s := &CampaignStats{}
	scores, durations := map[int]int{}, map[int]int{}
	days := map[string]int{}
	for _, r := range rows {
		n := r.Submitted + r.Expired
		s.Completions += r.Submitted
		s.Expiries += r.Expired
		s.Participants += r.NewParticipants
		s.AttemptsPerHour = append(s.AttemptsPerHour, TimeCount{At: r.Hour, Count: n})
		days[r.Hour.In(loc).Format(time.DateOnly)] += n
		scores = merge(scores, r.ScoreCounts)
		durations = merge(durations, r.DurationCounts)
		if r.UpdatedAt.After(s.UpdatedAt) {
			s.UpdatedAt = r.UpdatedAt
		}
	}
	for d, n := range days {
		s.AttemptsPerDay = append(s.AttemptsPerDay, DayCount{Day: d, Count: n})
	}
	sort.Slice(s.AttemptsPerDay, func(i, j int) bool { return s.AttemptsPerDay[i].Day < s.AttemptsPerDay[j].Day })
	for score, n := range scores {
		s.ScoreDistribution = append(s.ScoreDistribution, ScoreCount{Score: score, Count: n})
	}
	sort.Slice(s.ScoreDistribution, func(i, j int) bool { return s.ScoreDistribution[i].Score < s.ScoreDistribution[j].Score })
	s.MedianDurationMs = median(durations, s.Completions)

	if s.InProgress, err = c.Attempt.Query().
		Where(attempt.CampaignID(camp.ID), store.OpenAttempts()).Count(ctx); err != nil {
		return nil, fmt.Errorf("stats: in progress: %w", err)
	}
	s.Attempts = s.Completions + s.Expiries + s.InProgress
	return s, nil
}

// median returns the median of a seconds histogram holding n values, in
// milliseconds (to the second).
func median(hist map[int]int, n int) *int {
	if n == 0 {
		return nil
	}
	secs := make([]int, 0, len(hist))
	for s := range hist {
		secs = append(secs, s)
	}
	slices.Sort(secs)
	seen := 0
	for _, s := range secs {
		seen += hist[s]
		if 2*seen >= n {
			ms := s * 1000
			return &ms
		}
	}
	return nil
}
