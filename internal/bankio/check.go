package bankio

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/apperr"
	"prizequiz/internal/bank"
)

// check validates the data rows. rowErr holds a problem that rules a whole
// row out (a merged range); cell, when not nil, checks the cells that read
// "" or start with "#" (formulas, Excel errors).
func (p *parser) check(rowErr map[int]RowError, cell cellCheck) {
	firstStem := map[string]int{}
	for _, rec := range p.recs {
		if e, ok := rowErr[rec.num]; ok {
			p.errs = append(p.errs, e)
			continue
		}
		errs, in, ok := p.checkRecord(rec, cell)
		if in.Stem != "" {
			key := stemKey(in.Stem)
			if first, seen := firstStem[key]; seen {
				errs = append(errs, RowError{Row: rec.num, Column: fStem.header(), Message: bi(
					fmt.Sprintf("题干与第%d行重复", first),
					fmt.Sprintf("the same question as row %d", first))})
				ok = false
			} else {
				firstStem[key] = rec.num
			}
		}
		if len(errs) > MaxErrorsPerRow {
			errs = errs[:MaxErrorsPerRow]
		}
		p.errs = append(p.errs, errs...)
		if ok && len(errs) == 0 {
			p.rows = append(p.rows, Row{Row: rec.num, Input: in})
		}
	}
}

// get is the trimmed cell of field f, "" when the column is absent.
func (p *parser) get(rec record, f field) string {
	c := p.cols[f]
	if c < 0 || c >= len(rec.cells) {
		return ""
	}
	v := strings.TrimSpace(rec.cells[c])
	if p.csvText {
		v = unquoteFormula(v)
	}
	return v
}

// unquoteFormula drops the apostrophe ExportCSV puts before a cell that
// Excel would otherwise run as a formula.
func unquoteFormula(v string) string {
	if len(v) >= 2 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
		return v[1:]
	}
	return v
}

