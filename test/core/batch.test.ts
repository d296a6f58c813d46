// Building a set of sheets in this thread (--jobs 1): good and bad sheets side by side, output-name
// collisions, names that try to leave the folder, set-level checks, and the index read back from its PDF.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as mupdf from 'mupdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBatch, sweepTempFiles, type BatchReport } from '../../src/core/batch.js';
import { expandInputs } from '../../src/core/inputs.js';
import { safeOutputName } from '../../src/core/sheetjob.js';
import { sheetText } from '../../scripts/gen-sheets.mjs';
import { sameMeasureOtherNumbers } from '../helpers/seed-variants.js';

/** Temp folders made here, removed after the file's tests. */
const made: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sheetgen-batch-'));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
const seed = readFileSync('examples/asahi-2020-09.yaml', 'utf8');
const flat = (s: string): string => s.replace(/\s+/g, '');

function pdfPages(file: string): string[] {
  const doc = mupdf.Document.openDocument(readFileSync(file), 'application/pdf');
  const pages: string[] = [];
  for (let i = 0; i < doc.countPages(); i++) pages.push(doc.loadPage(i).toStructuredText('').asText());
  return pages;
}

const byFile = (r: BatchReport, name: string) => r.sheets.find((s) => s.file.endsWith(name))!;

describe('a folder with good and bad sheets', () => {
  let dir: string;
  let out: string;
  let report: BatchReport;
  beforeAll(async () => {
    dir = tmp();
    out = join(dir, 'out');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.yaml'), sheetText(0));
    writeFileSync(join(dir, 'sub', 'b.yml'), sheetText(1));
    // Bad: a word where a number belongs, at a known line.
    writeFileSync(join(dir, 'c.yaml'), sheetText(2).replace(/^fiscal_year: 2020/m, 'fiscal_year: 二〇二〇'));
    // Bad: not YAML at all.
    writeFileSync(join(dir, 'd.yaml'), 'municipality: [旭市\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a sheet');
    const files = await expandInputs([dir], 'en');
    report = await buildBatch(files, { lang: 'en', outDir: out, jobs: 1 });
  }, 60_000);

  it('finds every *.yaml and *.yml inside, recursively and sorted', () => {
    expect(report.sheets.map((s) => s.file.slice(dir.length + 1))).toEqual(['a.yaml', 'c.yaml', 'd.yaml', 'sub/b.yml']);
  });

  it('builds every good sheet', () => {
    expect(byFile(report, 'a.yaml').status).toBe('built');
    expect(byFile(report, 'b.yml').status).toBe('built');
    expect(readdirSync(out).sort()).toEqual([
      '2020-01.pdf',
      '2020-02.pdf',
      'grades.csv',
      'grades.json',
      'index.pdf',
      'projects.csv',
      'projects.json',
    ]);
    expect(flat(pdfPages(join(out, '2020-02.pdf')).join(''))).toContain('生涯活躍のまち構想2');
  });

  it('reports every bad sheet with located diagnostics and the text for its code frame', () => {
    const c = byFile(report, 'c.yaml');
    expect(c.status).toBe('failed');
    const line =
      sheetText(2)
        .split('\n')
        .findIndex((l) => l.startsWith('fiscal_year:')) + 1;
    expect(c.diagnostics.some((d) => d.severity === 'error' && d.line === line && d.path?.[0] === 'fiscal_year')).toBe(
      true,
    );
    expect(c.text).toContain('fiscal_year: 二〇二〇');
    const d = byFile(report, 'd.yaml');
    expect(d.status).toBe('failed');
    expect(d.diagnostics[0]!.code).toMatch(/^yaml\./);
    expect(d.diagnostics[0]!.line).toBe(1);
  });

  it('leaves no temp files and says in the index that sheets are missing', () => {
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const pages = pdfPages(join(out, 'index.pdf')).map(flat);
    // Every page says so; the last names each failed sheet.
    for (const p of pages) expect(p).toContain('【未完成】エラーのため2件のシートがこの一覧表に含まれていません');
    expect(pages[pages.length - 1]).toContain('この一覧表に含まれていないシート');
  });
});

