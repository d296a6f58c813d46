// The index sheet (index.pdf) read back with mupdf: every ※ mark has its note on the same page, an
// incomplete index says so on every page and names every sheet that failed with its first error,
// and nothing is lost (text inside its cell, inside the page, no overlap, nothing below 6 pt).
// On generated sets of rows (many, cheap) and on generated batches built for real (few, slower).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as mupdf from 'mupdf';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sheetText } from '../../scripts/gen-sheets.mjs';
import { buildBatch, type BatchReport } from '../../src/core/batch.js';
import { buildIndexPdf, failedSheets } from '../../src/core/index-pdf.js';
import { expandInputs } from '../../src/core/inputs.js';
import { gradeRows, sortRows, type GradeRow } from '../../src/export/rows.js';
import {
  FAILED_HEADING,
  OVERRIDE_NOTE,
  incompleteLine,
  layoutIndex,
  printable,
  type FailedSheet,
} from '../../src/layout/index-sheet.js';
import { loadFonts } from '../../src/render/fonts.js';
import { checkLayout, checkPdf, formatViolations, gradeText } from '../helpers/invariants.js';
import { compare, decodePng } from '../render/pixels.js';

const made: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sheetgen-index-'));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const flat = (s: string): string => s.replace(/\s+/gu, '');
const NOTE = flat(OVERRIDE_NOTE);
/** A ※ mark beside a grade (the grade cell of an overridden row): the grade letter or ― and ※. */
const MARK = /[SABCDE―]※/gu;

function pageTexts(bytes: Uint8Array): string[] {
  const doc = mupdf.Document.openDocument(bytes, 'application/pdf');
  const out: string[] = [];
  for (let i = 0; i < doc.countPages(); i++) {
    const page = doc.loadPage(i);
    out.push(flat(page.toStructuredText('').asText()));
    page.destroy();
  }
  doc.destroy();
  return out;
}

/**
 * The promises of the index on its pages read back: per page, ※ marks ⇔ the note; the marks all
 * there (one per overridden row); when sheets failed, every page says the index is incomplete and
 * every failed sheet is named with its first error. Returns the problems found.
 */
function indexProblems(pages: readonly string[], overridden: number, failed: readonly FailedSheet[]): string[] {
  const problems: string[] = [];
  let marks = 0;
  pages.forEach((p, i) => {
    // The note itself begins with ※ (read right after the last grade of the table: "A※担当課…").
    const n = (p.split(NOTE).join('|').match(MARK) ?? []).length;
    marks += n;
    const note = p.includes(NOTE);
    if (n > 0 && !note) problems.push(`page ${i + 1}: ${n} ※ mark(s) without the note`);
    if (n === 0 && note) problems.push(`page ${i + 1}: the note without a mark`);
    if (failed.length > 0 && !p.includes(flat(incompleteLine(failed.length))))
      problems.push(`page ${i + 1}: does not say the index is incomplete`);
    if (failed.length === 0 && p.includes('未完成')) problems.push(`page ${i + 1}: says incomplete, nothing failed`);
  });
  if (marks !== overridden) problems.push(`${marks} ※ marks for ${overridden} overridden rows`);
  const all = pages.join('');
  if (failed.length > 0 && !all.includes(flat(FAILED_HEADING))) problems.push('no list of the failed sheets');
  let at = 0;
  for (const f of failed) {
    // In the order the batch lists them, each with its first error beside it.
    const where = all.indexOf(flat(f.where), at);
    if (where < 0) {
      problems.push(`failed sheet not named (in order): ${f.where}`);
      continue;
    }
    const reason = all.indexOf(flat(f.reason).slice(0, 60), where);
    if (reason < 0) problems.push(`first error of ${f.where} not printed: ${f.reason}`);
    at = where + 1;
  }
  return problems;
}

