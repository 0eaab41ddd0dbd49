// The report of importQuestions (dry run or real) as the import dialog shows it.

export interface ImportErrorLike {
  row: number;
  column?: string | null;
  message: string;
}

export interface ImportReportLike {
  imported: number;
  valid: number;
  dryRun: boolean;
  errors: readonly ImportErrorLike[];
}

/**
 * Import messages are "Chinese (English)": "题干不能为空 (stem must not be
 * empty)". Chinese readers get the first half, English readers the part in
 * brackets; a message without that shape is shown whole.
 */
export function bilingual(message: string, lang: 'zh' | 'en'): string {
  const m = /^(.*?[\u4e00-\u9fff].*?)\s*[(（](.*)[)）]\s*$/s.exec(message.trim());
  if (!m) return message.trim();
  return lang === 'zh' ? m[1].trim() : m[2].trim() || m[1].trim();
}

export interface ImportErrorRow {
  key: string;
  row: number;
  /** the template column, or "" for the whole row */
  column: string;
  message: string;
}

/** Table rows, by row then column, with messages in the UI language. */
export function importErrorRows(report: Pick<ImportReportLike, 'errors'>, lang: 'zh' | 'en'): ImportErrorRow[] {
  return report.errors
    .map((e, i) => ({ key: `${e.row}-${e.column ?? ''}-${i}`, row: e.row, column: e.column ?? '', message: bilingual(e.message, lang), i }))
    .sort((a, b) => a.row - b.row || a.i - b.i)
    .map(({ i: _i, ...r }) => r);
}

export interface ImportSummary {
  /** rows that passed every check */
  valid: number;
  /** distinct rows with at least one error */
  badRows: number;
  errors: number;
  /** a real import would write every row (all or none) */
  canImport: boolean;
  imported: number;
}

export function summarizeImport(report: ImportReportLike): ImportSummary {
  const badRows = new Set(report.errors.map((e) => e.row)).size;
  return {
    valid: report.valid,
    badRows,
    errors: report.errors.length,
    canImport: report.errors.length === 0 && report.valid > 0,
    imported: report.imported,
  };
}

export const IMPORT_ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

/** Only .xlsx and .csv files are read by the server. */
export function isImportFile(name: string): boolean {
  return /\.(xlsx|csv)$/i.test(name);
}

/** Correct rate as a percent with one decimal, "-" before the question was served. */
export function percent(rate: number | null | undefined, digits = 1): string {
  if (rate == null || !Number.isFinite(rate)) return '-';
  return `${(rate * 100).toFixed(digits)}%`;
}
