package play_test

import (
	"slices"
	"testing"
	"time"

	"prizequiz/ent/attempt"
	"prizequiz/ent/attemptitem"
	"prizequiz/ent/question"
	"prizequiz/ent/questionversion"
	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/bank"
	"prizequiz/internal/play"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// TestItemsShowTheirQuestionsVersion: an attempt's items name the version
// of each question the player drew, stored once however many attempts
// drew it, and no item copies its text. Read back by a process that keeps
// nothing (another server, or this one restarted), an attempt shows the
// version it drew, not a later edit, and is graded by that version's key;
// an item written before versions existed shows its own copy. (The edit
// stored as its own version also checks that a version's encoded options
// and key are cached by version, not by question.)
func TestItemsShowTheirQuestionsVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		f.Play.Watch(f.Client)
		f.Play.CacheFor = time.Hour
		b := f.Bank(5) // every start draws all five
		c := f.Campaign(b.ID, nil)
		q := f.Client.Question.Query().Where(question.BankID(b.ID), question.Stem("Q1")).OnlyX(f.Ctx)
		edit := func(opts []schematype.Option, answer string) {
			t.Helper()
			if _, err := f.Banks.UpdateQuestion(f.Ctx, q.ID, bank.QuestionUpdate{Options: opts, Answer: []string{answer}}); err != nil {
				t.Fatal(err)
			}
		}
		first, second := f.Player("先"), f.Player("后")
		for _, p := range []int{f.Player("甲"), first} {
			if _, err := f.Play.Start(f.Ctx, p, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		edited := []schematype.Option{{Key: "A", Text: "甲"}, {Key: "B", Text: "乙"}}
		edit(edited, "B")
		if _, err := f.Play.Start(f.Ctx, second, c.ID); err != nil {
			t.Fatal(err)
		}
		edit([]schematype.Option{{Key: "A", Text: "丙"}, {Key: "B", Text: "丁"}}, "A") // drawn by nobody

		versions := f.Client.QuestionVersion.Query().Where(questionversion.QuestionID(q.ID)).Order(questionversion.ByVersion()).AllX(f.Ctx)
		if len(versions) != 2 || versions[0].Version != q.Version || versions[1].Version != q.Version+1 ||
			!slices.Equal(versions[1].Options, edited) || !slices.Equal(versions[1].Answer, []string{"B"}) {
			t.Fatalf("stored versions of Q1: %+v; want %d and %d (the edit), once each", versions, q.Version, q.Version+1)
		}
		if n := f.Client.AttemptItem.Query().Where(attemptitem.StemNotNil()).CountX(f.Ctx); n != 0 {
			t.Fatalf("%d items copy their question's text", n)
		}

		// A process that keeps nothing: the attempts come from the database.
		fresh := &play.Service{Client: f.Client, Clock: f.Play.Clock, Ranks: f.Play.Ranks}
		shown := func(p int) play.Question {
			t.Helper()
			a, err := fresh.Start(f.Ctx, p, c.ID) // resumes the attempt in progress
			if err != nil {
				t.Fatal(err)
			}
			for _, qu := range a.Questions {
				if qu.ID == q.ID {
					return qu
				}
			}
			t.Fatalf("attempt %d lacks Q1", a.ID)
			return play.Question{}
		}
		if got := shown(first); len(got.Options) != 4 || got.Options[0].Text != "a" {
			t.Errorf("the first attempt shows Q1 with %+v; want its original four options", got.Options)
		}
		if got := shown(second); !slices.Equal(got.Options, edited) {
			t.Errorf("the second attempt shows Q1 with %+v; want %+v", got.Options, edited)
		}
		a, err := fresh.Start(f.Ctx, second, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		answers := answersFor(a, "A")
		for _, an := range answers {
			if an.QuestionID == q.ID {
				an.Choices = []string{"B"}
			}
		}
		res, err := fresh.Submit(f.Ctx, second, a.ID, answers)
		if err != nil {
			t.Fatal(err)
		}
		if res.CorrectCount != 5 {
			t.Errorf("graded %d of 5 correct; want 5, by the key of the version drawn", res.CorrectCount)
		}
		again, err := (&play.Service{Client: f.Client, Clock: f.Play.Clock, Ranks: f.Play.Ranks}).Submit(f.Ctx, second, a.ID, answers)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range again.Review {
			if r.QuestionID == q.ID && !slices.Equal(r.Correct, []string{"B"}) {
				t.Errorf("the stored result reviews Q1 with key %v; want [B]", r.Correct)
			}
		}

		// An item from before versions: its own copy of the text, and no
		// version stored for it.
		old := f.Player("旧")
		oa := f.Client.Attempt.Create().SetCampaignID(c.ID).SetParticipantID(old).SetStartedAt(f.Play.Clock.Now()).
			SetDeadline(f.Play.Clock.Now().Add(5 * time.Minute)).SetStartedDay("2026-01-01").SaveX(f.Ctx)
		oldOptions := []schematype.Option{{Key: "A", Text: "旧甲"}, {Key: "B", Text: "旧乙"}}
		f.Client.AttemptItem.Create().SetAttemptID(oa.ID).SetPosition(1).SetQuestionID(q.ID).SetQuestionVersion(0).
			SetKind(schematype.KindSingle).SetStem("旧题").SetOptions(oldOptions).SetAnswer([]string{"A"}).ExecX(f.Ctx)
		if got := shown(old); got.Stem != "旧题" || !slices.Equal(got.Options, oldOptions) {
			t.Errorf("an item from before versions shows %q %+v; want its own copy", got.Stem, got.Options)
		}
		if n := f.Client.Attempt.Query().Where(attempt.StatusEQ(attempt.StatusIN_PROGRESS)).CountX(f.Ctx); n != 3 {
			t.Errorf("%d attempts in progress; want 3 (resuming made none)", n)
		}
	})
}
