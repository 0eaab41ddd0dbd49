package play_test

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"prizequiz/ent/attempt"
	"prizequiz/ent/campaign"
	"prizequiz/ent/question"
	"prizequiz/ent/schema/schematype"
	"prizequiz/ent/standing"
	"prizequiz/internal/apperr"
	"prizequiz/internal/bank"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/participants"
	"prizequiz/internal/play"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// answersFor answers every question of a with the given choices.
func answersFor(a *play.Attempt, choices ...string) []*play.Answer {
	out := make([]*play.Answer, len(a.Questions))
	for i, q := range a.Questions {
		out[i] = &play.Answer{QuestionID: q.ID, Choices: choices}
	}
	return out
}

func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s, got no error", code)
	}
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("want %s, got %s (%v)", code, got, err)
	}
}

func TestStartDrawsDistinctEnabledQuestions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		b := f.Bank(8)
		// Disable three: only five remain, so every attempt must draw exactly them.
		disabled, err := f.Client.Question.Query().Where(question.BankID(b.ID)).Limit(3).IDs(f.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		f.Client.Question.Update().Where(question.IDIn(disabled...)).SetEnabled(false).ExecX(f.Ctx)
		c := f.Campaign(b.ID, nil)
		a, err := f.Play.Start(f.Ctx, f.Player("p"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Questions) != 5 {
			t.Fatalf("got %d questions, want 5", len(a.Questions))
		}
		seen := map[int]bool{}
		for i, q := range a.Questions {
			if seen[q.ID] || slices.Contains(disabled, q.ID) {
				t.Fatalf("question %d repeated or disabled", q.ID)
			}
			seen[q.ID] = true
			if q.Position != i+1 {
				t.Fatalf("position %d at index %d", q.Position, i)
			}
		}
		if a.Status != attempt.StatusIN_PROGRESS || !a.Deadline.Equal(testfix.Start.Add(300*time.Second)) {
			t.Fatalf("status %s deadline %s", a.Status, a.Deadline)
		}
	})
}

// TestPickIsUniform checks the draw without replacement: with a fixed seed,
// each of 20 questions is drawn about 5/20 of the time (chi-square, 19
// degrees of freedom, far below the 0.1% critical value 43.8).
func TestPickIsUniform(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ids := make([]int, 20)
	for i := range ids {
		ids[i] = i + 1
	}
	counts := make([]int, 21)
	const trials = 20000
	for range trials {
		picked := play.Pick(ids, 5, r.IntN)
		if len(picked) != 5 {
			t.Fatalf("picked %d", len(picked))
		}
		seen := map[int]bool{}
		for _, id := range picked {
			if seen[id] {
				t.Fatalf("picked %d twice", id)
			}
			seen[id] = true
			counts[id]++
		}
	}
	expected := float64(trials*5) / 20
	chi := 0.0
	for _, c := range counts[1:] {
		chi += math.Pow(float64(c)-expected, 2) / expected
	}
	if chi > 43.8 {
		t.Fatalf("chi-square %.1f: draw is not uniform (%v)", chi, counts[1:])
	}
	// First positions are uniform too: order is random, not by id.
	first := make([]int, 21)
	for range trials {
		first[play.Pick(ids, 5, r.IntN)[0]]++
	}
	chi = 0
	e := float64(trials) / 20
	for _, c := range first[1:] {
		chi += math.Pow(float64(c)-e, 2) / e
	}
	if chi > 43.8 {
		t.Fatalf("first position chi-square %.1f", chi)
	}
}

func TestStartResumesAttemptInProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(20).ID, nil)
		p := f.Player("p")
		a1, err := f.Play.Start(f.Ctx, p, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(200 * time.Second)
		a2, err := f.Play.Start(f.Ctx, p, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a1.ID != a2.ID || !a1.Deadline.Equal(a2.Deadline) || !slices.EqualFunc(a1.Questions, a2.Questions, func(x, y play.Question) bool {
			return x.ID == y.ID && x.Position == y.Position && x.Stem == y.Stem
		}) {
			t.Fatalf("resume gave a different attempt: %+v vs %+v", a1, a2)
		}
	})
}