describe('index sheets of generated sets (layout and PDF read back)', () => {
  const fonts = loadFonts();
  let pool: GradeRow[][];
  beforeAll(() => {
    pool = Array.from({ length: 48 }, (_, i) => gradeRows(gradeText(`s${i}.yaml`, sheetText(i)), `${i}.pdf`));
  }, 120_000);

  const name = fc.stringMatching(/^[a-z0-9_令和年度施策シート-]{1,24}$/u);
  const reason = fc.oneof(
    fc.constantFrom(
      'measure.title is missing (重点施策名 を書いてください)',
      '全角のコロン「：」は使えません。半角の「:」にしてください',
      'the font has no glyph for 𠮷 (U+20BB7)',
      'cannot read the file: permission denied',
    ),
    fc.stringMatching(/^[a-zA-Z0-9 あいうえお漢字。、：（）]{1,300}$/u),
  );
  const failure = fc.record({
    where: fc
      .tuple(name, fc.option(fc.integer({ min: 1, max: 9999 }), { nil: undefined }))
      .map(([n, l]) => (l === undefined ? `${n}.yaml` : `${n}.yaml:${l}`)),
    reason,
  });

  it('every page shows the note of its ※ marks; failed sheets named; nothing outside its cell', async () => {
    let runs = 0;
    let maxPages = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 48 }),
        fc.array(fc.boolean(), { minLength: 144, maxLength: 144 }),
        fc.array(failure, { maxLength: 40 }),
        fc.constantFrom('S', 'A', 'B', 'C', 'D', '―'),
        async (n, flags, failed, grade) => {
          runs++;
          const rows = sortRows(
            pool
              .slice(0, n)
              .flat()
              .map((r, k) => (flags[k] ? { ...r, overridden: true, grade, override_reason: '理由' } : r)),
          );
          const overridden = rows.filter((r) => r.overridden).length;
          const pages = layoutIndex(rows, fonts, { failed });
          const layoutViolations = checkLayout(pages, fonts);
          expect(layoutViolations, formatViolations(layoutViolations)).toEqual([]);
          {
            const bytes = await buildIndexPdf(rows, failed, { sourceDateEpoch: 0 });
            const texts = pageTexts(bytes);
            maxPages = Math.max(maxPages, texts.length);
            // As the index prints them: a character the font lacks (𠮷) as its code point.
            const shown = failed.map((f) => ({ where: printable(f.where, fonts), reason: printable(f.reason, fonts) }));
            expect(indexProblems(texts, overridden, shown)).toEqual([]);
            const expected = shown.flatMap((f) => [
              { text: flat(f.where), path: [], kind: 'text' as const },
              { text: flat(f.reason), path: [], kind: 'text' as const },
            ]);
            const pdfViolations = checkPdf(bytes, expected);
            expect(pdfViolations, formatViolations(pdfViolations)).toEqual([]);
          }
        },
      ),
      { seed: 20261201, numRuns: Number(process.env.INDEX_RUNS ?? 12), endOnFailure: true },
    );
    expect(runs).toBeGreaterThan(0);
    // The generated sets reach several pages (48 sheets × 3 indicators, up to 40 failed sheets).
    expect(maxPages).toBeGreaterThanOrEqual(3);
  }, 600_000);

  it('checker catches a page whose mark lost its note and a failed sheet left out', () => {
    const note = NOTE;
    expect(indexProblems([`ＫＰＩ1A※${note}`, 'ＫＰＩ2S※'], 2, [])).toEqual(['page 2: 1 ※ mark(s) without the note']);
    expect(indexProblems([`ＫＰＩ1A${note}`], 0, [])).toEqual(['page 1: the note without a mark']);
    const f = [{ where: 'a.yaml:3', reason: 'bad' }];
    const head = flat(incompleteLine(1)) + flat(FAILED_HEADING);
    expect(indexProblems([head], 0, f)).toEqual(['failed sheet not named (in order): a.yaml:3']);
    expect(indexProblems([`${head}a.yaml:3bad`], 0, f)).toEqual([]);
  });

  it('writes a character the font lacks as its code point, never as an empty box', () => {
    expect(printable('😀.yaml\nline', fonts)).toBe('〈U+1F600〉.yaml line');
    expect(printable('令和2年度.yaml', fonts)).toBe('令和2年度.yaml');
  });
});

/** Sheet i of a generated set, broken in one of several ways (kind ≥ 0), or overridden. */
function variant(i: number, kind: number, override: boolean): string {
  const doc = parseDocument(sheetText(i));
  if (override) doc.setIn(['kpis', 1, 'grade_override'], doc.createNode({ grade: 'S', reason: '見込みのため' }));
  const text = doc.toString();
  switch (kind) {
    case 0:
      return text.replace(/^measure: \{ number: \d+, /mu, 'measure: { ');
    case 1:
      return text.replace(/^(basic_goal):/mu, '$1：');
    case 2:
      return `${text}\nkpis: [\n`;
    case 3:
      return text.replace(/^version: .*$/mu, 'version: 99');
    default:
      return text;
  }
}

describe('index.pdf of generated batches built for real', () => {
  it('names every sheet that failed with its first error; each page has the notes of its marks', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ kind: fc.integer({ min: -3, max: 3 }), override: fc.boolean() }), {
          minLength: 2,
          maxLength: 7,
        }),
        async (specs) => {
          runs++;
          const dir = tmp();
          specs.forEach((s, i) => writeFileSync(join(dir, `s${i}.yaml`), variant(i, s.kind, s.override)));
          const report = await buildBatch(await expandInputs([dir], 'ja'), {
            lang: 'ja',
            outDir: join(dir, 'out'),
            jobs: 1,
            sourceDateEpoch: 0,
          });
          const failed = report.sheets.filter((s) => s.status === 'failed');
          const built = report.sheets.filter((s) => s.status === 'built');
          expect(failed.length).toBe(specs.filter((s) => s.kind >= 0).length);
          if (built.length === 0) {
            expect(existsSync(join(dir, 'out', 'index.pdf'))).toBe(false);
            return;
          }
          const texts = pageTexts(readFileSync(join(dir, 'out', 'index.pdf')));
          const overridden = built.reduce((a, s) => a + (s.rows ?? []).filter((r) => r.overridden).length, 0);
          expect(overridden).toBe(specs.filter((s) => s.kind < 0 && s.override).length);
          const names = failedSheets(report.sheets);
          expect(names.map((f) => f.where.replace(/:\d+$/u, ''))).toEqual(
            failed.map((s) => s.file.slice(dir.length + 1)),
          );
          expect(indexProblems(texts, overridden, names)).toEqual([]);
          // The first error as the build reported it: its message and line.
          for (const s of failed) {
            const d = s.diagnostics.find((x) => x.severity === 'error')!;
            const where = `${s.file.slice(dir.length + 1)}${d.line !== undefined ? `:${d.line}` : ''}`;
            expect(texts.join('')).toContain(flat(where));
            expect(texts.join('')).toContain(flat(d.message).slice(0, 40));
          }
        },
      ),
      { seed: 1201, numRuns: Number(process.env.INDEX_BATCH_RUNS ?? 5), endOnFailure: true },
    );
    expect(runs).toBeGreaterThan(0);
  }, 600_000);
});

