package bankio_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/apperr"
	"prizequiz/internal/bank"
	"prizequiz/internal/bankio"
)

// wantErr matches a RowError: same row and column, message containing msg.
type wantErr struct {
	row int
	col string
	msg string
}

func checkErrs(t *testing.T, got []bankio.RowError, want []wantErr) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		g, w := got[i], want[i]
		ok = g.Row == w.row && g.Column == w.col && strings.Contains(g.Message, w.msg)
	}
	if !ok {
		t.Errorf("errors:%s\nwant %+v", errString(got), want)
	}
	for _, e := range got {
		if !regexp.MustCompile(`\p{Han}.* \(.*[a-zA-Z].*\)$`).MatchString(e.Message) {
			t.Errorf("message %q is not \"中文 (English)\"", e.Message)
		}
	}
}

func rowNums(rows []bankio.Row) []int {
	n := []int{}
	for _, r := range rows {
		n = append(n, r.Row)
	}
	return n
}

// validRows are the three good rows, as the parser must read them.
func validInputs(t *testing.T) []bank.QuestionInput {
	return []bank.QuestionInput{
		mustValidate(t, bank.QuestionInput{Kind: schematype.KindSingle, Stem: "职工医保参保人员门诊就医，应使用哪种凭证？",
			Options: opts("医保电子凭证", "身份证复印件", "户口簿"), Answer: []string{"A"},
			Explanation: ptr("凭医保电子凭证就医。"), Category: ptr("就医")}),
		mustValidate(t, bank.QuestionInput{Kind: schematype.KindMultiple, Stem: "基本医疗保险包括哪些？",
			Options: opts("职工医保", "居民医保", "商业保险"), Answer: []string{"A", "B"}, Category: ptr("常识")}),
		mustValidate(t, bank.QuestionInput{Kind: schematype.KindTrueFalse, Stem: "欺诈骗保是违法行为。", Answer: []string{"A"}}),
	}
}

