package bankio

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"prizequiz/internal/apperr"
	"prizequiz/internal/bank"
)

// Limits on an uploaded file.
const (
	// MaxDataRows is the most question rows a file may hold.
	MaxDataRows = 20000
	// MaxFileBytes is the largest file Parse reads.
	MaxFileBytes = 32 << 20
	// MaxErrorsPerRow is the most errors reported for one row.
	MaxErrorsPerRow = 4
	// headerSearchRows is how far down a header row is looked for.
	headerSearchRows = 10
)

// RowError is a problem with one row of a file, or with one cell of it.
type RowError struct {
	// Row is numbered as the spreadsheet shows it: the header is row 1,
	// the first question row 2.
	Row int
	// Column is the template header of the column at fault ("答案",
	// "选项C"), or "" when the whole row is at fault.
	Column string
	// Message says what is wrong, in Chinese then English:
	// "答案不在选项中 (answer \"G\" is not one of the options)".
	Message string
}

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("第%d行: %s", e.Row, e.Message)
	}
	return fmt.Sprintf("第%d行 %s: %s", e.Row, e.Column, e.Message)
}

// Row is one valid question of a file. Input has passed bank.Validate and
// is normalised; its BankID is 0, for the caller to set.
type Row struct {
	Row   int
	Input bank.QuestionInput
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// bi joins a Chinese and an English message the way every message of this
// package reads.
func bi(zh, en string) string { return zh + " (" + en + ")" }

// Parse reads a question file, XLSX or CSV, told apart by its content (an
// XLSX file is a zip archive) with the file name's extension as a hint.
// It returns the valid rows and the problems found, both in row order;
// a file with any RowError should not be imported.
//
// The error is for a file that cannot be read at all: a damaged or
// encrypted workbook, a legacy .xls file, a file over MaxFileBytes, or a
// failing reader. Those caused by the file are *apperr.Error with code
// BAD_USER_INPUT and a message fit for the organiser.
func Parse(r io.Reader, filename string) ([]Row, []RowError, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("bankio: read upload: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, nil, apperr.Invalidf("%s", bi(
			fmt.Sprintf("文件超过%dMB，请拆分后上传", MaxFileBytes>>20),
			fmt.Sprintf("the file is larger than %d MiB; split it", MaxFileBytes>>20)))
	}
	p := &parser{}
	ext := strings.ToLower(filepath.Ext(filename))
	switch {
	case bytes.HasPrefix(data, zipMagic):
		err = readXLSX(data, p)
	case bytes.HasPrefix(data, oleMagic):
		err = apperr.Invalidf("%s", bi(
			"不支持旧版.xls文件或加密的工作簿，请在Excel中“另存为”.xlsx（不设密码）后上传",
			"legacy .xls files and password-protected workbooks are not supported: save as an unprotected .xlsx"))
	case (ext == ".xlsx" || ext == ".xlsm" || ext == ".xltx") && len(bytes.TrimSpace(data)) > 0:
		err = errBadXLSX()
	default:
		err = readCSV(data, p)
	}
	if err != nil {
		return nil, nil, err
	}
	rows, errs := p.result()
	return rows, errs, nil
}

// errBadXLSX is the error for a workbook that cannot be read.
func errBadXLSX() error {
	return apperr.Invalidf("%s", bi(
		"无法读取该Excel文件，文件可能已损坏，请用Excel打开后重新保存为.xlsx",
		"the XLSX file cannot be read; it may be damaged: open it in Excel and save it again as .xlsx"))
}

// record is a row as read: before the header is known, a non-blank row;
// after, a data row, its cells cut after the last known column.
type record struct {
	num   int
	cells []string
}

