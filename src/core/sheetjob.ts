//! One batch participant's work on sheets, the same in a worker thread and in-process: scan (load,
//! validate, grade; name the output; collect the set-level facts) and render (lay out, PDF, write).

import { join } from 'node:path';
import { SheetgenError, hasErrors, type Diagnostic, type Lang } from '../diagnostics.js';
import { gradeRows, type GradeRow } from '../export/rows.js';
import { t } from '../messages.js';
import { locate } from '../load/locate.js';
import type { GradedSheet, YamlPath } from '../model/types.js';
import type { FontSet } from '../render/fonts.js';
import { gradeLoaded, type GradedOutcome } from './grade.js';
import { loadSheet } from './load.js';

export interface JobOptions {
  lang: Lang;
  scheme?: string;
  font?: string;
  boldFont?: string;
  sourceDateEpoch?: number;
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
  facts?: SetFacts;
  graded?: GradedSheet;
}

export interface RenderResult {
  file: string;
  output?: string;
  bytes?: number;
  diagnostics: Diagnostic[];
  text?: string;
}

/** How many graded sheets a participant keeps between scan and render: bounded, so memory stays flat however many sheets a set has. */
const CACHE_LIMIT = 64;

/** `2020-09.pdf` from the data, checked again here: only digits and one hyphen can reach the file system. */
export function safeOutputName(sheet: { fiscalYear: unknown; measure: { number: unknown } }): string | undefined {
  const fy = sheet.fiscalYear;
  const n = sheet.measure.number;
  if (typeof fy !== 'number' || !Number.isInteger(fy) || fy < 1000 || fy > 9999) return undefined;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 9999) return undefined;
  return `${fy}-${String(n).padStart(2, '0')}.pdf`;
}

export class SheetSession {
  private cache = new Map<number, GradedOutcome>();
  private fonts: FontSet | undefined;
  constructor(private readonly opts: JobOptions) {}

  private async grade(file: string): Promise<GradedOutcome> {
    try {
      return gradeLoaded(await loadSheet(file, this.opts.lang), this.opts);
    } catch (e) {
      // A file that vanished or cannot be read is this sheet's problem, not the batch's.
      if (e instanceof SheetgenError) return { file, diagnostics: [{ severity: 'error', code: 'file.read', file, message: e.message }] };
      throw e;
    }
  }

  async scan(id: number, file: string): Promise<ScanResult> {
    const outcome = await this.grade(file);
    const withText = (r: ScanResult): ScanResult => (r.diagnostics.length > 0 && outcome.text !== undefined ? { ...r, text: outcome.text } : r);
    const graded = outcome.graded;
    if (!graded || hasErrors(outcome.diagnostics)) return withText({ file, ok: false, diagnostics: outcome.diagnostics });
    const name = safeOutputName(graded.sheet);
    if (!name) {
      const d: Diagnostic = { severity: 'error', code: 'output.name', file, message: t(this.opts.lang, 'outputNameUnsafe', { year: String(graded.sheet.fiscalYear), measure: String(graded.sheet.measure.number) }) };
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
      kpis: s.kpis.map((k) => ({ value: k.number ?? 0, ...at([...k.path, 'number']) })),
      committee: s.committee.map((c) => ({ value: c.number, ...at([...c.path, 'number']) })),
    };
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as number);
    this.cache.set(id, outcome);
    return withText({ file, ok: true, diagnostics: outcome.diagnostics, name, rows: gradeRows(graded, name), facts, ...(this.opts.keepGraded ? { graded } : {}) });
  }

  /** Renders the sheet scanned as `id` (re-loading it when it is no longer cached) into `outDir/name`. */
  async render(id: number, file: string, outDir: string, name: string): Promise<RenderResult> {
    const outcome = this.cache.get(id) ?? (await this.grade(file));
    this.cache.delete(id);
    const withText = (r: RenderResult): RenderResult => (r.diagnostics.length > 0 && outcome.text !== undefined ? { ...r, text: outcome.text } : r);
    const graded = outcome.graded;
    // The file changed between scan and render: report what it says now.
    if (!graded || hasErrors(outcome.diagnostics)) return withText({ file, diagnostics: outcome.diagnostics });
    // Imported on first render so that a batch of broken sheets never loads the layout and PDF code.
    const { renderGraded, writeAtomic } = await import('./build.js');
    if (!this.fonts) {
      const { loadFonts } = await import('../render/fonts.js');
      this.fonts = loadFonts({ ...(this.opts.font ? { regular: this.opts.font } : {}), ...(this.opts.boldFont ? { bold: this.opts.boldFont } : {}) });
    }
    const rendered = await renderGraded({ ...outcome, graded }, this.fonts, this.opts);
    const diagnostics = [...outcome.diagnostics, ...rendered.diagnostics];
    if (!rendered.pdf || hasErrors(diagnostics)) return withText({ file, diagnostics });
    const output = join(outDir, name);
    try {
      await writeAtomic(output, rendered.pdf, [file], this.opts.lang);
    } catch (e) {
      if (!(e instanceof SheetgenError)) throw e;
      return withText({ file, diagnostics: [...diagnostics, { severity: 'error', code: 'output.write', file, message: e.message }] });
    }
    return withText({ file, output, bytes: rendered.pdf.length, diagnostics });
  }
}
