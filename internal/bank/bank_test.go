package bank_test

import (
	"slices"
	"strings"
	"testing"

	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/apperr"
	"prizequiz/internal/bank"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

func opts(keys ...string) []schematype.Option {
	out := make([]schematype.Option, len(keys))
	for i, k := range keys {
		out[i] = schematype.Option{Key: k, Text: "text " + k}
	}
	return out
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name    string
		in      bank.QuestionInput
		wantErr string // substring of the message; "" means valid
		answer  []string
	}{
		{"single", bank.QuestionInput{Kind: schematype.KindSingle, Stem: " 问题 ", Options: opts("A", "B", "C"), Answer: []string{"B"}}, "", []string{"B"}},
		{"multiple sorted by option order", bank.QuestionInput{Kind: schematype.KindMultiple, Stem: "q", Options: opts("A", "B", "C", "D"), Answer: []string{"D", "A"}}, "", []string{"A", "D"}},
		{"true/false default options", bank.QuestionInput{Kind: schematype.KindTrueFalse, Stem: "q", Answer: []string{"B"}}, "", []string{"B"}},
		{"empty stem", bank.QuestionInput{Kind: schematype.KindSingle, Stem: "  ", Options: opts("A", "B"), Answer: []string{"A"}}, "stem", nil},
		{"bad kind", bank.QuestionInput{Kind: "ESSAY", Stem: "q", Options: opts("A", "B"), Answer: []string{"A"}}, "kind", nil},
		{"one option", bank.QuestionInput{Kind: schematype.KindSingle, Stem: "q", Options: opts("A"), Answer: []string{"A"}}, "at least 2", nil},
		{"seven options", bank.QuestionInput{Kind: schematype.KindSingle, Stem: "q", Options: opts("A", "B", "C", "D", "E", "F", "G"), Answer: []string{"A"}}, "at most 6", nil},
		{"duplicate key", bank.QuestionInput{Kind: schematype.KindSingle, Stem: "q", Options: opts("A", "A"), Answer: []string{"A"}}, "twice", nil},
		{"lower-case key", bank.QuestionInput{Kind: schematype.KindSingle, Stem: "q", Options: opts("a", "B"), Answer: []string{"B"}}, "capital letter", nil},
		{"answer not an option", bank.QuestionInput{Kind: schematype.KindSingle, Stem: "q", Options: opts("A", "B"), Answer: []string{"C"}}, "not one of the option keys", nil},
		{"no answer", bank.QuestionInput{Kind: schematype.KindSingle, Stem: "q", Options: opts("A", "B"), Answer: nil}, "at least one", nil},
		{"two answers on single", bank.QuestionInput{Kind: schematype.KindSingle, Stem: "q", Options: opts("A", "B"), Answer: []string{"A", "B"}}, "exactly one", nil},
		{"three options on true/false", bank.QuestionInput{Kind: schematype.KindTrueFalse, Stem: "q", Options: opts("A", "B", "C"), Answer: []string{"A"}}, "exactly 2", nil},
		{"empty option text", bank.QuestionInput{Kind: schematype.KindSingle, Stem: "q", Options: []schematype.Option{{Key: "A", Text: " "}, {Key: "B", Text: "b"}}, Answer: []string{"A"}}, "must not be empty", nil},
		{"huge stem", bank.QuestionInput{Kind: schematype.KindSingle, Stem: strings.Repeat("长", bank.MaxStemRunes+1), Options: opts("A", "B"), Answer: []string{"A"}}, "at most", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := bank.Validate(tc.in)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got.Answer, tc.answer) || got.Stem != strings.TrimSpace(tc.in.Stem) {
					t.Fatalf("normalised to %+v", got)
				}
				return
			}
			if apperr.CodeOf(err) != apperr.BadUserInput || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got %v, want BAD_USER_INPUT mentioning %q", err, tc.wantErr)
			}
		})
	}
}

func TestCreateQuestionStoresNormalisedQuestion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		b := f.Bank(0)
		q, err := f.Banks.CreateQuestion(f.Ctx, bank.QuestionInput{BankID: b.ID, Kind: schematype.KindTrueFalse, Stem: "医保电子凭证可以在定点医药机构使用。", Answer: []string{"A"}})
		if err != nil {
			t.Fatal(err)
		}
		got := f.Client.Question.GetX(f.Ctx, q.ID)
		if !got.Enabled || got.Version != 1 || len(got.Options) != 2 || got.Options[0].Text != "正确" || !slices.Equal(got.Answer, []string{"A"}) {
			t.Fatalf("stored %+v", got)
		}
		_, err = f.Banks.CreateQuestion(f.Ctx, bank.QuestionInput{BankID: b.ID + 999, Kind: schematype.KindTrueFalse, Stem: "q", Answer: []string{"A"}})
		if apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("unknown bank: %v", err)
		}
		_, err = f.Banks.CreateBank(f.Ctx, bank.BankInput{Name: " "})
		if apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("empty bank name: %v", err)
		}
	})
}

func TestUpdateBumpsVersionAndDeleteIsSoft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		b := f.Bank(0)
		q := f.Question(b.ID, schematype.KindSingle, "old stem", "A")
		off := false
		got, err := f.Banks.UpdateQuestion(f.Ctx, q.ID, bank.QuestionUpdate{Enabled: &off})
		if err != nil || got.Version != 1 || got.Enabled {
			t.Fatalf("disabling: version %d enabled %v (%v)", got.Version, got.Enabled, err)
		}
		stem := "new stem"
		got, err = f.Banks.UpdateQuestion(f.Ctx, q.ID, bank.QuestionUpdate{Stem: &stem, Answer: []string{"C"}})
		if err != nil || got.Version != 2 || got.Stem != stem || !slices.Equal(got.Answer, []string{"C"}) {
			t.Fatalf("editing: %+v (%v)", got, err)
		}
		if _, err := f.Banks.UpdateQuestion(f.Ctx, q.ID, bank.QuestionUpdate{Answer: []string{"Z"}}); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("invalid edit: %v", err)
		}
		if _, err := f.Banks.DeleteQuestion(f.Ctx, q.ID); err != nil {
			t.Fatal(err)
		}
		row := f.Client.Question.GetX(f.Ctx, q.ID) // the row stays for attempts that used it
		if row.DeletedAt == nil || row.Enabled {
			t.Fatalf("deleted question %+v", row)
		}
		for _, err := range []error{
			func() error { _, err := f.Banks.DeleteQuestion(f.Ctx, q.ID); return err }(),
			func() error {
				_, err := f.Banks.UpdateQuestion(f.Ctx, q.ID, bank.QuestionUpdate{Stem: &stem})
				return err
			}(),
		} {
			if apperr.CodeOf(err) != apperr.NotFound {
				t.Fatalf("deleted question still editable: %v", err)
			}
		}
		archived := true
		if _, err := f.Banks.UpdateBank(f.Ctx, b.ID, bank.BankUpdate{Archived: &archived}); err != nil {
			t.Fatal(err)
		}
	})
}
