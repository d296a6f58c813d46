//! grades.csv: the rows as a machine-readable table that also opens correctly in Excel on a
//! Japanese Windows PC (UTF-8 with BOM, CRLF, RFC 4180 quoting, formula-injection guard).

import { GRADE_COLUMNS, type GradeRow } from './rows.js';

/** Excel reads a UTF-8 CSV as Shift_JIS unless the file starts with a BOM. */
const BOM = '\uFEFF';

/** A plain decimal: no exponent (1e-7 → 0.0000001), no separators, minus sign for negatives. */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // Exponent forms only occur for very large or very small numbers; toFixed/BigInt give the digits.
  if (Math.abs(n) >= 1e21) return BigInt(Math.round(n)).toString();
  return n.toFixed(20).replace(/\.?0+$/, '');
}

/**
 * Text a spreadsheet would run as a formula (= + - @, or a leading tab/CR that some versions skip)
 * gets a leading apostrophe, which Excel shows as text (OWASP "CSV injection"). Only user text is
 * guarded: numbers are written as numbers and a negative number must stay a number.
 */
export function guardFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** RFC 4180: a field with a comma, a double quote or a line break is quoted, quotes doubled. */
export function quoteField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV's headings are Japanese, so are its words: the direction as people write it (the JSON keeps higher/lower). */
const BETTER_JA: Record<string, string> = { higher: '高いほど良い', lower: '低いほど良い' };

function cell(v: GradeRow[keyof GradeRow], key?: keyof GradeRow): string {
  if (v === null || v === undefined) return '';
  if (key === 'better' && typeof v === 'string') return BETTER_JA[v] ?? v;
  if (typeof v === 'number') return plainNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // Line breaks inside a cell are kept (quoted); CR LF inside text is normalised to LF first.
  return quoteField(guardFormula(v.replace(/\r\n?/g, '\n')));
}

/** The whole file as text (BOM, header row, one line per row, CRLF after every record). */
export function gradesCsv(rows: readonly GradeRow[]): string {
  const lines = [GRADE_COLUMNS.map((c) => quoteField(c.label)).join(',')];
  for (const r of rows) lines.push(GRADE_COLUMNS.map((c) => cell(r[c.key], c.key)).join(','));
  return BOM + lines.map((l) => `${l}\r\n`).join('');
}
