package bankio

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits handed to excelize: a small upload must not unpack into gigabytes.
const (
	maxUnzipBytes    = 256 << 20
	maxUnzipXMLBytes = 64 << 20
)

// readXLSX feeds the first sheet of a workbook to p and checks its rows.
// excelize parses untrusted bytes: a panic inside it is turned into the
// error for a damaged file.
func readXLSX(data []byte, p *parser) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errBadXLSX()
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    maxUnzipBytes,
		UnzipXMLSizeLimit: maxUnzipXMLBytes,
	})
	if err != nil {
		return errBadXLSX()
	}
	defer func() { _ = f.Close() }()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return errBadXLSX()
	}
	sheet := sheets[0]
	rows, err := f.Rows(sheet)
	if err != nil {
		return errBadXLSX()
	}
	for num := 1; rows.Next(); num++ {
		cells, err := rows.Columns()
		if err != nil {
			_ = rows.Close()
			return errBadXLSX()
		}
		if !p.add(num, cells) {
			break
		}
	}
	if err := rows.Close(); err != nil {
		return errBadXLSX()
	}
	if !p.finish() {
		return nil
	}
	// Loading the worksheet to look at merges and formulas costs as much as
	// reading it: skip it when no worksheet mentions either.
	merges, formulas := sheetHints(data)
	var rowErr map[int]RowError
	if merges {
		if rowErr, err = mergedRows(f, sheet, p); err != nil {
			return errBadXLSX()
		}
	}
	if !formulas {
		p.check(rowErr, nil)
		return nil
	}
	p.check(rowErr, func(num, col int, v string) string {
		axis, err := excelize.CoordinatesToCellName(col+1, num)
		if err != nil {
			return ""
		}
		if v == "" {
			formula, err := f.GetCellFormula(sheet, axis)
			if err != nil || formula == "" {
				return ""
			}
			return bi(fmt.Sprintf("单元格%s是公式（=%s），但没有计算结果；请复制该列后“选择性粘贴→数值”", axis, short(formula)),
				fmt.Sprintf("cell %s holds the formula =%s but no calculated value: paste it as values", axis, short(formula)))
		}
		if t, err := f.GetCellType(sheet, axis); err == nil && t == excelize.CellTypeError {
			return bi(fmt.Sprintf("单元格%s显示错误值%s，请改正公式或填写内容", axis, short(v)),
				fmt.Sprintf("cell %s shows the error %s: fix the formula or type the value", axis, short(v)))
		}
		return ""
	})
	return nil
}

// mergedRows finds the data rows covered by a merged range: each gets an
// error naming the range, and is not otherwise read.
func mergedRows(f *excelize.File, sheet string, p *parser) (map[int]RowError, error) {
	merges, err := f.GetMergeCells(sheet, true)
	if err != nil {
		return nil, err
	}
	out := map[int]RowError{}
	for _, m := range merges {
		if len(m) == 0 {
			continue
		}
		ref := strings.ToUpper(m[0])
		start, end, ok := strings.Cut(ref, ":")
		if !ok {
			end = start
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(start)
		c2, r2, err2 := excelize.CellNameToCoordinates(end)
		if err1 != nil || err2 != nil {
			continue
		}
		r1, r2 = min(r1, r2), max(r1, r2)
		c1 = min(c1, c2)
		column := ""
		for fld := range field(numFields) {
			if p.cols[fld] == c1-1 {
				column = fld.header()
			}
		}
		// The data rows in [r1, r2], found by binary search over p.recs.
		i := sort.Search(len(p.recs), func(i int) bool { return p.recs[i].num >= r1 })
		for ; i < len(p.recs) && p.recs[i].num <= r2; i++ {
			num := p.recs[i].num
			if _, dup := out[num]; dup {
				continue
			}
			out[num] = RowError{Row: num, Column: column, Message: bi(
				fmt.Sprintf("第%d行有合并单元格（%s），每道题须占一行：请取消合并并在每行填写完整", num, ref),
				fmt.Sprintf("row %d is part of the merged cells %s; one question per row: unmerge and fill in every row", num, ref))}
		}
	}
	return out, nil
}

// sheetHints reports whether any worksheet of the workbook may hold merged
// cells, and formulas or error values. A false "true" costs only time.
func sheetHints(data []byte) (merges, formulas bool) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return true, true
	}
	budget := int64(maxUnzipBytes)
	for _, zf := range zr.File {
		name := strings.ToLower(zf.Name)
		if !strings.HasPrefix(name, "xl/worksheets/") || !strings.HasSuffix(name, ".xml") {
			continue
		}
		r, err := zf.Open()
		if err != nil {
			return true, true
		}
		b, err := io.ReadAll(io.LimitReader(r, budget+1))
		_ = r.Close()
		budget -= int64(len(b))
		if err != nil || budget < 0 {
			return true, true
		}
		merges = merges || bytes.Contains(b, []byte("mergeCell"))
		formulas = formulas || hasFormula(b)
		if merges && formulas {
			break
		}
	}
	return merges, formulas
}

// formulaMarks are the byte strings of a formula element (<f>, <x:f …>)
// or an error cell.
var formulaMarks = [][]byte{
	[]byte("<f>"), []byte("<f "), []byte("<f/>"), []byte(":f>"), []byte(":f "), []byte(":f/>"),
	[]byte(`t="e"`), []byte(`t='e'`),
}

func hasFormula(b []byte) bool {
	for _, m := range formulaMarks {
		if bytes.Contains(b, m) {
			return true
		}
	}
	return false
}
