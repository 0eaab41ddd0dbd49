package bankio_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/bank"
	"prizequiz/internal/bankio"
)

// exported are questions as stored, including awkward ones.
var exported = []bankio.ExportQuestion{
	{Kind: schematype.KindSingle, Stem: "住院费用由谁结算？", Options: opts("医院直接结算", "个人先垫付", "单位"),
		Answer: []string{"A"}, Explanation: "定点医院直接结算。", Category: "结算"},
	{Kind: schematype.KindMultiple, Stem: "Which, of these \"quoted\" items,\nspan lines?",
		Options: opts("a,b", "=SUM(A1:A2)", "-5%", "@home", "+1", "\"q\""),
		Answer:  []string{"F", "B", "A"}, Explanation: "line 1\nline 2"},
	// Keys that are not A, B, C …: re-keyed by position.
	{Kind: schematype.KindMultiple, Stem: "跳号选项", Options: []schematype.Option{{Key: "B", Text: "乙"}, {Key: "D", Text: "丁"}, {Key: "A", Text: "甲"}},
		Answer: []string{"A", "D"}},
	{Kind: schematype.KindTrueFalse, Stem: "默认选项的判断题", Options: bank.TrueFalseOptions, Answer: []string{"B"}, Category: "判断"},
	{Kind: schematype.KindTrueFalse, Stem: "没有选项的判断题", Answer: []string{"A"}},
	{Kind: schematype.KindTrueFalse, Stem: "自定义选项的判断题", Options: opts("是", "否"), Answer: []string{"B"}},
	{Kind: schematype.KindSingle, Stem: strings.Repeat("长", bank.MaxStemRunes), Options: opts(strings.Repeat("选", bank.MaxOptionRunes), "短"),
		Answer: []string{"B"}, Explanation: strings.Repeat("解", bank.MaxExplRunes), Category: strings.Repeat("类", bank.MaxCategory)},
}

// normalised is what importing q must give: q re-keyed by position and
// validated.
func normalised(t *testing.T, q bankio.ExportQuestion) bank.QuestionInput {
	in := bank.QuestionInput{Kind: q.Kind, Stem: q.Stem}
	key := map[string]string{}
	for i, o := range q.Options {
		k := string(rune('A' + i))
		key[o.Key] = k
		in.Options = append(in.Options, schematype.Option{Key: k, Text: o.Text})
	}
	for _, a := range q.Answer {
		if k, ok := key[a]; ok {
			in.Answer = append(in.Answer, k)
		} else {
			in.Answer = append(in.Answer, a)
		}
	}
	if q.Explanation != "" {
		in.Explanation = &q.Explanation
	}
	if q.Category != "" {
		in.Category = &q.Category
	}
	return mustValidate(t, in)
}

func TestExportRoundTrip(t *testing.T) {
	xlsx, err := bankio.ExportXLSX(exported)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, filename string
		data           []byte
	}{
		{"xlsx", "export.xlsx", xlsx},
		{"csv", "export.csv", bankio.ExportCSV(exported)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, errs := parse(t, tc.data, tc.filename)
			checkErrs(t, errs, nil)
			if len(rows) != len(exported) {
				t.Fatalf("%d rows, want %d", len(rows), len(exported))
			}
			for i, q := range exported {
				if rows[i].Row != i+2 {
					t.Errorf("row number %d, want %d", rows[i].Row, i+2)
				}
				if want := normalised(t, q); !reflect.DeepEqual(rows[i].Input, want) {
					t.Errorf("question %d:\n got %+v\nwant %+v", i, rows[i].Input, want)
				}
			}
			// Exporting what was imported gives the same file.
			again := make([]bankio.ExportQuestion, len(rows))
			for i, r := range rows {
				in := r.Input
				again[i] = bankio.ExportQuestion{Kind: in.Kind, Stem: in.Stem, Options: in.Options, Answer: in.Answer}
				if in.Explanation != nil {
					again[i].Explanation = *in.Explanation
				}
				if in.Category != nil {
					again[i].Category = *in.Category
				}
			}
			if tc.name == "csv" && !bytes.Equal(bankio.ExportCSV(again), tc.data) {
				t.Error("CSV export of the imported questions differs from the first export")
			}
		})
	}
}

