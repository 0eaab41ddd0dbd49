package campaigns_test

import (
	"strings"
	"testing"
	"time"

	"prizequiz/ent/campaign"
	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/apperr"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

func TestCreateAppliesBriefDefaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(5).ID, nil)
		if c.QuestionsPerAttempt != 5 || c.TimeLimitSeconds != 300 || c.GraceSeconds != 5 || c.PointsPerQuestion != 20 ||
			c.RankingMode != campaign.RankingModeBEST_ATTEMPT || c.PeriodSeconds != 7*24*3600 || c.PoolSize != 1000 ||
			c.WinnersPerPeriod != 520 || !c.ExcludePreviousWinners || c.MaxAttemptsPerDay != nil ||
			c.Timezone != "Asia/Shanghai" || c.EntropySource != "drand-quicknet" || c.PublicID == "" {
			t.Fatalf("defaults: %+v", c)
		}
		ps, err := f.Campaigns.PeriodsOf(f.Ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 2 || !ps[1].StartsAt.Equal(ps[0].EndsAt) || !ps[1].EndsAt.Equal(c.EndsAt) || ps[0].Index != 1 {
			t.Fatalf("periods %+v", ps)
		}
	})
}

func TestShortRulesForTests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		now := f.Clock.Now()
		c := f.Campaign(f.Bank(5).ID, func(in *campaigns.Input) {
			in.TimeLimitSeconds, in.PeriodSeconds = testfix.Ptr(2), testfix.Ptr(5)
			in.EndsAt = now.Add(12 * time.Second)
		})
		ps, _ := f.Campaigns.PeriodsOf(f.Ctx, c)
		// 5 s, 5 s, then the last cut at endsAt: 2 s.
		if len(ps) != 3 || ps[2].EndsAt.Sub(ps[2].StartsAt) != 2*time.Second {
			t.Fatalf("periods %+v", ps)
		}
		statuses := func() string {
			var s []string
			for _, p := range ps {
				s = append(s, campaigns.PeriodStatus(p, f.Clock.Now()))
			}
			return strings.Join(s, " ")
		}
		if got := statuses(); got != "OPEN UPCOMING UPCOMING" {
			t.Fatalf("at start: %s", got)
		}
		f.Clock.Advance(5 * time.Second)
		if got := statuses(); got != "CLOSED OPEN UPCOMING" {
			t.Fatalf("after 5 s: %s", got)
		}
	})
}

func TestCreateValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		b := f.Bank(5)
		now := f.Clock.Now()
		cases := []struct {
			name string
			edit func(*campaigns.Input)
			code apperr.Code
			msg  string
		}{
			{"empty name", func(in *campaigns.Input) { in.Name = "" }, apperr.BadUserInput, "name"},
			{"ends before start", func(in *campaigns.Input) { in.EndsAt = now.Add(-time.Hour) }, apperr.BadUserInput, "endsAt"},
			{"unknown bank", func(in *campaigns.Input) { in.BankID = b.ID + 1000 }, apperr.NotFound, "bank"},
			{"zero questions", func(in *campaigns.Input) { in.QuestionsPerAttempt = testfix.Ptr(0) }, apperr.BadUserInput, "questionsPerAttempt"},
			{"zero time limit", func(in *campaigns.Input) { in.TimeLimitSeconds = testfix.Ptr(0) }, apperr.BadUserInput, "timeLimitSeconds"},
			{"negative grace", func(in *campaigns.Input) { in.GraceSeconds = testfix.Ptr(-1) }, apperr.BadUserInput, "graceSeconds"},
			{"more winners than pool", func(in *campaigns.Input) { in.WinnersPerPeriod = testfix.Ptr(1001) }, apperr.BadUserInput, "winnersPerPeriod"},
			{"zero attempts per day", func(in *campaigns.Input) { in.MaxAttemptsPerDay = testfix.Ptr(0) }, apperr.BadUserInput, "maxAttemptsPerDay"},
			{"bad time zone", func(in *campaigns.Input) { in.Timezone = testfix.Ptr("Mars/Base") }, apperr.BadUserInput, "timezone"},
			{"bad entropy", func(in *campaigns.Input) { in.EntropySource = testfix.Ptr("dice") }, apperr.BadUserInput, "entropySource"},
			{"too many periods", func(in *campaigns.Input) { in.PeriodSeconds = testfix.Ptr(1) }, apperr.BadUserInput, "periods"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				in := campaigns.Input{Name: "c", BankID: b.ID, StartsAt: now, EndsAt: now.Add(14 * 24 * time.Hour)}
				tc.edit(&in)
				_, err := f.Campaigns.Create(f.Ctx, in)
				if apperr.CodeOf(err) != tc.code || !strings.Contains(err.Error(), tc.msg) {
					t.Fatalf("got %v, want %s about %s", err, tc.code, tc.msg)
				}
			})
		}
		if n := f.Client.Campaign.Query().CountX(f.Ctx); n != 0 {
			t.Fatalf("%d campaigns stored by invalid inputs", n)
		}
		c := f.Campaign(b.ID, func(in *campaigns.Input) {
			in.EntropySource = testfix.Ptr("declared:  the 福彩3D numbers of 2026-10-05 ")
		})
		if c.EntropySource != "declared: the 福彩3D numbers of 2026-10-05" {
			t.Fatalf("entropy %q", c.EntropySource)
		}
	})
}