// TestStartResumesEvenWhenNoNewAttemptMayStart: reloading the page gives
// back the attempt in progress even when a new one would be refused, and
// an overdue one gives way to a new one.
func TestStartResumesEvenWhenNoNewAttemptMayStart(t *testing.T) {
	cases := []struct {
		name string
		edit func(*campaigns.Input)
		// after is how long after the first start the page reloads.
		after time.Duration
		same  bool
		want  apperr.Code
	}{
		{"the day's limit is reached by the attempt in progress", func(in *campaigns.Input) { in.MaxAttemptsPerDay = testfix.Ptr(1) },
			time.Minute, true, ""},
		{"the campaign ended, within the grace", func(in *campaigns.Input) { in.EndsAt = in.StartsAt.Add(2 * time.Minute) },
			2*time.Minute + time.Second, true, ""},
		{"the campaign ended, past the grace", func(in *campaigns.Input) { in.EndsAt = in.StartsAt.Add(2 * time.Minute) },
			time.Hour, false, apperr.CampaignNotActive},
		{"overdue, a new attempt", nil, time.Hour, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				f := testfix.New(t, db)
				c := f.Campaign(f.Bank(20).ID, tc.edit)
				p := f.Player("p")
				a1, err := f.Play.Start(f.Ctx, p, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				f.Clock.Advance(tc.after)
				a2, err := f.Play.Start(f.Ctx, p, c.ID)
				if tc.want != "" {
					wantCode(t, err, tc.want)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if (a1.ID == a2.ID) != tc.same {
					t.Fatalf("first attempt %d, after reload %d; want the same: %v", a1.ID, a2.ID, tc.same)
				}
				if !tc.same && f.Client.Attempt.GetX(f.Ctx, a1.ID).Status != attempt.StatusEXPIRED {
					t.Fatal("the overdue attempt was not expired")
				}
			})
		})
	}
}

func TestSubmitScoresAndMeasuresTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		b := f.Bank(0)
		for i := range 5 {
			f.Question(b.ID, schematype.KindMultiple, "M"+string(rune('a'+i)), "A", "C")
		}
		c := f.Campaign(b.ID, func(in *campaigns.Input) { in.PointsPerQuestion = testfix.Ptr(7) })
		p := f.Player("p")
		a, err := f.Play.Start(f.Ctx, p, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(42123 * time.Millisecond)
		ans := []*play.Answer{
			{QuestionID: a.Questions[0].ID, Choices: []string{"C", "A"}}, // exact set, any order
			{QuestionID: a.Questions[1].ID, Choices: []string{"A"}},      // subset: wrong
			{QuestionID: a.Questions[2].ID, Choices: []string{"A", "B", "C"}},
			{QuestionID: a.Questions[3].ID, Choices: []string{"A", "C"}},
			// the fifth is left unanswered: wrong
		}
		r, err := f.Play.Submit(f.Ctx, p, a.ID, ans)
		if err != nil {
			t.Fatal(err)
		}
		if r.CorrectCount != 2 || r.Score != 14 || r.DurationMs != 42123 {
			t.Fatalf("got correct %d score %d duration %d; want 2, 14, 42123", r.CorrectCount, r.Score, r.DurationMs)
		}
		if r.Attempt.Status != attempt.StatusSUBMITTED || len(r.Review) != 5 {
			t.Fatalf("status %s review %d", r.Attempt.Status, len(r.Review))
		}
		wantCorrect := []bool{true, false, false, true, false}
		for i, it := range r.Review {
			if it.IsCorrect != wantCorrect[i] || !slices.Equal(it.Correct, []string{"A", "C"}) {
				t.Fatalf("review %d: %+v", i, it)
			}
		}
		if r.Standing == nil || r.Standing.Score != 14 || *r.Standing.Rank != 1 || r.Standing.Attempts != 1 {
			t.Fatalf("standing %+v", r.Standing)
		}
	})
}

