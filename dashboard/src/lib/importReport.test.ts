import { describe, expect, it } from 'vitest';
import { bilingual, importErrorRows, isImportFile, percent, summarizeImport } from './importReport';

const report = {
  imported: 0,
  valid: 1,
  dryRun: true,
  errors: [
    { row: 5, column: null, message: '整行为空 (empty row)' },
    { row: 3, column: '题干', message: '题干不能为空 (stem must not be empty)' },
    { row: 3, column: '答案', message: '答案X不在选项中 (answer "X" is not one of the options)' },
  ],
};

describe('import report', () => {
  it('splits the server’s "中文 (English)" messages', () => {
    expect(bilingual('题干不能为空 (stem must not be empty)', 'zh')).toBe('题干不能为空');
    expect(bilingual('题干不能为空 (stem must not be empty)', 'en')).toBe('stem must not be empty');
    expect(bilingual('答案X不在选项中（answer "X" is not one of the options）', 'en')).toBe('answer "X" is not one of the options');
    expect(bilingual('plain text', 'zh')).toBe('plain text');
  });

  it('maps errors to table rows sorted by row, keeping server order within a row', () => {
    const rows = importErrorRows(report, 'zh');
    expect(rows.map((r) => [r.row, r.column, r.message])).toEqual([
      [3, '题干', '题干不能为空'],
      [3, '答案', '答案X不在选项中'],
      [5, '', '整行为空'],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(3);
  });

  it('summarizes: bad rows, errors, and whether a real import is allowed', () => {
    expect(summarizeImport(report)).toEqual({ valid: 1, badRows: 2, errors: 3, canImport: false, imported: 0 });
    expect(summarizeImport({ imported: 0, valid: 12, dryRun: true, errors: [] }).canImport).toBe(true);
    expect(summarizeImport({ imported: 0, valid: 0, dryRun: true, errors: [] }).canImport).toBe(false);
  });

  it('accepts only xlsx and csv', () => {
    expect(isImportFile('题库.XLSX')).toBe(true);
    expect(isImportFile('a.csv')).toBe(true);
    expect(isImportFile('a.xls')).toBe(false);
  });

  it('formats rates', () => {
    expect(percent(0.8333)).toBe('83.3%');
    expect(percent(null)).toBe('-');
  });
});
