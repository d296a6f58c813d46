//! The grading rules of the grading rules (README "Grading", docs/format.md) as a table, for both built-in schemes: every rule, both sides of
//! every boundary, lower-is-better mirrors, negative and zero baselines, float traps, overrides.

import { describe, expect, it } from 'vitest';
import { SheetgenError } from '../../src/diagnostics.js';
import { gradeIndicator, gradeSheet, loadScheme } from '../../src/grade/index.js';
import type {
  Better,
  Criterion,
  GradeOverride,
  GradeResult,
  Indicator,
  Measured,
  Sheet,
} from '../../src/model/types.js';

const FY = 2020;

interface Spec {
  better?: Better;
  baseline?: number;
  target?: number | { label: string; metWhen?: Criterion };
  actual?: number;
  override?: Omit<GradeOverride, 'path'>;
}

function measured(value: number, path: (string | number)[]): Measured {
  return { value, calendar: false, path };
}

function indicator(spec: Spec): Indicator {
  const path = ['kpis', 0];
  const ind: Indicator = {
    kind: 'kpi',
    number: 1,
    name: 'test',
    unit: '件',
    better: spec.better ?? 'higher',
    actuals: new Map(spec.actual === undefined ? [] : [[FY, measured(spec.actual, [...path, 'actuals', String(FY)])]]),
    path,
  };
  if (spec.baseline !== undefined) ind.baseline = measured(spec.baseline, [...path, 'baseline']);
  if (spec.target !== undefined) {
    const tpath = [...path, 'target'];
    ind.target =
      typeof spec.target === 'number'
        ? { value: spec.target, year: 2024, path: tpath }
        : { ...spec.target, year: 2024, path: tpath };
  }
  if (spec.override) ind.override = { ...spec.override, path: [...path, 'override'] };
  return ind;
}

const asahi = loadScheme('asahi');
const five = loadScheme('five-level');
const NO = '―'; // asahi's 評価不能 (U+2015, as printed in the seed's legend)
const NO5 = '―'; // five-level's 評価不能 (U+2015, as on the city's legend)

const increase: Spec['target'] = { label: '増加', metWhen: { op: 'above', value: 0 } };

type Row = [label: string, spec: Spec, asahi: string, fiveLevel: string, rule: GradeResult['rule']];