func TestExportCSVFormat(t *testing.T) {
	out := bankio.ExportCSV(exported[:2])
	if !bytes.HasPrefix(out, []byte("\uFEFF题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,答案,解析,分类\r\n")) {
		t.Errorf("header: %q", out[:min(len(out), 120)])
	}
	for _, want := range []string{`'=SUM(A1:A2)`, `'-5%`, `'@home`, `'+1`, `,ABF,`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	if empty := bankio.ExportCSV(nil); string(empty) != "\uFEFF题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,答案,解析,分类\r\n" {
		t.Errorf("empty export %q", empty)
	}
}

// TestExportXLSXCells checks that texts starting with = are stored as text,
// not formulas.
func TestExportXLSXCells(t *testing.T) {
	data, err := bankio.ExportXLSX(exported[1:2])
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if fm, _ := f.GetCellFormula("题目", "D2"); fm != "" {
		t.Errorf("D2 holds the formula %q", fm)
	}
	if v, _ := f.GetCellValue("题目", "D2"); v != "=SUM(A1:A2)" {
		t.Errorf("D2 = %q", v)
	}
}

func TestTemplate(t *testing.T) {
	data, err := bankio.Template()
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := parse(t, data, "模板.xlsx")
	checkErrs(t, errs, nil)
	if got := rowNums(rows); !reflect.DeepEqual(got, []int{2, 3, 4}) {
		t.Fatalf("rows %v", got)
	}
	kinds := []schematype.QuestionKind{schematype.KindSingle, schematype.KindMultiple, schematype.KindTrueFalse}
	for i, r := range rows {
		if r.Input.Kind != kinds[i] || r.Input.Explanation == nil || r.Input.Category == nil || r.Input.BankID != 0 {
			t.Errorf("row %d: %+v", r.Row, r.Input)
		}
	}
	if tf := rows[2].Input; !reflect.DeepEqual(tf.Options, bank.TrueFalseOptions) || !reflect.DeepEqual(tf.Answer, []string{"A"}) {
		t.Errorf("true/false example: %+v", tf)
	}

	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"题目", "填写说明"}) {
		t.Errorf("sheets %v", got)
	}
	got, err := f.GetRows("题目")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got[0], bankio.Headers()) || !reflect.DeepEqual(got[0], header) {
		t.Errorf("header row %q", got[0])
	}
	if got[3][2] != "" || got[3][8] != "正确" {
		t.Errorf("the true/false example should leave its options empty and answer 正确: %q", got[3])
	}
	styleID, err := f.GetCellStyle("题目", "B1")
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(styleID)
	if err != nil {
		t.Fatal(err)
	}
	if style.Font == nil || !style.Font.Bold || style.Fill.Type != "pattern" || len(style.Fill.Color) == 0 {
		t.Errorf("header style %+v", style)
	}
	panes, err := f.GetPanes("题目")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v", panes)
	}
	if w, _ := f.GetColWidth("题目", "B"); w < 30 {
		t.Errorf("题干 column width %v", w)
	}
	guide, err := f.GetRows("填写说明")
	if err != nil {
		t.Fatal(err)
	}
	text := ""
	for _, r := range guide {
		text += strings.Join(r, " ")
	}
	for _, h := range header {
		if !strings.Contains(text, h) && !strings.Contains(h, "选项") {
			t.Errorf("填写说明 does not explain %s", h)
		}
	}

	// The CSV template reads the same.
	csvRows, errs := parse(t, bankio.TemplateCSV(), "模板.csv")
	checkErrs(t, errs, nil)
	if !bytes.HasPrefix(bankio.TemplateCSV(), []byte("\uFEFF题型,")) {
		t.Error("CSV template without BOM")
	}
	if !reflect.DeepEqual(csvRows, rows) {
		t.Errorf("CSV template %+v\nXLSX template %+v", csvRows, rows)
	}
}
