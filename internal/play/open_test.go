package play_test

import (
	"log/slog"
	"testing"
	"time"

	"prizequiz/ent/attempt"
	"prizequiz/internal/apperr"
	"prizequiz/internal/participants"
	"prizequiz/internal/play"
	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// TestKeptAttemptSettledElsewhere: the process that started an attempt
// keeps it for the submit, but another process (or the sweeper) may settle
// it first. The keeper's submit must then report the attempt as stored:
// the same result, never a second score; expired; or refused for a block.
func TestKeptAttemptSettledElsewhere(t *testing.T) {
	cases := []struct {
		name string
		// settle acts as another process on the attempt a of participant p.
		settle func(t *testing.T, f *testfix.Fix, other *play.Service, p int, a *play.Attempt)
		want   apperr.Code // "" for the stored result
	}{
		{"submitted by another process", func(t *testing.T, f *testfix.Fix, other *play.Service, p int, a *play.Attempt) {
			if _, err := other.Submit(f.Ctx, p, a.ID, answersFor(a, "A")); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"expired by the sweeper", func(t *testing.T, f *testfix.Fix, other *play.Service, _ int, _ *play.Attempt) {
			f.Clock.Advance(time.Hour)
			if n, err := other.ExpireOverdue(f.Ctx, 10); err != nil || n != 1 {
				t.Fatalf("sweeper expired %d: %v", n, err)
			}
		}, apperr.AttemptExpired},
		{"blocked by another process", func(t *testing.T, f *testfix.Fix, other *play.Service, p int, _ *play.Attempt) {
			ps := &participants.Service{DB: f.DB, Ranks: other.Ranks}
			if _, err := ps.Block(f.Ctx, p, "代答"); err != nil {
				t.Fatal(err)
			}
		}, apperr.Forbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				f := testfix.New(t, db)
				other := &play.Service{Client: f.Client, Clock: f.Clock,
					Ranks: ranking.NewRanks(db, f.Clock, slog.New(slog.DiscardHandler), nil)}
				c := f.Campaign(f.Bank(10).ID, nil)
				p := f.Player("甲")
				a, err := f.Play.Start(f.Ctx, p, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				tc.settle(t, f, other, p, a)
				// All wrong this time: a second scoring would show.
				r, err := f.Play.Submit(f.Ctx, p, a.ID, answersFor(a, "B"))
				if tc.want != "" {
					wantCode(t, err, tc.want)
				} else if err != nil {
					t.Fatal(err)
				} else if r.Score != 100 || r.Standing.Attempts != 1 || r.Standing.Score != 100 {
					t.Fatalf("the keeper scored again: score %d, standing %+v", r.Score, r.Standing)
				}
				stored := f.Client.Attempt.GetX(f.Ctx, a.ID)
				if wantStatus := map[apperr.Code]attempt.Status{"": attempt.StatusSUBMITTED, apperr.AttemptExpired: attempt.StatusEXPIRED,
					apperr.Forbidden: attempt.StatusIN_PROGRESS}[tc.want]; stored.Status != wantStatus || (tc.want == "" && stored.Score != 100) {
					t.Fatalf("stored attempt %+v", stored)
				}
			})
		})
	}
}
