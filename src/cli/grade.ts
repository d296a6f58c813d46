//! `sheetgen grade FILE... [--json]`: the grade of every indicator, as a table or one JSON document.

import type { Command } from 'commander';
import { EXIT, hasErrors, type Diagnostic, type Lang } from '../diagnostics.js';
import { gradeLoaded } from '../core/grade.js';
import type { GradedIndicator, GradedSheet, Measured, Target } from '../model/types.js';
import { plainNumber } from '../export/csv.js';
import { displayWidth } from './report.js';
import { exit, globals, loadForCommand, out, printDiagnostics } from './io.js';

/** One indicator as the JSON report gives it: numbers as numbers, null where absent. */
export function indicatorJson(g: GradedIndicator, fiscalYear: number) {
  const ind = g.indicator;
  const r = g.result;
  return {
    kind: ind.kind,
    number: ind.number,
    name: ind.name,
    unit: ind.unit,
    better: ind.better,
    baseline: ind.baseline?.value ?? null,
    baseline_year: ind.baseline?.year ?? null,
    target: ind.target?.value ?? null,
    target_label: ind.target?.label ?? null,
    target_year: ind.target?.year ?? null,
    year: fiscalYear,
    actual: r.actual?.value ?? null,
    change: r.change,
    grade: r.grade,
    computed_grade: r.computed,
    overridden: r.overridden,
    override_reason: r.reason ?? null,
    rule: r.rule,
  };
}

export function sheetJson(file: string, graded: GradedSheet) {
  const s = graded.sheet;
  return {
    file,
    municipality: s.municipality,
    fiscal_year: s.fiscalYear,
    stage: s.stage,
    basic_goal: s.basicGoal,
    measure: s.measure.number,
    measure_title: s.measure.title,
    scheme: graded.scheme.id,
    indicators: [graded.goal, ...graded.kpis].map((g) => indicatorJson(g, s.fiscalYear)),
    totals: {
      cost: Object.fromEntries(graded.totals.cost),
      general_fund: Object.fromEntries(graded.totals.generalFund),
      cost_total: graded.totals.costTotal,
      general_fund_total: graded.totals.generalFundTotal,
    },
  };
}

/** A number with the digits the file wrote (24.0 stays 24.0), plain minus, no separators: a terminal table. */
const num = (v: number | undefined, unit = '', written?: string): string =>
  v === undefined ? '-' : `${written !== undefined && Number(written) === v ? written : plainNumber(v)}${unit}`;
const targetText = (t: Target | undefined, unit: string): string =>
  t === undefined ? '-' : t.value !== undefined ? num(t.value, unit, t.valueWritten) : (t.label ?? '-');
// Rounded to 0.1%, except that a value short of a band boundary (0, ±10%, …) is never rounded onto it:
// +9.97% (B) prints as +9.9%, not +10.0% beside B; +25.27% prints as +25.3%.
const pct = (c: number | null): string => {
  if (c === null) return '-';
  const a = Math.round(Math.abs(c) * 1e9) / 1e7; // percent, with float noise dropped (0.1 → 10, not 10.000000000000002)
  let shown = Math.round(a * 10) / 10;
  if (shown % 10 === 0 && a < shown) shown = Math.trunc(a * 10) / 10;
  return `${c > 0 ? '+' : c < 0 && shown !== 0 ? '-' : ''}${shown.toFixed(1)}%`;
};
const measuredText = (m: Measured | null | undefined, unit: string): string =>
  m ? num(m.value, unit, m.written) : '-';

function pad(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - displayWidth(s)));
}

export function gradeTable(graded: GradedSheet, lang: Lang): string {
  const head =
    lang === 'ja'
      ? ['指標', '基準値', '目標値', '実績', '増減率', '評価']
      : ['indicator', 'baseline', 'target', 'actual', 'change', 'grade'];
  const rows = [graded.goal, ...graded.kpis].map((g) => {
    const i = g.indicator;
    const label = i.kind === 'goal' ? `${lang === 'ja' ? '数値目標' : 'goal'} ${i.name}` : `KPI${i.number} ${i.name}`;
    const grade = g.result.overridden
      ? `${g.result.grade} (${lang === 'ja' ? '上書き' : 'override'}; ${g.result.computed})`
      : g.result.grade;
    return [
      label,
      measuredText(i.baseline, i.unit),
      targetText(i.target, i.unit),
      measuredText(g.result.actual, i.unit),
      pct(g.result.change),
      grade,
    ];
  });
  const widths = head.map((h, c) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[c] ?? ''))));
  const line = (r: string[]): string =>
    r
      .map((cell, c) => pad(cell, widths[c] ?? 0))
      .join('  ')
      .trimEnd();
  const s = graded.sheet;
  const title = `${s.municipality} ${s.fiscalYear} ${s.stage} ${lang === 'ja' ? '重点施策' : 'measure'}${s.measure.number} ${s.measure.title} (${graded.scheme.id})`;
  return [title, line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function register(program: Command): void {
  program
    .command('grade')
    .description('grade every indicator (数値目標 and KPIs) of the evaluated fiscal year')
    .argument('<files...>', 'sheet YAML files')
    .option('--json', 'print one JSON document with every sheet and indicator')
    .option('--scheme <name|file>', 'grading scheme: asahi (default), five-level, or a scheme JSON file')
    .addHelpText(
      'after',
      '\nExamples:\n  $ sheetgen grade examples/asahi-2020-09.yaml\n  $ sheetgen grade --json examples/*.yaml > grades.json',
    )
    .action(async (files: string[], opts: { json?: boolean; scheme?: string }, cmd: Command) => {
      const g = globals(cmd);
      const sheets: unknown[] = [];
      let failed = false;
      for (const file of files) {
        // A ② mark that disagrees is the text's problem (validate and build refuse it); the grades still show here.
        const r = gradeLoaded(await loadForCommand(file, g.lang), {
          lang: g.lang,
          markMismatch: 'warning',
          ...(opts.scheme ? { scheme: opts.scheme } : {}),
        });
        printDiagnostics(r.diagnostics, r.text, g);
        if (!r.graded || hasErrors(r.diagnostics)) {
          failed = true;
          if (opts.json) sheets.push({ file, errors: r.diagnostics.map(diagJson) });
          continue;
        }
        if (opts.json) sheets.push(sheetJson(file, r.graded));
        else out(`${gradeTable(r.graded, g.lang)}\n`);
      }
      if (opts.json) out(JSON.stringify({ sheets }, null, 2));
      exit.raise(failed ? EXIT.invalid : EXIT.ok);
    });
}

export function diagJson(d: Diagnostic) {
  return {
    severity: d.severity,
    code: d.code,
    file: d.file ?? null,
    line: d.line ?? null,
    column: d.column ?? null,
    path: d.path ?? null,
    message: d.message,
    hint: d.hint ?? null,
  };
}
