//! The open-data rows of a year's set: one plain row per indicator (数値目標 and every KPI) of every
//! measure, shared by grades.csv, grades.json and the index sheet (一覧表).

import { fiscalEra } from '../model/wareki.js';
import type { GradedIndicator, GradedSheet, Measured } from '../model/types.js';

export interface GradeRow {
  fiscal_year: number;
  /** 令和2年度: 和暦 beside the Western year, never instead of it. */
  fiscal_year_wareki: string;
  stage: string;
  municipality: string;
  basic_goal: number;
  measure_number: number;
  measure_title: string;
  /** 数値目標 | KPI */
  indicator_kind: '数値目標' | 'KPI';
  kpi_number: number | null;
  indicator_name: string;
  indicator_note: string | null;
  unit: string;
  better: 'higher' | 'lower';
  baseline: number | null;
  baseline_year: number | null;
  /** 年 (calendar year) or 年度 (fiscal year). */
  baseline_period: '年' | '年度' | null;
  baseline_year_wareki: string | null;
  baseline_note: string | null;
  target: number | null;
  target_label: string | null;
  target_year: number | null;
  actual: number | null;
  actual_year: number | null;
  actual_period: '年' | '年度' | null;
  /** 令和2年度 / 令和2年: like the baseline's. */
  actual_year_wareki: string | null;
  actual_note: string | null;
  grade: string;
  computed_grade: string;
  overridden: boolean;
  override_reason: string | null;
  scheme: string;
  /** The PDF of the sheet, relative to the output folder (2020-09.pdf). */
  sheet_pdf: string;
  /**
   * Not a column: the digits of baseline, target and actual as the file wrote them ("24.0" for 24),
   * so that grades.csv, grades.json and the index print decimals as written.
   */
  written?: WrittenDigits;
}

/** The numbers of a row that print with their written digits. */
export type WrittenColumn = 'baseline' | 'target' | 'actual';
export type WrittenDigits = Partial<Record<WrittenColumn, string>>;

/** The columns that name the sheet a row belongs to: the first columns of every open-data table. */
export const SHEET_COLUMNS = [
  { key: 'fiscal_year', label: '年度' },
  { key: 'fiscal_year_wareki', label: '年度（和暦）' },
  { key: 'stage', label: '段階' },
  { key: 'municipality', label: '地方公共団体名' },
  { key: 'basic_goal', label: '基本目標' },
  { key: 'measure_number', label: '重点施策番号' },
  { key: 'measure_title', label: '重点施策名' },
] as const satisfies readonly { key: keyof SheetHead; label: string }[];

/** The values of SHEET_COLUMNS for a sheet. */
export interface SheetHead {
  fiscal_year: number;
  fiscal_year_wareki: string;
  stage: string;
  municipality: string;
  basic_goal: number;
  measure_number: number;
  measure_title: string;
}

export function sheetHead(s: GradedSheet['sheet']): SheetHead {
  return {
    fiscal_year: s.fiscalYear,
    fiscal_year_wareki: warekiYear(s.fiscalYear, false),
    stage: s.stage,
    municipality: s.municipality,
    basic_goal: s.basicGoal,
    measure_number: s.measure.number,
    measure_title: s.measure.title,
  };
}

/** Column order and the Japanese heading of each column (the CSV's header row). */
export const GRADE_COLUMNS: readonly { key: keyof GradeRow; label: string }[] = [
  ...SHEET_COLUMNS,
  { key: 'indicator_kind', label: '指標区分' },
  { key: 'kpi_number', label: 'KPI番号' },
  { key: 'indicator_name', label: '指標名' },
  { key: 'indicator_note', label: '指標の補足' },
  { key: 'unit', label: '単位' },
  { key: 'better', label: '望ましい方向' },
  { key: 'baseline', label: '基準値' },
  { key: 'baseline_year', label: '基準値の年' },
  { key: 'baseline_period', label: '基準値の年の区分' },
  { key: 'baseline_year_wareki', label: '基準値の年（和暦）' },
  { key: 'baseline_note', label: '基準値の注記' },
  { key: 'target', label: '目標値' },
  { key: 'target_label', label: '目標値（文言）' },
  { key: 'target_year', label: '目標年度' },
  { key: 'actual', label: '実績値' },
  { key: 'actual_year', label: '実績値の年' },
  { key: 'actual_period', label: '実績値の年の区分' },
  { key: 'actual_year_wareki', label: '実績値の年（和暦）' },
  { key: 'actual_note', label: '実績値の注記' },
  { key: 'grade', label: '達成状況' },
  { key: 'computed_grade', label: '評価基準による達成状況' },
  { key: 'overridden', label: '達成状況の変更' },
  { key: 'override_reason', label: '変更の理由' },
  { key: 'scheme', label: '評価方式' },
  { key: 'sheet_pdf', label: 'シートのファイル名' },
];