// prettier-ignore
const TABLE: Row[] = [
  // Rule 1: no data.
  ['no actual at all (KPI 15)', {}, NO, NO5, 'no-actual'],
  ['baseline and target but no actual', { baseline: 91, target: 200 }, NO, NO5, 'no-actual'],
  ['actual but no baseline and no target', { actual: 5 }, NO, NO5, 'no-basis'],
  ['target not met and no baseline', { target: 200, actual: 199 }, NO, NO5, 'no-basis'],
  ['word target without met_when, no baseline', { target: { label: '増加' }, actual: 1e9 }, NO, NO5, 'no-basis'],
  // Rule 2: target met.
  ['target met exactly (higher)', { baseline: 91, target: 200, actual: 200 }, 'S', 'S', 'target-met'],
  ['target exceeded (higher)', { baseline: 91, target: 200, actual: 250 }, 'S', 'S', 'target-met'],
  ['just short of the target (higher)', { baseline: 91, target: 200, actual: 199.99 }, 'A', 'A', 'change'],
  ['target met without a baseline', { target: 200, actual: 200 }, 'S', 'S', 'target-met'],
  ['decimal target met exactly', { baseline: 0.1, target: 0.3, actual: 0.3 }, 'S', 'S', 'target-met'],
  ['0.1+0.2 is not 0.3 as written', { baseline: 0.1, target: 0.3, actual: 0.1 + 0.2 }, 'S', 'S', 'target-met'],
  ['target met exactly (lower)', { better: 'lower', baseline: 10, target: 5, actual: 5 }, 'S', 'S', 'target-met'],
  ['below the target (lower)', { better: 'lower', baseline: 10, target: 5, actual: 4 }, 'S', 'S', 'target-met'],
  ['just above the target (lower)', { better: 'lower', baseline: 10, target: 5, actual: 5.01 }, 'A', 'A', 'change'],
  [
    'lower target passed upward is not met',
    { better: 'lower', baseline: 10, target: 5, actual: 11 },
    'D',
    'C',
    'change',
  ],
  // Word targets: only through met_when.
  ['増加 above 0: 1 meets it', { baseline: -11, target: increase, actual: 1 }, 'S', 'S', 'target-met'],
  ['増加 above 0: 0 does not', { baseline: -11, target: increase, actual: 0 }, 'A', 'A', 'change'],
  [
    'at_least 0: 0 meets it',
    { baseline: -11, target: { label: '維持', metWhen: { op: 'at_least', value: 0 } }, actual: 0 },
    'S',
    'S',
    'target-met',
  ],
  [
    'at_least 0: -0.01 does not',
    { baseline: -11, target: { label: '維持', metWhen: { op: 'at_least', value: 0 } }, actual: -0.01 },
    'A',
    'A',
    'change',
  ],
  [
    'below 100: 99.9 meets it',
    { better: 'lower', baseline: 120, target: { label: '減少', metWhen: { op: 'below', value: 100 } }, actual: 99.9 },
    'S',
    'S',
    'target-met',
  ],
  [
    'below 100: 100 does not',
    { better: 'lower', baseline: 120, target: { label: '減少', metWhen: { op: 'below', value: 100 } }, actual: 100 },
    'A',
    'A',
    'change',
  ],
  [
    'at_most 100: 100 meets it',
    { better: 'lower', baseline: 120, target: { label: '減少', metWhen: { op: 'at_most', value: 100 } }, actual: 100 },
    'S',
    'S',
    'target-met',
  ],
  [
    'at_most 100: 100.1 does not',
    {
      better: 'lower',
      baseline: 120,
      target: { label: '減少', metWhen: { op: 'at_most', value: 100 } },
      actual: 100.1,
    },
    'A',
    'A',
    'change',
  ],
  [
    'at_most 0.3: 0.1+0.2 does not',
    { baseline: 1, target: { label: '減少', metWhen: { op: 'at_most', value: 0.3 } }, actual: 0.1 + 0.2 },
    'D',
    'C',
    'change',
  ],
  [
    'word target without met_when never gives S',
    { baseline: 10, target: { label: '増加' }, actual: 1000 },
    'A',
    'A',
    'change',
  ],
  // Rule 3: bands, both sides of each boundary (higher is better).
  ['30 → 33 is exactly +10%', { baseline: 30, actual: 33 }, 'A', 'A', 'change'],
  ['30 → 32.99', { baseline: 30, actual: 32.99 }, 'B', 'B', 'change'],
  ['30 → 30.01', { baseline: 30, actual: 30.01 }, 'B', 'B', 'change'],
  ['30 → 30', { baseline: 30, actual: 30 }, 'C', 'B', 'change'],
  ['30 → 29.99', { baseline: 30, actual: 29.99 }, 'C', 'B', 'change'],
  ['30 → 27.01', { baseline: 30, actual: 27.01 }, 'C', 'B', 'change'],
  ['30 → 27 is exactly −10%', { baseline: 30, actual: 27 }, 'D', 'C', 'change'],
  ['30 → 26.99', { baseline: 30, actual: 26.99 }, 'D', 'C', 'change'],
  ['0.3 → 0.33', { baseline: 0.3, actual: 0.33 }, 'A', 'A', 'change'],
  ['0.3 → 0.3299', { baseline: 0.3, actual: 0.3299 }, 'B', 'B', 'change'],
  ['0.3 → 0.27', { baseline: 0.3, actual: 0.27 }, 'D', 'C', 'change'],
  ['0.3 → 0.2701', { baseline: 0.3, actual: 0.2701 }, 'C', 'B', 'change'],
  ['42.5 → 46.75', { baseline: 42.5, actual: 46.75 }, 'A', 'A', 'change'],
  ['42.5 → 46.74', { baseline: 42.5, actual: 46.74 }, 'B', 'B', 'change'],
  ['42.5 → 38.25', { baseline: 42.5, actual: 38.25 }, 'D', 'C', 'change'],
  ['42.5 → 38.26', { baseline: 42.5, actual: 38.26 }, 'C', 'B', 'change'],
  ['0.7 → 0.77', { baseline: 0.7, actual: 0.77 }, 'A', 'A', 'change'],
  ['1e-7 → 1.1e-7', { baseline: 1e-7, actual: 1.1e-7 }, 'A', 'A', 'change'],
  ['1e21 → 1.1e21', { baseline: 1e21, actual: 1.1e21 }, 'A', 'A', 'change'],
  ['1e21 → 1.09e21', { baseline: 1e21, actual: 1.09e21 }, 'B', 'B', 'change'],
  // Lower is better: the same boundaries mirrored.
  ['待機児童数 10 → 9 is +10%', { better: 'lower', baseline: 10, actual: 9 }, 'A', 'A', 'change'],
  ['lower 10 → 9.01', { better: 'lower', baseline: 10, actual: 9.01 }, 'B', 'B', 'change'],
  ['lower 10 → 10', { better: 'lower', baseline: 10, actual: 10 }, 'C', 'B', 'change'],
  ['lower 10 → 10.99', { better: 'lower', baseline: 10, actual: 10.99 }, 'C', 'B', 'change'],
  ['lower 10 → 11 is −10%', { better: 'lower', baseline: 10, actual: 11 }, 'D', 'C', 'change'],
  ['lower 0.3 → 0.27', { better: 'lower', baseline: 0.3, actual: 0.27 }, 'A', 'A', 'change'],
  // Negative baselines: r is over |baseline|.
  ['seed goal ▲11 → ▲74 (増加 not met)', { baseline: -11, target: increase, actual: -74 }, 'D', 'C', 'change'],
  ['−11 → −9.9 is +10%', { baseline: -11, actual: -9.9 }, 'A', 'A', 'change'],
  ['−11 → −9.91', { baseline: -11, actual: -9.91 }, 'B', 'B', 'change'],
  ['−11 → −11', { baseline: -11, actual: -11 }, 'C', 'B', 'change'],
  ['−11 → −12.09', { baseline: -11, actual: -12.09 }, 'C', 'B', 'change'],
  ['−11 → −12.1 is −10%', { baseline: -11, actual: -12.1 }, 'D', 'C', 'change'],
  ['lower −11 → −12.1 is +10%', { better: 'lower', baseline: -11, actual: -12.1 }, 'A', 'A', 'change'],
  ['lower −11 → −9.9 is −10%', { better: 'lower', baseline: -11, actual: -9.9 }, 'D', 'C', 'change'],
  // Baseline 0: direction only.
  ['0 → 1', { baseline: 0, actual: 1 }, 'A', 'A', 'zero-baseline'],
  ['0 → 0.0001', { baseline: 0, actual: 0.0001 }, 'A', 'A', 'zero-baseline'],
  ['0 → 0', { baseline: 0, actual: 0 }, 'C', 'B', 'zero-baseline'],
  ['0 → -0', { baseline: 0, actual: -0 }, 'C', 'B', 'zero-baseline'],
  ['0 → −1', { baseline: 0, actual: -1 }, 'D', 'C', 'zero-baseline'],
  ['lower 0 → −1', { better: 'lower', baseline: 0, actual: -1 }, 'A', 'A', 'zero-baseline'],
  ['lower 0 → 0', { better: 'lower', baseline: 0, actual: 0 }, 'C', 'B', 'zero-baseline'],
  ['lower 0 → 0.0001', { better: 'lower', baseline: 0, actual: 0.0001 }, 'D', 'C', 'zero-baseline'],
  ['0 → 5 with target 5 is met first', { baseline: 0, target: 5, actual: 5 }, 'S', 'S', 'target-met'],
];

