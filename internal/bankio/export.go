package bankio

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/bank"
)

// ExportQuestion is a question as written to a file.
type ExportQuestion struct {
	Kind        schematype.QuestionKind
	Stem        string
	Options     []schematype.Option
	Answer      []string
	Explanation string
	Category    string
}

// examples are the template's example rows, one of each kind.
var examples = []ExportQuestion{
	{
		Kind: schematype.KindSingle,
		Stem: "参保人员在定点医疗机构就医结算时，一般应出示以下哪种凭证？",
		Options: []schematype.Option{
			{Key: "A", Text: "医保电子凭证或社会保障卡"},
			{Key: "B", Text: "户口簿"},
			{Key: "C", Text: "结婚证"},
			{Key: "D", Text: "驾驶证"},
		},
		Answer:      []string{"A"},
		Explanation: "参保人员可凭医保电子凭证或社会保障卡在定点医药机构就医购药并直接结算。",
		Category:    "就医结算",
	},
	{
		Kind: schematype.KindMultiple,
		Stem: "我国基本医疗保险包括以下哪些？",
		Options: []schematype.Option{
			{Key: "A", Text: "职工基本医疗保险"},
			{Key: "B", Text: "城乡居民基本医疗保险"},
			{Key: "C", Text: "商业健康保险"},
		},
		Answer:      []string{"A", "B"},
		Explanation: "基本医疗保险包括职工基本医疗保险和城乡居民基本医疗保险；商业健康保险是补充保障。",
		Category:    "政策常识",
	},
	{
		Kind:        schematype.KindTrueFalse,
		Stem:        "将本人的医保凭证出借给他人就医使用是违法行为。",
		Answer:      []string{"A"},
		Explanation: "《医疗保障基金使用监督管理条例》规定，个人不得将本人的医疗保障凭证交由他人冒名使用。",
		Category:    "基金监管",
	},
}

// guide is the 填写说明 sheet: column, required, how to fill it, example.
var guide = [][]string{
	{"列名", "是否必填", "填写说明", "示例"},
	{"题型", "必填", "单选、多选或判断（也可写 SINGLE、MULTIPLE、TRUE_FALSE）。", "单选"},
	{"题干", "必填", fmt.Sprintf("题目内容，最多%d字。同一文件中题干不能重复。", bank.MaxStemRunes), "以下哪项属于医保基金支付范围？"},
	{"选项A", "必填", fmt.Sprintf("第一个选项，每个选项最多%d字。判断题可将选项全部留空，表示 A=正确、B=错误。", bank.MaxOptionRunes), "医保电子凭证或社会保障卡"},
	{"选项B", "必填", "第二个选项。", "户口簿"},
	{"选项C～选项F", "选填", fmt.Sprintf("其余选项，从左到右依次填写，中间不能空列；每题2至%d个选项，同一题选项内容不能重复。", bank.MaxOptions), "结婚证"},
	{"答案", "必填", "正确选项的字母，如 B；多选题写全部正确字母，如 ACD（可用空格、逗号或顿号分隔，大小写均可）。单选题和判断题只能有一个答案。判断题也可写 正确/错误、对/错、√/×。", "ACD"},
	{"解析", "选填", fmt.Sprintf("答题后展示的解析，最多%d字。", bank.MaxExplRunes), "参保人员可凭医保电子凭证就医。"},
	{"分类", "选填", fmt.Sprintf("题目分类，最多%d字，可用于按分类抽题。", bank.MaxCategory), "就医结算"},
	{},
	{"注意事项"},
	{"1", "", "每道题占一行，请勿合并单元格，请勿修改或删除第一行表头；列的顺序可以调整，其他列会被忽略。"},
	{"2", "", "请填写文字，不要使用公式；如从其他表格引用，请“选择性粘贴→数值”。"},
	{"3", "", fmt.Sprintf("一个文件最多%d道题。空行会被跳过。导入时如有任何错误，将列出所有错误所在的行和列，全部题目都不会导入，请修改后重新上传。", MaxDataRows)},
	{"4", "", "第一个工作表中的示例题目可直接删除或替换。也可上传CSV文件（UTF-8或GBK编码，逗号分隔），表头相同。"},
}