func TestSubmitDeadlineAndGrace(t *testing.T) {
	cases := []struct {
		name    string
		after   time.Duration
		expired bool
	}{
		{"before deadline", 299 * time.Second, false},
		{"inside grace", 304 * time.Second, false},
		{"at deadline plus grace", 305 * time.Second, false},
		{"just after grace", 305*time.Second + time.Millisecond, true},
		{"long after", time.Hour, true},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(10).ID, nil)
		for i, tc := range cases {
			p := f.Player(fmt.Sprintf("p%d", i))
			t.Run(tc.name, func(t *testing.T) {
				a, err := f.Play.Start(f.Ctx, p, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				f.Clock.Advance(tc.after)
				r, err := f.Play.Submit(f.Ctx, p, a.ID, answersFor(a, "A"))
				if tc.expired {
					wantCode(t, err, apperr.AttemptExpired)
					if s := f.Client.Attempt.GetX(f.Ctx, a.ID).Status; s != attempt.StatusEXPIRED {
						t.Fatalf("status %s, want EXPIRED", s)
					}
					// Submitting again is refused the same way, and nothing was ranked.
					_, err = f.Play.Submit(f.Ctx, p, a.ID, answersFor(a, "A"))
					wantCode(t, err, apperr.AttemptExpired)
				} else {
					if err != nil {
						t.Fatal(err)
					}
					if r.Score != 100 || r.DurationMs != tc.after.Milliseconds() {
						t.Fatalf("score %d duration %d", r.Score, r.DurationMs)
					}
				}
				f.Clock.Set(testfix.Start)
			})
		}
	})
}

// TestLazyExpiryAndSweeperAgree: an overdue attempt ends the same way whether
// the player comes back or the sweeper runs first.
func TestLazyExpiryAndSweeperAgree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(10).ID, nil)
		counts := countEvents(f.Play)
		lazy, swept := f.Player("lazy"), f.Player("swept")
		a1, _ := f.Play.Start(f.Ctx, lazy, c.ID)
		a2, _ := f.Play.Start(f.Ctx, swept, c.ID)
		f.Clock.Advance(306 * time.Second)

		n, err := f.Play.ExpireOverdue(f.Ctx, 100)
		if err != nil || n != 2 {
			t.Fatalf("sweeper expired %d (%v), want 2", n, err)
		}
		// Reset one to in-progress and let the lazy path find it instead.
		f.Client.Attempt.UpdateOneID(a1.ID).SetStatus(attempt.StatusIN_PROGRESS).ExecX(f.Ctx)
		a3, err := f.Play.Start(f.Ctx, lazy, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a3.ID == a1.ID {
			t.Fatal("start resumed an overdue attempt")
		}
		for _, id := range []int{a1.ID, a2.ID} {
			a := f.Client.Attempt.GetX(f.Ctx, id)
			if a.Status != attempt.StatusEXPIRED || a.Score != 0 || a.SubmittedAt != nil {
				t.Fatalf("attempt %d: %s score %d", id, a.Status, a.Score)
			}
		}
		if n, _ := f.Client.Standing.Query().Count(f.Ctx); n != 0 {
			t.Fatalf("%d standings from expired attempts", n)
		}
		if got := counts(); got[play.EventStarted] != 3 || got[play.EventExpired] != 3 || got[play.EventSubmitted] != 0 {
			t.Fatalf("events counted: %v", got)
		}
	})
}

// countEvents counts the attempt events a service reports.
func countEvents(s *play.Service) func() map[string]int {
	var mu sync.Mutex
	got := map[string]int{}
	s.Counted = func(event string, n int) {
		mu.Lock()
		defer mu.Unlock()
		got[event] += n
	}
	return func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		return maps.Clone(got)
	}
}

func TestResubmitIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(10).ID, nil)
		p := f.Player("p")
		a, _ := f.Play.Start(f.Ctx, p, c.ID)
		f.Clock.Advance(10 * time.Second)
		r1, err := f.Play.Submit(f.Ctx, p, a.ID, answersFor(a, "A"))
		if err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(time.Hour) // even long past the deadline
		r2, err := f.Play.Submit(f.Ctx, p, a.ID, answersFor(a, "B"))
		if err != nil {
			t.Fatal(err)
		}
		if r2.Score != r1.Score || r2.DurationMs != r1.DurationMs || r2.Standing.Attempts != 1 || r2.Standing.Score != 100 {
			t.Fatalf("resubmission changed the result: %+v vs %+v", r1, r2)
		}
	})
}

func TestConcurrentSubmitScoresOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(10).ID, func(in *campaigns.Input) { in.RankingMode = testfix.Ptr(campaign.RankingModeTOTAL_SCORE) })
		p := f.Player("p")
		a, _ := f.Play.Start(f.Ctx, p, c.ID)
		counts := countEvents(f.Play)
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for range 20 {
			wg.Go(func() {
				r, err := f.Play.Submit(f.Ctx, p, a.ID, answersFor(a, "A"))
				if err == nil && r.Score != 100 {
					t.Errorf("score %d", r.Score)
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		s := f.Client.Standing.Query().OnlyX(f.Ctx)
		if s.Attempts != 1 || s.Score != 100 {
			t.Fatalf("standing scored %d times, score %d", s.Attempts, s.Score)
		}
		if got := counts(); got[play.EventSubmitted] != 1 {
			t.Fatalf("20 racing submits counted %v", got)
		}
	})
}

func TestConcurrentStartCreatesOneAttempt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(10).ID, nil)
		p := f.Player("p")
		var wg sync.WaitGroup
		ids := make(chan int, 10)
		for range 10 {
			wg.Go(func() {
				a, err := f.Play.Start(f.Ctx, p, c.ID)
				if err != nil {
					t.Error(err)
					return
				}
				ids <- a.ID
			})
		}
		wg.Wait()
		close(ids)
		var got []int
		for id := range ids {
			got = append(got, id)
		}
		if len(got) != 10 || len(slices.Compact(slices.Sorted(slices.Values(got)))) != 1 {
			t.Fatalf("attempt ids %v, want ten times the same", got)
		}
		if n := f.Client.Attempt.Query().CountX(f.Ctx); n != 1 {
			t.Fatalf("%d attempts stored", n)
		}
	})
}

func TestMaxAttemptsPerDayInCampaignTimeZone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		// 15:50 UTC is 23:50 in Shanghai: ten minutes later is a new day there.
		f.Clock.Set(time.Date(2026, 9, 21, 15, 50, 0, 0, time.UTC))
		c := f.Campaign(f.Bank(10).ID, func(in *campaigns.Input) { in.MaxAttemptsPerDay = testfix.Ptr(2) })
		p := f.Player("p")
		play1 := func() error {
			a, err := f.Play.Start(f.Ctx, p, c.ID)
			if err != nil {
				return err
			}
			f.Clock.Advance(time.Second)
			_, err = f.Play.Submit(f.Ctx, p, a.ID, answersFor(a, "A"))
			return err
		}
		left := func(want int) {
			t.Helper()
			n, err := f.Play.AttemptsLeftToday(f.Ctx, p, c)
			if err != nil || n == nil || *n != want {
				t.Fatalf("attempts left: %v (%v), want %d", n, err, want)
			}
		}
		left(2)
		for i := range 2 {
			if err := play1(); err != nil {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
			left(1 - i)
		}
		wantCode(t, play1(), apperr.AttemptLimitReached)
		left(0)
		// An expired attempt counts too: limits are on starts.
		f.Clock.Set(time.Date(2026, 9, 21, 16, 0, 0, 0, time.UTC)) // 00:00 Shanghai
		left(2)
		if err := play1(); err != nil {
			t.Fatalf("new day: %v", err)
		}
		a, err := f.Play.Start(f.Ctx, p, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(time.Hour)
		_, err = f.Play.Submit(f.Ctx, p, a.ID, answersFor(a, "A"))
		wantCode(t, err, apperr.AttemptExpired)
		wantCode(t, play1(), apperr.AttemptLimitReached)
		unlimited := f.Campaign(f.Bank(10).ID, nil)
		if n, err := f.Play.AttemptsLeftToday(f.Ctx, p, unlimited); err != nil || n != nil {
			t.Fatalf("unlimited campaign: %v %v", n, err)
		}
	})
}

func TestCampaignWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		b := f.Bank(10)
		now := f.Clock.Now()
		c := f.Campaign(b.ID, func(in *campaigns.Input) {
			in.StartsAt, in.EndsAt = now.Add(time.Hour), now.Add(2*time.Hour)
		})
		p := f.Player("p")
		_, err := f.Play.Start(f.Ctx, p, c.ID)
		wantCode(t, err, apperr.CampaignNotActive)

		// Ten seconds before the end, the deadline is cut at endsAt.
		f.Clock.Set(now.Add(2*time.Hour - 10*time.Second))
		a, err := f.Play.Start(f.Ctx, p, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Deadline.Equal(c.EndsAt) {
			t.Fatalf("deadline %s, want endsAt %s", a.Deadline, c.EndsAt)
		}
		f.Clock.Set(now.Add(2 * time.Hour))
		if _, err := f.Play.Submit(f.Ctx, p, a.ID, answersFor(a, "A")); err != nil {
			t.Fatalf("submit at endsAt (within grace): %v", err)
		}
		_, err = f.Play.Start(f.Ctx, p, c.ID)
		wantCode(t, err, apperr.CampaignNotActive)
	})
}

