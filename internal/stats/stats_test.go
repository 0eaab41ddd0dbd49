package stats_test

import (
	"sync"
	"testing"
	"time"

	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/play"
	"prizequiz/internal/stats"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

func TestFoldCountsEachAttemptOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		// 23:30 in Shanghai: attempts an hour apart fall on two local days.
		f.Clock.Set(time.Date(2026, 9, 21, 15, 30, 0, 0, time.UTC))
		b := f.Bank(5) // five single-choice questions, answer A: every attempt gets all five
		c := f.Campaign(b.ID, nil)
		folder := &stats.Folder{DB: db, Clock: f.Clock}
		answer := func(a *play.Attempt, choice string) []*play.Answer {
			out := []*play.Answer{}
			for _, q := range a.Questions {
				out = append(out, &play.Answer{QuestionID: q.ID, Choices: []string{choice}})
			}
			return out
		}
		run := func(nick, choice string, took time.Duration, expire bool) {
			p := f.Player(nick)
			a, err := f.Play.Start(f.Ctx, p, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			f.Clock.Advance(took)
			if expire {
				if _, err := f.Play.ExpireOverdue(f.Ctx, 10); err != nil {
					t.Fatal(err)
				}
				return
			}
			if _, err := f.Play.Submit(f.Ctx, p, a.ID, answer(a, choice)); err != nil {
				t.Fatal(err)
			}
		}
		run("a", "A", 30*time.Second, false)                        // 100 points, 30 s
		run("b", "B", 50*time.Second, false)                        // 0 points, 50 s
		run("c", "", 10*time.Minute, true)                          // expired
		f.Clock.Set(time.Date(2026, 9, 21, 16, 30, 0, 0, time.UTC)) // 00:30 next day in Shanghai
		run("d", "A", 40*time.Second, false)                        // 100 points, 40 s
		inProgress := f.Player("e")
		if _, err := f.Play.Start(f.Ctx, inProgress, c.ID); err != nil {
			t.Fatal(err)
		}

		// Two folders at once count everything once.
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				if _, err := folder.Fold(f.Ctx, 100); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n, err := folder.Fold(f.Ctx, 100); err != nil || n != 0 {
			t.Fatalf("second fold counted %d (%v)", n, err)
		}

		s, err := stats.ForCampaign(f.Ctx, f.Client, c)
		if err != nil {
			t.Fatal(err)
		}
		if s.Completions != 3 || s.Expiries != 1 || s.InProgress != 1 || s.Attempts != 5 || s.Participants != 3 {
			t.Fatalf("counts %+v", s)
		}
		if len(s.AttemptsPerHour) != 2 || s.AttemptsPerHour[0].Count != 3 || s.AttemptsPerHour[1].Count != 1 {
			t.Fatalf("per hour %+v", s.AttemptsPerHour)
		}
		if len(s.AttemptsPerDay) != 2 || s.AttemptsPerDay[0].Day != "2026-09-21" || s.AttemptsPerDay[1].Day != "2026-09-22" {
			t.Fatalf("per day %+v", s.AttemptsPerDay)
		}
		if len(s.ScoreDistribution) != 2 || s.ScoreDistribution[0] != (stats.ScoreCount{Score: 0, Count: 1}) ||
			s.ScoreDistribution[1] != (stats.ScoreCount{Score: 100, Count: 2}) {
			t.Fatalf("scores %+v", s.ScoreDistribution)
		}
		if s.MedianDurationMs == nil || *s.MedianDurationMs != 40000 {
			t.Fatalf("median %v", s.MedianDurationMs)
		}

		q := f.Client.Question.Query().FirstX(f.Ctx)
		qs, err := stats.ForQuestion(f.Ctx, f.Client, q)
		if err != nil {
			t.Fatal(err)
		}
		// Served in 4 settled attempts, answered in 3, correct in 2; A chosen twice, B once.
		if qs.Served != 4 || qs.Answered != 3 || qs.Correct != 2 || *qs.CorrectRate != 0.5 {
			t.Fatalf("question stats %+v", qs)
		}
		shares := map[string]float64{}
		for _, o := range qs.OptionShares {
			shares[o.Key] = o.Share
		}
		if len(qs.OptionShares) != 4 || shares["A"] != 2.0/3 || shares["B"] != 1.0/3 || shares["C"] != 0 {
			t.Fatalf("option shares %+v", qs.OptionShares)
		}
		fresh := f.Question(b.ID, schematype.KindSingle, "never served", "A")
		if qs, _ := stats.ForQuestion(f.Ctx, f.Client, fresh); qs.Served != 0 || qs.CorrectRate != nil {
			t.Fatalf("unserved question %+v", qs)
		}
	})
}

// TestParticipantsCountedOnce: a player's later attempts, in the same batch
// or a later one, do not count them again.
func TestParticipantsCountedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(5).ID, nil)
		folder := &stats.Folder{DB: db, Clock: f.Clock}
		p, q := f.Player("p"), f.Player("q")
		submit := func(pid int) {
			a, err := f.Play.Start(f.Ctx, pid, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			f.Clock.Advance(time.Second)
			if _, err := f.Play.Submit(f.Ctx, pid, a.ID, nil); err != nil {
				t.Fatal(err)
			}
		}
		submit(p)
		submit(p) // same batch
		if _, err := folder.Fold(f.Ctx, 100); err != nil {
			t.Fatal(err)
		}
		submit(p) // later batch
		submit(q)
		if _, err := folder.Fold(f.Ctx, 100); err != nil {
			t.Fatal(err)
		}
		s, err := stats.ForCampaign(f.Ctx, f.Client, c)
		if err != nil || s.Participants != 2 || s.Completions != 4 {
			t.Fatalf("participants %d completions %d (%v)", s.Participants, s.Completions, err)
		}
	})
}
