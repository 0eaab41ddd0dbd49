package demo_test

import (
	"testing"
	"time"

	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/bank"
	"prizequiz/internal/demo"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

func TestDemoQuestionsAreValid(t *testing.T) {
	qs, err := demo.Questions(1)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) < 60 {
		t.Fatalf("%d demo questions, want at least 60", len(qs))
	}
	kinds := map[schematype.QuestionKind]int{}
	stems := map[string]bool{}
	for i, q := range qs {
		if _, err := bank.Validate(q); err != nil {
			t.Errorf("question %d: %v", i+1, err)
		}
		if stems[q.Stem] {
			t.Errorf("question %d: duplicate stem", i+1)
		}
		stems[q.Stem] = true
		if q.Category == nil || *q.Category == "" || q.Explanation == nil || *q.Explanation == "" {
			t.Errorf("question %d: missing category or explanation", i+1)
		}
		kinds[q.Kind]++
	}
	for _, k := range []schematype.QuestionKind{schematype.KindSingle, schematype.KindMultiple, schematype.KindTrueFalse} {
		if kinds[k] == 0 {
			t.Errorf("no %s questions", k)
		}
	}
}

func TestSeedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		seeded, err := demo.Seed(f.Ctx, f.Client, f.Banks, f.Campaigns)
		if err != nil || !seeded {
			t.Fatalf("seed: %v %v", seeded, err)
		}
		c := f.Client.Campaign.Query().OnlyX(f.Ctx)
		if c.QuestionsPerAttempt != 5 || c.TimeLimitSeconds != 300 || c.PointsPerQuestion != 20 || c.PeriodSeconds != 7*24*3600 ||
			c.PoolSize != 1000 || c.WinnersPerPeriod != 520 || !c.StartsAt.Equal(f.Clock.Now()) || c.EndsAt.Sub(c.StartsAt) != 14*24*time.Hour {
			t.Fatalf("demo campaign %+v", c)
		}
		active, _ := f.Campaigns.Active(f.Ctx)
		if len(active) != 1 {
			t.Fatalf("demo campaign not active")
		}
		if n := f.Client.Question.Query().CountX(f.Ctx); n < 60 {
			t.Fatalf("%d questions seeded", n)
		}
		again, err := demo.Seed(f.Ctx, f.Client, f.Banks, f.Campaigns)
		if err != nil || again || f.Client.Campaign.Query().CountX(f.Ctx) != 1 {
			t.Fatalf("second seed: %v %v", again, err)
		}
	})
}