describe.each([
  ['asahi', asahi, 2],
  ['five-level', five, 3],
] as const)('scheme %s', (_name, scheme, column) => {
  it.each(TABLE)('%s', (...row) => {
    const [, spec, , , rule] = row;
    const expected = row[column];
    const r = gradeIndicator(indicator(spec), FY, scheme);
    expect(r).toMatchObject({ grade: expected, computed: expected, overridden: false, rule });
    expect(r.reason).toBeUndefined();
    expect(r.actual?.value).toBe(spec.actual);
    if (rule === 'change') expect(r.change).toEqual(expect.any(Number));
    else expect(r.change).toBeNull();
  });
});

describe('change (for display)', () => {
  const change = (spec: Spec) => gradeIndicator(indicator(spec), FY, asahi).change;
  it('is the nearest double to the exact ratio, sign flipped for lower-is-better', () => {
    expect(change({ baseline: 30, actual: 33 })).toBe(0.1);
    expect(change({ baseline: -11, actual: -9.9 })).toBe(0.1);
    expect(change({ baseline: -11, actual: -74 })).toBe(-63 / 11);
    expect(change({ better: 'lower', baseline: 10, actual: 9 })).toBe(0.1);
    expect(change({ better: 'lower', baseline: 10, actual: 11 })).toBe(-0.1);
    expect(change({ baseline: 91, target: 200, actual: 114 })).toBe(23 / 91);
  });
});

