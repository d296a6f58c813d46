//! The open data of (3) and (4): one plain row per figure — each project's 事業費, 一般財源 and 成果指標
//! per year, and the sheet's totals per year and over the plan — shared by projects.csv and projects.json.

import type { GradedSheet, Measured } from '../model/types.js';
import { sheetYears } from '../model/types.js';
import { SHEET_COLUMNS, sheetHead, warekiYear } from './rows.js';

/** What a row counts. The CSV writes the Japanese word (ITEM_LABELS); JSON keeps the key. */
export type ProjectItem = 'cost' | 'general_fund' | 'outcome' | 'cost_total' | 'general_fund_total';

export const ITEM_LABELS: Readonly<Record<ProjectItem, string>> = {
  cost: '事業費',
  general_fund: '一般財源',
  outcome: '成果指標',
  cost_total: '事業費合計',
  general_fund_total: '一般財源合計',
};

export interface ProjectRow {
  fiscal_year: number;
  fiscal_year_wareki: string;
  stage: string;
  municipality: string;
  basic_goal: number;
  measure_number: number;
  measure_title: string;
  /** Slot number in (4); null on the totals rows of (3). */
  project_number: number | null;
  /** 主な事業 (〇 on the sheet). */
  main_project: boolean | null;
  project_code: string | null;
  project_name: string | null;
  item: ProjectItem;
  /** The 成果指標's name; null for money rows. */
  item_name: string | null;
  /** 千円 for money, the outcome's own unit otherwise. */
  unit: string;
  /** The fiscal year of the column; null on a plan-period total. */
  year: number | null;
  year_wareki: string | null;
  /** true for a 参考 year (shown on the sheet, not added into 合計). */
  reference: boolean | null;
  /** true on the row that sums the plan years (the sheet's 合計 column). */
  plan_total: boolean;
  value: number | null;
  /** An outcome value's own period or note, as the sheet prints it beside the value. */
  value_year: number | null;
  value_period: '年' | '年度' | null;
  value_note: string | null;
  /** The PDF of the sheet, relative to the output folder (2020-09.pdf). */
  sheet_pdf: string;
  /** The value's digits as the sheet wrote them (24.0), when known: not a column, the CSV/JSON print it. */
  written?: string;
}

/** Column order and the Japanese heading of each column (the CSV's header row). */
export const PROJECT_COLUMNS: readonly { key: keyof ProjectRow; label: string }[] = [
  ...SHEET_COLUMNS,
  { key: 'project_number', label: '事業番号' },
  { key: 'main_project', label: '主な事業' },
  { key: 'project_code', label: '事務事業コード' },
  { key: 'project_name', label: '事務事業名' },
  { key: 'item', label: '区分' },
  { key: 'item_name', label: '成果指標名' },
  { key: 'unit', label: '単位' },
  { key: 'year', label: '対象年度' },
  { key: 'year_wareki', label: '対象年度（和暦）' },
  { key: 'reference', label: '参考年度' },
  { key: 'plan_total', label: '計画期間の合計' },
  { key: 'value', label: '値' },
  { key: 'value_year', label: '値の年' },
  { key: 'value_period', label: '値の年の区分' },
  { key: 'value_note', label: '値の注記' },
  { key: 'sheet_pdf', label: 'シートのファイル名' },
];

/** Every figure of (3) and (4) of one graded sheet: the projects in slot order, then the totals. */
export function projectRows(g: GradedSheet, pdf: string): ProjectRow[] {
  const s = g.sheet;
  const years = sheetYears(s);
  const ref = (y: number) => s.referenceYears.includes(y);
  const head = sheetHead(s);
  const tail = { value_year: null, value_period: null, value_note: null, sheet_pdf: pdf } as const;
  const out: ProjectRow[] = [];
  for (const p of s.projects) {
    const proj = { project_number: p.number, main_project: p.main, project_code: p.code ?? null, project_name: p.name };
    for (const [item, map] of [
      ['cost', p.cost],
      ['general_fund', p.generalFund],
    ] as const) {
      for (const [y, v] of map) {
        out.push({
          ...head,
          ...proj,
          item,
          item_name: null,
          unit: '千円',
          year: y,
          year_wareki: warekiYear(y, false),
          reference: ref(y),
          plan_total: false,
          value: v,
          ...tail,
        });
      }
    }
    for (const o of p.outcomes) {
      for (const [y, m] of o.values) {
        out.push({
          ...head,
          ...proj,
          item: 'outcome',
          item_name: o.name,
          unit: o.unit,
          year: y,
          year_wareki: warekiYear(y, false),
          reference: ref(y),
          plan_total: false,
          ...measuredCells(m),
          sheet_pdf: pdf,
        });
      }
    }
  }
  const none = {
    project_number: null,
    main_project: null,
    project_code: null,
    project_name: null,
    item_name: null,
    unit: '千円',
  };
  for (const [item, map, total] of [
    ['cost_total', g.totals.cost, g.totals.costTotal],
    ['general_fund_total', g.totals.generalFund, g.totals.generalFundTotal],
  ] as const) {
    for (const y of years) {
      const v = map.get(y);
      if (v !== undefined)
        out.push({
          ...head,
          ...none,
          item,
          year: y,
          year_wareki: warekiYear(y, false),
          reference: ref(y),
          plan_total: false,
          value: v,
          ...tail,
        });
    }
    out.push({
      ...head,
      ...none,
      item,
      year: null,
      year_wareki: null,
      reference: null,
      plan_total: true,
      value: total,
      ...tail,
    });
  }
  return out;
}

function measuredCells(
  m: Measured,
): Pick<ProjectRow, 'value' | 'value_year' | 'value_period' | 'value_note' | 'written'> {
  return {
    value: m.value,
    value_year: m.year ?? null,
    value_period: m.year === undefined ? null : m.calendar ? '年' : '年度',
    value_note: m.note ?? null,
    ...(m.written !== undefined && Number(m.written) === m.value ? { written: m.written } : {}),
  };
}

/** Rows of a whole set in publication order: by 基本目標, then 重点施策 number, then fiscal year (stable within a sheet). */
export function sortProjectRows(rows: readonly ProjectRow[]): ProjectRow[] {
  return [...rows].sort(
    (a, b) => a.basic_goal - b.basic_goal || a.measure_number - b.measure_number || a.fiscal_year - b.fiscal_year,
  );
}
