package fraud_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"prizequiz/internal/apperr"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/fraud"
	"prizequiz/internal/play"
	"prizequiz/internal/reqinfo"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

func TestSuspicious(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(10).ID, func(in *campaigns.Input) { in.MaxAttemptsPerDay = nil })
		playOnce := func(ctx context.Context, p int, took time.Duration) {
			a, err := f.Play.Start(ctx, p, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			f.Clock.Advance(took)
			var ans []*play.Answer
			for _, q := range a.Questions {
				ans = append(ans, &play.Answer{QuestionID: q.ID, Choices: []string{"A"}})
			}
			if _, err := f.Play.Submit(ctx, p, a.ID, ans); err != nil {
				t.Fatal(err)
			}
		}
		bot := f.Player("bot")
		playOnce(f.Ctx, bot, 3*time.Second) // 5 questions in 3 s, all right
		grinder := f.Player("grinder")
		for range 4 {
			playOnce(f.Ctx, grinder, time.Minute)
		}
		device := reqinfo.With(f.Ctx, reqinfo.Info{Fingerprint: "same-phone"})
		var farm []int
		for i := range 3 {
			s, err := f.Auth.SignInGuest(device, fmt.Sprintf("farm%d", i))
			if err != nil {
				t.Fatal(err)
			}
			farm = append(farm, s.Participant.ID)
			playOnce(device, s.Participant.ID, time.Minute)
		}
		honest := f.Player("honest")
		playOnce(f.Ctx, honest, time.Minute)

		got, err := fraud.Suspicious(f.Ctx, f.Client, c, fraud.Params{MinSecondsPerQuestion: 1, MaxAttempts: 4, MaxPerFingerprint: 3})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[int][]string{}
		for _, s := range got {
			for _, sig := range s.Signals {
				kinds[s.Participant.ID] = append(kinds[s.Participant.ID], sig.Kind)
				if sig.Detail == "" {
					t.Errorf("signal without evidence: %+v", sig)
				}
			}
		}
		want := map[int]string{bot: fraud.FastAttempt, grinder: fraud.ManyAttempts, farm[0]: fraud.SharedFingerprint,
			farm[1]: fraud.SharedFingerprint, farm[2]: fraud.SharedFingerprint}
		if len(kinds) != len(want) {
			t.Fatalf("suspects %v, want %v", kinds, want)
		}
		for id, k := range want {
			if len(kinds[id]) != 1 || kinds[id][0] != k {
				t.Errorf("participant %d: %v, want %s", id, kinds[id], k)
			}
		}
		if _, ok := kinds[honest]; ok {
			t.Error("honest player flagged")
		}
		if _, err := fraud.Suspicious(f.Ctx, f.Client, c, fraud.Params{MaxAttempts: 0, MaxPerFingerprint: 3}); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("bad thresholds: %v", err)
		}
	})
}