func TestSubmitRejectsBadInputAndKeepsAttempt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		b := f.Bank(10)
		c := f.Campaign(b.ID, nil)
		p, other := f.Player("p"), f.Player("other")
		a, _ := f.Play.Start(f.Ctx, p, c.ID)
		q0 := a.Questions[0].ID
		notInAttempt := f.Question(b.ID, schematype.KindSingle, "extra", "A").ID
		cases := []struct {
			name    string
			player  int
			attempt int
			answers []*play.Answer
			code    apperr.Code
		}{
			{"question not in attempt", p, a.ID, []*play.Answer{{QuestionID: notInAttempt, Choices: []string{"A"}}}, apperr.BadUserInput},
			{"unknown option key", p, a.ID, []*play.Answer{{QuestionID: q0, Choices: []string{"Z"}}}, apperr.BadUserInput},
			{"two options on single choice", p, a.ID, []*play.Answer{{QuestionID: q0, Choices: []string{"A", "B"}}}, apperr.BadUserInput},
			{"same option twice", p, a.ID, []*play.Answer{{QuestionID: q0, Choices: []string{"A", "A"}}}, apperr.BadUserInput},
			{"question answered twice", p, a.ID, []*play.Answer{{QuestionID: q0, Choices: []string{"A"}}, {QuestionID: q0, Choices: []string{"B"}}}, apperr.BadUserInput},
			{"another player's attempt", other, a.ID, answersFor(a, "A"), apperr.NotFound},
			{"unknown attempt", p, a.ID + 1000, answersFor(a, "A"), apperr.NotFound},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.Play.Submit(f.Ctx, tc.player, tc.attempt, tc.answers)
				wantCode(t, err, tc.code)
			})
		}
		// Nothing was lost: the attempt is still in progress and scores normally.
		r, err := f.Play.Submit(f.Ctx, p, a.ID, answersFor(a, "A"))
		if err != nil || r.Score != 100 {
			t.Fatalf("after bad input: %v, %+v", err, r)
		}
	})
}

func TestStartErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(10).ID, nil)
		p := f.Player("p")
		_, err := f.Play.Start(f.Ctx, p, c.ID+12345)
		wantCode(t, err, apperr.NotFound)
		// A campaign may be set up before its bank is filled; play waits for it.
		small := f.Campaign(f.Bank(3).ID, nil)
		_, err = f.Play.Start(f.Ctx, p, small.ID)
		wantCode(t, err, apperr.CampaignNotActive)
		f.Client.Participant.UpdateOneID(p).SetBlocked(true).ExecX(f.Ctx)
		_, err = f.Play.Start(f.Ctx, p, c.ID)
		wantCode(t, err, apperr.Forbidden)
	})
}

// TestSnapshotSurvivesEdits: an attempt keeps the question text and answer
// key it was started with.
func TestSnapshotSurvivesEdits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		b := f.Bank(5)
		c := f.Campaign(b.ID, nil)
		p := f.Player("p")
		a, _ := f.Play.Start(f.Ctx, p, c.ID)
		f.Client.Question.Update().Where(question.BankID(b.ID)).
			SetStem("edited").SetAnswer([]string{"B"}).AddVersion(1).ExecX(f.Ctx)
		again, _ := f.Play.Start(f.Ctx, p, c.ID)
		for _, q := range again.Questions {
			if q.Stem == "edited" {
				t.Fatal("resumed attempt shows the edited stem")
			}
		}
		r, err := f.Play.Submit(f.Ctx, p, a.ID, answersFor(a, "A"))
		if err != nil {
			t.Fatal(err)
		}
		if r.Score != 100 {
			t.Fatalf("score %d: the edited answer key was used", r.Score)
		}
	})
}

