// Spreadsheets for the import (filled into the server's own template) and
// reading the winners export.
import ExcelJS from 'exceljs';

const text = (v) => {
  if (v == null) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'text' in v) return String(v.text);
  return String(v);
};

/** Rows of the first sheet as arrays of strings (row 1 = header). */
export async function readRows(file) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0];
  const rows = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const cells = [];
    for (let c = 1; c <= ws.columnCount; c++) cells.push(text(row.getCell(c).value));
    rows.push(cells);
  });
  return rows;
}

/**
 * Writes `questions` into a copy of the template: header kept, its example
 * rows replaced. A question is { 题型, 题干, options: [...], 答案, 解析, 分类 }.
 */
export async function fillTemplate(template, out, questions) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(template);
  const ws = wb.worksheets[0];
  const header = [];
  ws.getRow(1).eachCell((cell, col) => (header[col] = text(cell.value)));
  const col = (name) => {
    const i = header.indexOf(name);
    if (i < 1) throw new Error(`template has no column ${name}: ${header.join(',')}`);
    return i;
  };
  for (let r = ws.rowCount; r >= 2; r--) ws.spliceRows(r, 1);
  questions.forEach((q, i) => {
    const row = ws.getRow(i + 2);
    row.getCell(col('题型')).value = q.题型;
    row.getCell(col('题干')).value = q.题干;
    q.options.forEach((o, j) => (row.getCell(col(`选项${'ABCDEF'[j]}`)).value = o));
    row.getCell(col('答案')).value = q.答案;
    if (q.解析) row.getCell(col('解析')).value = q.解析;
    if (q.分类) row.getCell(col('分类')).value = q.分类;
    row.commit();
  });
  await wb.xlsx.writeFile(out);
}
