//! Building one sheet: load, validate, grade, check the font, lay out, render, and write the PDF
//! atomically (temp file then rename), never over the input and never leaving a partial file.

import { stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { layoutSheet, missingGlyphs } from '../layout/index.js';
import { fiscalYearHeader } from '../layout/format.js';
import type { GradedSheet } from '../model/types.js';
import { t } from '../messages.js';
import { loadFonts, type FontSet } from '../render/fonts.js';
import { renderPdf, type PdfMeta } from '../render/pdf.js';
import { locateWithin } from '../load/locate.js';
import { place } from '../validate/index.js';
import { gradeLoaded, type GradedOutcome, type GradeOptions } from './grade.js';
import { loadSheet, type LoadedSheet } from './load.js';
import { outputName } from './build-name.js';
import { InputGuard, writeAtomic } from './write.js';

// Kept importable from here: the build's write step is where users meet it.
export { renameIntoPlace, writeAtomic } from './write.js';

export interface BuildOptions extends GradeOptions {
  /** Output file, or a directory to write `<fiscal year>-<measure>.pdf` into; default: next to the input. */
  out?: string;
  /** User fonts (TTF/OTF) replacing the bundled BIZ UDPGothic. */
  font?: string;
  boldFont?: string;
  /**
   * Add a 達成状況 (grade) column to （１）; off by default (the form states grades in ② by their marks).
   * Also set by a city's defaults (form.grade_column).
   */
  gradeColumn?: boolean;
  /** Seconds since 1970 for the PDF's dates (reproducible builds); default SOURCE_DATE_EPOCH, then the sheet. */
  sourceDateEpoch?: number;
}

export interface BuildOutcome extends GradedOutcome {
  /** The PDF written, when the build succeeded. */
  output?: string;
  bytes?: number;
}

export { outputName } from './build-name.js';

/** The date written into the PDF: fixed by the input so that the same input gives the same bytes. */
export function pdfDate(graded: GradedSheet, epoch?: number): Date {
  if (epoch !== undefined && Number.isFinite(epoch)) return new Date(epoch * 1000);
  if (graded.sheet.asOf) return new Date(`${graded.sheet.asOf}T00:00:00Z`);
  // The end of the evaluated fiscal year (31 March of the next calendar year).
  return new Date(Date.UTC(graded.sheet.fiscalYear + 1, 2, 31));
}

export function pdfMeta(graded: GradedSheet, epoch?: number): PdfMeta {
  const s = graded.sheet;
  const year = `${fiscalYearHeader(s.fiscalYear, true)}${s.stage}`;
  return {
    title: `重点施策マネジメントシート ${year} 重点施策${s.measure.number} ${s.measure.title}`,
    author: [s.municipality, s.leadDivision].filter(Boolean).join(' '),
    subject: `${s.municipality} 基本目標${s.basicGoal} 重点施策${s.measure.number} ${s.measure.title}（${year}）`,
    creationDate: pdfDate(graded, epoch),
    lang: 'ja-JP',
  };
}

/** SOURCE_DATE_EPOCH (seconds since 1970) when set to a whole number: the date every PDF of this run carries. */
export function envEpoch(): number | undefined {
  const v = process.env.SOURCE_DATE_EPOCH;
  if (v === undefined || v === '' || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** Where the PDF goes: -o FILE, -o DIR (existing, or ending in a slash), or next to the input. */
export async function resolveOutput(input: string, graded: GradedSheet, out: string | undefined): Promise<string> {
  if (out === undefined) return join(dirname(input), `${basename(input, extname(input))}.pdf`);
  const isDir =
    /[\\/]$/.test(out) ||
    (await stat(out).then(
      (s) => s.isDirectory(),
      () => false,
    ));
  return isDir ? join(out, outputName(graded.sheet)) : out;
}

/** Lays out and renders a graded sheet; diagnostics carry file:line of the fields they name. */
export async function renderGraded(
  outcome: GradedOutcome & { graded: GradedSheet },
  fonts: FontSet,
  opts: Pick<BuildOptions, 'lang' | 'sourceDateEpoch' | 'gradeColumn'>,
): Promise<{ pdf?: Uint8Array; diagnostics: Diagnostic[] }> {
  const { graded, parsed } = outcome;
  const locateDiag = (d: Diagnostic): Diagnostic =>
    d.path && parsed
      ? {
          ...place(
            parsed,
            { path: d.path, atKey: false, code: d.code, message: d.message, ...(d.hint ? { hint: d.hint } : {}) },
            d.severity,
          ),
        }
      : { ...d, file: outcome.file };
  const missing = missingGlyphs(graded, fonts);
  if (missing.length > 0) {
    const byPath = new Map<string, { chars: Set<string>; path: Diagnostic['path'] }>();
    for (const m of missing) {
      const key = JSON.stringify(m.path);
      const entry = byPath.get(key) ?? { chars: new Set<string>(), path: m.path };
      entry.chars.add(m.char);
      byPath.set(key, entry);
    }
    const diagnostics = [...byPath.values()].map((e) => {
      const d = locateDiag({
        severity: 'error',
        code: 'font.missing-glyph',
        path: e.path ?? [],
        message: t(opts.lang, 'missingGlyphs', {
          chars: [...e.chars]
            .map((c) => `${c} (U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`)
            .join(', '),
        }),
        hint: t(opts.lang, 'missingGlyphsHint'),
      });
      // Point at the first missing character itself, not at the start of a long block of text.
      const exact = parsed && e.path ? locateWithin(parsed, e.path, [...e.chars][0] ?? '') : undefined;
      return exact ? { ...d, ...exact } : d;
    });
    return { diagnostics };
  }
  const layout = layoutSheet(graded, fonts, { lang: opts.lang, ...(opts.gradeColumn ? { gradeColumn: true } : {}) });
  const pdf = await renderPdf(layout.pages, fonts, pdfMeta(graded, opts.sourceDateEpoch ?? envEpoch()));
  return { pdf, diagnostics: layout.warnings.map(locateDiag) };
}

/** Builds the PDF of a loaded sheet (see buildFile); exported for batch workers that load differently. */
export async function buildLoaded(loaded: LoadedSheet, opts: BuildOptions): Promise<BuildOutcome> {
  const outcome = gradeLoaded(loaded, opts);
  if (!outcome.graded || hasErrors(outcome.diagnostics)) return outcome;
  const graded = outcome.graded;
  const fonts = loadFonts({
    ...(opts.font ? { regular: opts.font } : {}),
    ...(opts.boldFont ? { bold: opts.boldFont } : {}),
    lang: opts.lang,
  });
  const rendered = await renderGraded({ ...outcome, graded }, fonts, opts);
  const diagnostics = [...outcome.diagnostics, ...rendered.diagnostics];
  if (!rendered.pdf || hasErrors(diagnostics)) return { ...outcome, diagnostics };
  const output = await resolveOutput(loaded.file, graded, opts.out);
  // Every input of this build — the sheet, the scheme file, the fonts — by real path and inode.
  const grading = graded.sheet.grading;
  const inputs = [
    loaded.file,
    opts.font,
    opts.boldFont,
    opts.scheme && /[\\/]|\.json$/i.test(opts.scheme) ? opts.scheme : undefined,
  ];
  if (opts.scheme === undefined && grading !== undefined && /[\\/]|\.json$/i.test(grading))
    inputs.push(isAbsolute(grading) ? grading : join(dirname(loaded.file), grading));
  await writeAtomic(
    output,
    rendered.pdf,
    await InputGuard.of(inputs.filter((f): f is string => f !== undefined)),
    opts.lang,
  );
  return { ...outcome, diagnostics, output, bytes: rendered.pdf.length };
}

/** Loads, validates, grades and renders one sheet file to PDF. */
export async function buildFile(file: string, opts: BuildOptions): Promise<BuildOutcome> {
  return buildLoaded(await loadSheet(file, opts.lang), opts);
}