/** 令和2年度 / 平成30年 (元年 is written 1 here: a machine reads digits). */
export function warekiYear(year: number, calendar: boolean): string {
  const e = fiscalEra(year);
  return `${e.era}${e.year}${calendar ? '年' : '年度'}`;
}

function period(m: Measured, columnYear: number | null): { year: number | null; period: '年' | '年度' | null } {
  const year = m.year ?? columnYear;
  return { year, period: year === null ? null : m.calendar ? '年' : '年度' };
}

function row(g: GradedSheet, gi: GradedIndicator, pdf: string): GradeRow {
  const s = g.sheet;
  const ind = gi.indicator;
  const r = gi.result;
  const base = ind.baseline ? period(ind.baseline, null) : { year: null, period: null };
  const act = r.actual ? period(r.actual, s.fiscalYear) : { year: null, period: null };
  return {
    ...sheetHead(s),
    indicator_kind: ind.kind === 'goal' ? '数値目標' : 'KPI',
    kpi_number: ind.number,
    indicator_name: ind.name,
    indicator_note: ind.note ?? null,
    unit: ind.unit,
    better: ind.better,
    baseline: ind.baseline?.value ?? null,
    baseline_year: base.year,
    baseline_period: base.period,
    baseline_year_wareki: base.year === null ? null : warekiYear(base.year, base.period === '年'),
    baseline_note: ind.baseline?.note ?? null,
    target: ind.target?.value ?? null,
    target_label: ind.target?.label ?? null,
    target_year: ind.target?.year ?? null,
    actual: r.actual?.value ?? null,
    actual_year: act.year,
    actual_period: act.period,
    actual_year_wareki: act.year === null ? null : warekiYear(act.year, act.period === '年'),
    actual_note: r.actual?.note ?? null,
    grade: r.grade,
    computed_grade: r.computed,
    overridden: r.overridden,
    override_reason: r.reason ?? null,
    scheme: g.scheme.id,
    sheet_pdf: pdf,
    ...written(ind.baseline?.written, ind.target?.valueWritten, r.actual?.written),
  };
}

function written(
  baseline: string | undefined,
  target: string | undefined,
  actual: string | undefined,
): { written: WrittenDigits } | Record<string, never> {
  const w: WrittenDigits = {};
  if (baseline !== undefined) w.baseline = baseline;
  if (target !== undefined) w.target = target;
  if (actual !== undefined) w.actual = actual;
  return Object.keys(w).length > 0 ? { written: w } : {};
}

/** A number column's text for people and plain-text files: its written digits when it has them. */
export function writtenOf(r: GradeRow, key: keyof GradeRow): string | undefined {
  const w = r.written;
  const v = r[key];
  if (!w || typeof v !== 'number' || (key !== 'baseline' && key !== 'target' && key !== 'actual')) return undefined;
  const text = w[key];
  return text !== undefined && Number(text) === v ? text : undefined;
}

/** The rows of one graded sheet: the 数値目標 first, then the KPIs as the sheet lists them. */
export function gradeRows(g: GradedSheet, pdf: string): GradeRow[] {
  return [g.goal, ...g.kpis].map((gi) => row(g, gi, pdf));
}

/** Rows of a whole set in publication order: by 基本目標, then 重点施策 number (then fiscal year, for mixed sets). */
export function sortRows(rows: readonly GradeRow[]): GradeRow[] {
  // Stable sort: the indicators of one sheet keep their order.
  return [...rows].sort(
    (a, b) => a.basic_goal - b.basic_goal || a.measure_number - b.measure_number || a.fiscal_year - b.fiscal_year,
  );
}
