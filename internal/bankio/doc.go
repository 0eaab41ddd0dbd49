// Package bankio reads and writes question spreadsheets: the organisers'
// XLSX and CSV files become validated [bank.QuestionInput] values, and a
// question bank can be exported into the same format and imported back.
//
// # The template
//
// One sheet (the first sheet of the workbook; in a CSV the whole file), one
// question per row, a header row with these columns:
//
//	题型   required  单选, 多选 or 判断 (also SINGLE, MULTIPLE, TRUE_FALSE,
//	                 单选题, 多选题, 判断题, 单项选择, 多项选择, 是非 …)
//	题干   required  the question, at most bank.MaxStemRunes characters
//	选项A  required  option texts, filled left to right without gaps,
//	选项B  required  2 to 6 options, each at most bank.MaxOptionRunes
//	选项C…选项F      characters; a 判断 row may leave all options empty,
//	                 which means 正确 (A) / 错误 (B)
//	答案   required  option letters such as B or ACD (spaces, commas, 、
//	                 and lower case are tolerated); a 判断 row may also
//	                 write 正确/错误, 对/错, √/×, T/F, 是/否 (mapped to the
//	                 option with that text, else to A/B)
//	解析   optional  explanation shown after answering
//	分类   optional  category, at most bank.MaxCategory characters
//
// Template and TemplateCSV return the template with three example rows
// (one of each kind); the XLSX template also has a sheet 填写说明 that
// explains every column in Chinese.
//
// # Reading rules
//
//   - Columns may appear in any order. A header matches after removing
//     spaces, a BOM and a trailing "*" or "(必填)"/"(选填)", ignoring case and
//     full-width forms; a few aliases are accepted (题目 for 题干, 正确答案
//     for 答案, 类别 for 分类, bare A…F for 选项A…选项F …). Unknown columns are
//     ignored. A missing required column (题型, 题干, 选项A, 选项B, 答案) or a
//     column given twice is reported on the header row, and no data row is
//     read.
//   - The header is the first non-empty row holding two known headers
//     (bare letters aside), so a title row above the table is passed over;
//     when none of the first ten non-empty rows does, the first non-empty
//     row is taken as the header, and its missing columns reported.
//   - Rows are numbered as the spreadsheet shows them: the header of the
//     template is row 1, its first question row 2. Rows whose known columns
//     are all blank are skipped (they keep their number). At most
//     MaxDataRows question rows are read; the first row beyond is reported
//     and reading stops.
//   - Every row goes through bank.Validate, the one set of rules for a
//     question. Its error, and the errors found while reading the row, are
//     reported against the column at fault (RowError.Column holds the
//     template header, "" for the whole row), up to MaxErrorsPerRow per row;
//     all rows are checked, so a file's errors can be fixed in one go.
//   - A 选项G (or later) cell with content is an error: at most 6 options.
//   - Duplicate questions: a stem equal to an earlier row's stem (ignoring
//     spaces, case and full-width forms) is reported on the later row,
//     naming the earlier one.
//   - Texts are never truncated: a cell over a limit is reported.
//   - Empty 解析 and 分类 cells leave Explanation and Category nil.
//
// XLSX specifics:
//
//   - Formula cells: the cached value (what Excel last showed) is used. A
//     formula with no cached value, or whose cached value is empty, is
//     reported on its cell ("paste as values"): an empty cached value cannot
//     be told apart from a formula never calculated (a file written by a
//     program), and silently reading it as empty could drop an option. A
//     cell showing an Excel error (#N/A, #REF! …) is reported too.
//   - Merged cells: a merged range that covers any data row is reported on
//     every data row it covers, and those rows are not otherwise read.
//     Merging breaks the one-row-per-question rule (only the top-left cell
//     holds the value, so taking it for every cell would silently copy a
//     stem or an answer into other questions); the message asks to unmerge
//     and fill every row. Merges in the rows above the data (a title) are
//     ignored.
//   - Legacy .xls files and password-protected workbooks (both OLE
//     containers) are refused with an error asking for an .xlsx file.
//
// CSV specifics: UTF-8 with or without a BOM; when the bytes are not valid
// UTF-8 they are decoded as GB18030 (a superset of the GBK that Chinese
// Excel writes), and a cell that still holds undecodable bytes is reported;
// a UTF-16 file with a BOM (Excel's "Unicode text") is decoded too.
// Comma separated (tab separated when the header row has tabs and no
// commas), CRLF or LF line ends, lenient quotes. A blank line counts as a
// row, as Excel shows it. One leading apostrophe before = + - @ is removed:
// ExportCSV writes it so that Excel does not run a cell as a formula.
//
// # Export
//
// ExportXLSX and ExportCSV write the template's columns, so an exported file
// imports back to the same normalised questions. Options are written in
// order into 选项A, 选项B …, so an option keyed otherwise (a question created
// through the API with keys A, C) is re-keyed by position, its answer with
// it. True/false questions are written with their option texts.
package bankio