describe('output names', () => {
  it('two sheets that would write the same PDF: the first of the file order keeps it, the other is an error naming it; both are told', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'one.yaml'), seed);
    // KPIs renumbered, with the marks of ② that name them.
    writeFileSync(join(dir, 'two.yaml'), sameMeasureOtherNumbers(seed));
    writeFileSync(join(dir, 'three.yaml'), sheetText(0));
    const out = join(dir, 'out');
    const r = await buildBatch(await expandInputs([dir], 'en'), { lang: 'en', outDir: out, jobs: 1 });
    const one = byFile(r, 'one.yaml');
    const two = byFile(r, 'two.yaml');
    expect(one.status).toBe('built');
    expect(one.output).toBe(join(out, '2020-09.pdf'));
    const kept = one.diagnostics.find((x) => x.code === 'output.collision')!;
    expect(kept.severity).toBe('warning');
    expect(kept.message).toContain(`${join(dir, 'two.yaml')}:13`);
    expect(two.status).toBe('failed');
    const d = two.diagnostics.find((x) => x.code === 'output.collision')!;
    expect(d.severity).toBe('error');
    expect(d.message).toContain('2020-09.pdf');
    expect(d.message).toContain('comes first in the batch');
    expect(d.message).toContain(`${join(dir, 'one.yaml')}:13`);
    expect([d.line, d.column]).toEqual([13, 20]);
    expect(byFile(r, 'three.yaml').status).toBe('built');
    // The PDF on disk is one.yaml's (its bytes as one.yaml alone builds them).
    const alone = await buildBatch([join(dir, 'one.yaml')], { lang: 'en', outDir: join(dir, 'alone'), jobs: 1 });
    expect(readFileSync(join(out, '2020-09.pdf'))).toEqual(readFileSync(alone.sheets[0]!.output!));
    expect(existsSync(join(out, '2020-01.pdf'))).toBe(true);
  }, 60_000);

  it('a sheet whose data tries to name ../x cannot: the schema refuses it and nothing lands outside the folder', async () => {
    const dir = tmp();
    const out = join(dir, 'deep', 'out');
    writeFileSync(
      join(dir, 'evil.yaml'),
      seed
        .replace('measure: { number: 9,', 'measure: { number: "../../x",')
        .replace('fiscal_year: 2020 ', 'fiscal_year: "../.." '),
    );
    writeFileSync(join(dir, 'good.yaml'), sheetText(4));
    const r = await buildBatch(await expandInputs([join(dir, 'evil.yaml'), join(dir, 'good.yaml')], 'en'), {
      lang: 'en',
      outDir: out,
      jobs: 1,
    });
    const evil = byFile(r, 'evil.yaml');
    expect(evil.status).toBe('failed');
    expect(evil.diagnostics.some((d) => d.path?.join('.') === 'measure.number')).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['deep', 'evil.yaml', 'good.yaml']);
    expect(readdirSync(join(dir, 'deep'))).toEqual(['out']);
    expect(readdirSync(out).sort()).toEqual([
      '2020-05.pdf',
      'grades.csv',
      'grades.json',
      'index.pdf',
      'projects.csv',
      'projects.json',
    ]);
  }, 60_000);

  it('the name is made of digits only, whatever the model holds', () => {
    expect(safeOutputName({ fiscalYear: 2020, measure: { number: 9 } })).toBe('2020-09.pdf');
    expect(safeOutputName({ fiscalYear: 2020, measure: { number: 123 } })).toBe('2020-123.pdf');
    expect(safeOutputName({ fiscalYear: '../..', measure: { number: 9 } })).toBeUndefined();
    expect(safeOutputName({ fiscalYear: 2020, measure: { number: '../x' } })).toBeUndefined();
    expect(safeOutputName({ fiscalYear: 2020, measure: { number: -1 } })).toBeUndefined();
    expect(safeOutputName({ fiscalYear: 2020.5, measure: { number: 1 } })).toBeUndefined();
    expect(safeOutputName({ fiscalYear: 2020, measure: { number: Infinity } })).toBeUndefined();
  });
});

