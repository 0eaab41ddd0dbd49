package play_test

import (
	"testing"

	"prizequiz/internal/play"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// BenchmarkStart draws the questions of a new attempt (5 of a 70-question
// bank, as the demo campaign) and stores it, on SQLite: each iteration is
// a new player's first startAttempt. Signing the player in is not timed.
func BenchmarkStart(b *testing.B) {
	f := testfix.New(b, storetest.SQLite(b))
	c := f.Campaign(f.Bank(70).ID, nil)
	for b.Loop() {
		b.StopTimer()
		pid := f.Player("bench")
		b.StartTimer()
		a, err := f.Play.Start(f.Ctx, pid, c.ID)
		if err != nil || len(a.Questions) != 5 {
			b.Fatalf("start: %v", err)
		}
	}
}

// BenchmarkSubmit scores an attempt and records it (attempt, answers and
// the standing in one transaction, then the rank index), on SQLite. Each
// iteration submits a new player's attempt, started untimed.
func BenchmarkSubmit(b *testing.B) {
	f := testfix.New(b, storetest.SQLite(b))
	c := f.Campaign(f.Bank(70).ID, nil)
	for b.Loop() {
		b.StopTimer()
		pid := f.Player("bench")
		a, err := f.Play.Start(f.Ctx, pid, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		answers := make([]*play.Answer, len(a.Questions))
		for i, q := range a.Questions {
			answers[i] = &play.Answer{QuestionID: q.ID, Choices: []string{"A"}}
		}
		b.StartTimer()
		res, err := f.Play.Submit(f.Ctx, pid, a.ID, answers)
		if err != nil || res.Score != 100 {
			b.Fatalf("submit: %+v %v", res, err)
		}
	}
}
