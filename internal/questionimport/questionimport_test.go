package questionimport_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"prizequiz/ent/question"
	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/apperr"
	"prizequiz/internal/audit"
	"prizequiz/internal/bankio"
	"prizequiz/internal/questionimport"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

func questions(n int) []bankio.ExportQuestion {
	var qs []bankio.ExportQuestion
	for i := range n {
		qs = append(qs, bankio.ExportQuestion{
			Kind: schematype.KindSingle, Stem: fmt.Sprintf("第%d题：医保电子凭证可以用来做什么？", i+1),
			Options: []schematype.Option{{Key: "A", Text: "就医结算"}, {Key: "B", Text: "提取现金"}, {Key: "C", Text: "转账"}},
			Answer:  []string{"A"}, Explanation: "医保电子凭证用于就医购药结算。", Category: "医保服务",
		})
	}
	return qs
}

func TestImportAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		svc := &questionimport.Service{Client: f.Client, Clock: f.Clock}
		b := f.Bank(0)
		good := questions(3)
		bad := append(questions(3), bankio.ExportQuestion{Kind: schematype.KindSingle, Stem: "坏题", Options: good[0].Options, Answer: []string{"D"}})
		xlsx := func(qs []bankio.ExportQuestion) *bytes.Reader {
			b, err := bankio.ExportXLSX(qs)
			if err != nil {
				t.Fatal(err)
			}
			return bytes.NewReader(b)
		}
		count := func() int { return f.Client.Question.Query().Where(question.BankID(b.ID)).CountX(f.Ctx) }

		rep, err := svc.Import(f.Ctx, b.ID, xlsx(bad), "bank.xlsx", false)
		if err != nil || rep.Imported != 0 || len(rep.Errors) != 1 || rep.Errors[0].Row != 5 || rep.Errors[0].Column != "答案" || count() != 0 {
			t.Fatalf("a bad row: %+v %v (%d stored)", rep, err, count())
		}
		rep, err = svc.Import(f.Ctx, b.ID, xlsx(good), "bank.xlsx", true)
		if err != nil || rep.Imported != 0 || rep.Valid != 3 || !rep.DryRun || count() != 0 {
			t.Fatalf("dry run: %+v %v", rep, err)
		}
		rep, err = svc.Import(f.Ctx, b.ID, bytes.NewReader(bankio.ExportCSV(good)), "bank.csv", false)
		if err != nil || rep.Imported != 3 || count() != 3 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		// The same file again: every stem is already in the bank.
		rep, err = svc.Import(f.Ctx, b.ID, xlsx(good), "bank.xlsx", false)
		if err != nil || rep.Imported != 0 || len(rep.Errors) != 3 || !strings.Contains(rep.Errors[0].Message, "重复") || count() != 3 {
			t.Fatalf("duplicates: %+v %v", rep, err)
		}
		if _, err := svc.Import(f.Ctx, b.ID+999, xlsx(good), "x.xlsx", false); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("unknown bank: %v", err)
		}
		if _, err := svc.Import(f.Ctx, b.ID, strings.NewReader("PK\x03\x04 broken"), "x.xlsx", false); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("broken file: %v", err)
		}

		// Export → import into a fresh bank round-trips unchanged.
		exported, _, err := svc.Export(f.Ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"xlsx", "csv"} {
			other := f.Bank(0)
			var file []byte
			if format == "csv" {
				file = bankio.ExportCSV(exported)
			} else if file, err = bankio.ExportXLSX(exported); err != nil {
				t.Fatal(err)
			}
			if rep, err := svc.Import(f.Ctx, other.ID, bytes.NewReader(file), "bank."+format, false); err != nil || rep.Imported != 3 {
				t.Fatalf("%s round trip: %+v %v", format, rep, err)
			}
			again, _, _ := svc.Export(f.Ctx, other.ID)
			if !slices.EqualFunc(exported, again, func(a, b bankio.ExportQuestion) bool {
				return a.Kind == b.Kind && a.Stem == b.Stem && slices.Equal(a.Options, b.Options) &&
					slices.Equal(a.Answer, b.Answer) && a.Explanation == b.Explanation && a.Category == b.Category
			}) {
				t.Fatalf("%s round trip changed the questions:\n%+v\n%+v", format, exported, again)
			}
		}
	})
}

// BenchmarkImport10000 parses, checks and writes 10,000 rows on SQLite
// (target < 5 s); 500 with -short. The reference figure of the same run is
// parsing alone.
func BenchmarkImport10000(b *testing.B) {
	n := 10000
	if testing.Short() {
		n = 500
	}
	file, err := bankio.ExportXLSX(questions(n))
	if err != nil {
		b.Fatal(err)
	}
	var parse float64
	for b.Loop() {
		b.StopTimer()
		db := storetest.SQLite(b)
		f := testfix.New(b, db)
		svc := &questionimport.Service{Client: f.Client, Clock: f.Clock}
		bk := f.Bank(0)
		b.StartTimer()
		rep, err := svc.Import(f.Ctx, bk.ID, bytes.NewReader(file), "bank.xlsx", false)
		if err != nil || rep.Imported != n {
			b.Fatalf("%+v %v", rep, err)
		}
		b.StopTimer()
		t0 := time.Now()
		if _, _, err := bankio.Parse(bytes.NewReader(file), "bank.xlsx"); err != nil {
			b.Fatal(err)
		}
		parse += float64(time.Since(t0).Microseconds()) / 1000
		b.StartTimer()
	}
	b.ReportMetric(parse/float64(b.N), "ref-parse-ms/op")
}

// TestEveryImportIsDescribedForTheAudit: an import that writes nothing (a
// dry run, a file with bad rows) names its bank and file in the audit
// entry as a written one does.
func TestEveryImportIsDescribedForTheAudit(t *testing.T) {
	f := testfix.New(t, storetest.SQLite(t))
	svc := &questionimport.Service{Client: f.Client, Clock: f.Clock}
	b := f.Bank(0)
	good := questions(2)
	bad := append(questions(1), bankio.ExportQuestion{Kind: schematype.KindSingle, Stem: "坏题", Options: good[0].Options, Answer: []string{"D"}})
	cases := []struct {
		name   string
		qs     []bankio.ExportQuestion
		dryRun bool
		after  map[string]any
	}{
		{"a dry run", good, true, map[string]any{"imported": 0, "dryRun": true, "valid": 2, "rejectedRows": 0}},
		{"a bad row", bad, false, map[string]any{"imported": 0, "dryRun": false, "valid": 1, "rejectedRows": 1}},
		{"written", good, false, map[string]any{"imported": 2}},
	}
	for _, tc := range cases {
		e := &audit.Entry{}
		if _, err := svc.Import(audit.With(f.Ctx, e), b.ID, bytes.NewReader(bankio.ExportCSV(tc.qs)), "题库.csv", tc.dryRun); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		after, _ := e.After.(map[string]any)
		if e.Subject != fmt.Sprintf("QuestionBank:%d", b.ID) || after["file"] != "题库.csv" {
			t.Errorf("%s: subject %q, after %v", tc.name, e.Subject, e.After)
		}
		for k, v := range tc.after {
			if after[k] != v {
				t.Errorf("%s: %s = %v, want %v", tc.name, k, after[k], v)
			}
		}
	}
}