// TestParseValid reads the same good questions from every kind of file.
func TestParseValid(t *testing.T) {
	good := sheet{header, rowSingle, rowMulti, rowTF}
	text := csvFile(good)
	for _, tc := range []struct {
		name, filename string
		data           []byte
	}{
		{"xlsx", "题库.xlsx", xlsxFile(t, good, nil)},
		{"xlsx named csv", "题库.csv", xlsxFile(t, good, nil)},
		{"csv no BOM", "题库.csv", []byte(text)},
		{"csv BOM", "题库.csv", append([]byte("\uFEFF"), text...)},
		{"csv LF", "题库.csv", []byte(strings.ReplaceAll(text, "\r\n", "\n"))},
		{"csv GBK", "题库.csv", gbk(t, text)},
		{"csv GBK no extension", "upload", gbk(t, text)},
		{"csv UTF-16", "题库.txt", utf16LE("\uFEFF" + strings.ReplaceAll(text, ",", "\t"))},
		{"tsv", "题库.xls", []byte(strings.ReplaceAll(text, ",", "\t"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, errs := parse(t, tc.data, tc.filename)
			checkErrs(t, errs, nil)
			if got := rowNums(rows); !reflect.DeepEqual(got, []int{2, 3, 4}) {
				t.Fatalf("rows %v", got)
			}
			for i, want := range validInputs(t) {
				if got := rows[i].Input; !reflect.DeepEqual(got, want) {
					t.Errorf("row %d:\n got %+v\nwant %+v", rows[i].Row, got, want)
				}
			}
		})
	}
}

func utf16LE(s string) []byte {
	var b []byte
	for _, r := range s {
		if r > 0xFFFF {
			panic("test text is BMP only")
		}
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// TestParseLenient covers the forms the template tolerates.
func TestParseLenient(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows sheet
		want []bank.QuestionInput
	}{
		{
			name: "columns in any order, spaces and BOM in headers, unknown columns, aliases",
			rows: sheet{
				{"\uFEFF 答案 ", "备注", "题目", "A", "B", "选项 C", "类型", "类别"},
				{"b", "ignored", "何处办理医保转移？", "窗口", "线上", "都可以", "single", "经办"},
			},
			want: []bank.QuestionInput{{Kind: schematype.KindSingle, Stem: "何处办理医保转移？",
				Options: opts("窗口", "线上", "都可以"), Answer: []string{"B"}, Category: ptr("经办")}},
		},
		{
			name: "title row above the header",
			rows: sheet{
				{"2024年医保知识竞赛题库"},
				{},
				header,
				q("MULTIPLE", "哪些可以报销？", []string{"住院", "门诊", "美容"}, "c、A", "", ""),
			},
			want: []bank.QuestionInput{{Kind: schematype.KindMultiple, Stem: "哪些可以报销？",
				Options: opts("住院", "门诊", "美容"), Answer: []string{"A", "C"}}},
		},
		{
			name: "answer forms",
			rows: sheet{
				header,
				q("多选题", "多1", []string{"a", "b", "c", "d"}, " a，c ; d ", "", ""),
				q("多项选择", "多2", []string{"a", "b", "c", "d"}, "ＡＢ", "", ""),
				q("判断题", "判1", nil, "×", "", ""),
				q("是非", "判2", nil, "T", "", ""),
				q("TRUE_FALSE", "判3", nil, "错误", "", ""),
				q("判断", "判4", []string{"错", "对"}, "对", "", ""),
				q("判断", "判5", nil, "b", "", ""),
				q("单项选择题", "单1", []string{"x", "y"}, "b", "", ""),
			},
			want: []bank.QuestionInput{
				{Kind: schematype.KindMultiple, Stem: "多1", Options: opts("a", "b", "c", "d"), Answer: []string{"A", "C", "D"}},
				{Kind: schematype.KindMultiple, Stem: "多2", Options: opts("a", "b", "c", "d"), Answer: []string{"A", "B"}},
				{Kind: schematype.KindTrueFalse, Stem: "判1", Answer: []string{"B"}},
				{Kind: schematype.KindTrueFalse, Stem: "判2", Answer: []string{"A"}},
				{Kind: schematype.KindTrueFalse, Stem: "判3", Answer: []string{"B"}},
				{Kind: schematype.KindTrueFalse, Stem: "判4", Options: opts("错", "对"), Answer: []string{"B"}},
				{Kind: schematype.KindTrueFalse, Stem: "判5", Answer: []string{"B"}},
				{Kind: schematype.KindSingle, Stem: "单1", Options: opts("x", "y"), Answer: []string{"B"}},
			},
		},
	} {
		for _, format := range []string{"xlsx", "csv"} {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				data := []byte(csvFile(tc.rows))
				if format == "xlsx" {
					data = xlsxFile(t, tc.rows, nil)
				}
				rows, errs := parse(t, data, "f."+format)
				checkErrs(t, errs, nil)
				if len(rows) != len(tc.want) {
					t.Fatalf("got %d rows, want %d", len(rows), len(tc.want))
				}
				for i, w := range tc.want {
					if w := mustValidate(t, w); !reflect.DeepEqual(rows[i].Input, w) {
						t.Errorf("row %d:\n got %+v\nwant %+v", rows[i].Row, rows[i].Input, w)
					}
				}
			})
		}
	}
}