// checkRecord reads and validates one data row. It returns the row's
// errors, the input (validated when ok), and whether the row is valid.
// in.Stem is the row's stem, trimmed, even when the row is not valid.
func (p *parser) checkRecord(rec record, cell cellCheck) ([]RowError, bank.QuestionInput, bool) {
	var errs []RowError
	fail := func(f field, zh, en string) {
		errs = append(errs, RowError{Row: rec.num, Column: f.header(), Message: bi(zh, en)})
	}
	stem := p.get(rec, fStem)

	// Cells that cannot be read: a formula without value, an Excel error,
	// bytes that did not decode.
	for f := range field(numFields) {
		c := p.cols[f]
		if c < 0 || c >= len(rec.cells) {
			continue
		}
		v := strings.TrimSpace(rec.cells[c])
		if cell != nil && (v == "" || v[0] == '#') {
			if msg := cell(rec.num, c, v); msg != "" {
				errs = append(errs, RowError{Row: rec.num, Column: f.header(), Message: msg})
			}
		}
		if p.decoded && strings.ContainsRune(v, utf8.RuneError) {
			fail(f, "含有无法识别的字符，请将文件另存为“CSV UTF-8”格式或.xlsx后重新上传",
				"holds characters that could not be decoded: save the file as CSV UTF-8 or .xlsx")
		}
	}
	if len(errs) > 0 {
		return errs, bank.QuestionInput{Stem: stem}, false
	}

	in := bank.QuestionInput{Stem: stem}
	structural := false // options cannot be read as a list: skip Validate

	rawKind := p.get(rec, fKind)
	kind, kindOK := kindNames[normWord(rawKind)]
	switch {
	case rawKind == "":
		fail(fKind, "题型不能为空，请填写单选、多选或判断", "kind is empty: write 单选, 多选 or 判断")
	case !kindOK:
		fail(fKind, fmt.Sprintf("题型“%s”无法识别，请填写单选、多选或判断", short(rawKind)),
			fmt.Sprintf("kind %q is not one of 单选, 多选, 判断 (SINGLE, MULTIPLE, TRUE_FALSE)", short(rawKind)))
	}
	in.Kind = kind

	// Options, left to right without gaps, at most bank.MaxOptions.
	last := -1
	for i := range maxOptionColumns {
		if p.get(rec, optField(i)) != "" {
			last = i
		}
	}
	gapReported := false
	for i := 0; i <= last; i++ {
		v := p.get(rec, optField(i))
		if i >= bank.MaxOptions {
			if v != "" {
				fail(optField(i), fmt.Sprintf("最多%d个选项，%s须为空", bank.MaxOptions, optField(i).header()),
					fmt.Sprintf("at most %d options: %s must be empty", bank.MaxOptions, optField(i).header()))
				structural = true
				break
			}
			continue
		}
		if v == "" {
			if !gapReported {
				fail(optField(i), fmt.Sprintf("%s为空，但后面的选项有内容；选项须从左到右连续填写", optField(i).header()),
					fmt.Sprintf("option %s is empty but a later option is filled: fill options left to right", optionLetter(i)))
				gapReported = true
			}
			structural = true
			continue
		}
		in.Options = append(in.Options, schematype.Option{Key: optionLetter(i), Text: v})
	}

	rawAnswer := p.get(rec, fAnswer)
	answer, answerOK := parseAnswer(rawAnswer, kind, in.Options)
	if !answerOK {
		hint, enHint := "如B或ACD", "such as B or ACD"
		if kind == schematype.KindTrueFalse {
			hint, enHint = "如A、B或正确、错误", "such as A or B, or 正确/错误"
		}
		fail(fAnswer, fmt.Sprintf("答案“%s”格式不正确，请填写选项字母（%s）", short(rawAnswer), hint),
			fmt.Sprintf("answer %q must be option letters %s", short(rawAnswer), enHint))
	}
	in.Answer = answer
	if v := p.get(rec, fExpl); v != "" {
		in.Explanation = &v
	}
	if v := p.get(rec, fCat); v != "" {
		in.Category = &v
	}
	if structural || (!kindOK && len(in.Options) == 0) {
		return errs, in, false
	}

	// Validate, repairing each field found at fault to find the next one,
	// so that a row's problems are reported together.
	probe := in
	probe.Options = append([]schematype.Option(nil), in.Options...)
	if !kindOK {
		probe.Kind = schematype.KindMultiple // the kind is reported; check the rest
	}
	if !answerOK && len(probe.Options) > 0 {
		probe.Answer = []string{probe.Options[0].Key} // the answer is reported
	}
	for range MaxErrorsPerRow {
		out, err := bank.Validate(probe)
		if err == nil {
			if len(errs) == 0 {
				return nil, out, true
			}
			break
		}
		e, ok := describe(err, probe)
		e.Row = rec.num
		if f, _ := validateField(err); f != "answer" || answerOK {
			errs = append(errs, e) // else the answer is reported already
		}
		if !ok || !repair(&probe, err) {
			break
		}
	}
	return errs, in, false
}

// parseAnswer reads the 答案 cell: option letters, or for a true/false
// question a word naming an option's text or true/false. An empty cell
// gives no keys (and Validate reports it).
func parseAnswer(s string, kind schematype.QuestionKind, opts []schematype.Option) ([]string, bool) {
	if s == "" {
		return nil, true
	}
	if kind == schematype.KindTrueFalse {
		w := normWord(s)
		if len(opts) == 0 {
			opts = bank.TrueFalseOptions
		}
		for _, o := range opts {
			if normWord(o.Text) == w {
				return []string{o.Key}, true
			}
		}
		switch {
		case trueWords[w]:
			return []string{"A"}, true
		case falseWords[w]:
			return []string{"B"}, true
		}
	}
	var keys []string
	for _, r := range width.Fold.String(s) {
		switch {
		case unicode.IsSpace(r) || strings.ContainsRune(",，、;；/|", r):
		case r >= 'A' && r <= 'Z':
			keys = append(keys, string(r))
		case r >= 'a' && r <= 'z':
			keys = append(keys, string(unicode.ToUpper(r)))
		default:
			return nil, false
		}
	}
	return keys, len(keys) > 0
}

