//! grades.json: the same rows as grades.csv, as one JSON document with the column headings, so a
//! program gets numbers as numbers and null for an empty cell.

import { ITEM_LABELS, PROJECT_COLUMNS, type ProjectItem, type ProjectRow } from './projects.js';
import { GRADE_COLUMNS, writtenOf, type GradeRow } from './rows.js';

/**
 * JSON.stringify writes 24.0 as 24: a number with written digits goes in as a marked string and the
 * marks are removed afterwards (unmark). The mark starts with a private-use character; if the data
 * itself holds the mark (it never should), the numbers are written plainly instead.
 */
const DECIMAL_MARK = '\uf8ffsheetgen-decimal:';

/** The document's text with every marked decimal written as the JSON number it stands for. */
function unmark(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2).replace(new RegExp(`"${DECIMAL_MARK}(-?\\d+(?:\\.\\d+)?)"`, 'gu'), '$1')}\n`;
}

export interface GradesJson {
  format: 'sheetgen-grades';
  version: 1;
  fiscal_years: number[];
  stages: string[];
  /** Each column's key and its heading in grades.csv. */
  fields: { key: string; label: string }[];
  rows: GradeRow[];
}

export function gradesJson(rows: readonly GradeRow[]): GradesJson {
  const years = [...new Set(rows.map((r) => r.fiscal_year))].sort((a, b) => a - b);
  const stages = [...new Set(rows.map((r) => r.stage))].sort();
  // Keys in column order, whatever order the row objects were built in.
  const ordered = rows.map(
    (r) => Object.fromEntries(GRADE_COLUMNS.map((c) => [c.key, r[c.key]])) as unknown as GradeRow,
  );
  return {
    format: 'sheetgen-grades',
    version: 1,
    fiscal_years: years,
    stages,
    fields: GRADE_COLUMNS.map((c) => ({ key: c.key, label: c.label })),
    rows: ordered,
  };
}

/**
 * The file's text: two-space indentation and a final newline (diffs well between years). baseline,
 * target and actual are JSON numbers with the digits the sheet wrote (24.0, not 24): the same value
 * to a program, the same text a reader saw on the sheet.
 */
export function gradesJsonText(rows: readonly GradeRow[]): string {
  const doc = gradesJson(rows);
  const mark = DECIMAL_MARK;
  const plain = `${JSON.stringify(doc, null, 2)}\n`;
  if (plain.includes(mark)) return plain;
  const marked = {
    ...doc,
    rows: doc.rows.map((r, i) => {
      const src = rows[i]!;
      const out: Record<string, unknown> = { ...r };
      for (const key of ['baseline', 'target', 'actual'] as const) {
        const w = writtenOf(src, key);
        if (w !== undefined) out[key] = `${mark}${w}`;
      }
      return out;
    }),
  };
  return unmark(marked);
}

export interface ProjectsJson {
  format: 'sheetgen-projects';
  version: 1;
  fiscal_years: number[];
  stages: string[];
  /** Each column's key and its heading in projects.csv; `item` values are keyed as in item_labels. */
  fields: { key: string; label: string }[];
  item_labels: Record<ProjectItem, string>;
  rows: ProjectRow[];
}

export function projectsJson(rows: readonly ProjectRow[]): ProjectsJson {
  const years = [...new Set(rows.map((r) => r.fiscal_year))].sort((a, b) => a - b);
  const stages = [...new Set(rows.map((r) => r.stage))].sort();
  // Keys in column order; the written digits are not a column (projectsJsonText writes them as the number).
  const ordered = rows.map(
    (r) => Object.fromEntries(PROJECT_COLUMNS.map((c) => [c.key, r[c.key]])) as unknown as ProjectRow,
  );
  return {
    format: 'sheetgen-projects',
    version: 1,
    fiscal_years: years,
    stages,
    fields: PROJECT_COLUMNS.map((c) => ({ key: c.key, label: c.label })),
    item_labels: { ...ITEM_LABELS },
    rows: ordered,
  };
}

/** projects.json as text: each value a JSON number with the digits the sheet wrote (24.0), as in grades.json. */
export function projectsJsonText(rows: readonly ProjectRow[]): string {
  const doc = projectsJson(rows);
  const mark = DECIMAL_MARK;
  const plain = `${JSON.stringify(doc, null, 2)}\n`;
  if (plain.includes(mark)) return plain;
  const marked = {
    ...doc,
    rows: doc.rows.map((r, i) => (rows[i]!.written !== undefined ? { ...r, value: `${mark}${rows[i]!.written}` } : r)),
  };
  return unmark(marked);
}
