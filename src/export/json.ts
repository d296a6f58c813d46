//! grades.json: the same rows as grades.csv, as one JSON document with the column headings, so a
//! program gets numbers as numbers and null for an empty cell.

import { ITEM_LABELS, PROJECT_COLUMNS, type ProjectItem, type ProjectRow } from './projects.js';
import { GRADE_COLUMNS, type GradeRow } from './rows.js';

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
  const ordered = rows.map((r) => Object.fromEntries(GRADE_COLUMNS.map((c) => [c.key, r[c.key]])) as unknown as GradeRow);
  return { format: 'sheetgen-grades', version: 1, fiscal_years: years, stages, fields: GRADE_COLUMNS.map((c) => ({ key: c.key, label: c.label })), rows: ordered };
}

/** The file's text: two-space indentation and a final newline (diffs well between years). */
export function gradesJsonText(rows: readonly GradeRow[]): string {
  return `${JSON.stringify(gradesJson(rows), null, 2)}\n`;
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
  const ordered = rows.map((r) => Object.fromEntries(PROJECT_COLUMNS.map((c) => [c.key, r[c.key]])) as unknown as ProjectRow);
  return {
    format: 'sheetgen-projects', version: 1, fiscal_years: years, stages,
    fields: PROJECT_COLUMNS.map((c) => ({ key: c.key, label: c.label })), item_labels: { ...ITEM_LABELS }, rows: ordered,
  };
}

/** projects.json as text. */
export function projectsJsonText(rows: readonly ProjectRow[]): string {
  return `${JSON.stringify(projectsJson(rows), null, 2)}\n`;
}