// TestParseErrors checks what is reported, where, for files in both
// formats.
func TestParseErrors(t *testing.T) {
	long := strings.Repeat("医", 5000)
	for _, tc := range []struct {
		name     string
		rows     sheet
		wantRows []int
		want     []wantErr
	}{
		{
			name: "wrong headers",
			rows: sheet{{"Title", "Choice1", "Choice2", "Right"}, {"a", "b", "c", "A"}},
			want: []wantErr{
				{1, "题型", "缺少“题型”列"}, {1, "题干", "缺少“题干”列"}, {1, "选项A", "missing column 选项A"},
				{1, "选项B", "缺少"}, {1, "答案", "缺少"},
			},
		},
		{
			name: "some headers missing",
			rows: sheet{{"题型", "题干", "选项A", "选项B"}, q("单选", "x", []string{"a", "b"}, "A", "", "")[:4]},
			want: []wantErr{{1, "答案", "缺少“答案”列，请使用模板的表头 (missing column 答案"}},
		},
		{
			name: "a header twice",
			rows: sheet{append(header, "题干"), rowSingle},
			want: []wantErr{{1, "题干", "出现了两次"}},
		},
		{
			name: "header only",
			rows: sheet{header},
			want: []wantErr{{2, "", "没有题目"}},
		},
		{
			name:     "missing answer",
			rows:     sheet{header, rowSingle, q("单选", "无答案", []string{"a", "b"}, "", "", "")},
			wantRows: []int{2},
			want:     []wantErr{{3, "答案", "答案不能为空"}},
		},
		{
			name: "answer not among options",
			rows: sheet{header, q("单选", "题", []string{"a", "b", "c"}, "E", "", "")},
			want: []wantErr{{2, "答案", `答案E不在选项中 (answer "E" is not one of the options)`}},
		},
		{
			name: "answer not letters",
			rows: sheet{header, q("单选", "题", []string{"a", "b", "c"}, "第一个", "", "")},
			want: []wantErr{{2, "答案", "答案“第一个”格式不正确"}},
		},
		{
			name: "multiple answers on a single-choice row",
			rows: sheet{header, q("单选", "题", []string{"a", "b", "c"}, "AB", "", "")},
			want: []wantErr{{2, "答案", "单选题只能有一个答案，现有2个"}},
		},
		{
			name: "two answers on a true/false row",
			rows: sheet{header, q("判断", "题", nil, "AB", "", "")},
			want: []wantErr{{2, "答案", "判断题只能有一个答案"}},
		},
		{
			name: "answer repeated",
			rows: sheet{header, q("多选", "题", []string{"a", "b", "c"}, "AA", "", "")},
			want: []wantErr{{2, "答案", "答案A重复"}},
		},
		{
			name: "seven options",
			rows: sheet{
				append(header[:8:8], "选项G", "答案", "解析", "分类"),
				{"单选", "七个选项", "a", "b", "c", "d", "e", "f", "g", "A", "", ""},
				{"单选", "六个选项", "a", "b", "c", "d", "e", "f", "", "A", "", ""},
			},
			wantRows: []int{3},
			want:     []wantErr{{2, "选项G", "最多6个选项，选项G须为空"}},
		},
		{
			name: "option gap",
			rows: sheet{header, q("单选", "题", []string{"a", "b", "", "d"}, "A", "", "")},
			want: []wantErr{{2, "选项C", "选项C为空，但后面的选项有内容"}},
		},
		{
			name: "one option",
			rows: sheet{header, q("单选", "题", []string{"a"}, "A", "", "")},
			want: []wantErr{{2, "选项B", "至少需要2个选项"}},
		},
		{
			name: "true/false with three options",
			rows: sheet{header, q("判断", "题", []string{"对", "错", "不确定"}, "A", "", "")},
			want: []wantErr{{2, "选项C", "判断题只能有2个选项"}},
		},
		{
			name: "repeated option text",
			rows: sheet{header, q("单选", "题", []string{"a", "b", "a"}, "A", "", "")},
			want: []wantErr{{2, "选项C", "选项C与前面的选项内容重复"}},
		},
		{
			name: "kind unknown or empty",
			rows: sheet{header, q("问答", "题1", []string{"a", "b"}, "A", "", ""), q("", "题2", []string{"a", "b"}, "A", "", "")},
			want: []wantErr{{2, "题型", "题型“问答”无法识别"}, {3, "题型", "题型不能为空"}},
		},
		{
			name: "stem empty",
			rows: sheet{header, q("单选", "", []string{"a", "b"}, "A", "", "")},
			want: []wantErr{{2, "题干", "题干不能为空"}},
		},
		{
			name: "huge cells are reported, all of a row's problems at once",
			rows: sheet{header, q("单选", long, []string{strings.Repeat("项", 300), "b"}, "C", strings.Repeat("解", 2001), strings.Repeat("类", 51))},
			want: []wantErr{
				{2, "题干", "题干最多1000字，现有5000字"},
				{2, "选项A", "选项A最多200字，现有300字"},
				{2, "答案", "答案C不在选项中"},
				{2, "解析", "解析最多2000字，现有2001字"},
			},
		},
		{
			name:     "duplicate stems",
			rows:     sheet{header, rowSingle, rowMulti, q("单选", " 基本医疗保险  包括哪些？ ", []string{"x", "y"}, "A", "", ""), rowTF, rowMulti},
			wantRows: []int{2, 3, 5},
			want:     []wantErr{{4, "题干", "题干与第3行重复 (the same question as row 3)"}, {6, "题干", "题干与第3行重复"}},
		},
		{
			name: "row numbers as the spreadsheet shows them",
			rows: sheet{
				header,
				rowSingle,
				{},
				{"", "", "", "", "", "", "", "", "", "", ""},
				q("单选", "第5行", []string{"a", "b"}, "X", "", ""),
				{},
				q("单选", "第7行", []string{"a", "b"}, "B", "", ""),
				{"", "", "", "", "", "", "", "", "", "", "", "只有备注"},
				q("判断", "第9行", nil, "?", "", ""),
			},
			wantRows: []int{2, 7},
			want:     []wantErr{{5, "答案", "答案X不在选项中"}, {9, "答案", "答案“?”格式不正确"}},
		},
	} {
		for _, format := range []string{"xlsx", "csv"} {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				data := []byte(csvFile(tc.rows))
				if format == "xlsx" {
					data = xlsxFile(t, tc.rows, nil)
				}
				rows, errs := parse(t, data, "f."+format)
				checkErrs(t, errs, tc.want)
				want := tc.wantRows
				if want == nil {
					want = []int{}
				}
				if got := rowNums(rows); !reflect.DeepEqual(got, want) {
					t.Errorf("valid rows %v, want %v", got, want)
				}
			})
		}
	}
}

