// ②'s grade marks against the computed grades: every way a clerk writes a mark (full- or half-width,
// the five dashes of 評価不能, ＫＰＩn or KPIn), each mismatch at its own line and column, and
// `sheetgen validate` reporting it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeLoaded } from '../../src/core/grade.js';
import { loadSheetText } from '../../src/core/load.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { normalGrade } from '../../src/validate/marks.js';

const root = join(import.meta.dirname, '..', '..');
const seedText = readFileSync(join(root, 'examples', 'asahi-2020-09.yaml'), 'utf8');

/** Grades of this sheet: 数値目標 D (▲11 → ▲74), KPI 15 ― (no actual), KPI 16 A (91 → 114). */
function seedWith(reasons: string): string {
  const start = seedText.indexOf('reasons: |\n');
  const end = seedText.indexOf('situation: |');
  return `${seedText.slice(0, start)}reasons: |\n${reasons.replace(/^/gmu, '  ')}\n${seedText.slice(end)}`;
}

function check(text: string, lang: 'en' | 'ja' = 'en'): Diagnostic[] {
  const r = gradeLoaded(loadSheetText('s.yaml', text, lang), { lang });
  return r.diagnostics.filter((d) => d.code.startsWith('reasons.'));
}

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.severity} ${d.code}`);

describe('grades as written in a mark', () => {
  it.each([
    ['Ｄ', 'D'],
    ['d', 'D'],
    [' Ａ ', 'A'],
    ['Ｓ※', 'S'],
    ['-', '―'],
    ['－', '―'],
    ['ー', '―'],
    ['―', '―'],
    ['‐', '―'],
  ])('%s reads as %s', (written, grade) => {
    expect(normalGrade(written)).toBe(normalGrade(grade));
  });
});

describe('free-text ② checked against the computed grades', () => {
  it('the seed: every mark agrees, its doubled 】 included (the real sheet, printed as written)', () => {
    expect(codes(check(seedText))).toEqual([]);
    // The doubled 】 does not hide a wrong grade.
    expect(codes(check(seedText.replace('ＫＰＩ16【達成状況：Ａ】】移住', 'ＫＰＩ16【達成状況：Ｂ】】移住')))).toEqual([
      'error reasons.mark-mismatch',
    ]);
  });

  it.each([
    ['full-width letters and a KPI prefix', '【達成状況：Ｄ】a\nＫＰＩ15【達成状況：―】b\nＫＰＩ16【達成状況：Ａ】c'],
    ['half-width letters and digits', '【達成状況:D】a\nKPI15【達成状況:-】b\nKPI16【達成状況:A】c'],
    [
      'full-width digits, a space after ＫＰＩ',
      '【達成状況：Ｄ】a\nＫＰＩ １５【達成状況：ー】b\nＫＰＩ１６【達成状況：Ａ】c',
    ],
    [
      'every dash for 評価不能',
      '【達成状況：Ｄ】a\nＫＰＩ15【達成状況：‐】b\nＫＰＩ15【達成状況：－】b\nＫＰＩ15【達成状況：-】\nＫＰＩ16【達成状況：Ａ】c',
    ],
    [
      'marks in any order, in the middle of a line',
      'まず、ＫＰＩ16【達成状況：Ａ】c。次に【達成状況：Ｄ】a。ＫＰＩ15【達成状況：―】b',
    ],
  ])('%s: no problem', (_, reasons) => {
    expect(codes(check(seedWith(reasons)))).toEqual([]);
  });

  it('a wrong grade is an error at the mark, naming both grades', () => {
    const text = seedWith('【達成状況：Ｄ】a\nＫＰＩ15【達成状況：―】b\nＫＰＩ16【達成状況：Ｂ】c');
    const ds = check(text);
    expect(codes(ds)).toEqual(['error reasons.mark-mismatch']);
    const line = text.split('\n').findIndex((l) => l.startsWith('  ＫＰＩ16【')) + 1;
    expect([ds[0]!.line, ds[0]!.column, ds[0]!.endLine, ds[0]!.endColumn]).toEqual([
      line,
      3,
      line,
      3 + 'ＫＰＩ16【達成状況：Ｂ】'.length,
    ]);
    expect(ds[0]!.message).toBe('② states the grade Ｂ for KPI 16, but its grade is A');
    expect(ds[0]!.hint).toContain('ＫＰＩ16【達成状況：Ａ】');
    expect(ds[0]!.hint).toContain('grade_override');
    const ja = check(text, 'ja');
    expect(ja[0]!.message).toBe('②にＫＰＩ16の達成状況が Ｂ と書かれていますが、評価は A です');
  });

  it("a mark with no KPI prefix is the 数値目標's; a grade of 評価不能 where there is one is an error", () => {
    const ds = check(seedWith('【達成状況：―】a\nＫＰＩ15【達成状況：―】b\nＫＰＩ16【達成状況：Ａ】c'));
    expect(codes(ds)).toEqual(['error reasons.mark-mismatch']);
    expect(ds[0]!.message).toContain('the 数値目標 (goal)');
    expect(ds[0]!.message).toContain('its grade is D');
  });

  it('the same text twice: each mark is located at its own place', () => {
    const text = seedWith(
      '【達成状況：Ｄ】a\nＫＰＩ15【達成状況：Ａ】b\nＫＰＩ16【達成状況：Ａ】c\nＫＰＩ15【達成状況：Ａ】d',
    );
    const ds = check(text);
    expect(codes(ds)).toEqual(['error reasons.mark-mismatch', 'error reasons.mark-mismatch']);
    const lines = text.split('\n').flatMap((l, i) => (l.startsWith('  ＫＰＩ15【達成状況：Ａ】') ? [i + 1] : []));
    expect(ds.map((d) => d.line)).toEqual(lines);
  });

  it('an overridden grade: the mark states the override (with or without ※); the computed grade is an error', () => {
    const over = seedText.replace(
      '    actuals: { 2019: 85, 2020: 114 }',
      '    actuals: { 2019: 85, 2020: 114 }\n    grade_override: { grade: S, reason: 年度末までに目標を達成する見込み }',
    );
    const withMark = (m: string) => {
      const start = over.indexOf('reasons: |\n');
      const end = over.indexOf('situation: |');
      return `${over.slice(0, start)}reasons: |\n  【達成状況：Ｄ】a\n  ＫＰＩ15【達成状況：―】b\n  ＫＰＩ16【達成状況：${m}】c\n${over.slice(end)}`;
    };
    expect(codes(check(withMark('Ｓ')))).toEqual([]);
    expect(codes(check(withMark('Ｓ※')))).toEqual([]);
    const ds = check(withMark('Ａ'));
    expect(codes(ds)).toEqual(['error reasons.mark-mismatch']);
    expect(ds[0]!.message).toContain('its grade is S (grade_override; computed A)');
  });

  it('an indicator whose grade the text never states: a warning, at the paragraph that names it', () => {
    const text = seedWith('【達成状況：Ｄ】a\nＫＰＩ15【達成状況：―】b\nＫＰＩ16の相談件数は増えた。');
    const ds = check(text);
    expect(codes(ds)).toEqual(['warning reasons.no-mark']);
    const line = text.split('\n').findIndex((l) => l.startsWith('  ＫＰＩ16の')) + 1;
    expect([ds[0]!.line, ds[0]!.column]).toEqual([line, 3]);
    expect(ds[0]!.hint).toContain('ＫＰＩ16【達成状況：Ａ】');
    // With no mention at all, at ② itself.
    const none = check(seedWith('何も書いていない。'));
    expect(codes(none)).toEqual(['warning reasons.no-mark', 'warning reasons.no-mark', 'warning reasons.no-mark']);
  });

  it('a mark for a KPI the sheet does not have is an error listing its KPIs', () => {
    const ds = check(
      seedWith('【達成状況：Ｄ】a\nＫＰＩ15【達成状況：―】b\nＫＰＩ16【達成状況：Ａ】c\nＫＰＩ61【達成状況：Ａ】d'),
    );
    expect(codes(ds)).toEqual(['error reasons.mark-unknown-kpi']);
    expect(ds[0]!.message).toContain('(its KPIs: 15, 16)');
  });

  it('an empty ② is a warning', () => {
    const text = seedText.replace(/reasons: \|\n(?: {2}.*\n|\n)*/u, 'reasons: ""\n');
    expect(codes(check(text))).toEqual(['warning reasons.empty']);
  });

  it('a mismatch stops the build (an error), but not grading itself', () => {
    const r = gradeLoaded(
      loadSheetText('s.yaml', seedWith('【達成状況：Ａ】a\nＫＰＩ15【達成状況：―】b\nＫＰＩ16【達成状況：Ａ】c'), 'en'),
      { lang: 'en' },
    );
    expect(r.graded?.goal.result.grade).toBe('D');
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.code === 'reasons.mark-mismatch')).toBe(true);
  });
});

describe('sheetgen validate reports the marks', () => {
  it('exit 1 with file:line:col of each mismatch; the seed is ok, with nothing to report', () => {
    const bin = join(root, 'bin', 'sheetgen.js');
    const run = (args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? '', LANG: 'C' },
      });
    const bad = run(['validate', 'test/fixtures/invalid/reasons-marks.yaml']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      'test/fixtures/invalid/reasons-marks.yaml:42:3: error: ② states the grade Ｃ for the 数値目標 (goal), but its grade is D',
    );
    expect(bad.stderr).toContain(
      'reasons-marks.yaml:46:3: error: ② states the grade Ｂ for KPI 17, but its grade is S (grade_override; computed B)',
    );
    const seed = run(['validate', 'examples/asahi-2020-09.yaml']);
    expect(seed.status).toBe(0);
    expect(seed.stdout).toContain('examples/asahi-2020-09.yaml: ok');
    expect(seed.stderr).toBe('');
  });
});

describe('sheetgen grade shows the grades even when a mark disagrees', () => {
  it("under another --scheme the seed's hand-written D is a warning in grade, an error in validate", () => {
    const bin = join(root, 'bin', 'sheetgen.js');
    const run = (args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? '', LANG: 'C' },
      });
    const g = run(['grade', '--scheme', 'five-level', 'examples/asahi-2020-09.yaml']);
    expect(g.status).toBe(0);
    expect(g.stdout).toMatch(/goal 人口の社会増減.*C$/mu);
    expect(g.stderr).toContain('warning: ② states the grade Ｄ for the 数値目標 (goal), but its grade is C');
    const v = run(['validate', '--scheme', 'five-level', 'examples/asahi-2020-09.yaml']);
    expect(v.status).toBe(1);
    expect(v.stderr).toContain('error: ② states the grade Ｄ for the 数値目標 (goal), but its grade is C');
  });
});
