package bankio_test

import (
	"archive/zip"
	"bytes"
	"reflect"
	"testing"
	"time"

	"prizequiz/internal/apperr"
	"prizequiz/internal/bank"
	"prizequiz/internal/bankio"
)

// checkParse runs Parse and checks what holds for any input: no panic, a
// file error only as BAD_USER_INPUT, rows that are valid and normalised,
// rows and errors numbered as a sheet shows them.
func checkParse(t *testing.T, data []byte, filename string) {
	start := time.Now()
	rows, errs, err := bankio.Parse(bytes.NewReader(data), filename)
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("Parse took %v", d)
	}
	if err != nil {
		if apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("Parse error %v is not BAD_USER_INPUT", err)
		}
		if rows != nil || errs != nil {
			t.Fatalf("Parse returned rows or row errors with an error")
		}
		return
	}
	bad := map[int]bool{}
	for _, e := range errs {
		if e.Row < 1 || e.Message == "" {
			t.Fatalf("row error %+v", e)
		}
		bad[e.Row] = true
	}
	last := 0
	for _, r := range rows {
		if r.Row <= last || r.Row < 2 {
			t.Fatalf("row numbers out of order: %d after %d", r.Row, last)
		}
		last = r.Row
		if bad[r.Row] {
			t.Fatalf("row %d is both valid and in error", r.Row)
		}
		if r.Input.BankID != 0 {
			t.Fatalf("row %d has a bank ID", r.Row)
		}
		again, err := bank.Validate(r.Input)
		if err != nil {
			t.Fatalf("row %d does not validate: %v", r.Row, err)
		}
		if !reflect.DeepEqual(again, r.Input) {
			t.Fatalf("row %d is not normalised:\n%+v\n%+v", r.Row, r.Input, again)
		}
	}
	if len(rows) > bankio.MaxDataRows {
		t.Fatalf("%d rows", len(rows))
	}
}

// FuzzParseCSV feeds Parse arbitrary text files.
func FuzzParseCSV(f *testing.F) {
	f.Add(bankio.TemplateCSV())
	f.Add([]byte("题型,题干,选项A,选项B,答案\n判断,对吗,,,对\n单选,\"多\n行\",a,b,A\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, data, "fuzz.csv")
	})
}

// FuzzParseXLSX feeds Parse workbooks. An input starting with "PK" is taken
// as the whole file; any other input is taken as the XML of the first
// worksheet and packed into a minimal workbook (stored, no checksum), so
// that the fuzzer reaches the sheet reader instead of the zip checksum.
func FuzzParseXLSX(f *testing.F) {
	f.Add([]byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>题型</t></is></c><c r="B1" t="inlineStr"><is><t>题干</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>选项A</t></is></c><c r="D1" t="inlineStr"><is><t>选项B</t></is></c><c r="E1" t="inlineStr"><is><t>答案</t></is></c></row>` +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>判断</t></is></c><c r="B3" t="str"><f>"x"</f><v>对吗</v></c><c r="E3" t="e"><v>#N/A</v></c></row>` +
		`</sheetData><mergeCells count="1"><mergeCell ref="C3:D4"/></mergeCells></worksheet>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, []byte("PK")) {
			data = workbookWithSheet(data)
		}
		checkParse(t, data, "fuzz.xlsx")
	})
}

// workbookWithSheet packs sheet XML into the smallest workbook excelize
// opens. Entries are stored with a zero CRC, which archive/zip does not
// check.
func workbookWithSheet(sheetXML []byte) []byte {
	const (
		rels = `http://schemas.openxmlformats.org/package/2006/relationships`
		docR = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	)
	files := []struct {
		name string
		body []byte
	}{
		{"[Content_Types].xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)},
		{"_rels/.rels", []byte(`<Relationships xmlns="` + rels + `"><Relationship Id="rId1" Type="` + docR + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", []byte(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="` + docR + `"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{"xl/_rels/workbook.xml.rels", []byte(`<Relationships xmlns="` + rels + `"><Relationship Id="rId1" Type="` + docR + `/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)},
		{"xl/worksheets/sheet1.xml", sheetXML},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, file := range files {
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: file.name, Method: zip.Store,
			CompressedSize64: uint64(len(file.body)), UncompressedSize64: uint64(len(file.body)),
		})
		if err != nil {
			panic(err)
		}
		if _, err := w.Write(file.body); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// TestWorkbookWithSheet checks the fuzz harness builds a readable workbook.
func TestWorkbookWithSheet(t *testing.T) {
	sheetXML := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c t="inlineStr"><is><t>题型</t></is></c><c t="inlineStr"><is><t>题干</t></is></c><c t="inlineStr"><is><t>选项A</t></is></c>` +
		`<c t="inlineStr"><is><t>选项B</t></is></c><c t="inlineStr"><is><t>答案</t></is></c></row>` +
		`<row r="2"><c t="inlineStr"><is><t>判断</t></is></c><c t="inlineStr"><is><t>对吗</t></is></c><c/><c/><c t="inlineStr"><is><t>错</t></is></c></row>` +
		`</sheetData></worksheet>`
	rows, errs := parse(t, workbookWithSheet([]byte(sheetXML)), "a.xlsx")
	checkErrs(t, errs, nil)
	if len(rows) != 1 || rows[0].Row != 2 || rows[0].Input.Answer[0] != "B" {
		t.Fatalf("rows %+v", rows)
	}
}
