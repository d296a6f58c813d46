//! The contract between exported and imported workbooks: the defined names that tie cells to sheet
//! fields, the hidden metadata sheet, and the words of the drop-downs (the clerk's words ↔ YAML's).

/** The worksheet the clerk fills in. */
export const FORM_SHEET = '様式';
/** The hidden, protected sheet that identifies a sheetgen workbook and lists its fields. */
export const META_SHEET = '_sheetgen';
/** Written in META_SHEET!A1; import refuses a workbook without it. */
export const META_MARK = 'sheetgen-xlsx';
/** Version of this cell contract (the meta sheet's B1). */
export const META_VERSION = 1;

/** Every defined name sheetgen writes starts with this, so a clerk's own names are ignored. */
export const PREFIX = 'sg.';

/** Progress choices offered in the drop-down. 完了 is offered too: the format is gaining it. */
export const PROGRESS_WORDS = ['順調', '概ね順調', '停滞', '実施困難', '完了'] as const;

/** better: the words in the drop-down and the YAML value they stand for. */
export const BETTER_WORDS: Readonly<Record<string, 'higher' | 'lower'>> = {
  高いほど良い: 'higher',
  低いほど良い: 'lower',
  higher: 'higher',
  lower: 'lower',
};
export const BETTER_LABEL = { higher: '高いほど良い', lower: '低いほど良い' } as const;

/** met_when operators: drop-down word ↔ YAML key. */
export const OP_LABEL = { above: 'より大きい', at_least: '以上', below: '未満', at_most: '以下' } as const;
export type OpKey = keyof typeof OP_LABEL;
export const OP_WORDS: Readonly<Record<string, OpKey>> = Object.fromEntries([
  ...Object.entries(OP_LABEL).map(([k, v]) => [v, k as OpKey]),
  ...Object.keys(OP_LABEL).map((k) => [k, k as OpKey]),
]);

/** The mark for a main project (主な事業). */
export const MAIN_MARK = '〇';
export const MAIN_WORDS = ['〇', '○', '◯', 'O', 'o', '1', 'true', 'TRUE', 'はい'];

/** Names of the cells of one indicator: ind('g') for the goal, ind('k0') for the first KPI. */
export const n = {
  municipality: 'sg.municipality',
  fiscalYear: 'sg.fiscal_year',
  stage: 'sg.stage',
  asOf: 'sg.as_of',
  planFrom: 'sg.plan_from',
  planTo: 'sg.plan_to',
  referenceYears: 'sg.reference_years',
  grading: 'sg.grading',
  basicGoal: 'sg.basic_goal',
  measureNumber: 'sg.measure_number',
  measureTitle: 'sg.measure_title',
  leadDivision: 'sg.lead_division',
  team: 'sg.team',
  relatedDivisions: 'sg.related_divisions',
  progress: 'sg.progress',
  reasons: 'sg.reasons',
  /** ② written per indicator: one cell per paragraph, 'goal' or a KPI number. */
  reasonFor: (indicator: 'goal' | number) => `sg.reasons.${indicator === 'goal' ? 'goal' : `k${indicator}`}`,
  situation: 'sg.situation',
  policy: 'sg.policy',
  item5Title: 'sg.item5_title',
  item5Text: 'sg.item5_text',
  relatedPolicyProjects: 'sg.related_policy_projects',
  ind: (id: string, field: string) => `sg.${id}.${field}`,
  actual: (id: string, year: number) => `sg.${id}.a${year}`,
  actualPeriod: (id: string, year: number) => `sg.${id}.a${year}_p`,
  committee: (i: number, field: 'number' | 'opinion' | 'response') => `sg.c${i}.${field}`,
  project: (i: number, field: string) => `sg.p${i}.${field}`,
  cost: (i: number, year: number) => `sg.p${i}.cost${year}`,
  fund: (i: number, year: number) => `sg.p${i}.gf${year}`,
  outcome: (i: number, j: number, field: 'name' | 'unit') => `sg.p${i}.o${j}.${field}`,
  outcomeValue: (i: number, j: number, year: number) => `sg.p${i}.o${j}.v${year}`,
  outcomePeriod: (i: number, j: number, year: number) => `sg.p${i}.o${j}.v${year}_p`,
} as const;

/** What the meta sheet records besides the field list. */
export interface BookMeta {
  /** Western years of the value columns, in order. */
  years: number[];
  kpis: number;
  committee: number;
  /** Outcome rows of each project row group (spare groups included). */
  projects: number[];
  /** The comment lines at the top of the source YAML (modeline first), re-written by import. */
  header: string[];
  /** The grading scheme the live formulas follow. */
  scheme: string;
  /** The fields the source YAML wrote (so that import writes `version: 1` only when it was there). */
  version: boolean;
  /** ② per indicator: the indicators with a paragraph cell, in order; absent when ② is free text. */
  reasons?: ('goal' | number)[];
}