describe('checks across the set', () => {
  it('reports shared KPI and opinion numbers and a different year or stage with the places of both; the sheets are still built', async () => {
    const dir = tmp();
    const a = sheetText(0);
    // Sheet b reuses KPI 1 of sheet a and opinion 1; sheet c is of another year.
    // (its paragraph of ② per indicator follows the KPI's new number)
    const b = sheetText(1)
      .replace(/number: 3\b/, 'number: 1')
      .replace(/^(\s+)"3":/mu, '$1"1":')
      .replace(/- number: 2\b(\s+#[^\n]*)?\n(\s+opinion)/, '- number: 1$1\n$2');
    writeFileSync(join(dir, 'a.yaml'), a);
    writeFileSync(join(dir, 'b.yaml'), b);
    writeFileSync(
      join(dir, 'c.yaml'),
      sheetText(2)
        .replace(/^fiscal_year: 2020/m, 'fiscal_year: 2021')
        .replace(/^stage: 事後・決算/m, 'stage: 事前'),
    );
    const r = await buildBatch(await expandInputs([dir], 'en'), { lang: 'en', outDir: join(dir, 'out'), jobs: 1 });
    expect(r.sheets.map((s) => s.status)).toEqual(['built', 'built', 'built']);
    const codes = r.setDiagnostics.map((d) => `${d.code} ${d.file?.slice(dir.length + 1)}:${d.line}`);
    const lineOf = (text: string, re: RegExp) => text.split('\n').findIndex((l) => re.test(l)) + 1;
    expect(codes).toEqual([
      `set.fiscal-year c.yaml:${lineOf(sheetText(2), /^fiscal_year/)}`,
      `set.stage c.yaml:${lineOf(sheetText(2), /^stage/)}`,
      `set.kpi-number a.yaml:${lineOf(a, /- number: 1\b/)}`,
      `set.kpi-number b.yaml:${lineOf(b, /- number: 1\b/)}`,
      `set.committee-number a.yaml:${lineOf(a, /^committee/) + 1}`,
      `set.committee-number b.yaml:${lineOf(b, /^committee/) + 1}`,
    ]);
    const kpiA = r.setDiagnostics.find((d) => d.code === 'set.kpi-number' && d.file?.endsWith('a.yaml'))!;
    expect(kpiA.message).toContain(`${join(dir, 'b.yaml')}:${lineOf(b, /- number: 1\b/)}`);
    expect(r.setDiagnostics[0]!.message).toContain('2 sheet(s) are for 2020');
  }, 60_000);
});

describe('the index sheet (一覧表)', () => {
  let pages: string[];
  let dir: string;
  const count = 40;
  beforeAll(async () => {
    dir = tmp();
    for (let i = 0; i < count; i++) writeFileSync(join(dir, `s${String(i).padStart(2, '0')}.yaml`), sheetText(i));
    await buildBatch(await expandInputs([dir], 'en'), {
      lang: 'en',
      outDir: join(dir, 'out'),
      jobs: 1,
      sourceDateEpoch: 0,
    });
    pages = pdfPages(join(dir, 'out', 'index.pdf'));
  }, 120_000);

  it('runs over several pages, each with the title and the header row', () => {
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages) {
      expect(flat(p)).toContain('重点施策数値目標・ＫＰＩ達成状況一覧表令和2年度事後・決算');
      expect(flat(p)).toContain('基準値目標値実績（令和2年度）');
    }
    expect(flat(pages[pages.length - 1]!)).toContain(`${pages.length}/${pages.length}`);
  });

  it('has one row per indicator of every measure, in order, with the grade', () => {
    const all = flat(pages.join(''));
    let at = 0;
    // Publication order: by 基本目標 (1 + i % 4 in the generated set), then by measure number.
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => (a % 4) - (b % 4) || a - b);
    for (const i of order) {
      const next = all.indexOf(`${i + 1}生涯活躍のまち構想${i + 1}`, at);
      expect(next, `measure ${i + 1}`).toBeGreaterThanOrEqual(at);
      at = next;
      expect(all.indexOf(`ＫＰＩ${2 * i + 1}生涯活躍のまちへの移住者数`, at)).toBeGreaterThan(at);
      expect(all.indexOf(`ＫＰＩ${2 * i + 2}移住相談件数`, at)).toBeGreaterThan(at);
    }
    // Each KPI row reads baseline, target, actual and grade as grades.json has them.
    const json = JSON.parse(readFileSync(join(dir, 'out', 'grades.json'), 'utf8')) as {
      rows: { kpi_number: number | null; baseline: number; target: number; actual: number; grade: string }[];
    };
    for (const r of json.rows.filter((x) => x.kpi_number !== null && x.kpi_number % 2 === 0)) {
      expect(all).toContain(
        `ＫＰＩ${r.kpi_number}移住相談件数${r.baseline}件（30年度）${r.target}件（6年度）${r.actual}件${r.grade}`,
      );
    }
  });

  it('ends with the count of each grade per 基本目標 and overall', () => {
    const last = flat(pages[pages.length - 1]!);
    expect(last).toContain('基本目標別の達成状況（指標数）');
    for (const g of [1, 2, 3, 4]) expect(last).toContain(`基本目標${g}`);
    // 40 sheets × 3 indicators.
    expect(last).toMatch(/合計\d*120/);
  });

  it('is the same bytes for the same set', async () => {
    const again = join(dir, 'again');
    await buildBatch(await expandInputs([dir], 'en'), { lang: 'en', outDir: again, jobs: 1, sourceDateEpoch: 0 });
    expect(readFileSync(join(again, 'index.pdf')).equals(readFileSync(join(dir, 'out', 'index.pdf')))).toBe(true);
    expect(readFileSync(join(again, 'grades.csv')).equals(readFileSync(join(dir, 'out', 'grades.csv')))).toBe(true);
  }, 120_000);
});

