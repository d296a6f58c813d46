//! Grades one indicator (or a whole sheet) by docs/format.md (評価方式) and the README (Grading): no data, target met,
//! change from the baseline, with every comparison done exactly on the decimals as written.

import { SheetgenError, formatPath, type Diagnostic } from '../diagnostics.js';
import type { Criterion, GradedIndicator, GradeResult, Indicator, Measured, Sheet, YamlPath } from '../model/types.js';
import { abs, compare, compareRatio, fromNumber, neg, ratioToNumber, signOf, sub, type Decimal } from './decimal.js';
import { bandsOf, legendGrades, type GradingScheme } from './scheme.js';

function bad(path: YamlPath, code: string, message: string): SheetgenError {
  const diag: Diagnostic = { severity: 'error', code, path, message };
  return new SheetgenError(`${formatPath(path)}: ${message}`, { diagnostics: [diag] });
}

/** The exact decimal of a value; a non-finite number (YAML .inf/.nan) is the user's to fix. */
function exact(x: number, path: YamlPath): Decimal {
  if (!Number.isFinite(x))
    throw bad(path, 'grade.value', `cannot grade a value that is not a finite number (${String(x)})`);
  return fromNumber(x);
}

function meetsCriterion(actual: Decimal, c: Criterion, path: YamlPath): boolean {
  const cmp = compare(actual, exact(c.value, path));
  switch (c.op) {
    case 'above':
      return cmp > 0;
    case 'at_least':
      return cmp >= 0;
    case 'below':
      return cmp < 0;
    case 'at_most':
      return cmp <= 0;
  }
}

/** Rule 2: a numeric target by direction; a word target only through its stated criterion. */
function targetMet(ind: Indicator, actual: Decimal): boolean {
  const t = ind.target;
  if (!t) return false;
  if (t.value !== undefined) {
    const cmp = compare(actual, exact(t.value, [...t.path, 'value']));
    return ind.better === 'higher' ? cmp >= 0 : cmp <= 0;
  }
  if (t.metWhen) return meetsCriterion(actual, t.metWhen, [...t.path, 'met_when']);
  return false;
}

/** The grade by the rules alone, before any override. */
function computeGrade(
  ind: Indicator,
  actualM: Measured | null,
  scheme: GradingScheme,
): Omit<GradeResult, 'grade' | 'overridden' | 'reason'> {
  const base = { actual: actualM, change: null };
  if (!actualM) return { ...base, computed: scheme.noData, rule: 'no-actual' };
  if (!ind.baseline && !ind.target) return { ...base, computed: scheme.noData, rule: 'no-basis' };

  const actual = exact(actualM.value, actualM.path);
  if (targetMet(ind, actual)) return { ...base, computed: scheme.targetMet, rule: 'target-met' };
  if (!ind.baseline) return { ...base, computed: scheme.noData, rule: 'no-basis' };

  const baseline = exact(ind.baseline.value, ind.baseline.path);
  // Improvement is "up" for higher-is-better and "down" for lower-is-better: flip the difference.
  const diff = sub(actual, baseline);
  const gain = ind.better === 'higher' ? diff : neg(diff);

  if (signOf(baseline) === 0) {
    const s = signOf(gain);
    const g = s > 0 ? scheme.zeroBaseline.improved : s < 0 ? scheme.zeroBaseline.worsened : scheme.zeroBaseline.equal;
    return { ...base, computed: g, rule: 'zero-baseline' };
  }

  const den = abs(baseline);
  const bands = bandsOf(scheme);
  let grade: string | undefined;
  for (const b of bands) {
    if (b.min === null) {
      grade = b.grade;
      break;
    }
    const c = compareRatio(gain, den, b.min);
    if (c > 0 || (c === 0 && b.inclusive)) {
      grade = b.grade;
      break;
    }
  }
  // A checked scheme always ends with an open band; guard anyway so a hand-built one fails loudly.
  if (grade === undefined)
    throw new Error(`grading scheme ${scheme.id}: no band caught r; the last band must have no min`);
  return { ...base, computed: grade, change: ratioToNumber(gain, den), rule: 'change' };
}

/** Grades one indicator for the evaluated fiscal year under the given scheme. */
export function gradeIndicator(ind: Indicator, fiscalYear: number, scheme: GradingScheme): GradeResult {
  const actual = ind.actuals.get(fiscalYear) ?? null;
  const r = computeGrade(ind, actual, scheme);
  const o = ind.override;
  if (!o)
    return {
      grade: r.computed,
      computed: r.computed,
      overridden: false,
      actual: r.actual,
      change: r.change,
      rule: r.rule,
    };

  if (!legendGrades(scheme).has(o.grade)) {
    const allowed = scheme.legend.map((e) => e.grade).join(' ');
    throw bad(
      [...o.path, 'grade'],
      'grade.override',
      `override grade "${o.grade}" is not in the legend of grading scheme ${scheme.id} (${allowed})`,
    );
  }
  // the grading rules (README "Grading", docs/format.md): a grade may be overridden "only with a written reason".
  if (o.reason.trim() === '')
    throw bad([...o.path, 'reason'], 'grade.override', 'an overridden grade needs a written reason');
  return {
    grade: o.grade,
    computed: r.computed,
    overridden: true,
    reason: o.reason,
    actual: r.actual,
    change: r.change,
    rule: r.rule,
  };
}

/** Grades the 数値目標 and every KPI of a sheet for its evaluated fiscal year. */
export function gradeSheet(sheet: Sheet, scheme: GradingScheme): { goal: GradedIndicator; kpis: GradedIndicator[] } {
  const one = (indicator: Indicator): GradedIndicator => ({
    indicator,
    result: gradeIndicator(indicator, sheet.fiscalYear, scheme),
  });
  return { goal: one(sheet.goal), kpis: sheet.kpis.map(one) };
}
