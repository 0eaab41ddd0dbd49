package bankio

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/bank"
)

// field is a known column of the template.
type field int

const (
	fKind field = iota
	fStem
	fAnswer
	fExpl
	fCat
	fOpt // fOpt+i is the option with letter 'A'+i, i < maxOptionColumns
)

// maxOptionColumns is how many option columns are recognised (选项A…选项Z),
// so that content in 选项G and beyond is reported rather than ignored.
const maxOptionColumns = 26

const numFields = int(fOpt) + maxOptionColumns

// header is the template's header text of the column.
func (f field) header() string {
	switch f {
	case fKind:
		return "题型"
	case fStem:
		return "题干"
	case fAnswer:
		return "答案"
	case fExpl:
		return "解析"
	case fCat:
		return "分类"
	}
	return "选项" + optionLetter(int(f-fOpt))
}

func optField(i int) field { return fOpt + field(i) }

func optionLetter(i int) string { return string(rune('A' + i)) }

// required are the columns a file must have.
var required = []field{fKind, fStem, optField(0), optField(1), fAnswer}

// Headers returns the template's header row: 题型, 题干, 选项A…选项F, 答案,
// 解析, 分类.
func Headers() []string { return headersFor(bank.MaxOptions) }

func headersFor(options int) []string {
	h := []string{fKind.header(), fStem.header()}
	for i := range options {
		h = append(h, optField(i).header())
	}
	return append(h, fAnswer.header(), fExpl.header(), fCat.header())
}

// aliases maps a normalised header text to its column.
var aliases = func() map[string]field {
	m := map[string]field{}
	add := func(f field, names ...string) {
		for _, n := range names {
			m[normHeader(n)] = f
		}
	}
	add(fKind, "题型", "题目类型", "试题类型", "类型", "kind", "type")
	add(fStem, "题干", "题目", "问题", "试题", "题目内容", "stem", "question")
	add(fAnswer, "答案", "正确答案", "标准答案", "参考答案", "answer")
	add(fExpl, "解析", "答案解析", "题目解析", "explanation", "analysis")
	add(fCat, "分类", "类别", "知识点", "标签", "category")
	for i := range maxOptionColumns {
		l := optionLetter(i)
		add(optField(i), "选项"+l, l, "option"+l, "option "+l)
	}
	return m
}()

// normHeader folds a header cell for matching: no spaces, BOM or
// zero-width characters, half-width, upper case, no required/optional marks.
func normHeader(s string) string {
	s = width.Fold.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B' || r == '\u200C' || r == '\u200D' {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
	s = strings.TrimPrefix(s, "*")
	s = strings.TrimSuffix(s, "*")
	for _, suf := range []string{"(必填)", "(选填)", "(可选)", "(非必填)", "(可不填)"} {
		s = strings.TrimSuffix(s, suf)
	}
	return s
}

// kindNames maps a normalised 题型 cell to its kind.
var kindNames = func() map[string]schematype.QuestionKind {
	m := map[string]schematype.QuestionKind{}
	add := func(k schematype.QuestionKind, names ...string) {
		for _, n := range names {
			m[normWord(n)] = k
		}
	}
	add(schematype.KindSingle, "单选", "单选题", "单项选择", "单项选择题", "单", "SINGLE", "SINGLE_CHOICE")
	add(schematype.KindMultiple, "多选", "多选题", "多项选择", "多项选择题", "多", "不定项", "不定项选择", "不定项选择题",
		"MULTIPLE", "MULTI", "MULTIPLE_CHOICE")
	add(schematype.KindTrueFalse, "判断", "判断题", "是非", "是非题", "对错", "判", "TRUE_FALSE", "TRUEFALSE",
		"TRUE/FALSE", "TRUE-FALSE", "TF", "T/F")
	return m
}()

// kindLabel is how export writes a kind.
func kindLabel(k schematype.QuestionKind) string {
	switch k {
	case schematype.KindSingle:
		return "单选"
	case schematype.KindMultiple:
		return "多选"
	case schematype.KindTrueFalse:
		return "判断"
	}
	return string(k)
}

// normWord folds a short cell (题型, a true/false answer) for matching.
func normWord(s string) string {
	s = width.Fold.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\uFEFF' {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// trueWords and falseWords are the true/false answers besides letters.
var (
	trueWords  = wordSet("正确", "对", "√", "✓", "✔", "T", "TRUE", "是", "Y", "YES")
	falseWords = wordSet("错误", "错", "×", "✗", "✘", "X", "F", "FALSE", "否", "N", "NO")
)

func wordSet(ws ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range ws {
		m[normWord(w)] = true
	}
	return m
}

// stemKey is what two stems must share to count as duplicates.
func stemKey(s string) string {
	return strings.ToLower(width.Fold.String(strings.Join(strings.Fields(s), "")))
}