describe('stopping', () => {
  it('an aborted batch starts no more sheets, writes no index and leaves no temp files', async () => {
    const dir = tmp();
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, `s${i}.yaml`), sheetText(i));
    const ac = new AbortController();
    const out = join(dir, 'out');
    const r = await buildBatch(await expandInputs([dir], 'en'), {
      lang: 'en',
      outDir: out,
      jobs: 1,
      signal: ac.signal,
      onProgress: (e) => {
        if (e.done === 2) ac.abort();
      },
    });
    expect(r.aborted).toBe(true);
    expect(r.sheets.filter((s) => s.status === 'built').length).toBe(2);
    expect(r.sheets.filter((s) => s.status === 'skipped').length).toBe(4);
    expect(readdirSync(out).sort()).toEqual(['2020-01.pdf', '2020-02.pdf']);
  }, 60_000);

  it('sweeps only this process’s temp files', async () => {
    const dir = tmp();
    writeFileSync(join(dir, `.2020-01.pdf.${process.pid}.abc123.tmp`), 'partial');
    writeFileSync(join(dir, `.2020-01.pdf.999999999.abc123.tmp`), 'someone else');
    writeFileSync(join(dir, '2020-02.pdf'), '%PDF-');
    await sweepTempFiles(dir);
    expect(readdirSync(dir).sort()).toEqual(['.2020-01.pdf.999999999.abc123.tmp', '2020-02.pdf']);
  });
});
