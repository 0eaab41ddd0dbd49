// Package campaigns sets campaigns up with the rules of SPEC §1 and cuts
// them into draw periods.
package campaigns

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/ent/period"
	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/apperr"
	"prizequiz/internal/audit"
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
	CategoryQuotas         []schematype.CategoryQuota
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

// Update is UpdateCampaignInput: nil fields keep their value;
// maxAttemptsPerDay 0 means unlimited.
type Update struct {
	Name                   *string
	Description            *string
	BankID                 *int
	StartsAt               *time.Time
	EndsAt                 *time.Time
	QuestionsPerAttempt    *int
	CategoryQuotas         []schematype.CategoryQuota
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

// Rules are a campaign's settings with every default applied.
type Rules struct {
	Name                   string
	Description            *string
	BankID                 int
	StartsAt, EndsAt       time.Time
	Timezone               string
	QuestionsPerAttempt    int
	CategoryQuotas         []schematype.CategoryQuota
	TimeLimitSeconds       int
	GraceSeconds           int
	PointsPerQuestion      int
	RankingMode            campaign.RankingMode
	PeriodSeconds          int
	PoolSize               int
	WinnersPerPeriod       int
	ExcludePreviousWinners bool
	MaxAttemptsPerDay      *int
	EntropySource          string
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

func (in Input) rules() Rules {
	return Rules{
		Name:                   in.Name,
		Description:            in.Description,
		BankID:                 in.BankID,
		StartsAt:               in.StartsAt,
		EndsAt:                 in.EndsAt,
		Timezone:               or(in.Timezone, DefaultTimezone),
		QuestionsPerAttempt:    or(in.QuestionsPerAttempt, DefaultQuestionsPerAttempt),
		CategoryQuotas:         in.CategoryQuotas,
		TimeLimitSeconds:       or(in.TimeLimitSeconds, DefaultTimeLimitSeconds),
		GraceSeconds:           or(in.GraceSeconds, DefaultGraceSeconds),
		PointsPerQuestion:      or(in.PointsPerQuestion, DefaultPointsPerQuestion),
		RankingMode:            or(in.RankingMode, campaign.RankingModeBEST_ATTEMPT),
		PeriodSeconds:          or(in.PeriodSeconds, DefaultPeriodSeconds),
		PoolSize:               or(in.PoolSize, DefaultPoolSize),
		WinnersPerPeriod:       or(in.WinnersPerPeriod, DefaultWinnersPerPeriod),
		ExcludePreviousWinners: or(in.ExcludePreviousWinners, true),
		MaxAttemptsPerDay:      in.MaxAttemptsPerDay,
		EntropySource:          or(in.EntropySource, EntropyDrand),
	}
}

// RulesOf returns a stored campaign's rules.
func RulesOf(c *ent.Campaign) Rules {
	return Rules{
		Name: c.Name, Description: c.Description, BankID: c.BankID, StartsAt: c.StartsAt, EndsAt: c.EndsAt,
		Timezone: c.Timezone, QuestionsPerAttempt: c.QuestionsPerAttempt, CategoryQuotas: c.CategoryQuotas,
		TimeLimitSeconds: c.TimeLimitSeconds, GraceSeconds: c.GraceSeconds, PointsPerQuestion: c.PointsPerQuestion,
		RankingMode: c.RankingMode, PeriodSeconds: c.PeriodSeconds, PoolSize: c.PoolSize,
		WinnersPerPeriod: c.WinnersPerPeriod, ExcludePreviousWinners: c.ExcludePreviousWinners,
		MaxAttemptsPerDay: c.MaxAttemptsPerDay, EntropySource: c.EntropySource,
	}
}

type rule struct {
	name     string
	value    int
	min, max int
}

// check validates r and normalises its texts and times.
func (r *Rules) check() error {
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" || utf8.RuneCountInString(r.Name) > 200 {
		return apperr.Invalidf("name: 1 to 200 characters (活动名称1至200字)")
	}
	// Whole seconds: a period's cutoff appears in its commitment record at
	// second precision, and must be exactly the time the pool is cut at.
	r.StartsAt, r.EndsAt = r.StartsAt.UTC().Truncate(time.Second), r.EndsAt.UTC().Truncate(time.Second)
	if !r.EndsAt.After(r.StartsAt) {
		return apperr.Invalidf("endsAt: must be after startsAt (结束时间须晚于开始时间)")
	}
	if _, err := time.LoadLocation(r.Timezone); err != nil || r.Timezone == "" || r.Timezone == "Local" {
		return apperr.Invalidf("timezone: %q is not an IANA time zone such as Asia/Shanghai", r.Timezone)
	}
	entropy, err := normalizeEntropy(r.EntropySource)
	if err != nil {
		return err
	}
	r.EntropySource = entropy
	rules := []rule{
		{"questionsPerAttempt", r.QuestionsPerAttempt, 1, 100},
		{"timeLimitSeconds", r.TimeLimitSeconds, 1, 24 * 3600},
		{"graceSeconds", r.GraceSeconds, 0, 600},
		{"pointsPerQuestion", r.PointsPerQuestion, 1, 10000},
		{"periodSeconds", r.PeriodSeconds, 1, 366 * 24 * 3600},
		{"poolSize", r.PoolSize, 1, 1000000},
		{"winnersPerPeriod", r.WinnersPerPeriod, 0, r.PoolSize},
	}
	if r.MaxAttemptsPerDay != nil {
		rules = append(rules, rule{"maxAttemptsPerDay", *r.MaxAttemptsPerDay, 1, 10000})
	}
	for _, x := range rules {
		if x.value < x.min || x.value > x.max {
			return apperr.Invalidf("%s: must be between %d and %d, got %d", x.name, x.min, x.max, x.value)
		}
	}
	if err := campaign.RankingModeValidator(r.RankingMode); err != nil {
		return apperr.Invalidf("rankingMode: must be BEST_ATTEMPT or TOTAL_SCORE")
	}
	quotas, sum := make([]schematype.CategoryQuota, 0, len(r.CategoryQuotas)), 0
	for _, q := range r.CategoryQuotas {
		q.Category = strings.TrimSpace(q.Category)
		switch {
		case q.Category == "":
			return apperr.Invalidf("categoryQuotas: a category must be named (分类不能为空)")
		case q.Count < 1:
			return apperr.Invalidf("categoryQuotas: %s: count must be at least 1", q.Category)
		case slices.ContainsFunc(quotas, func(x schematype.CategoryQuota) bool { return x.Category == q.Category }):
			return apperr.Invalidf("categoryQuotas: %s appears twice", q.Category)
		}
		sum += q.Count
		quotas = append(quotas, q)
	}
	if sum > r.QuestionsPerAttempt {
		return apperr.Invalidf("categoryQuotas: the quotas ask for %d questions, more than questionsPerAttempt %d (分类题数之和超过每次题数)", sum, r.QuestionsPerAttempt)
	}
	r.CategoryQuotas = quotas
	if n := len(Periods(r.StartsAt, r.EndsAt, time.Duration(r.PeriodSeconds)*time.Second)); n > MaxPeriods {
		return apperr.Invalidf("periodSeconds: the campaign would have %d periods; at most %d", n, MaxPeriods)
	}
	return nil
}

func (s *Service) checkBank(ctx context.Context, db *ent.Client, id int) error {
	b, err := db.QuestionBank.Get(ctx, id)
	if ent.IsNotFound(err) {
		return apperr.NotFoundf("question bank %d not found", id)
	}
	if err != nil {
		return fmt.Errorf("campaigns: find bank: %w", err)
	}
	if b.Archived {
		return apperr.Invalidf("bankID: question bank %q is archived (题库已归档)", b.Name)
	}
	return nil
}

// Create validates the input, creates the campaign and its periods in one
// transaction.
func (s *Service) Create(ctx context.Context, in Input) (*ent.Campaign, error) {
	r := in.rules()
	if err := r.check(); err != nil {
		return nil, err
	}
	var saved *ent.Campaign
	err := store.InTx(ctx, s.Client, func(ctx context.Context, tx *ent.Client) error {
		if err := s.checkBank(ctx, tx, r.BankID); err != nil {
			return err
		}
		c := tx.Campaign.Create().SetPublicID(randid.PublicID("c", 10)).SetCreatedAt(s.Clock.Now())
		setRules(c.Mutation(), r)
		var err error
		if saved, err = c.Save(ctx); err != nil {
			return fmt.Errorf("campaigns: create: %w", err)
		}
		return createPeriods(ctx, tx, saved, r.StartsAt, 1)
	})
	if err != nil {
		return nil, err
	}
	audit.Describe(ctx, "Campaign:"+saved.PublicID, nil, r)
	return saved, nil
}

func setRules(m *ent.CampaignMutation, r Rules) {
	m.SetName(r.Name)
	if r.Description != nil {
		m.SetDescription(*r.Description)
	}
	m.SetBankID(r.BankID)
	m.SetStartsAt(r.StartsAt)
	m.SetEndsAt(r.EndsAt)
	m.SetTimezone(r.Timezone)
	m.SetQuestionsPerAttempt(r.QuestionsPerAttempt)
	m.SetCategoryQuotas(r.CategoryQuotas)
	m.SetTimeLimitSeconds(r.TimeLimitSeconds)
	m.SetGraceSeconds(r.GraceSeconds)
	m.SetPointsPerQuestion(r.PointsPerQuestion)
	m.SetRankingMode(r.RankingMode)
	m.SetPeriodSeconds(r.PeriodSeconds)
	m.SetPoolSize(r.PoolSize)
	m.SetWinnersPerPeriod(r.WinnersPerPeriod)
	m.SetExcludePreviousWinners(r.ExcludePreviousWinners)
	if r.MaxAttemptsPerDay != nil {
		m.SetMaxAttemptsPerDay(*r.MaxAttemptsPerDay)
	} else {
		m.ClearMaxAttemptsPerDay()
	}
	m.SetEntropySource(r.EntropySource)
}

// createPeriods cuts [from, c.EndsAt) into periods numbered from first.
func createPeriods(ctx context.Context, tx *ent.Client, c *ent.Campaign, from time.Time, first int) error {
	spans := Periods(from, c.EndsAt, time.Duration(c.PeriodSeconds)*time.Second)
	creates := make([]*ent.PeriodCreate, len(spans))
	for i, p := range spans {
		creates[i] = tx.Period.Create().SetCampaignID(c.ID).SetIndex(first + i).SetStartsAt(p.Start).SetEndsAt(p.End)
	}
	if err := tx.Period.CreateBulk(creates...).Exec(ctx); err != nil {
		return fmt.Errorf("campaigns: create periods: %w", err)
	}
	return nil
}

// Update changes a campaign. Before it starts anything may change and its
// periods are cut anew. Once it has started its scoring and draw rules are
// locked; name, description and endsAt may still change, and only the
// periods that have not begun are cut anew.
func (s *Service) Update(ctx context.Context, id int, u Update) (*ent.Campaign, error) {
	var saved *ent.Campaign
	err := store.InTx(ctx, s.Client, func(ctx context.Context, tx *ent.Client) error {
		c, err := tx.Campaign.Get(ctx, id)
		if ent.IsNotFound(err) {
			return apperr.NotFoundf("campaign %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("campaigns: get: %w", err)
		}
		before := RulesOf(c)
		r := before
		apply(&r, u)
		now := s.Clock.Now()
		if err := r.check(); err != nil {
			return err
		}
		started := !now.Before(c.StartsAt)
		if started {
			if field := lockedChange(before, r); field != "" {
				return apperr.Invalidf("%s: locked once the campaign has started; only name, description and endsAt may change (活动已开始，计分与抽奖规则不可修改)", field)
			}
		}
		if u.BankID != nil && *u.BankID != before.BankID {
			if err := s.checkBank(ctx, tx, r.BankID); err != nil {
				return err
			}
		}
		if started && r.EndsAt.Equal(before.EndsAt) {
			// Name and description only: the periods stand, and an ended
			// campaign can still be renamed.
			if saved, err = tx.Campaign.UpdateOne(c).SetName(r.Name).SetNillableDescription(r.Description).Save(ctx); err != nil {
				return fmt.Errorf("campaigns: update: %w", err)
			}
			audit.Describe(ctx, "Campaign:"+c.PublicID, before, r)
			return nil
		}
		keepFrom := r.StartsAt // before the start every period is cut anew
		next := 1
		if started {
			if !r.EndsAt.After(now) {
				return apperr.Invalidf("endsAt: must be in the future (结束时间须晚于当前时间)")
			}
			begun, err := tx.Period.Query().
				Where(period.HasCampaignWith(campaign.ID(id)), period.StartsAtLTE(now)).
				Order(period.ByIndex()).All(ctx)
			if err != nil {
				return fmt.Errorf("campaigns: periods: %w", err)
			}
			if len(begun) > 0 {
				last := begun[len(begun)-1]
				if r.EndsAt.Before(last.EndsAt) {
					return apperr.Invalidf("endsAt: not before the current period's cutoff %s (结束时间不能早于当前抽奖周期的截止时间)", last.EndsAt.Format(time.RFC3339))
				}
				keepFrom, next = last.EndsAt, last.Index+1
			}
		}
		_, err = tx.Period.Delete().
			Where(period.HasCampaignWith(campaign.ID(id)), period.StartsAtGTE(keepFrom)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("campaigns: drop upcoming periods: %w", err)
		}
		upd := tx.Campaign.UpdateOne(c)
		setRules(upd.Mutation(), r)
		if saved, err = upd.Save(ctx); err != nil {
			return fmt.Errorf("campaigns: update: %w", err)
		}
		if err := createPeriods(ctx, tx, saved, keepFrom, next); err != nil {
			return err
		}
		audit.Describe(ctx, "Campaign:"+c.PublicID, before, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

func apply(r *Rules, u Update) {
	set := func(dst *int, src *int) {
		if src != nil {
			*dst = *src
		}
	}
	if u.Name != nil {
		r.Name = *u.Name
	}
	if u.Description != nil {
		r.Description = u.Description
	}
	set(&r.BankID, u.BankID)
	if u.StartsAt != nil {
		r.StartsAt = *u.StartsAt
	}
	if u.EndsAt != nil {
		r.EndsAt = *u.EndsAt
	}
	set(&r.QuestionsPerAttempt, u.QuestionsPerAttempt)
	if u.CategoryQuotas != nil {
		r.CategoryQuotas = u.CategoryQuotas
	}
	set(&r.TimeLimitSeconds, u.TimeLimitSeconds)
	set(&r.GraceSeconds, u.GraceSeconds)
	set(&r.PointsPerQuestion, u.PointsPerQuestion)
	if u.RankingMode != nil {
		r.RankingMode = *u.RankingMode
	}
	set(&r.PeriodSeconds, u.PeriodSeconds)
	set(&r.PoolSize, u.PoolSize)
	set(&r.WinnersPerPeriod, u.WinnersPerPeriod)
	if u.ExcludePreviousWinners != nil {
		r.ExcludePreviousWinners = *u.ExcludePreviousWinners
	}
	if u.MaxAttemptsPerDay != nil {
		if *u.MaxAttemptsPerDay == 0 {
			r.MaxAttemptsPerDay = nil
		} else {
			r.MaxAttemptsPerDay = u.MaxAttemptsPerDay
		}
	}
	if u.Timezone != nil {
		r.Timezone = *u.Timezone
	}
	if u.EntropySource != nil {
		r.EntropySource = *u.EntropySource
	}
}

// lockedChange names the first rule that differs between a and b among
// those locked once a campaign has started, or "".
func lockedChange(a, b Rules) string {
	switch {
	case a.BankID != b.BankID:
		return "bankID"
	case !a.StartsAt.Equal(b.StartsAt):
		return "startsAt"
	case a.QuestionsPerAttempt != b.QuestionsPerAttempt:
		return "questionsPerAttempt"
	case !slices.Equal(a.CategoryQuotas, b.CategoryQuotas):
		return "categoryQuotas"
	case a.TimeLimitSeconds != b.TimeLimitSeconds:
		return "timeLimitSeconds"
	case a.GraceSeconds != b.GraceSeconds:
		return "graceSeconds"
	case a.PointsPerQuestion != b.PointsPerQuestion:
		return "pointsPerQuestion"
	case a.RankingMode != b.RankingMode:
		return "rankingMode"
	case a.PeriodSeconds != b.PeriodSeconds:
		return "periodSeconds"
	case a.PoolSize != b.PoolSize:
		return "poolSize"
	case a.WinnersPerPeriod != b.WinnersPerPeriod:
		return "winnersPerPeriod"
	case a.ExcludePreviousWinners != b.ExcludePreviousWinners:
		return "excludePreviousWinners"
	case (a.MaxAttemptsPerDay == nil) != (b.MaxAttemptsPerDay == nil) ||
		a.MaxAttemptsPerDay != nil && *a.MaxAttemptsPerDay != *b.MaxAttemptsPerDay:
		return "maxAttemptsPerDay"
	case a.Timezone != b.Timezone:
		return "timezone"
	case a.EntropySource != b.EntropySource:
		return "entropySource"
	}
	return ""
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