func TestCategoryQuotasHonoured(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		b := f.Bank(0)
		cat := map[int]string{}
		for i := range 15 {
			c := "参保缴费"
			if i >= 5 {
				c = "待遇报销"
			}
			q, err := f.Banks.CreateQuestion(f.Ctx, bank.QuestionInput{BankID: b.ID, Kind: schematype.KindTrueFalse,
				Stem: fmt.Sprintf("q%d", i), Answer: []string{"A"}, Category: &c})
			if err != nil {
				t.Fatal(err)
			}
			cat[q.ID] = c
		}
		c := f.Campaign(b.ID, func(in *campaigns.Input) {
			in.CategoryQuotas = []schematype.CategoryQuota{{Category: "参保缴费", Count: 2}, {Category: "待遇报销", Count: 3}}
		})
		for i := range 20 {
			a, err := f.Play.Start(f.Ctx, f.Player(fmt.Sprintf("p%d", i)), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			n := map[string]int{}
			for _, q := range a.Questions {
				n[cat[q.ID]]++
			}
			if n["参保缴费"] != 2 || n["待遇报销"] != 3 {
				t.Fatalf("attempt %d drew %v", i, n)
			}
		}
		short := f.Campaign(b.ID, func(in *campaigns.Input) {
			in.CategoryQuotas = []schematype.CategoryQuota{{Category: "异地就医", Count: 1}}
		})
		_, err := f.Play.Start(f.Ctx, f.Player("x"), short.ID)
		wantCode(t, err, apperr.CampaignNotActive)
	})
}

func TestBlockedParticipant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(10).ID, nil)
		ps := &participants.Service{DB: f.DB, Ranks: f.Play.Ranks}
		cheat, honest := f.Player("cheat"), f.Player("honest")
		for _, p := range []int{cheat, honest} {
			a, _ := f.Play.Start(f.Ctx, p, c.ID)
			if _, err := f.Play.Submit(f.Ctx, p, a.ID, answersFor(a, "A")); err != nil {
				t.Fatal(err)
			}
		}
		a, _ := f.Play.Start(f.Ctx, cheat, c.ID) // in progress when the block lands
		if _, err := ps.Block(f.Ctx, cheat, "  "); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("block without a reason: %v", err)
		}
		if _, err := ps.Block(f.Ctx, cheat, "同一设备注册大量账号"); err != nil {
			t.Fatal(err)
		}
		_, err := f.Play.Submit(f.Ctx, cheat, a.ID, answersFor(a, "A"))
		wantCode(t, err, apperr.Forbidden)
		// The refused submit wrote nothing: neither the attempt nor the
		// standing, which still counts one attempt.
		if got := f.Client.Attempt.GetX(f.Ctx, a.ID); got.Status != attempt.StatusIN_PROGRESS || got.Score != 0 {
			t.Fatalf("a blocked submit was written: %+v", got)
		}
		if n := f.Client.Standing.Query().Where(standing.ParticipantID(cheat)).OnlyX(f.Ctx).Attempts; n != 1 {
			t.Fatalf("a blocked submit was counted: %d attempts", n)
		}
		_, err = f.Play.Submit(f.Ctx, cheat, a.ID, answersFor(a, "A"))
		wantCode(t, err, apperr.Forbidden)
		f.Clock.Advance(time.Hour)
		_, err = f.Play.Start(f.Ctx, cheat, c.ID)
		wantCode(t, err, apperr.Forbidden)
		lb, _ := f.Play.Ranks.Top(f.Ctx, c.ID, 10, 0)
		if lb.Total != 1 || lb.Entries[0].Participant.ID != honest {
			t.Fatalf("leaderboard with a blocked player: %+v", lb)
		}
		if st, _ := f.Play.Ranks.Of(f.Ctx, c.ID, cheat); st == nil || st.Rank != nil {
			t.Fatalf("blocked player's standing %+v", st)
		}
		if _, err := ps.Unblock(f.Ctx, cheat); err != nil {
			t.Fatal(err)
		}
		if lb, _ := f.Play.Ranks.Top(f.Ctx, c.ID, 10, 0); lb.Total != 2 {
			t.Fatalf("after unblock: %d ranked", lb.Total)
		}
	})
}