func TestActive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		b := f.Bank(5)
		now := f.Clock.Now()
		running := f.Campaign(b.ID, nil)
		f.Campaign(b.ID, func(in *campaigns.Input) { in.StartsAt, in.EndsAt = now.Add(time.Hour), now.Add(2*time.Hour) })
		got, err := f.Campaigns.Active(f.Ctx)
		if err != nil || len(got) != 1 || got[0].ID != running.ID {
			t.Fatalf("active: %v %v", got, err)
		}
	})
}

func TestUpdateLocksRulesOnceStarted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		b := f.Bank(10)
		now := f.Clock.Now()
		c := f.Campaign(b.ID, func(in *campaigns.Input) {
			in.StartsAt, in.EndsAt = now.Add(time.Hour), now.Add(time.Hour+20*time.Second)
			in.PeriodSeconds = testfix.Ptr(10)
		})
		// Before the start anything may change, and periods are cut anew.
		c, err := f.Campaigns.Update(f.Ctx, c.ID, campaigns.Update{PointsPerQuestion: testfix.Ptr(10), PeriodSeconds: testfix.Ptr(5)})
		if err != nil || c.PointsPerQuestion != 10 {
			t.Fatalf("update before start: %v", err)
		}
		if ps, _ := f.Campaigns.PeriodsOf(f.Ctx, c); len(ps) != 4 {
			t.Fatalf("%d periods after changing the period to 5 s", len(ps))
		}
		f.Clock.Set(now.Add(time.Hour + 7*time.Second)) // inside period 2
		for name, u := range map[string]campaigns.Update{
			"pointsPerQuestion":   {PointsPerQuestion: testfix.Ptr(30)},
			"questionsPerAttempt": {QuestionsPerAttempt: testfix.Ptr(3)},
			"periodSeconds":       {PeriodSeconds: testfix.Ptr(7)},
			"winnersPerPeriod":    {WinnersPerPeriod: testfix.Ptr(1)},
			"startsAt":            {StartsAt: testfix.Ptr(now)},
		} {
			_, err := f.Campaigns.Update(f.Ctx, c.ID, u)
			if apperr.CodeOf(err) != apperr.BadUserInput || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "locked") {
				t.Errorf("%s after start: %v", name, err)
			}
		}
		// Sending a locked rule unchanged is fine; name, description and the end may change.
		c, err = f.Campaigns.Update(f.Ctx, c.ID, campaigns.Update{
			PointsPerQuestion: testfix.Ptr(10), Name: testfix.Ptr("新名称"), Description: testfix.Ptr("说明"),
			EndsAt: testfix.Ptr(now.Add(time.Hour + 32*time.Second)),
		})
		if err != nil || c.Name != "新名称" {
			t.Fatalf("allowed update: %v", err)
		}
		ps, _ := f.Campaigns.PeriodsOf(f.Ctx, c)
		// Periods 1 and 2 have begun and stay; 3.. are cut anew up to the new end.
		if len(ps) != 7 || !ps[1].EndsAt.Equal(now.Add(time.Hour+10*time.Second)) || ps[6].Index != 7 || !ps[6].EndsAt.Equal(c.EndsAt) {
			t.Fatalf("periods %+v", ps)
		}
		_, err = f.Campaigns.Update(f.Ctx, c.ID, campaigns.Update{EndsAt: testfix.Ptr(now.Add(time.Hour + 8*time.Second))})
		if apperr.CodeOf(err) != apperr.BadUserInput || !strings.Contains(err.Error(), "cutoff") {
			t.Fatalf("ending inside the open period: %v", err)
		}
		// After the end the name and description may still change; the
		// periods stay as they were, and the end may not move into the past.
		f.Clock.Set(c.EndsAt.Add(time.Hour))
		renamed, err := f.Campaigns.Update(f.Ctx, c.ID, campaigns.Update{Name: testfix.Ptr("往期活动"), EndsAt: testfix.Ptr(c.EndsAt)})
		if err != nil || renamed.Name != "往期活动" {
			t.Fatalf("renaming an ended campaign: %v", err)
		}
		if after, _ := f.Campaigns.PeriodsOf(f.Ctx, renamed); len(after) != len(ps) || after[0].ID != ps[0].ID {
			t.Fatalf("renaming re-cut the periods: %+v", after)
		}
		_, err = f.Campaigns.Update(f.Ctx, c.ID, campaigns.Update{EndsAt: testfix.Ptr(c.EndsAt.Add(30 * time.Minute))})
		if apperr.CodeOf(err) != apperr.BadUserInput || !strings.Contains(err.Error(), "future") {
			t.Fatalf("moving the end of an ended campaign: %v", err)
		}
	})
}

func TestCategoryQuotasValidated(t *testing.T) {
	db := storetest.SQLite(t)
	f := testfix.New(t, db)
	b := f.Bank(10)
	now := f.Clock.Now()
	for _, q := range [][]schematype.CategoryQuota{
		{{Category: "a", Count: 3}, {Category: "b", Count: 3}},
		{{Category: "a", Count: 0}},
		{{Category: " ", Count: 1}},
		{{Category: "a", Count: 1}, {Category: "a", Count: 1}},
	} {
		_, err := f.Campaigns.Create(f.Ctx, campaigns.Input{Name: "c", BankID: b.ID, StartsAt: now, EndsAt: now.Add(time.Hour), CategoryQuotas: q})
		if apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("quotas %v: %v", q, err)
		}
	}
}