describe('float traps: float division misgrades these, the exact grader does not', () => {
  const floatR = (b: number, a: number) => (a - b) / Math.abs(b);
  // [baseline, actual, exact asahi grade, the grade floats would give]
  // prettier-ignore
  const TRAPS: [number, number, string, string][] = [
    [-11, -9.9, 'A', 'B'],
    [1.1, 1.21, 'A', 'B'],
    [2.2, 2.42, 'A', 'B'],
    [0.1, 0.11, 'A', 'B'],
    [0.3, 0.27, 'D', 'C'],
    [0.7, 0.63, 'D', 'C'],
    [-11, -12.1, 'D', 'C'],
  ];
  const floatGrade = (r: number) => (r >= 0.1 ? 'A' : r > 0 ? 'B' : r > -0.1 ? 'C' : 'D');
  it.each(TRAPS)('%s → %s', (baseline, actual, exact, wrong) => {
    expect(floatGrade(floatR(baseline, actual))).toBe(wrong);
    expect(gradeIndicator(indicator({ baseline, actual }), FY, asahi).grade).toBe(exact);
  });

  it('0.7 → 0.77: float happens to land above 0.1 here, and the exact grade agrees', () => {
    // The brief expected (0.77 − 0.7) / 0.7 < 0.1 in floats; it is 0.10000000000000009.
    expect(floatR(0.7, 0.77)).toBeGreaterThan(0.1);
    expect((0.77 - 0.7) / 0.7).not.toBe(0.1);
    expect(gradeIndicator(indicator({ baseline: 0.7, actual: 0.77 }), FY, asahi).grade).toBe('A');
  });
});

describe('overrides', () => {
  it('shows the override, keeps the computed grade and the reason', () => {
    const ind = indicator({
      baseline: 91,
      target: 200,
      actual: 114,
      override: { grade: 'S', reason: '年度末までに達成見込み' },
    });
    expect(gradeIndicator(ind, FY, asahi)).toMatchObject({
      grade: 'S',
      computed: 'A',
      overridden: true,
      reason: '年度末までに達成見込み',
      rule: 'change',
    });
  });

  it('may override no data with the no-data grade of the legend', () => {
    const r = gradeIndicator(indicator({ override: { grade: NO5, reason: '調査中止' } }), FY, five);
    expect(r).toMatchObject({ grade: NO5, computed: NO5, overridden: true, rule: 'no-actual' });
  });

  it('rejects a grade not in the scheme legend', () => {
    const ind = indicator({ baseline: 30, actual: 33, override: { grade: 'D', reason: 'x' } });
    expect(gradeIndicator(ind, FY, asahi).grade).toBe('D');
    const fn = () => gradeIndicator(ind, FY, five);
    expect(fn).toThrow(SheetgenError);
    expect(fn).toThrow(
      /kpis\[0\]\.override\.grade: override grade "D" is not in the legend of grading scheme five-level/,
    );
  });

  it('rejects an override without a written reason', () => {
    const ind = indicator({ baseline: 30, actual: 33, override: { grade: 'S', reason: '  ' } });
    expect(() => gradeIndicator(ind, FY, asahi)).toThrow(/needs a written reason/);
  });
});

