// Package campaigns sets campaigns up with the rules of SPEC §1 and cuts
// them into draw periods.
package campaigns

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/ent/period"
	"prizequiz/internal/apperr"
	"prizequiz/internal/clock"
	"prizequiz/internal/randid"
	"prizequiz/internal/store"
)

// Defaults of SPEC §1, from the brief.
const (
	DefaultQuestionsPerAttempt = 5
	DefaultTimeLimitSeconds    = 300
	DefaultGraceSeconds        = 5
	DefaultPointsPerQuestion   = 20
	DefaultPeriodSeconds       = 7 * 24 * 3600
	DefaultPoolSize            = 1000
	DefaultWinnersPerPeriod    = 520
	DefaultTimezone            = "Asia/Shanghai"
	EntropyDrand               = "drand-quicknet"
	entropyDeclaredPrefix      = "declared:"
	// MaxPeriods keeps a mistyped period length from writing millions of rows.
	MaxPeriods = 1000
)

// Input is CreateCampaignInput: every rule optional, nil meaning its default.
type Input struct {
	Name                   string
	Description            *string
	BankID                 int
	StartsAt               time.Time
	EndsAt                 time.Time
	QuestionsPerAttempt    *int
	TimeLimitSeconds       *int
	GraceSeconds           *int
	PointsPerQuestion      *int
	RankingMode            *campaign.RankingMode
	PeriodSeconds          *int
	PoolSize               *int
	WinnersPerPeriod       *int
	ExcludePreviousWinners *bool
	MaxAttemptsPerDay      *int
	Timezone               *string
	EntropySource          *string
}

// Service creates campaigns.
type Service struct {
	Client *ent.Client
	Clock  clock.Clock
}

