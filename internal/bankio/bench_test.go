package bankio_test

import (
	"bytes"
	"fmt"
	"regexp"
	"testing"

	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/bankio"
)

// bigBank is n questions of every kind, with explanations and categories.
func bigBank(n int) []bankio.ExportQuestion {
	qs := make([]bankio.ExportQuestion, n)
	for i := range qs {
		q := bankio.ExportQuestion{
			Stem:        fmt.Sprintf("第%d题：参保人员在异地就医时，以下哪种做法符合医保政策的规定？", i+1),
			Explanation: "参保人员异地就医前应按规定办理备案手续，备案后可在就医地定点医疗机构直接结算。",
			Category:    fmt.Sprintf("分类%d", i%12),
		}
		switch i % 3 {
		case 0:
			q.Kind = schematype.KindSingle
			q.Options = opts("办理异地就医备案后直接结算", "无需任何手续", "只能回参保地报销", "由亲属代为报销")
			q.Answer = []string{"A"}
		case 1:
			q.Kind = schematype.KindMultiple
			q.Options = opts("线上备案", "线下窗口备案", "电话备案", "无需备案", "事后补办", "委托他人")
			q.Answer = []string{"A", "B", "C"}
		default:
			q.Kind = schematype.KindTrueFalse
			q.Answer = []string{"B"}
		}
		qs[i] = q
	}
	return qs
}

// benchRows is the size of the benchmarks' banks: 10,000, or 1,000 with
// -short (the CI smoke run).
func benchRows() int {
	if testing.Short() {
		return 1000
	}
	return 10000
}

// BenchmarkParse10000 parses and validates a 10,000-question workbook.
func BenchmarkParse10000(b *testing.B) {
	data, err := bankio.ExportXLSX(bigBank(benchRows()))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rows, errs, err := bankio.Parse(bytes.NewReader(data), "bank.xlsx")
		if err != nil || len(errs) != 0 || len(rows) != benchRows() {
			b.Fatalf("%d rows, %d errors (%v), err %v", len(rows), len(errs), errs[:min(len(errs), 3)], err)
		}
	}
}

// BenchmarkParse10000Formula is BenchmarkParse10000 with one formula (with
// its cached value) in the sheet: the slow path, which loads the worksheet
// to look at every empty cell.
func BenchmarkParse10000Formula(b *testing.B) {
	data, err := bankio.ExportXLSX(bigBank(benchRows()))
	if err != nil {
		b.Fatal(err)
	}
	data = patchSheet(b, data, func(s string) string {
		out := regexp.MustCompile(`(<c r="K2"[^>]*>)`).ReplaceAllString(s, `$1<f>"分类0"</f>`)
		if out == s {
			b.Fatal("no cell K2")
		}
		return out
	})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rows, errs, err := bankio.Parse(bytes.NewReader(data), "bank.xlsx")
		if err != nil || len(errs) != 0 || len(rows) != benchRows() {
			b.Fatalf("%d rows, %d errors, err %v", len(rows), len(errs), err)
		}
	}
}

// BenchmarkParseCSV10000 is the same bank as CSV.
func BenchmarkParseCSV10000(b *testing.B) {
	data := bankio.ExportCSV(bigBank(benchRows()))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rows, errs, err := bankio.Parse(bytes.NewReader(data), "bank.csv")
		if err != nil || len(errs) != 0 || len(rows) != benchRows() {
			b.Fatalf("%d rows, %d errors, err %v", len(rows), len(errs), err)
		}
	}
}
