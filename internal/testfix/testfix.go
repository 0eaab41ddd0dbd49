// Package testfix builds the services of prizequiz on a test database with
// a fake clock, and the banks, campaigns and players tests play with.
package testfix

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"prizequiz/ent"
	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/auth"
	"prizequiz/internal/bank"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/clock"
	"prizequiz/internal/play"
	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
)

// Start is the fake clock's first reading: a Monday 10:00 in Shanghai.
var Start = time.Date(2026, 9, 21, 2, 0, 0, 0, time.UTC)

// Fix is a set of services sharing one database and one fake clock.
type Fix struct {
	T         testing.TB
	Ctx       context.Context
	DB        *store.DB
	Client    *ent.Client
	Clock     *clock.Fake
	Auth      *auth.Service
	Banks     *bank.Service
	Campaigns *campaigns.Service
	Play      *play.Service
}

// New wires services on db with a fake clock at Start.
func New(t testing.TB, db *store.DB) *Fix {
	clk := clock.NewFake(Start)
	c := db.Client
	return &Fix{
		T: t, Ctx: context.Background(), DB: db, Client: c, Clock: clk,
		Auth:      &auth.Service{Client: c, Clock: clk},
		Banks:     &bank.Service{Client: c, Clock: clk},
		Campaigns: &campaigns.Service{Client: c, Clock: clk},
		Play:      &play.Service{Client: c, Clock: clk, Ranks: ranking.NewRanks(db, clk, slog.New(slog.DiscardHandler), nil)},
	}
}

// Bank creates a bank of n single-choice questions; question i has stem
// "Q<i>", options A–D and answer A.
func (f *Fix) Bank(n int) *ent.QuestionBank {
	f.T.Helper()
	b, err := f.Banks.CreateBank(f.Ctx, bank.BankInput{Name: fmt.Sprintf("bank %d", n)})
	if err != nil {
		f.T.Fatalf("create bank: %v", err)
	}
	for i := range n {
		f.Question(b.ID, schematype.KindSingle, fmt.Sprintf("Q%d", i+1), "A")
	}
	return b
}

// Question adds one question with options A–D to a bank.
func (f *Fix) Question(bankID int, kind schematype.QuestionKind, stem string, answer ...string) *ent.Question {
	f.T.Helper()
	opts := []schematype.Option{{Key: "A", Text: "a"}, {Key: "B", Text: "b"}, {Key: "C", Text: "c"}, {Key: "D", Text: "d"}}
	if kind == schematype.KindTrueFalse {
		opts = nil
	}
	q, err := f.Banks.CreateQuestion(f.Ctx, bank.QuestionInput{BankID: bankID, Kind: kind, Stem: stem, Options: opts, Answer: answer})
	if err != nil {
		f.T.Fatalf("create question: %v", err)
	}
	return q
}

// Campaign creates a campaign on bankID that started at the clock's now and
// runs 14 days; edit changes the input first.
func (f *Fix) Campaign(bankID int, edit func(*campaigns.Input)) *ent.Campaign {
	f.T.Helper()
	now := f.Clock.Now()
	in := campaigns.Input{Name: "test campaign", BankID: bankID, StartsAt: now, EndsAt: now.Add(14 * 24 * time.Hour)}
	if edit != nil {
		edit(&in)
	}
	c, err := f.Campaigns.Create(f.Ctx, in)
	if err != nil {
		f.T.Fatalf("create campaign: %v", err)
	}
	return c
}

// Player signs a guest in and returns its participant id.
func (f *Fix) Player(nickname string) int {
	f.T.Helper()
	s, err := f.Auth.SignInGuest(f.Ctx, nickname)
	if err != nil {
		f.T.Fatalf("sign in: %v", err)
	}
	return s.Participant.ID
}

// Ptr returns a pointer to v.
func Ptr[T any](v T) *T { return &v }
