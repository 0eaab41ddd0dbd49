package bankio_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/bank"
	"prizequiz/internal/bankio"
)

// header is the template's header row.
var header = []string{"题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "解析", "分类"}

// q builds a data row in the template's columns: kind, stem, options
// (up to six), answer, explanation, category.
func q(kind, stem string, opts []string, answer, expl, cat string) []string {
	row := []string{kind, stem}
	for i := range 6 {
		o := ""
		if i < len(opts) {
			o = opts[i]
		}
		row = append(row, o)
	}
	return append(row, answer, expl, cat)
}

var (
	rowSingle = q("单选", "职工医保参保人员门诊就医，应使用哪种凭证？", []string{"医保电子凭证", "身份证复印件", "户口簿"}, "A", "凭医保电子凭证就医。", "就医")
	rowMulti  = q("多选", "基本医疗保险包括哪些？", []string{"职工医保", "居民医保", "商业保险"}, "A, b", "", "常识")
	rowTF     = q("判断", "欺诈骗保是违法行为。", nil, "对", "", "")
)

// sheet is a table of cells, row 1 first.
type sheet [][]string

// xlsxFile writes a workbook whose first sheet holds rows; edit, when not
// nil, changes the workbook before it is written.
func xlsxFile(t testing.TB, rows sheet, edit func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	for i, r := range rows {
		if len(r) == 0 {
			continue
		}
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		edit(f)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// formula puts a formula into a cell, with no cached value.
func formula(t testing.TB, f *excelize.File, cell, expr string, opts ...excelize.FormulaOpts) {
	t.Helper()
	if err := f.SetCellDefault("Sheet1", cell, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellFormula("Sheet1", cell, expr, opts...); err != nil {
		t.Fatal(err)
	}
}

// cached gives the formula cell of a sheet's XML a cached value (and
// type t), as Excel writes it.
func cached(sheetXML, cell, typ, value string) string {
	re := regexp.MustCompile(`<c r="` + cell + `"[^>]*>(<f[^<]*</f>|<f[^>]*/>)(<v>[^<]*</v>)?</c>`)
	return re.ReplaceAllString(sheetXML, `<c r="`+cell+`" t="`+typ+`">${1}<v>`+value+`</v></c>`)
}

// patchSheet rewrites xl/worksheets/sheet1.xml of a workbook.
func patchSheet(t testing.TB, data []byte, patch func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == "xl/worksheets/sheet1.xml" {
			b = []byte(patch(string(b)))
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// csvFile writes rows as CSV with CRLF line ends, as Excel does.
func csvFile(rows sheet) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	_ = w.WriteAll(rows)
	return b.String()
}

func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(b)
}

func ptr(s string) *string { return &s }

// opts builds options keyed A, B, C …
func opts(texts ...string) []schematype.Option {
	o := make([]schematype.Option, len(texts))
	for i, s := range texts {
		o[i] = schematype.Option{Key: string(rune('A' + i)), Text: s}
	}
	return o
}

// mustValidate is bank.Validate that fails the test on error.
func mustValidate(t testing.TB, in bank.QuestionInput) bank.QuestionInput {
	t.Helper()
	out, err := bank.Validate(in)
	if err != nil {
		t.Fatalf("Validate(%+v): %v", in, err)
	}
	return out
}

func parse(t testing.TB, data []byte, name string) ([]bankio.Row, []bankio.RowError) {
	t.Helper()
	rows, errs, err := bankio.Parse(bytes.NewReader(data), name)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return rows, errs
}

// errString prints row errors one a line, for failure messages.
func errString(errs []bankio.RowError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n  %d %q %s", e.Row, e.Column, e.Message)
	}
	return b.String()
}