// short cuts a cell's text for quoting in a message.
func short(s string) string {
	const n = 20
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// validateField is the field named by an error of bank.Validate: "stem",
// "options[2].text", "answer" …
func validateField(err error) (field, rest string) {
	msg := err.Error()
	if e, ok := apperr.As(err); ok {
		msg = e.Message
	}
	field, rest, _ = strings.Cut(msg, ":")
	return strings.TrimSpace(field), strings.TrimSpace(rest)
}

// optionIndex parses "options[3].text" into 3 and "text".
func optionIndex(f string) (int, string, bool) {
	s, ok := strings.CutPrefix(f, "options[")
	if !ok {
		return 0, "", false
	}
	num, sub, ok := strings.Cut(s, "]")
	if !ok {
		return 0, "", false
	}
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 || i >= maxOptionColumns {
		return 0, "", false
	}
	return i, strings.TrimPrefix(sub, "."), true
}

// splitMessage splits "english (中文)" into its two parts.
func splitMessage(rest string) (en, zh string) {
	if strings.HasSuffix(rest, ")") {
		if i := strings.LastIndex(rest, " ("); i >= 0 {
			inner := rest[i+2 : len(rest)-1]
			for _, r := range inner {
				if unicode.Is(unicode.Han, r) {
					return rest[:i], inner
				}
			}
		}
	}
	return rest, ""
}

// describe turns an error of bank.Validate on in into a RowError naming
// the template column; ok is false when the error is not one of Validate's.
func describe(err error, in bank.QuestionInput) (RowError, bool) {
	f, rest := validateField(err)
	en, zh := splitMessage(rest)
	runes := func(s string) int { return utf8.RuneCountInString(strings.TrimSpace(s)) }
	e := RowError{}
	switch {
	case f == "kind":
		e.Column = fKind.header()
		e.Message = bi("题型须为单选、多选或判断", "kind must be 单选, 多选 or 判断")
	case f == "stem":
		e.Column = fStem.header()
		if strings.HasPrefix(en, "at most") {
			e.Message = bi(fmt.Sprintf("题干最多%d字，现有%d字", bank.MaxStemRunes, runes(in.Stem)),
				fmt.Sprintf("stem: at most %d characters, got %d", bank.MaxStemRunes, runes(in.Stem)))
		} else {
			e.Message = bi("题干不能为空", "stem must not be empty")
		}
	case strings.HasPrefix(f, "options["):
		i, sub, ok := optionIndex(f)
		if !ok {
			return RowError{Column: "", Message: bi("选项有误", rest)}, false
		}
		e.Column = optField(i).header()
		l := optionLetter(i)
		text := ""
		if i < len(in.Options) {
			text = in.Options[i].Text
		}
		switch {
		case sub == "text" && strings.HasPrefix(en, "at most"):
			e.Message = bi(fmt.Sprintf("选项%s最多%d字，现有%d字", l, bank.MaxOptionRunes, runes(text)),
				fmt.Sprintf("option %s: at most %d characters, got %d", l, bank.MaxOptionRunes, runes(text)))
		case sub == "text" && strings.Contains(en, "appears twice"):
			e.Message = bi(fmt.Sprintf("选项%s与前面的选项内容重复", l),
				fmt.Sprintf("option %s repeats the text of an earlier option", l))
		case sub == "text":
			e.Message = bi(fmt.Sprintf("选项%s不能为空", l), fmt.Sprintf("option %s must not be empty", l))
		default:
			e.Message = bi(cmp.Or(zh, "选项有误"), en)
		}
	case f == "options":
		n := len(in.Options)
		switch {
		case in.Kind == schematype.KindTrueFalse && n > 2:
			e.Column = optField(2).header()
			e.Message = bi("判断题只能有2个选项（或全部留空，表示正确/错误）",
				"a 判断 (TRUE_FALSE) question has exactly 2 options, or none for 正确/错误")
		case in.Kind == schematype.KindTrueFalse:
			e.Column = optField(min(n, 1)).header()
			e.Message = bi("判断题须有2个选项（或全部留空，表示正确/错误）",
				"a 判断 (TRUE_FALSE) question has exactly 2 options, or none for 正确/错误")
		case n > bank.MaxOptions:
			e.Column = optField(bank.MaxOptions).header()
			e.Message = bi(fmt.Sprintf("最多%d个选项", bank.MaxOptions), fmt.Sprintf("at most %d options", bank.MaxOptions))
		default:
			e.Column = optField(min(n, maxOptionColumns-1)).header()
			e.Message = bi("至少需要2个选项", "at least 2 options")
		}
	case f == "answer":
		e.Column = fAnswer.header()
		key := ""
		if q, err := strconv.QuotedPrefix(en); err == nil {
			key, _ = strconv.Unquote(q)
		}
		switch {
		case strings.Contains(en, "is not one of"):
			e.Message = bi(fmt.Sprintf("答案%s不在选项中", key), fmt.Sprintf("answer %q is not one of the options", key))
		case strings.Contains(en, "appears twice"):
			e.Message = bi(fmt.Sprintf("答案%s重复", key), fmt.Sprintf("answer %q appears twice", key))
		case strings.Contains(en, "at least one"):
			e.Message = bi("答案不能为空，请填写选项字母（如B或ACD）", "answer is empty: write option letters such as B or ACD")
		case strings.Contains(en, "exactly one"):
			e.Message = bi(fmt.Sprintf("%s题只能有一个答案，现有%d个", kindLabel(in.Kind), len(in.Answer)),
				fmt.Sprintf("a %s (%s) question has exactly one answer, got %d", kindLabel(in.Kind), in.Kind, len(in.Answer)))
		default:
			e.Message = bi(cmp.Or(zh, "答案有误"), en)
		}
	case f == "explanation":
		e.Column = fExpl.header()
		e.Message = bi(fmt.Sprintf("解析最多%d字，现有%d字", bank.MaxExplRunes, runes(deref(in.Explanation))),
			fmt.Sprintf("explanation: at most %d characters, got %d", bank.MaxExplRunes, runes(deref(in.Explanation))))
	case f == "category":
		e.Column = fCat.header()
		e.Message = bi(fmt.Sprintf("分类最多%d字，现有%d字", bank.MaxCategory, runes(deref(in.Category))),
			fmt.Sprintf("category: at most %d characters, got %d", bank.MaxCategory, runes(deref(in.Category))))
	default:
		return RowError{Message: bi(cmp.Or(zh, "内容有误"), rest)}, false
	}
	return e, true
}

// repair replaces the field an error of Validate names by a value that
// passes, so that Validate can look at the next field; false when the
// error leaves nothing more to check.
func repair(in *bank.QuestionInput, err error) bool {
	f, _ := validateField(err)
	switch {
	case f == "stem":
		in.Stem = "\uE000"
	case strings.HasPrefix(f, "options["):
		i, sub, ok := optionIndex(f)
		if !ok || sub != "text" || i >= len(in.Options) {
			return false
		}
		in.Options[i].Text = "\uE000" + strconv.Itoa(i)
	case f == "answer":
		if len(in.Options) == 0 {
			return false
		}
		in.Answer = []string{strings.TrimSpace(in.Options[0].Key)}
	case f == "explanation":
		in.Explanation = nil
	case f == "category":
		in.Category = nil
	default:
		return false
	}
	return true
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