describe('a year of 45 sheets, some overridden, three failed', () => {
  let dir: string;
  let report: BatchReport;
  let bytes: Uint8Array;
  let texts: string[];
  const overrideAt = new Set([4, 9, 23, 30, 44]);
  const failAt = new Map([
    [5, 0],
    [17, 1],
    [38, 2],
  ]);
  beforeAll(async () => {
    dir = tmp();
    for (let i = 0; i < 45; i++)
      writeFileSync(
        join(dir, `s${String(i).padStart(2, '0')}.yaml`),
        variant(i, failAt.get(i) ?? -1, overrideAt.has(i)),
      );
    report = await buildBatch(await expandInputs([dir], 'ja'), {
      lang: 'ja',
      outDir: join(dir, 'out'),
      jobs: 1,
      sourceDateEpoch: 0,
    });
    bytes = readFileSync(join(dir, 'out', 'index.pdf'));
    texts = pageTexts(bytes);
  }, 300_000);

  it('runs over several pages; marks and notes on the same pages; the three failed sheets named', () => {
    expect(texts.length).toBeGreaterThanOrEqual(4);
    const failed = failedSheets(report.sheets);
    expect(failed.map((f) => f.where.replace(/:\d+$/u, ''))).toEqual(['s05.yaml', 's17.yaml', 's38.yaml']);
    expect(indexProblems(texts, overrideAt.size, failed)).toEqual([]);
    // The marks stand on more than one page, and the note is on each of them.
    const marked = texts.flatMap((p, i) => ((p.split(NOTE).join('|').match(MARK) ?? []).length > 0 ? [i] : []));
    expect(marked.length).toBeGreaterThan(1);
    const all = texts.join('');
    expect(all).toContain('s17.yaml:');
    expect(all).toContain('全角');
    const last = texts[texts.length - 1]!;
    expect(last).toContain(flat(FAILED_HEADING));
    expect(last).toContain(`${texts.length}/${texts.length}`);
  });

  it('keeps every glyph inside the page, none overlapping, none below 6 pt', () => {
    const v = checkPdf(bytes, []);
    expect(v, formatViolations(v)).toEqual([]);
  });

  it('looks like the reference (page 1: the incomplete line, a ※ mark and its note)', () => {
    const doc = mupdf.Document.openDocument(bytes, 'application/pdf');
    const png = doc.loadPage(0).toPixmap(mupdf.Matrix.scale(1, 1), mupdf.ColorSpace.DeviceRGB, false);
    const file = 'test/core/__references__/index-incomplete-p1.png';
    if (process.env.UPDATE_REFERENCES === '1' || !existsSync(file)) {
      writeFileSync(file, png.asPNG());
      if (process.env.UPDATE_REFERENCES !== '1') throw new Error(`reference ${file} was missing and has been written`);
    }
    const diff = compare(png, decodePng(readFileSync(file)));
    expect(diff.sameSize).toBe(true);
    expect(diff.ratio).toBeLessThanOrEqual(0.005);
  });
});

describe('failed sheets in the index name files the same wherever the set is built from', () => {
  it('a message naming another sheet by the path it was given quotes it as the index names it', () => {
    const base = join(tmpdir(), 'sheetgen-index-names', 'year');
    const given = (abs: boolean) => (f: string) => (abs ? join(base, f) : join('year', f));
    const reasons = (abs: boolean) => {
      const p = given(abs);
      const sheets = [
        { file: p('a.yaml'), status: 'built', diagnostics: [] },
        {
          file: p('sub/b.yaml'),
          status: 'failed',
          diagnostics: [
            {
              severity: 'error' as const,
              code: 'output.collision',
              file: p('sub/b.yaml'),
              line: 9,
              message: `2020-09.pdf is kept by ${p('a.yaml')}:9 (and ${p('sub/b.yaml')} is this one); data.yaml stays`,
            },
          ],
        },
      ];
      return failedSheets(sheets);
    };
    const a = reasons(true);
    expect(a).toEqual(reasons(false));
    expect(a[0]!.where).toBe('sub/b.yaml:9');
    expect(a[0]!.reason).toBe('2020-09.pdf is kept by a.yaml:9 (and sub/b.yaml is this one); data.yaml stays');
  });
});