func or[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

type rule struct {
	name     string
	value    int
	min, max int
}

// Create validates the input, creates the campaign and its periods in one
// transaction.
func (s *Service) Create(ctx context.Context, in Input) (*ent.Campaign, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > 200 {
		return nil, apperr.Invalidf("name: 1 to 200 characters (活动名称1至200字)")
	}
	start, end := clock.Normalize(in.StartsAt), clock.Normalize(in.EndsAt)
	if !end.After(start) {
		return nil, apperr.Invalidf("endsAt: must be after startsAt (结束时间须晚于开始时间)")
	}
	tz := or(in.Timezone, DefaultTimezone)
	if _, err := time.LoadLocation(tz); err != nil || tz == "" || tz == "Local" {
		return nil, apperr.Invalidf("timezone: %q is not an IANA time zone such as Asia/Shanghai", tz)
	}
	entropy, err := normalizeEntropy(or(in.EntropySource, EntropyDrand))
	if err != nil {
		return nil, err
	}
	qpa := or(in.QuestionsPerAttempt, DefaultQuestionsPerAttempt)
	pool := or(in.PoolSize, DefaultPoolSize)
	periodSec := or(in.PeriodSeconds, DefaultPeriodSeconds)
	rules := []rule{
		{"questionsPerAttempt", qpa, 1, 100},
		{"timeLimitSeconds", or(in.TimeLimitSeconds, DefaultTimeLimitSeconds), 1, 24 * 3600},
		{"graceSeconds", or(in.GraceSeconds, DefaultGraceSeconds), 0, 600},
		{"pointsPerQuestion", or(in.PointsPerQuestion, DefaultPointsPerQuestion), 1, 10000},
		{"periodSeconds", periodSec, 1, 366 * 24 * 3600},
		{"poolSize", pool, 1, 1000000},
		{"winnersPerPeriod", or(in.WinnersPerPeriod, DefaultWinnersPerPeriod), 0, pool},
	}
	if in.MaxAttemptsPerDay != nil {
		rules = append(rules, rule{"maxAttemptsPerDay", *in.MaxAttemptsPerDay, 1, 10000})
	}
	for _, r := range rules {
		if r.value < r.min || r.value > r.max {
			return nil, apperr.Invalidf("%s: must be between %d and %d, got %d", r.name, r.min, r.max, r.value)
		}
	}
	mode := or(in.RankingMode, campaign.RankingModeBEST_ATTEMPT)
	if err := campaign.RankingModeValidator(mode); err != nil {
		return nil, apperr.Invalidf("rankingMode: must be BEST_ATTEMPT or TOTAL_SCORE")
	}
	periods := Periods(start, end, time.Duration(periodSec)*time.Second)
	if len(periods) > MaxPeriods {
		return nil, apperr.Invalidf("periodSeconds: the campaign would have %d periods; at most %d", len(periods), MaxPeriods)
	}
	db := store.Client(ctx, s.Client)
	if _, err := db.QuestionBank.Get(ctx, in.BankID); ent.IsNotFound(err) {
		return nil, apperr.NotFoundf("question bank %d not found", in.BankID)
	} else if err != nil {
		return nil, fmt.Errorf("campaigns: find bank: %w", err)
	}
	var saved *ent.Campaign
	err = store.InTx(ctx, s.Client, func(ctx context.Context, tx *ent.Client) error {
		var err error
		saved, err = tx.Campaign.Create().
			SetPublicID(randid.PublicID("c", 10)).
			SetName(name).
			SetNillableDescription(in.Description).
			SetBankID(in.BankID).
			SetStartsAt(start).
			SetEndsAt(end).
			SetTimezone(tz).
			SetQuestionsPerAttempt(qpa).
			SetTimeLimitSeconds(rules[1].value).
			SetGraceSeconds(rules[2].value).
			SetPointsPerQuestion(rules[3].value).
			SetRankingMode(mode).
			SetPeriodSeconds(periodSec).
			SetPoolSize(pool).
			SetWinnersPerPeriod(rules[6].value).
			SetExcludePreviousWinners(or(in.ExcludePreviousWinners, true)).
			SetNillableMaxAttemptsPerDay(in.MaxAttemptsPerDay).
			SetEntropySource(entropy).
			SetCreatedAt(s.Clock.Now()).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("campaigns: create: %w", err)
		}
		creates := make([]*ent.PeriodCreate, len(periods))
		for i, p := range periods {
			creates[i] = tx.Period.Create().SetCampaign(saved).SetIndex(i + 1).SetStartsAt(p.Start).SetEndsAt(p.End)
		}
		if err := tx.Period.CreateBulk(creates...).Exec(ctx); err != nil {
			return fmt.Errorf("campaigns: create periods: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

func normalizeEntropy(src string) (string, error) {
	src = strings.TrimSpace(src)
	if src == EntropyDrand {
		return src, nil
	}
	if text, ok := strings.CutPrefix(src, entropyDeclaredPrefix); ok && strings.TrimSpace(text) != "" {
		return entropyDeclaredPrefix + " " + strings.TrimSpace(text), nil
	}
	return "", apperr.Invalidf("entropySource: %q or \"declared: <a public result fixed after the cutoff>\"", EntropyDrand)
}

// Span is a half-open time interval [Start, End).
type Span struct{ Start, End time.Time }

// Periods cuts [start, end) into back-to-back periods of length d, the last
// cut at end.
func Periods(start, end time.Time, d time.Duration) []Span {
	var out []Span
	for t := start; t.Before(end); t = t.Add(d) {
		e := t.Add(d)
		if e.After(end) {
			e = end
		}
		out = append(out, Span{t, e})
		if len(out) > MaxPeriods {
			break
		}
	}
	return out
}

// PeriodStatus is a period's status at now: the draw steps are stored, the
// rest follows from the clock.
func PeriodStatus(p *ent.Period, now time.Time) string {
	switch {
	case p.PublishedAt != nil:
		return "PUBLISHED"
	case p.DrawnAt != nil:
		return "DRAWN"
	case now.Before(p.StartsAt):
		return "UPCOMING"
	case now.Before(p.EndsAt):
		return "OPEN"
	}
	return "CLOSED"
}

// Active lists the campaigns running at the service's now, soonest ending first.
func (s *Service) Active(ctx context.Context) ([]*ent.Campaign, error) {
	now := s.Clock.Now()
	cs, err := s.Client.Campaign.Query().
		Where(campaign.StartsAtLTE(now), campaign.EndsAtGT(now)).
		Order(campaign.ByEndsAt(), campaign.ByID()).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("campaigns: list active: %w", err)
	}
	return cs, nil
}

// Get returns one campaign.
func (s *Service) Get(ctx context.Context, id int) (*ent.Campaign, error) {
	c, err := s.Client.Campaign.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFoundf("campaign %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("campaigns: get: %w", err)
	}
	return c, nil
}

// PeriodsOf lists a campaign's periods in order.
func (s *Service) PeriodsOf(ctx context.Context, c *ent.Campaign) ([]*ent.Period, error) {
	ps, err := s.Client.Campaign.QueryPeriods(c).Order(period.ByIndex()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("campaigns: periods: %w", err)
	}
	return ps, nil
}
