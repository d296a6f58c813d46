//! grades.csv: the rows as a machine-readable table that also opens correctly in Excel on a
//! Japanese Windows PC (UTF-8 with BOM, CRLF, RFC 4180 quoting, formula-injection guard).

import { ITEM_LABELS, PROJECT_COLUMNS, type ProjectItem, type ProjectRow } from './projects.js';
import { GRADE_COLUMNS, writtenOf, type GradeRow } from './rows.js';

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

/** One field; a number with its written digits (24.0 stays 24.0) when the row has them. */
function cell(v: unknown, written?: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return written ?? plainNumber(v);
  if (typeof v === 'object') return ''; // the row's written digits: not a column
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // Line breaks inside a cell are kept (quoted); CR LF inside text is normalised to LF first.
  return quoteField(guardFormula(String(v).replace(/\r\n?/g, '\n')));
}

/**
 * A table as CSV text (BOM, header row of the columns' Japanese labels, one line per row, CRLF after
 * every record). `show` may replace a value by what the CSV should say (a code by its Japanese word);
 * `written` gives a number's digits as the sheet wrote them (24.0), where the row keeps them.
 */
export function tableCsv<R extends object>(
  columns: readonly { key: keyof R; label: string }[],
  rows: readonly R[],
  show: (key: keyof R, value: unknown) => unknown = (_k, v) => v,
  written: (row: R, key: keyof R) => string | undefined = () => undefined,
): string {
  const lines = [columns.map((c) => quoteField(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(show(c.key, r[c.key]), written(r, c.key))).join(','));
  return BOM + lines.map((l) => `${l}\r\n`).join('');
}

/** grades.csv as text. */
export function gradesCsv(rows: readonly GradeRow[]): string {
  return tableCsv(
    GRADE_COLUMNS,
    rows,
    (k, v) => (k === 'better' && typeof v === 'string' ? (BETTER_JA[v] ?? v) : v),
    writtenOf,
  );
}

/** projects.csv as text: 区分 in Japanese (事業費, 一般財源, 成果指標, 事業費合計, 一般財源合計). */
export function projectsCsv(rows: readonly ProjectRow[]): string {
  return tableCsv(
    PROJECT_COLUMNS,
    rows,
    (k, v) => (k === 'item' ? ITEM_LABELS[v as ProjectItem] : v),
    (r, k) => (k === 'value' ? r.written : undefined),
  );
}
