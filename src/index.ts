//! sheetgen's programming interface: the same core the command line calls — load, validate, grade,
//! build (to bytes or to a file), a whole year's batch, rollover and open data — with the same
//! Diagnostic objects the CLI prints. Bad input never throws: it comes back as diagnostics.

import { hasErrors, type Diagnostic, type Lang } from './diagnostics.js';
import { renderGraded, type BuildOptions } from './core/build.js';
import { gradeLoaded, type GradedOutcome, type GradeOptions } from './core/grade.js';
import { loadSheet, loadSheetText, type LoadedSheet } from './core/load.js';
import type { GradedSheet } from './model/types.js';
import { loadFonts } from './render/fonts.js';

export {
  EXIT,
  SheetgenError,
  formatPath,
  hasErrors,
  type Diagnostic,
  type Lang,
  type Severity,
} from './diagnostics.js';
export type * from './model/types.js';
export { loadSheet, loadSheetText, type LoadedSheet } from './core/load.js';
export { gradeFile, gradeLoaded, type GradedOutcome, type GradeOptions } from './core/grade.js';
export { buildFile, buildLoaded, outputName, type BuildOptions, type BuildOutcome } from './core/build.js';
export {
  buildBatch,
  type BatchOptions,
  type BatchReport,
  type ProgressEvent,
  type SheetReport,
  type SheetStatus,
} from './core/batch.js';
export { rollover, type RolledFile, type RolloverOptions } from './core/rollover.js';
export {
  collectOpenData,
  tableText,
  writeOpenData,
  type ExportFormat,
  type ExportOptions,
  type ExportedFile,
  type OpenData,
} from './core/export.js';
export type { GradeRow } from './export/rows.js';
export type { ProjectItem, ProjectRow } from './export/projects.js';
export { gradeMark, reasonParagraphs } from './model/marks.js';

/** A sheet given as a path, or as text already in memory (`file` names it in diagnostics). */
export type SheetInput = string | { file: string; text: string };

async function load(input: SheetInput, lang: Lang): Promise<LoadedSheet> {
  return typeof input === 'string' ? loadSheet(input, lang) : loadSheetText(input.file, input.text, lang);
}

export interface ValidateResult {
  /** No error (warnings may remain). */
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The graded sheet, when it is valid. */
  graded?: GradedSheet;
}

/**
 * Checks a sheet as `sheetgen validate` does: YAML, schema, the sheet's rules and its grading
 * (override grades, ② marks). A missing or unreadable file throws SheetgenError (exit code 2).
 */
export async function validate(input: SheetInput, opts: GradeOptions): Promise<ValidateResult> {
  const r: GradedOutcome = gradeLoaded(await load(input, opts.lang), opts);
  const ok = !hasErrors(r.diagnostics) && r.graded !== undefined;
  return { ok, diagnostics: r.diagnostics, ...(ok && r.graded ? { graded: r.graded } : {}) };
}

export interface PdfResult {
  ok: boolean;
  /** The PDF's bytes, when the sheet built. */
  pdf?: Uint8Array;
  diagnostics: Diagnostic[];
  graded?: GradedSheet;
}

/**
 * Builds a sheet's PDF in memory (nothing is written): the bytes `sheetgen build` would write.
 * `out` in the options is ignored.
 */
export async function buildPdf(input: SheetInput, opts: Omit<BuildOptions, 'out'>): Promise<PdfResult> {
  const outcome = gradeLoaded(await load(input, opts.lang), opts);
  if (!outcome.graded || hasErrors(outcome.diagnostics)) return { ok: false, diagnostics: outcome.diagnostics };
  const fonts = loadFonts({
    ...(opts.font ? { regular: opts.font } : {}),
    ...(opts.boldFont ? { bold: opts.boldFont } : {}),
  });
  const rendered = await renderGraded({ ...outcome, graded: outcome.graded }, fonts, opts);
  const diagnostics = [...outcome.diagnostics, ...rendered.diagnostics];
  if (!rendered.pdf || hasErrors(diagnostics)) return { ok: false, diagnostics, graded: outcome.graded };
  return { ok: true, pdf: rendered.pdf, diagnostics, graded: outcome.graded };
}