// parser turns the rows of a sheet into questions. A reader feeds it the
// rows in order (add), then calls check.
type parser struct {
	decoded bool // text decoded from another encoding: report U+FFFD
	csvText bool // cells of a CSV file: drop ExportCSV's formula guard

	pending []record // non-blank rows seen before the header is decided
	header  int      // row number of the header, 0 until decided
	cols    [numFields]int
	maxCol  int  // last column index that holds a known header
	bad     bool // the header is unusable: data rows are not read
	stopped bool // too many rows
	empty   bool

	recs []record
	errs []RowError
	rows []Row
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// knownHeaders counts the cells of a row that name a known column, bare
// letters aside: a data row of options a, b, c does not look like a header.
func knownHeaders(cells []string) int {
	n := 0
	for _, c := range cells {
		h := normHeader(c)
		if _, ok := aliases[h]; ok && len(h) > 1 {
			n++
		}
	}
	return n
}

// add takes the next row of the sheet; it returns false when no more rows
// are wanted.
func (p *parser) add(num int, cells []string) bool {
	if p.stopped || p.bad {
		return false
	}
	if p.header == 0 {
		if blank(cells) {
			return true
		}
		p.pending = append(p.pending, record{num, cells})
		switch {
		case knownHeaders(cells) >= 2:
			p.setHeader(num, cells)
			p.pending = nil
		case len(p.pending) >= headerSearchRows:
			p.flushPending()
		}
		return !p.stopped && !p.bad
	}
	return p.data(num, cells)
}

// flushPending takes the first non-blank row as the header when none looked
// like one, and the rows after it as data.
func (p *parser) flushPending() {
	pend := p.pending
	p.pending = nil
	if len(pend) == 0 {
		return
	}
	p.setHeader(pend[0].num, pend[0].cells)
	for _, r := range pend[1:] {
		if !p.data(r.num, r.cells) {
			return
		}
	}
}

func (p *parser) setHeader(num int, cells []string) {
	p.header = num
	for i := range p.cols {
		p.cols[i] = -1
	}
	for i, c := range cells {
		f, ok := aliases[normHeader(c)]
		if !ok {
			continue
		}
		if prev := p.cols[f]; prev >= 0 {
			p.errs = append(p.errs, RowError{Row: num, Column: f.header(), Message: bi(
				fmt.Sprintf("“%s”列出现了两次（第%s列和第%s列）", f.header(), colName(prev), colName(i)),
				fmt.Sprintf("column %s appears twice (columns %s and %s)", f.header(), colName(prev), colName(i)))})
			p.bad = true
			continue
		}
		p.cols[f] = i
		p.maxCol = max(p.maxCol, i)
	}
	for _, f := range required {
		if p.cols[f] < 0 {
			p.errs = append(p.errs, RowError{Row: num, Column: f.header(), Message: bi(
				fmt.Sprintf("缺少“%s”列，请使用模板的表头", f.header()),
				fmt.Sprintf("missing column %s: use the template's header row", f.header()))})
			p.bad = true
		}
	}
}

// columnOrder sorts a row's errors: the whole row first, then the
// template's column order.
func columnOrder(header string) int {
	if header == "" {
		return -1
	}
	f := aliases[normHeader(header)]
	switch {
	case f == fKind:
		return 0
	case f == fStem:
		return 1
	case f >= fOpt:
		return 2 + int(f-fOpt)
	}
	return 2 + maxOptionColumns + int(f)
}

// colName is the spreadsheet name of a 0-based column index.
func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func (p *parser) data(num int, cells []string) bool {
	if len(cells) > p.maxCol+1 {
		cells = cells[:p.maxCol+1]
	}
	known := false
	for f := range field(numFields) {
		if c := p.cols[f]; c >= 0 && c < len(cells) && strings.TrimSpace(cells[c]) != "" {
			known = true
			break
		}
	}
	if !known {
		return true
	}
	if len(p.recs) >= MaxDataRows {
		p.errs = append(p.errs, RowError{Row: num, Message: bi(
			fmt.Sprintf("题目超过%d行，请拆分成多个文件上传", MaxDataRows),
			fmt.Sprintf("more than %d question rows: split the file", MaxDataRows))})
		p.stopped = true
		return false
	}
	p.recs = append(p.recs, record{num, cells})
	return true
}

// finish ends reading: it settles the header when the sheet was too short
// to decide, and notes an empty sheet. It reports whether there are data
// rows to check.
func (p *parser) finish() bool {
	if p.header == 0 {
		if len(p.pending) == 0 {
			p.empty = true
			return false
		}
		p.flushPending()
	}
	return !p.bad && len(p.recs) > 0
}

func (p *parser) result() ([]Row, []RowError) {
	switch {
	case p.empty:
		p.errs = append(p.errs, RowError{Row: 1, Message: bi("文件为空", "the file is empty")})
	case !p.bad && !p.stopped && len(p.recs) == 0:
		p.errs = append(p.errs, RowError{Row: p.header + 1, Message: bi(
			"表头下面没有题目", "there are no question rows below the header")})
	}
	slices.SortStableFunc(p.errs, func(a, b RowError) int {
		return cmp.Or(a.Row-b.Row, columnOrder(a.Column)-columnOrder(b.Column))
	})
	return p.rows, p.errs
}

// cellCheck reports a problem with the cell at 0-based column col of row
// num, whose value is v ("" or starting with "#"), or returns "".
type cellCheck func(num, col int, v string) string
