//! The domain model: one sheet after validation, in the shape the grader, layout and exporters use.
//! Built from validated YAML data by ./build.ts; carries the YAML path of each part for diagnostics.

/** A path into the YAML document, e.g. ["kpis", 1, "actuals", "2020"]. */
export type YamlPath = readonly (string | number)[];

export type Better = 'higher' | 'lower';

/** A value as written on the sheet: a number plus the period note shown in brackets. */
export interface Measured {
  value: number;
  /** Western year of the period the value belongs to, when it differs from the column (e.g. baseline 2018). */
  year?: number;
  /** true: a calendar year (（30年）); false: a fiscal year (（30年度）). */
  calendar: boolean;
  /** Free note printed after the value, e.g. 見込み. */
  note?: string;
  /**
   * The number exactly as written in the file (e.g. "24.0", "-11", "0.0000001"), so the sheet prints
   * decimals as written; absent when the value did not come from YAML text. Display only.
   */
  written?: string;
  path: YamlPath;
}

/** A numeric criterion for a word target: 増加 = { op: 'above', value: 0 }. */
export interface Criterion {
  op: 'above' | 'at_least' | 'below' | 'at_most';
  value: number;
}

export interface Target {
  /** A numeric target (200件). */
  value?: number;
  /** The numeric target exactly as written in the file (e.g. "80.0"). Display only. */
  valueWritten?: string;
  /** A target written as a word (増加, 減少, 維持). */
  label?: string;
  /** What meeting a word target means numerically; without it a word target never yields S. */
  metWhen?: Criterion;
  /** Western fiscal year the target is for; defaults to the plan's last year. */
  year: number;
  path: YamlPath;
}

export interface GradeOverride {
  grade: string;
  reason: string;
  path: YamlPath;
}

export interface Indicator {
  kind: 'goal' | 'kpi';
  /** KPI number (global across the strategy); null for the 数値目標. */
  number: number | null;
  name: string;
  /** Second line under the name, e.g. the related project. */
  note?: string;
  unit: string;
  better: Better;
  baseline?: Measured;
  target?: Target;
  /** Actuals by Western fiscal year (the column they stand in). */
  actuals: ReadonlyMap<number, Measured>;
  override?: GradeOverride;
  path: YamlPath;
}

export interface Outcome {
  name: string;
  unit: string;
  values: ReadonlyMap<number, Measured>;
  path: YamlPath;
}

export interface Project {
  number: number;
  main: boolean;
  code?: string;
  name: string;
  /** 事業費 by fiscal year, in 千円. */
  cost: ReadonlyMap<number, number>;
  /** 一般財源 by fiscal year, in 千円. */
  generalFund: ReadonlyMap<number, number>;
  outcomes: Outcome[];
  remarks?: string;
  path: YamlPath;
}

export interface CommitteeEntry {
  number: number;
  opinion: string;
  response: string;
  path: YamlPath;
}

export type Progress = '順調' | '概ね順調' | '停滞' | '実施困難' | '完了';
/** ① 施策の進捗状況: the form's five choices, in the form's order. */
export const PROGRESS_CHOICES: readonly Progress[] = ['順調', '概ね順調', '停滞', '実施困難', '完了'];

/**
 * ② written per indicator: one paragraph for the 数値目標 (indicator 'goal') or a KPI (its number).
 * sheetgen writes each paragraph's 【達成状況：X】 mark from the computed grade (see ./marks.ts).
 */
export interface ReasonParagraph {
  indicator: 'goal' | number;
  text: string;
  path: YamlPath;
}

export interface Sheet {
  /** The file the sheet was read from, as the user named it. */
  file: string;
  municipality: string;
  /** The evaluated fiscal year (Western). */
  fiscalYear: number;
  stage: string;
  /** ISO date (YYYY-MM-DD) or null for a blank 令和　年　月　日時点. */
  asOf: string | null;
  planPeriod: { from: number; to: number };
  /** Years shown as 参考 and not added into 合計. */
  referenceYears: number[];
  basicGoal: number;
  measure: { number: number; title: string };
  leadDivision: string;
  team: string | null;
  relatedDivisions: string[];
  goal: Indicator;
  kpis: Indicator[];
  /** null: not chosen yet (a rolled-over file); no 〇 is printed and validate warns. */
  progress: Progress | null;
  /**
   * ② as free text (format v1), or per indicator (ReasonParagraph[]). Use reasonParagraphs() in
   * ./marks.ts to get the printed paragraphs of either form.
   */
  reasons: string | ReasonParagraph[];
  /** ③ */
  situation: string;
  /** ④ the policy for fiscalYear + 2 */
  policy: string;
  /** ⑤ optional, with its own heading */
  item5?: { title: string; text: string };
  /** ⑥ project names; empty shows "-" */
  relatedPolicyProjects: string[];
  committee: CommitteeEntry[];
  projects: Project[];
  /** Name or path of the grading scheme the sheet asks for, if any. */
  grading?: string;
}

/** Years of the indicator table's actual columns and of the cost columns: reference years, then the plan years. */
export function sheetYears(sheet: Pick<Sheet, 'referenceYears' | 'planPeriod'>): number[] {
  const years = new Set<number>(sheet.referenceYears);
  for (let y = sheet.planPeriod.from; y <= sheet.planPeriod.to; y++) years.add(y);
  return [...years].sort((a, b) => a - b);
}

/** One legend line of a grading scheme, as printed on the sheet. */
export interface LegendEntry {
  grade: string;
  text: string;
}

/** What the layout and exporters need to know of the grading scheme used. */
export interface SchemeInfo {
  id: string;
  name: string;
  /** Heading of the legend, e.g. KPI達成状況の評価（数値目標）. */
  title: string;
  legend: LegendEntry[];
}

export interface GradeResult {
  /** The grade shown on the sheet (the override when there is one). */
  grade: string;
  /** The grade the rules give. */
  computed: string;
  overridden: boolean;
  /** The written reason of an override. */
  reason?: string;
  /** The actual of the evaluated year, if any. */
  actual: Measured | null;
  /** (actual − baseline) / |baseline|, sign flipped for lower-is-better; null when not computed. For display only. */
  change: number | null;
  /** Which rule decided. */
  rule: 'no-actual' | 'no-basis' | 'target-met' | 'change' | 'zero-baseline';
}

export interface GradedIndicator {
  indicator: Indicator;
  result: GradeResult;
}

export interface Totals {
  /** Sum of 事業費 over all projects, per year (reference and plan years). */
  cost: ReadonlyMap<number, number>;
  generalFund: ReadonlyMap<number, number>;
  /** 合計 over the plan years only (the 参考 years are shown but not added). */
  costTotal: number;
  generalFundTotal: number;
}

export interface GradedSheet {
  sheet: Sheet;
  scheme: SchemeInfo;
  goal: GradedIndicator;
  kpis: GradedIndicator[];
  totals: Totals;
}
