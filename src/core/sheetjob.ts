//! One batch participant's work on a sheet, the same in a worker thread and in-process: load,
//! validate, grade, name the output, collect the set-level facts, and render the PDF to a temp file.

import { rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { SheetgenError, hasErrors, type Diagnostic, type Lang } from '../diagnostics.js';
import { projectRows, type ProjectRow } from '../export/projects.js';
import { gradeRows, type GradeRow } from '../export/rows.js';
import { isFsError, writeFailure } from '../fs-errors.js';
import { t } from '../messages.js';
import { locate } from '../load/locate.js';
import type { GradedSheet, YamlPath } from '../model/types.js';
import type { FontSet } from '../render/fonts.js';
import { outputName } from './build-name.js';
import { gradeLoaded, type GradedOutcome } from './grade.js';
import { loadSheet } from './load.js';
import { schemePathFromSheet } from './scheme-path.js';

export interface JobOptions {
  lang: Lang;
  scheme?: string;
  font?: string;
  boldFont?: string;
  sourceDateEpoch?: number;
  /** Add a 達成状況 column to （１） (layout option, off by default; also from a city's defaults, form.grade_column). */
  gradeColumn?: boolean;
  /** Send the whole graded sheet back (for the --json report); otherwise only the rows. */
  keepGraded?: boolean;
}

/** A value of the sheet that the set-level checks compare, with where it stands in the file. */
export interface Fact<T> {
  value: T;
  line?: number;
  column?: number;
}

export interface SetFacts {
  fiscalYear: Fact<number>;
  stage: Fact<string>;
  /** The measure number: where a name collision is reported. */
  measure: Fact<number>;
  kpis: Fact<number>[];
  committee: Fact<number>[];
}

export interface ScanResult {
  file: string;
  /** Graded without errors: the sheet can be rendered. */
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The user's text, sent only when there is a diagnostic to draw a code frame on. */
  text?: string;
  /** The output file name the data gives (2020-09.pdf). */
  name?: string;
  rows?: GradeRow[];
  /** The figures of (3) and (4) as open-data rows (projects.csv/json). */
  projectRows?: ProjectRow[];
  facts?: SetFacts;
  graded?: GradedSheet;
  /** The scheme file the sheet names (`grading: x.json`), an input the batch must never write over. */
  scheme?: string;
}

/** A scanned sheet that was also rendered: its PDF waits in a temp file until the whole set is known. */
export interface BuildResult extends ScanResult {
  /** The finished PDF under a temp name in the output folder (see promote in ./batch.ts). */
  tmp?: string;
  bytes?: number;
}

/** `2020-09.pdf` from the data, checked again here: only digits and one hyphen can reach the file system. */
export function safeOutputName(sheet: { fiscalYear: unknown; measure: { number: unknown } }): string | undefined {
  const fy = sheet.fiscalYear;
  const n = sheet.measure.number;
  if (typeof fy !== 'number' || !Number.isInteger(fy) || fy < 1000 || fy > 9999) return undefined;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 9999) return undefined;
  return outputName({ fiscalYear: fy, measure: { number: n } });
}

/** Temp name of a PDF in the making: the pattern sweepTempFiles removes (this process, .tmp). */
export function tempName(outDir: string, name: string): string {
  return join(outDir, `.${name}.${process.pid}.${Math.floor(Math.random() * 1e9).toString(36)}.tmp`);
}

/**
 * The scheme file a sheet names (`grading: schemes\city.json`), found where grading looks for it
 * (`\` or `/` separate folders, see scheme-path.ts). Read from the data as written, so that it is
 * known also when the sheet has errors, and also when --scheme is used instead: it is the user's file.
 */
function namedSchemeFile(file: string, outcome: GradedOutcome): string | undefined {
  const data = outcome.parsed?.data;
  const raw = data !== null && typeof data === 'object' ? (data as Record<string, unknown>).grading : undefined;
  const ref = typeof raw === 'string' ? raw : outcome.sheet?.grading;
  if (ref === undefined || !/[\\/]|\.json$/i.test(ref)) return undefined;
  return isAbsolute(ref) ? ref : schemePathFromSheet(file, ref);
}

export class SheetSession {
  private fonts: FontSet | undefined;
  constructor(private readonly opts: JobOptions) {}

  private async grade(file: string): Promise<GradedOutcome> {
    try {
      return gradeLoaded(await loadSheet(file, this.opts.lang), this.opts);
    } catch (e) {
      // A file that vanished or cannot be read is this sheet's problem, not the batch's.
      if (e instanceof SheetgenError)
        return { file, diagnostics: [{ severity: 'error', code: 'file.read', file, message: e.message }] };
      throw e;
    }
  }