// TestParseFiles covers whole-file problems.
func TestParseFiles(t *testing.T) {
	many := sheet{header}
	for i := range bankio.MaxDataRows + 5 {
		many = append(many, q("判断", fmt.Sprintf("第%d题", i+1), nil, "A", "", ""))
	}
	for _, tc := range []struct {
		name, filename string
		data           []byte
		want           []wantErr
		wantRows       int
		wantErr        string // substring of Parse's error
	}{
		{name: "empty file", filename: "a.csv", data: nil, want: []wantErr{{1, "", "文件为空 (the file is empty)"}}},
		{name: "empty file named xlsx", filename: "a.xlsx", data: nil, want: []wantErr{{1, "", "文件为空"}}},
		{name: "BOM and blank lines only", filename: "a.csv", data: []byte("\uFEFF\r\n\r\n ,, \r\n"), want: []wantErr{{1, "", "文件为空"}}},
		{name: "empty workbook", filename: "a.xlsx", data: xlsxFile(t, nil, nil), want: []wantErr{{1, "", "文件为空"}}},
		{name: "corrupt xlsx", filename: "a.xlsx", data: []byte("PK\x03\x04 this is not a zip"), wantErr: "无法读取该Excel文件"},
		{name: "truncated xlsx", filename: "a.xlsx", data: xlsxFile(t, sheet{header, rowSingle}, nil)[:600], wantErr: "无法读取"},
		{name: "text named xlsx", filename: "a.XLSX", data: []byte(csvFile(sheet{header, rowSingle})), wantErr: "无法读取"},
		{name: "legacy xls", filename: "a.xls", data: append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), wantErr: ".xls"},
		{name: "binary", filename: "a.bin", data: []byte{0, 1, 2, 3, 0, 0, 0xFF, 0}, wantErr: "无法识别的文件格式"},
		{name: "too large", filename: "a.csv", data: bytes.Repeat([]byte("a"), bankio.MaxFileBytes+1), wantErr: "32MB"},
		{
			name:     "GBK CSV with bytes that do not decode",
			filename: "a.csv",
			data: bytes.Replace(gbk(t, csvFile(sheet{header, rowSingle, q("单选", "坏#BAD#字", []string{"a", "b"}, "A", "", "")})),
				[]byte("#BAD#"), []byte{0xFF}, 1),
			wantRows: 1,
			want:     []wantErr{{3, "题干", "含有无法识别的字符"}},
		},
		{
			name:     "non-UTF-8 CSV (Latin-1)",
			filename: "a.csv",
			data:     []byte("Kind,Stem,R\xe9ponse\r\n1,Caf\xe9,3\r\n"),
			want:     []wantErr{{1, "选项A", "缺少"}, {1, "选项B", "缺少"}, {1, "答案", "缺少"}},
		},
		{
			name:     "multi-line cells and blank lines in CSV",
			filename: "a.csv",
			data: []byte(strings.Join(header, ",") + "\r\n" +
				"单选,\"第一行\r\n第二行\",\"a,1\",\"b \"\"2\"\"\",,,,,A,,\r\n" +
				"\r\n" +
				"单选,ok,'=1+1,'@b,,,,,Q,,\r\n"),
			wantRows: 1,
			want:     []wantErr{{4, "答案", "答案Q不在选项中"}},
		},
		{
			name:     "too many rows",
			filename: "a.csv",
			data:     []byte(csvFile(many)),
			wantRows: bankio.MaxDataRows,
			want:     []wantErr{{bankio.MaxDataRows + 2, "", "题目超过20000行"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, errs, err := bankio.Parse(bytes.NewReader(tc.data), tc.filename)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				if apperr.CodeOf(err) != apperr.BadUserInput {
					t.Errorf("code %s, want BAD_USER_INPUT", apperr.CodeOf(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkErrs(t, errs, tc.want)
			if len(rows) != tc.wantRows {
				t.Errorf("%d rows, want %d", len(rows), tc.wantRows)
			}
		})
	}
}

func TestParseMultilineCSV(t *testing.T) {
	data := strings.Join(header, ",") + "\n单选,\"第一行\n第二行\",'=1+1,'@b,,,,,B,,\n"
	rows, errs := parse(t, []byte(data), "a.csv")
	checkErrs(t, errs, nil)
	want := mustValidate(t, bank.QuestionInput{Kind: schematype.KindSingle, Stem: "第一行\n第二行",
		Options: opts("=1+1", "@b"), Answer: []string{"B"}})
	if len(rows) != 1 || !reflect.DeepEqual(rows[0].Input, want) {
		t.Fatalf("rows %+v", rows)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestParseReadError(t *testing.T) {
	_, _, err := bankio.Parse(failingReader{}, "a.csv")
	if err == nil || apperr.CodeOf(err) != apperr.Internal {
		t.Fatalf("err = %v", err)
	}
}

// TestParseXLSXCells covers what only a workbook can hold: formulas,
// Excel error values, merged cells, numbers, hidden text limits.
func TestParseXLSXCells(t *testing.T) {
	base := sheet{header, rowSingle, rowMulti, rowTF}
	for _, tc := range []struct {
		name     string
		edit     func(f *excelize.File)
		patch    func(string) string
		wantRows []int
		want     []wantErr
	}{
		{
			name: "formula with a cached value is read as its value",
			edit: func(f *excelize.File) {
				formula(t, f, "B2", `Sheet2!A1`)
				formula(t, f, "I2", `"A"`)
			},
			patch: func(s string) string {
				return cached(cached(s, "B2", "str", "公式题干"), "I2", "str", "A")
			},
			wantRows: []int{2, 3, 4},
		},
		{
			name: "formula without a cached value is reported",
			edit: func(f *excelize.File) {
				formula(t, f, "E3", `Sheet2!A1`)
				formula(t, f, "I4", `IF(1,"A","B")`)
			},
			wantRows: []int{2},
			want: []wantErr{
				{3, "选项C", "单元格E3是公式（=Sheet2!A1），但没有计算结果"},
				{4, "答案", "cell I4 holds the formula"},
			},
		},
		{
			name: "shared formula without values",
			edit: func(f *excelize.File) {
				typ, ref := excelize.STCellFormulaTypeShared, "J2:J4"
				formula(t, f, "J2", `K2`, excelize.FormulaOpts{Type: &typ, Ref: &ref})
			},
			wantRows: []int{},
			want:     []wantErr{{2, "解析", "单元格J2是公式"}, {3, "解析", "单元格J3是公式"}, {4, "解析", "单元格J4是公式"}},
		},
		{
			name:     "Excel error value",
			edit:     func(f *excelize.File) { formula(t, f, "C2", `VLOOKUP(1,Z1:Z2,2)`) },
			patch:    func(s string) string { return cached(s, "C2", "e", "#N/A") },
			wantRows: []int{3, 4},
			want:     []wantErr{{2, "选项A", "单元格C2显示错误值#N/A"}},
		},
		{
			name:     "vertical merge over data rows",
			edit:     func(f *excelize.File) { _ = f.MergeCell("Sheet1", "K2", "K3") },
			wantRows: []int{4},
			want: []wantErr{
				{2, "分类", "第2行有合并单元格（K2:K3），每道题须占一行"},
				{3, "分类", "row 3 is part of the merged cells K2:K3"},
			},
		},
		{
			name:     "horizontal merge in one row",
			edit:     func(f *excelize.File) { _ = f.MergeCell("Sheet1", "C4", "D4") },
			wantRows: []int{2, 3},
			want:     []wantErr{{4, "选项A", "合并单元格（C4:D4）"}},
		},
		{
			name: "merge in a title row above the header is ignored",
			edit: func(f *excelize.File) {
				_ = f.InsertRows("Sheet1", 1, 1)
				_ = f.SetCellStr("Sheet1", "A1", "医保知识题库")
				_ = f.MergeCell("Sheet1", "A1", "K1")
			},
			wantRows: []int{3, 4, 5},
		},
		{
			name: "numbers and a huge cell",
			edit: func(f *excelize.File) {
				_ = f.SetCellInt("Sheet1", "E2", 2024)
				_ = f.SetCellStr("Sheet1", "J3", strings.Repeat("长", 32000))
			},
			wantRows: []int{2, 4},
			want:     []wantErr{{3, "解析", "解析最多2000字，现有32000字"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := xlsxFile(t, base, tc.edit)
			if tc.patch != nil {
				data = patchSheet(t, data, tc.patch)
			}
			rows, errs := parse(t, data, "f.xlsx")
			checkErrs(t, errs, tc.want)
			if tc.wantRows == nil {
				tc.wantRows = []int{}
			}
			if got := rowNums(rows); !reflect.DeepEqual(got, tc.wantRows) {
				t.Errorf("valid rows %v, want %v", got, tc.wantRows)
			}
			if tc.name == "formula with a cached value is read as its value" && len(rows) > 0 {
				if rows[0].Input.Stem != "公式题干" || rows[0].Input.Answer[0] != "A" {
					t.Errorf("row 2 = %+v", rows[0].Input)
				}
			}
		})
	}
}

// TestParseFirstSheet reads the first sheet only.
func TestParseFirstSheet(t *testing.T) {
	data := xlsxFile(t, sheet{header, rowSingle}, func(f *excelize.File) {
		_, _ = f.NewSheet("Other")
		_ = f.SetSheetRow("Other", "A1", &header)
		_ = f.SetSheetRow("Other", "A2", &rowMulti)
	})
	rows, errs := parse(t, data, "f.xlsx")
	checkErrs(t, errs, nil)
	if len(rows) != 1 || rows[0].Input.Kind != schematype.KindSingle {
		t.Fatalf("rows %+v", rows)
	}
}