// Template returns the import template: a workbook whose first sheet 题目
// holds the header row and one example question of each kind, and whose
// second sheet 填写说明 explains every column.
func Template() ([]byte, error) {
	f, err := writeQuestions(templateRows(), bank.MaxOptions, true)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	return workbookBytes(f)
}

// TemplateCSV returns the template as CSV, UTF-8 with a BOM so that Excel
// opens it correctly.
func TemplateCSV() []byte { return csvBytes(templateRows(), bank.MaxOptions) }

// templateRows are the example rows; the true/false one shows the short
// form: no options, the answer as 正确.
func templateRows() [][]string {
	rows := make([][]string, len(examples))
	for i, q := range examples {
		rows[i] = exportRow(q, bank.MaxOptions)
		if q.Kind == schematype.KindTrueFalse {
			for j := range bank.MaxOptions {
				rows[i][2+j] = ""
			}
			rows[i][2+bank.MaxOptions] = "正确"
		}
	}
	return rows
}

// ExportXLSX writes questions in the template's format.
func ExportXLSX(qs []ExportQuestion) ([]byte, error) {
	n := optionColumns(qs)
	rows := make([][]string, len(qs))
	for i, q := range qs {
		rows[i] = exportRow(q, n)
	}
	f, err := writeQuestions(rows, n, false)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	return workbookBytes(f)
}

// ExportCSV writes questions in the template's format as CSV, UTF-8 with a
// BOM and CRLF line ends. A cell starting with = + - or @ gets a leading
// apostrophe so that Excel shows it as text and does not run it as a
// formula; Parse removes it.
func ExportCSV(qs []ExportQuestion) []byte {
	n := optionColumns(qs)
	rows := make([][]string, len(qs))
	for i, q := range qs {
		rows[i] = exportRow(q, n)
	}
	return csvBytes(rows, n)
}

func csvBytes(rows [][]string, nOpts int) []byte {
	var buf bytes.Buffer
	buf.Write(utf8BOM)
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	_ = w.Write(headersFor(nOpts))
	for _, row := range rows {
		for i, c := range row {
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				row[i] = "'" + c
			}
		}
		_ = w.Write(row)
	}
	w.Flush()
	return buf.Bytes()
}

// optionColumns is how many option columns an export needs: the
// template's six, more only for a question that breaks the limit (which
// then fails to import, rather than losing an option silently).
func optionColumns(qs []ExportQuestion) int {
	n := bank.MaxOptions
	for _, q := range qs {
		n = max(n, min(len(q.Options), maxOptionColumns))
	}
	return n
}

// exportRow lays a question out in the template's columns. Options go to
// 选项A, 选项B … in order, and the answer names them by that position.
func exportRow(q ExportQuestion, nOpts int) []string {
	row := make([]string, 0, nOpts+5)
	row = append(row, kindLabel(q.Kind), q.Stem)
	opts := q.Options
	if q.Kind == schematype.KindTrueFalse && len(opts) == 0 {
		opts = bank.TrueFalseOptions
	}
	letter := map[string]string{}
	for i := range nOpts {
		text := ""
		if i < len(opts) {
			text = opts[i].Text
			letter[strings.TrimSpace(opts[i].Key)] = optionLetter(i)
		}
		row = append(row, text)
	}
	chosen := map[string]bool{}
	var other []string
	for _, a := range q.Answer {
		a = strings.TrimSpace(a)
		if l, ok := letter[a]; ok {
			chosen[l] = true
		} else {
			other = append(other, a)
		}
	}
	var answer strings.Builder
	for i := range nOpts {
		if chosen[optionLetter(i)] {
			answer.WriteString(optionLetter(i))
		}
	}
	for _, a := range other {
		answer.WriteString(a)
	}
	return append(row, answer.String(), q.Explanation, q.Category)
}