  /**
   * Loads, validates and grades one sheet and, when it has no error, renders its PDF into a temp
   * file in `outDir`. The final name is given by the main thread once every sheet's name is known
   * (two sheets naming the same PDF are an error for both), so each sheet is loaded only once and
   * nothing is held in memory between the two steps.
   */
  async build(file: string, outDir: string): Promise<BuildResult> {
    // The scheme file the sheet names goes with every answer, also when the sheet fails: the batch
    // must never write its index or open data over it.
    let scheme: string | undefined;
    const named = (r: BuildResult): BuildResult => (scheme !== undefined ? { ...r, scheme } : r);
    try {
      const outcome = await this.grade(file);
      scheme = namedSchemeFile(file, outcome);
      return named(await this.buildOrThrow(file, outDir, outcome));
    } catch (e) {
      // A user-caused problem met while rendering (a font that cannot be used, a file that vanished) is this sheet's error.
      if (e instanceof SheetgenError)
        return named({
          file,
          ok: false,
          diagnostics: [{ severity: 'error', code: 'build.failed', file, message: e.message }],
        });
      throw e;
    }
  }

  private async buildOrThrow(file: string, outDir: string, outcome: GradedOutcome): Promise<BuildResult> {
    const withText = <R extends ScanResult>(r: R): R =>
      r.diagnostics.length > 0 && outcome.text !== undefined ? { ...r, text: outcome.text } : r;
    const graded = outcome.graded;
    if (!graded || hasErrors(outcome.diagnostics))
      return withText({ file, ok: false, diagnostics: outcome.diagnostics });
    const name = safeOutputName(graded.sheet);
    if (!name) {
      const d: Diagnostic = {
        severity: 'error',
        code: 'output.name',
        file,
        message: t(this.opts.lang, 'outputNameUnsafe', {
          year: String(graded.sheet.fiscalYear),
          measure: String(graded.sheet.measure.number),
        }),
      };
      return withText({ file, ok: false, diagnostics: [...outcome.diagnostics, d] });
    }
    const at = (path: YamlPath) => {
      const span = outcome.parsed ? locate(outcome.parsed, path) : undefined;
      return span ? { line: span.line, column: span.column } : {};
    };
    const s = graded.sheet;
    const facts: SetFacts = {
      fiscalYear: { value: s.fiscalYear, ...at(['fiscal_year']) },
      stage: { value: s.stage, ...at(['stage']) },
      measure: { value: s.measure.number, ...at(['measure', 'number']) },
      kpis: s.kpis.map((k) => ({ value: k.number ?? 0, ...at([...k.path, 'number']) })),
      committee: s.committee.map((c) => ({ value: c.number, ...at([...c.path, 'number']) })),
    };
    const scanned: ScanResult = {
      file,
      ok: true,
      diagnostics: outcome.diagnostics,
      name,
      rows: gradeRows(graded, name),
      projectRows: projectRows(graded, name),
      facts,
      ...(this.opts.keepGraded ? { graded } : {}),
    };

    // Imported on first render so that a batch of broken sheets never loads the layout and PDF code.
    const { renderGraded } = await import('./build.js');
    if (!this.fonts) {
      const { loadFonts } = await import('../render/fonts.js');
      this.fonts = loadFonts({
        ...(this.opts.font ? { regular: this.opts.font } : {}),
        ...(this.opts.boldFont ? { bold: this.opts.boldFont } : {}),
        lang: this.opts.lang,
      });
    }
    const rendered = await renderGraded({ ...outcome, graded }, this.fonts, this.opts);
    const diagnostics = [...outcome.diagnostics, ...rendered.diagnostics];
    if (!rendered.pdf || hasErrors(diagnostics)) return withText({ ...scanned, ok: false, diagnostics });
    const tmp = tempName(outDir, name);
    try {
      await writeFile(tmp, rendered.pdf, { flag: 'wx' });
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      if (!isFsError(e)) throw e;
      return withText({
        ...scanned,
        ok: false,
        diagnostics: [
          ...diagnostics,
          {
            severity: 'error',
            code: 'output.write',
            file,
            message: writeFailure(join(outDir, name), e, this.opts.lang).message,
          },
        ],
      });
    }
    return withText({ ...scanned, diagnostics, tmp, bytes: rendered.pdf.length });
  }
}
