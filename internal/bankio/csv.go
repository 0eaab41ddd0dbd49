package bankio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"prizequiz/internal/apperr"
)

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	utf16LEBOM = []byte{0xFF, 0xFE}
	utf16BEBOM = []byte{0xFE, 0xFF}
)

func errNotText() error {
	return apperr.Invalidf("%s", bi(
		"无法识别的文件格式，请上传.xlsx或.csv文件",
		"unrecognised file format: upload an .xlsx or .csv file"))
}

// decodeText turns the bytes of a CSV file into text: UTF-8 (BOM or not),
// UTF-16 with a BOM, else GB18030. decoded says the text did not come
// from valid UTF-8, so a U+FFFD in it marks bytes that did not decode.
func decodeText(data []byte) (text string, decoded bool, err error) {
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		data = data[len(utf8BOM):]
		if !utf8.Valid(data) {
			return strings.ToValidUTF8(string(data), "\uFFFD"), true, nil
		}
		return string(data), false, nil
	case bytes.HasPrefix(data, utf16LEBOM), bytes.HasPrefix(data, utf16BEBOM):
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", false, errNotText()
		}
		return string(b), true, nil
	case utf8.Valid(data):
		return string(data), false, nil
	}
	b, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", false, errNotText()
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), true, nil
}

// sniffComma picks the separator from the first non-blank line: a comma,
// unless that line has none and has tabs (Excel's "text" export), or
// semicolons.
func sniffComma(text string) rune {
	for line := range strings.Lines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		switch {
		case strings.ContainsRune(line, ','):
			return ','
		case strings.ContainsRune(line, '\t'):
			return '\t'
		case strings.ContainsRune(line, ';'):
			return ';'
		}
		return ','
	}
	return ','
}

// readCSV feeds the records of a CSV file to p and checks its rows.
func readCSV(data []byte, p *parser) error {
	text, decoded, err := decodeText(data)
	if err != nil {
		return err
	}
	if strings.ContainsRune(text, 0) {
		return errNotText()
	}
	// Old Mac files end lines with CR alone.
	if strings.ContainsRune(text, '\r') && !strings.ContainsRune(text, '\n') {
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	p.decoded, p.csvText = decoded, true
	r := csv.NewReader(strings.NewReader(text))
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.Comma = sniffComma(text)
	// Rows are numbered as Excel shows the file: a record is one row,
	// whatever line breaks its quoted fields hold, and a blank line (which
	// encoding/csv skips) is a row too.
	row, lastLine := 0, 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := lastLine + 1
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			p.errs = append(p.errs, RowError{Row: row + max(1, line-lastLine), Message: bi(
				"CSV格式错误，无法继续读取，请用Excel打开后重新保存",
				fmt.Sprintf("malformed CSV (%v): open the file in Excel and save it again", err))})
			p.stopped = true
			break
		}
		line, _ := r.FieldPos(0)
		row += max(1, line-lastLine)
		lastLine = line
		for _, f := range rec {
			lastLine += strings.Count(f, "\n")
		}
		if !p.add(row, rec) {
			break
		}
	}
	if p.finish() {
		p.check(nil, nil)
	}
	return nil
}