describe('bad values', () => {
  it('a non-finite actual is a user error naming the field', () => {
    const fn = () => gradeIndicator(indicator({ baseline: 1, actual: Number.POSITIVE_INFINITY }), FY, asahi);
    expect(fn).toThrow(SheetgenError);
    expect(fn).toThrow(/kpis\[0\]\.actuals\[?\.?2020/);
  });
});

describe('gradeIndicator uses the evaluated year only', () => {
  it('ignores actuals of other years', () => {
    const ind = indicator({ baseline: 91, target: 200 });
    ind.actuals = new Map([[2019, measured(300, ['x'])]]);
    expect(gradeIndicator(ind, 2020, asahi)).toMatchObject({ grade: NO, rule: 'no-actual', actual: null });
    expect(gradeIndicator(ind, 2019, asahi)).toMatchObject({ grade: 'S', rule: 'target-met' });
  });
});

describe('seed check (the grading rules (README "Grading", docs/format.md))', () => {
  const goal: Indicator = {
    kind: 'goal',
    number: null,
    name: '人口の社会増減（転入・転出の差）',
    unit: '人',
    better: 'higher',
    baseline: { value: -11, year: 2018, calendar: true, path: ['goal', 'baseline'] },
    target: { label: '増加', metWhen: { op: 'above', value: 0 }, year: 2024, path: ['goal', 'target'] },
    actuals: new Map([
      [2019, { value: 113, calendar: true, path: ['goal', 'actuals', '2019'] }],
      [2020, { value: -74, calendar: true, path: ['goal', 'actuals', '2020'] }],
    ]),
    path: ['goal'],
  };
  const kpi15: Indicator = {
    kind: 'kpi',
    number: 15,
    name: '生涯活躍のまちへの移住者数',
    unit: '人',
    better: 'higher',
    actuals: new Map(),
    path: ['kpis', 0],
  };
  const kpi16: Indicator = {
    kind: 'kpi',
    number: 16,
    name: '移住相談件数',
    unit: '件',
    better: 'higher',
    baseline: { value: 91, year: 2018, calendar: false, path: ['kpis', 1, 'baseline'] },
    target: { value: 200, year: 2024, path: ['kpis', 1, 'target'] },
    actuals: new Map([
      [2019, { value: 85, calendar: false, path: ['kpis', 1, 'actuals', '2019'] }],
      [2020, { value: 114, calendar: false, path: ['kpis', 1, 'actuals', '2020'] }],
    ]),
    path: ['kpis', 1],
  };
  const sheet = { fiscalYear: 2020, goal, kpis: [kpi15, kpi16] } as unknown as Sheet;

  it('grades ▲11 → ▲74 D, KPI 15 ―, KPI 16 A', () => {
    const g = gradeSheet(sheet, asahi);
    expect(g.goal.indicator).toBe(goal);
    expect(g.goal.result).toMatchObject({ grade: 'D', rule: 'change' });
    expect(g.kpis.map((k) => [k.indicator.number, k.result.grade, k.result.rule])).toEqual([
      [15, '―', 'no-actual'],
      [16, 'A', 'change'],
    ]);
  });

  it('in 令和元年 the goal (113 > 0) met 増加', () => {
    expect(gradeIndicator(goal, 2019, asahi)).toMatchObject({ grade: 'S', rule: 'target-met' });
  });
});