// Column widths of the question sheet, by header.
var colWidths = map[field]float64{fKind: 9, fStem: 48, fAnswer: 9, fExpl: 40, fCat: 14}

// writeQuestions builds a workbook: the question sheet, and with guide the
// 填写说明 sheet.
func writeQuestions(rows [][]string, n int, withGuide bool) (_ *excelize.File, err error) {
	f := excelize.NewFile()
	defer func() {
		if err != nil {
			_ = f.Close()
			err = fmt.Errorf("bankio: write workbook: %w", err)
		}
	}()
	const sheet = "题目"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	border := []excelize.Border{
		{Type: "left", Color: "B4B4B4", Style: 1}, {Type: "right", Color: "B4B4B4", Style: 1},
		{Type: "top", Color: "B4B4B4", Style: 1}, {Type: "bottom", Color: "B4B4B4", Style: 1},
	}
	headerStyle := func(color string) (int, error) {
		return f.NewStyle(&excelize.Style{
			Font:      &excelize.Font{Bold: true, Size: 11},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
			Border:    border,
		})
	}
	reqStyle, err := headerStyle("F8CBAD") // required columns
	if err != nil {
		return nil, err
	}
	optStyle, err := headerStyle("DDEBF7") // optional columns
	if err != nil {
		return nil, err
	}
	textFmt := "@"
	bodyStyle, err := f.NewStyle(&excelize.Style{
		CustomNumFmt: &textFmt, // text, so Excel keeps what is typed
		Alignment:    &excelize.Alignment{Vertical: "top", WrapText: true},
	})
	if err != nil {
		return nil, err
	}

	headers := headersFor(n)
	last := colName(len(headers) - 1)
	if err := f.SetColStyle(sheet, "A:"+last, bodyStyle); err != nil {
		return nil, err
	}
	for i, h := range headers {
		fld := aliases[normHeader(h)]
		w, ok := colWidths[fld]
		if !ok {
			w = 20
		}
		col := colName(i)
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(sheet, col+"1", h); err != nil {
			return nil, err
		}
		style := optStyle
		for _, r := range required {
			if r == fld {
				style = reqStyle
			}
		}
		if err := f.SetCellStyle(sheet, col+"1", col+"1", style); err != nil {
			return nil, err
		}
	}
	if err := f.SetRowHeight(sheet, 1, 22); err != nil {
		return nil, err
	}
	for i, row := range rows {
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &row); err != nil {
			return nil, err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return nil, err
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("A2:A%d", MaxDataRows+1)
	if err := dv.SetDropList([]string{"单选", "多选", "判断"}); err != nil {
		return nil, err
	}
	dv.SetError(excelize.DataValidationErrorStyleWarning, "题型", "题型请填写：单选、多选或判断")
	if err := f.AddDataValidation(sheet, dv); err != nil {
		return nil, err
	}

	if withGuide {
		if err := writeGuide(f, reqStyle, border); err != nil {
			return nil, err
		}
	}
	f.SetActiveSheet(0)
	return f, nil
}

func writeGuide(f *excelize.File, headStyle int, border []excelize.Border) error {
	const sheet = "填写说明"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		Border:    border,
	})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	if err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 14, "B": 10, "C": 70, "D": 32} {
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	for i, r := range guide {
		cell := fmt.Sprintf("A%d", i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
		style := wrap
		switch {
		case i == 0:
			style = headStyle
		case len(r) == 1:
			style = bold
		case len(r) == 0:
			continue
		}
		if err := f.SetCellStyle(sheet, cell, fmt.Sprintf("D%d", i+1), style); err != nil {
			return err
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func workbookBytes(f *excelize.File) ([]byte, error) {
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("bankio: write workbook: %w", err)
	}
	return buf.Bytes(), nil
}
