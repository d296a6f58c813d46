// Types of scripts/gen-sheets.mjs for the tests that use it.
export function sheetText(i: number, seedText?: string): string;
export function genSheets(count: number, dir: string): string[];
export function rng(seed: number): () => number;

/** The shape of a generated sheet (sheetFromShape); every field optional. */
export interface SheetShape {
  /** Seed of the text and numbers (mulberry32). */
  seed?: number;
  /** Plan length in fiscal years, 1..10. */
  planYears?: number;
  /** First plan year (Western). */
  planFrom?: number;
  /** Index of the evaluated year within the plan (0 = first year). */
  fiscalYearIndex?: number;
  /** Reference years before the plan, 0..3. */
  referenceYears?: number;
  /** Characters of each prose field (0..10,000); item5 < 0 or absent: no ⑤; remarks: the longest 備考. */
  prose?: { reasons?: number; situation?: number; policy?: number; item5?: number; remarks?: number };
  /** Number of KPIs. */
  kpis?: number;
  /** Number of committee entries, and the longest opinion or response in characters. */
  committee?: number;
  committeeChars?: number;
  /** Outcomes per project (0..5), one entry per project (0..15 projects). */
  projects?: number[];
  /** Longest name (indicators, projects, outcomes), up to 200. */
  nameChars?: number;
  /** How numbers are drawn: counts a city would write, a mix, or mostly the format's edges. */
  numbers?: 'plain' | 'mixed' | 'extreme';
  relatedDivisions?: number;
  relatedPolicyProjects?: number;
  /** ② per indicator (one paragraph per indicator) where the format has it (REASONS_BY_INDICATOR); else free text. */
  reasonsByIndicator?: boolean;
  /** Longest paragraph of ② per indicator (default: the prose limit). */
  reasonsParagraphMax?: number;
  /**
   * One row taller than a page: committee entry `at` (modulo the count; one entry at least) with an
   * opinion of `chars` characters and a response of half to all of that, in paragraphs; or project
   * `at` (modulo the count) with `outcomes` outcomes (beyond the 5 of the other projects) and a 備考
   * of `chars` characters (none when 0).
   */
  tallRow?: { kind: 'committee' | 'project'; at?: number; chars?: number; outcomes?: number };
}
export const REASONS_BY_INDICATOR: boolean;
export const LIMITS: {
  prose: number;
  label: number;
  planYears: number;
  projects: number;
  outcomes: number;
  maxAbs: number;
};
export function prose(r: () => number, n: number, opts?: { lines?: boolean }): string;
export function numberText(r: () => number, mode?: 'plain' | 'mixed' | 'extreme', opts?: { integer?: boolean }): string;
export function sheetFromShape(shape?: SheetShape): string;
export function stressSheets(): { name: string; shape: SheetShape; text: string }[];
