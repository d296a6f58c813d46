//! A loaded sheet → an .xlsx workbook laid out like the form: labels and computed cells locked and
//! shaded, input cells unlocked, drop-downs and number-only cells, live grade and total formulas,
//! defined names tying every input cell to its field, and a hidden sheet describing the book.

import type ExcelJS from 'exceljs';
import type { GradingScheme } from '../grade/index.js';
import { legendGrades } from '../grade/index.js';
import { fiscalEra } from '../model/wareki.js';
import { sheetYears, type Indicator, type Measured, type Sheet } from '../model/types.js';
import { gradeFormula, sumFormula } from './formula.js';
import {
  BETTER_LABEL,
  FORM_SHEET,
  MAIN_MARK,
  META_MARK,
  META_SHEET,
  META_VERSION,
  OP_LABEL,
  PROGRESS_WORDS,
  n,
  type BookMeta,
} from './names.js';
import { periodText } from './period.js';

export interface ExportInput {
  sheet: Sheet;
  scheme: GradingScheme;
  /** The comment lines at the top of the YAML source (kept for import). */
  header: string[];
  /** Whether the source wrote `version: 1`. */
  version: boolean;
  /** Date written into the workbook's properties (deterministic output). */
  date: Date;
}

/** Spare rows offered for entries a division may add. */
export const SPARE = { committee: 2, projects: 2, outcomesPerNewProject: 2, outcomesPerProject: 1 } as const;

const FILL_LABEL = 'FFE7E6E6';
const FILL_COMPUTED = 'FFDDEBF7';
const FILL_LOCKED_DATA = 'FFF2F2F2';
const FILL_INPUT = 'FFFFFFFF';
const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Fixed columns of the indicator table; year columns start at FIRST_YEAR_COL. */
const C = {
  kind: 1,
  number: 2,
  name: 3,
  note: 4,
  unit: 5,
  better: 6,
  baseline: 7,
  target: 8,
  label: 9,
  op: 10,
  opValue: 11,
  targetYear: 12,
} as const;
const FIRST_YEAR_COL = 13;

const colLetter = (c: number): string => {
  let s = '';
  for (let x = c; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};
const addr = (row: number, col: number): string => `${colLetter(col)}${row}`;

/** Decimals of a number as written in the sheet (24.0 has one), else as String(x) writes it; null when it needs an exponent. */
function decimals(x: number, written?: string): number | null {
  const s = written !== undefined && /^-?\d+(\.\d+)?$/.test(written) && Number(written) === x ? written : String(x);
  if (/e/i.test(s)) return null;
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

/** ▲ for negatives by the cell format, with the decimals the values of the row were written with. */
export function numberFormat(dec: number | null): string {
  if (dec === null) return 'General;"▲"General';
  const d = dec > 0 ? `.${'0'.repeat(Math.min(dec, 10))}` : '';
  return `#,##0${d};"▲"#,##0${d}`;
}

const MONEY_FORMAT = numberFormat(0);

type Kind = 'label' | 'computed' | 'locked' | 'text' | 'longtext' | 'number' | 'whole' | 'date' | 'list';

class FormWriter {
  readonly ws: ExcelJS.Worksheet;
  constructor(
    readonly wb: ExcelJS.Workbook,
    readonly lastCol: number,
  ) {
    this.ws = wb.addWorksheet(FORM_SHEET, {
      views: [{ showGridLines: false }],
      pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
  }

  /** Styles one cell as a label, a computed cell or an input of the given kind, and names it. */
  cell(
    row: number,
    col: number,
    kind: Kind,
    value: ExcelJS.CellValue,
    opts: {
      name?: string;
      fmt?: string;
      list?: readonly string[];
      bold?: boolean;
      span?: number;
      rows?: number;
      center?: boolean;
    } = {},
  ): ExcelJS.Cell {
    const c = this.ws.getCell(row, col);
    if (value !== undefined && value !== null) c.value = value;
    const input = !['label', 'computed', 'locked'].includes(kind);
    const fill =
      kind === 'label'
        ? FILL_LABEL
        : kind === 'computed'
          ? FILL_COMPUTED
          : kind === 'locked'
            ? FILL_LOCKED_DATA
            : FILL_INPUT;
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
    c.border = BORDER;
    c.protection = { locked: !input };
    c.font = { name: 'BIZ UDPゴシック', size: 10, ...(opts.bold ? { bold: true } : {}) };
    const wrap = kind === 'longtext' || kind === 'text' || kind === 'label' || kind === 'locked';
    c.alignment = {
      vertical: kind === 'longtext' ? 'top' : 'middle',
      horizontal: opts.center
        ? 'center'
        : kind === 'number' || kind === 'whole' || kind === 'computed'
          ? 'right'
          : 'left',
      wrapText: wrap,
    };
    if (opts.fmt) c.numFmt = opts.fmt;
    if (kind === 'text' || kind === 'longtext' || kind === 'list') c.numFmt = '@';
    if (kind === 'number') c.dataValidation = numberOnly('decimal');
    if (kind === 'whole') c.dataValidation = numberOnly('whole');
    if (kind === 'list' && opts.list) {
      c.dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${opts.list.join(',')}"`],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: '選択してください',
        error: `一覧から選んでください: ${opts.list.join('、')}`,
      };
    }
    if ((opts.span ?? 1) > 1 || (opts.rows ?? 1) > 1)
      this.ws.mergeCells(row, col, row + (opts.rows ?? 1) - 1, col + (opts.span ?? 1) - 1);
    if (opts.name) this.wb.definedNames.add(`'${FORM_SHEET}'!$${colLetter(col)}$${row}`, opts.name);
    return c;
  }

  heading(row: number, text: string): void {
    this.cell(row, 1, 'label', text, { bold: true, span: this.lastCol });
  }
}

function numberOnly(type: 'decimal' | 'whole'): ExcelJS.DataValidation {
  return {
    type,
    operator: 'between',
    allowBlank: true,
    formulae: [-1e15, 1e15],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: '数値を入力してください',
    error:
      type === 'whole'
        ? '整数を半角の数字で入力してください（負の数は - を付けて入力すると▲で表示されます）'
        : '数値を半角の数字で入力してください（負の数は - を付けて入力すると▲で表示されます）',
  };
}

/** Estimated row height (points) for a long text in a cell about `chars` full-width characters wide. */
function textHeight(text: string, chars: number, min = 45): number {
  let lines = 0;
  for (const l of text.split('\n')) lines += Math.max(1, Math.ceil([...l].length / chars));
  return Math.min(409, Math.max(min, lines * 14 + 6));
}

/** Builds the workbook of one sheet. */
export async function sheetToWorkbook(input: ExportInput): Promise<ExcelJS.Workbook> {
  const { default: Excel } = await import('exceljs');
  const { sheet, scheme } = input;
  const years = sheetYears(sheet);
  const lastYearCol = FIRST_YEAR_COL + years.length - 1;
  const gradeCol = lastYearCol + 1;
  const overrideCol = gradeCol + 1;
  const reasonCol = gradeCol + 2;
  const lastCol = reasonCol;
  const wb = new Excel.Workbook();
  wb.creator = 'sheetgen';
  wb.lastModifiedBy = 'sheetgen';
  wb.created = input.date;
  wb.modified = input.date;
  const f = new FormWriter(wb, lastCol);
  const ws = f.ws;
  const widths: Record<number, number> = {
    [C.kind]: 9,
    [C.number]: 7,
    [C.name]: 28,
    [C.note]: 18,
    [C.unit]: 6,
    [C.better]: 12,
    [C.baseline]: 11,
    [C.target]: 11,
    [C.label]: 10,
    [C.op]: 10,
    [C.opValue]: 9,
    [C.targetYear]: 9,
    [gradeCol]: 11,
    [overrideCol]: 9,
    [reasonCol]: 28,
  };
  for (let c = 1; c <= lastCol; c++) ws.getColumn(c).width = widths[c] ?? 11;
  const yearCol = (y: number): number => FIRST_YEAR_COL + years.indexOf(y);
  const yearLabel = (y: number): string => `${y}年度${sheet.referenceYears.includes(y) ? '（参考）' : ''}`;

  let r = 1;
  f.cell(r, 1, 'label', '重点施策マネジメントシート（入力用）', { bold: true, span: lastCol });
  ws.getRow(r).height = 22;
  r++;
  f.cell(
    r,
    1,
    'label',
    '白い欄に入力してください。灰色・青色の欄は見出しと計算結果です（変更できません）。Tabキーで次の入力欄に移ります。達成状況と合計は入力に合わせてExcelが計算するプレビューで、正式な値はsheetgenが計算します。',
    { span: lastCol },
  );
  ws.getRow(r).height = 30;
  r += 2;

  // Header fields: label, value pairs.
  const pair = (
    row: number,
    col: number,
    label: string,
    kind: Kind,
    value: ExcelJS.CellValue,
    name: string,
    extra: Parameters<FormWriter['cell']>[4] = {},
  ) => {
    f.cell(row, col, 'label', label);
    f.cell(row, col + 1, kind, value, { name, ...extra });
  };
  pair(r, 1, '自治体名', 'text', sheet.municipality, n.municipality, { span: 2 });
  pair(r, 4, '評価対象年度', 'locked', sheet.fiscalYear, n.fiscalYear);
  pair(r, 6, '段階', 'text', sheet.stage, n.stage, { span: 2 });
  pair(r, 9, '時点', 'date', sheet.asOf ? new Date(`${sheet.asOf}T00:00:00Z`) : null, n.asOf, {
    fmt: 'yyyy-mm-dd',
    span: 2,
  });
  r++;
  pair(r, 1, '計画期間（開始）', 'locked', sheet.planPeriod.from, n.planFrom);
  pair(r, 4, '計画期間（終了）', 'locked', sheet.planPeriod.to, n.planTo);
  pair(r, 6, '参考年度', 'locked', sheet.referenceYears.join(', '), n.referenceYears, { span: 2 });
  pair(r, 9, '評価方式', 'locked', sheet.grading ?? '', n.grading, { span: 2 });
  r++;
  pair(r, 1, '基本目標', 'whole', sheet.basicGoal, n.basicGoal);
  pair(r, 4, '重点施策番号', 'whole', sheet.measure.number, n.measureNumber);
  pair(r, 6, '重点施策名', 'text', sheet.measure.title, n.measureTitle, { span: 5 });
  r++;
  pair(r, 1, '主管課', 'text', sheet.leadDivision, n.leadDivision, { span: 2 });
  pair(r, 4, '担当班', 'text', sheet.team ?? '', n.team);
  pair(r, 6, '関係課（1行に1つ）', 'longtext', sheet.relatedDivisions.join('\n'), n.relatedDivisions, { span: 5 });
  ws.getRow(r).height = Math.max(20, sheet.relatedDivisions.length * 14 + 6);
  r += 2;

  // （１）数値目標・KPI
  f.heading(
    r++,
    '（１）数値目標・ＫＰＩ（実績値は年度の列に。期間・注記の行には、列の年度と異なる期間や注記を「2018年度」「2019年 見込み」「暦年」のように書く）',
  );
  const headers: [number, string][] = [
    [C.kind, '区分'],
    [C.number, 'KPI番号'],
    [C.name, '指標名'],
    [C.note, '補足'],
    [C.unit, '単位'],
    [C.better, '良い方向'],
    [C.baseline, '基準値'],
    [C.target, '目標値'],
    [C.label, '目標（言葉）'],
    [C.op, '達成の条件'],
    [C.opValue, '条件の値'],
    [C.targetYear, '目標年度'],
    [gradeCol, `${sheet.fiscalYear}年度 達成状況（プレビュー）`],
    [overrideCol, '達成状況の上書き'],
    [reasonCol, '上書きの理由'],
  ];
  for (const [c, h] of headers) f.cell(r, c, 'label', h, { bold: true, center: true });
  for (const y of years) f.cell(r, yearCol(y), 'label', `実績値\n${yearLabel(y)}`, { bold: true, center: true });
  ws.getCell(r, gradeCol).note =
    'Excelの計算によるプレビューです。正式な達成状況は sheetgen build が計算します（YAMLが正本です）。';
  ws.getRow(r).height = 42;
  r++;

  const grades = [...legendGrades(scheme)];
  const indicatorRows = (ind: Indicator, id: string, label: string): void => {
    const row = r;
    const pr = r + 1;
    const values: Measured[] = [...(ind.baseline ? [ind.baseline] : []), ...ind.actuals.values()];
    const dec = values.reduce<number | null>((m, v) => {
      const d = decimals(v.value, v.written);
      return m === null || d === null ? null : Math.max(m, d);
    }, 0);
    const fmtOf = (v: number | undefined, written?: string) =>
      numberFormat(v === undefined ? dec : decimals(v, written));
    f.cell(row, C.kind, 'label', label, { bold: true });
    if (ind.kind === 'kpi') f.cell(row, C.number, 'whole', ind.number, { name: n.ind(id, 'number') });
    else f.cell(row, C.number, 'label', '');
    f.cell(row, C.name, 'text', ind.name, { name: n.ind(id, 'name') });
    f.cell(row, C.note, 'text', ind.note ?? '', { name: n.ind(id, 'note') });
    f.cell(row, C.unit, 'text', ind.unit, { name: n.ind(id, 'unit') });
    f.cell(row, C.better, 'list', BETTER_LABEL[ind.better], {
      name: n.ind(id, 'better'),
      list: Object.values(BETTER_LABEL),
    });
    f.cell(row, C.baseline, 'number', ind.baseline?.value ?? null, {
      name: n.ind(id, 'baseline'),
      fmt: fmtOf(ind.baseline?.value, ind.baseline?.written),
    });
    const t = ind.target;
    f.cell(row, C.target, 'number', t?.value ?? null, {
      name: n.ind(id, 'target'),
      fmt: fmtOf(t?.value, t?.valueWritten),
    });
    f.cell(row, C.label, 'text', t?.label ?? '', { name: n.ind(id, 'target_label') });
    f.cell(row, C.op, 'list', t?.metWhen ? OP_LABEL[t.metWhen.op] : '', {
      name: n.ind(id, 'target_op'),
      list: Object.values(OP_LABEL),
    });
    f.cell(row, C.opValue, 'number', t?.metWhen?.value ?? null, {
      name: n.ind(id, 'target_op_value'),
      fmt: fmtOf(t?.metWhen?.value),
    });
    f.cell(row, C.targetYear, 'whole', t && t.year !== sheet.planPeriod.to ? t.year : null, {
      name: n.ind(id, 'target_year'),
    });
    for (const y of years) {
      const m = ind.actuals.get(y);
      f.cell(row, yearCol(y), 'number', m?.value ?? null, { name: n.actual(id, y), fmt: fmtOf(m?.value, m?.written) });
      f.cell(pr, yearCol(y), 'text', m ? periodText(m) : '', { name: n.actualPeriod(id, y) });
    }
    const refs = {
      actual: addr(row, yearCol(sheet.fiscalYear)),
      baseline: addr(row, C.baseline),
      target: addr(row, C.target),
      targetLabel: addr(row, C.label),
      op: addr(row, C.op),
      opValue: addr(row, C.opValue),
      better: addr(row, C.better),
    };
    const ovr = addr(row, overrideCol);
    f.cell(
      row,
      gradeCol,
      'computed',
      { formula: `IF(${ovr}<>"",${ovr},${gradeFormula(refs, scheme)})` } as ExcelJS.CellFormulaValue,
      { center: true, bold: true, name: n.ind(id, 'grade') },
    );
    f.cell(row, overrideCol, 'list', ind.override?.grade ?? '', {
      name: n.ind(id, 'override'),
      list: grades,
      center: true,
    });
    f.cell(row, reasonCol, 'text', ind.override?.reason ?? '', { name: n.ind(id, 'override_reason') });
    // The period row: under the baseline its period, under each year the actual's.
    f.cell(pr, C.kind, 'label', '期間・注記');
    for (const c of [
      C.number,
      C.name,
      C.note,
      C.unit,
      C.better,
      C.target,
      C.label,
      C.op,
      C.opValue,
      C.targetYear,
      gradeCol,
      overrideCol,
      reasonCol,
    ])
      f.cell(pr, c, 'label', '');
    f.cell(pr, C.baseline, 'text', ind.baseline ? periodText(ind.baseline) : '', { name: n.ind(id, 'baseline_p') });
    ws.getRow(row).height = 30;
    r += 2;
  };
  indicatorRows(sheet.goal, 'g', '数値目標');
  sheet.kpis.forEach((k, i) => indicatorRows(k, `k${i}`, 'KPI'));
  r++;

  // （２）進捗状況と ②〜⑥
  f.heading(r++, '（２）施策の進捗状況と評価');
  f.cell(r, 1, 'label', '① 進捗状況', { span: 2 });
  f.cell(r, 3, 'list', sheet.progress, { name: n.progress, list: PROGRESS_WORDS });
  r++;
  const big = (label: string, text: string, name: string, chars = 90) => {
    f.cell(r, 1, 'label', label, { span: 2 });
    f.cell(r, 3, 'longtext', text, { name, span: lastCol - 2 });
    ws.getRow(r).height = textHeight(text, chars);
    r++;
  };
  if (typeof sheet.reasons === 'string') big('② 数値目標・KPIの実績値と進捗状況の理由等', sheet.reasons, n.reasons);
  else {
    // ② per indicator: one cell per paragraph; sheetgen writes the 【達成状況】 marks when it builds.
    for (const p of sheet.reasons)
      big(
        `② ${p.indicator === 'goal' ? '数値目標' : `ＫＰＩ${p.indicator}`} の理由等`,
        p.text,
        n.reasonFor(p.indicator),
      );
  }
  big('③ 現状と課題、方向性', sheet.situation, n.situation);
  big(`④ ${fiscalEra(sheet.fiscalYear + 2).year}年度施策の方針`, sheet.policy, n.policy);
  f.cell(r, 1, 'label', '⑤ 見出し（任意）', { span: 2 });
  f.cell(r, 3, 'text', sheet.item5?.title ?? '', { name: n.item5Title, span: lastCol - 2 });
  r++;
  big('⑤ 本文', sheet.item5?.text ?? '', n.item5Text);
  big('⑥ 施策の方針に関連する事務事業名（1行に1件）', sheet.relatedPolicyProjects.join('\n'), n.relatedPolicyProjects);
  r++;

  // 推進委員会からの意見
  f.heading(r++, '推進委員会からの意見と担当課の考え');
  const half = Math.floor((lastCol - 1) / 2);
  f.cell(r, 1, 'label', '意見番号', { bold: true, center: true });
  f.cell(r, 2, 'label', '推進委員会からの意見（要旨）', { bold: true, span: half, center: true });
  f.cell(r, 2 + half, 'label', '担当課の考え（要旨）', { bold: true, span: lastCol - 1 - half, center: true });
  r++;
  const committeeRows = sheet.committee.length + SPARE.committee;
  for (let i = 0; i < committeeRows; i++) {
    const e = sheet.committee[i];
    f.cell(r, 1, 'whole', e?.number ?? null, { name: n.committee(i, 'number'), center: true });
    f.cell(r, 2, 'longtext', e?.opinion ?? '', { name: n.committee(i, 'opinion'), span: half });
    f.cell(r, 2 + half, 'longtext', e?.response ?? '', { name: n.committee(i, 'response'), span: lastCol - 1 - half });
    ws.getRow(r).height = Math.max(
      textHeight(e?.opinion ?? '', half * 5, 30),
      textHeight(e?.response ?? '', (lastCol - 1 - half) * 5, 30),
      60,
    );
    r++;
  }
  r++;

  // （４）の事業表 comes after （３） on the form; the totals need the project rows' addresses, so lay out projects first in a plan.
  const projectRows = sheet.projects.length + SPARE.projects;
  const outcomeCounts: number[] = [];
  for (let i = 0; i < projectRows; i++) {
    const p = sheet.projects[i];
    outcomeCounts.push(p ? p.outcomes.length + SPARE.outcomesPerProject : SPARE.outcomesPerNewProject);
  }
  // （３）合計事業費
  f.heading(r++, '（３）合計事業費（千円）— （４）の事業費・一般財源の合計（自動計算）');
  const totalsHeader = r;
  const totalCol = gradeCol;
  f.cell(totalsHeader, 1, 'label', '区分', { bold: true, span: FIRST_YEAR_COL - 1, center: true });
  for (const y of years) f.cell(totalsHeader, yearCol(y), 'label', yearLabel(y), { bold: true, center: true });
  f.cell(totalsHeader, totalCol, 'label', '合計（計画期間）', { bold: true, center: true });
  const costRow = totalsHeader + 1;
  const fundRow = totalsHeader + 2;
  const projectStart = fundRow + 3; // heading and header row of （４） in between
  // Row of each project's cost line: header row, then per project 2 money rows + 2 rows per outcome.
  const projectRowOf: number[] = [];
  let pr = projectStart + 1;
  for (let i = 0; i < projectRows; i++) {
    projectRowOf.push(pr);
    pr += 2 + 2 * (outcomeCounts[i] ?? 0);
  }
  const planYears = years.filter(
    (y) => y >= sheet.planPeriod.from && y <= sheet.planPeriod.to && !sheet.referenceYears.includes(y),
  );
  for (const [row, label, offset] of [
    [costRow, '事業費', 0],
    [fundRow, 'うち一般財源', 1],
  ] as const) {
    f.cell(row, 1, 'label', label, { span: FIRST_YEAR_COL - 1 });
    const key = offset === 0 ? 'cost' : 'gf';
    for (const y of years)
      f.cell(
        row,
        yearCol(y),
        'computed',
        { formula: sumFormula(projectRowOf.map((p) => addr(p + offset, yearCol(y)))) } as ExcelJS.CellFormulaValue,
        { fmt: MONEY_FORMAT, name: `sg.total.${key}${y}` },
      );
    f.cell(
      row,
      totalCol,
      'computed',
      { formula: `SUM(${planYears.map((y) => addr(row, yearCol(y))).join(',') || '0'})` } as ExcelJS.CellFormulaValue,
      { fmt: MONEY_FORMAT, name: `sg.total.${key}` },
    );
  }
  r = fundRow + 2;

  // （４）重点施策関連事業
  f.heading(r++, '（４）重点施策関連事業（事業費・一般財源は千円。成果指標の期間・注記は（１）と同じ書き方）');
  const P = { number: 1, main: 2, code: 3, name: 4, kind: 6 } as const;
  f.cell(r, P.number, 'label', 'No.', { bold: true, center: true });
  f.cell(r, P.main, 'label', '主な事業', { bold: true, center: true });
  f.cell(r, P.code, 'label', '事務事業コード', { bold: true, center: true });
  f.cell(r, P.name, 'label', '事務事業名', { bold: true, span: 2, center: true });
  f.cell(r, P.kind, 'label', '区分・成果指標', { bold: true, span: FIRST_YEAR_COL - P.kind, center: true });
  for (const y of years) f.cell(r, yearCol(y), 'label', yearLabel(y), { bold: true, center: true });
  f.cell(r, gradeCol, 'label', '備考', { bold: true, span: 3, center: true });
  r++;
  for (let i = 0; i < projectRows; i++) {
    const p = sheet.projects[i];
    const top = projectRowOf[i]!;
    const rowsOf = 2 + 2 * (outcomeCounts[i] ?? 0);
    f.cell(top, P.number, 'whole', p?.number ?? null, { name: n.project(i, 'number'), center: true });
    f.cell(top, P.main, 'list', p?.main ? MAIN_MARK : '', {
      name: n.project(i, 'main'),
      list: [MAIN_MARK],
      center: true,
    });
    f.cell(top, P.code, 'text', p?.code ?? '', { name: n.project(i, 'code') });
    f.cell(top, P.name, 'longtext', p?.name ?? '', { name: n.project(i, 'name'), span: 2 });
    f.cell(top, gradeCol, 'longtext', p?.remarks ?? '', { name: n.project(i, 'remarks'), span: 3 });
    for (let k = 1; k < rowsOf; k++) for (const c of [P.number, P.main, P.code]) f.cell(top + k, c, 'label', '');
    for (let k = 1; k < rowsOf; k++) f.cell(top + k, P.name, 'label', '', { span: 2 });
    for (let k = 1; k < rowsOf; k++) f.cell(top + k, gradeCol, 'label', '', { span: 3 });
    f.cell(top, P.kind, 'label', '事業費（千円）', { span: FIRST_YEAR_COL - P.kind });
    f.cell(top + 1, P.kind, 'label', '一般財源（千円）', { span: FIRST_YEAR_COL - P.kind });
    for (const y of years) {
      f.cell(top, yearCol(y), 'whole', p?.cost.get(y) ?? null, { name: n.cost(i, y), fmt: MONEY_FORMAT });
      f.cell(top + 1, yearCol(y), 'whole', p?.generalFund.get(y) ?? null, { name: n.fund(i, y), fmt: MONEY_FORMAT });
    }
    for (let j = 0; j < (outcomeCounts[i] ?? 0); j++) {
      const o = p?.outcomes[j];
      const orow = top + 2 + 2 * j;
      const odec = o
        ? [...o.values.values()].reduce<number | null>(
            (m, v) =>
              m === null || decimals(v.value, v.written) === null ? null : Math.max(m, decimals(v.value, v.written)!),
            0,
          )
        : 0;
      f.cell(orow, P.kind, 'label', '成果指標');
      f.cell(orow, P.kind + 1, 'text', o?.name ?? '', {
        name: n.outcome(i, j, 'name'),
        span: FIRST_YEAR_COL - P.kind - 3,
      });
      f.cell(orow, FIRST_YEAR_COL - 2, 'label', '単位');
      f.cell(orow, FIRST_YEAR_COL - 1, 'text', o?.unit ?? '', { name: n.outcome(i, j, 'unit') });
      f.cell(orow + 1, P.kind, 'label', '期間・注記', { span: FIRST_YEAR_COL - P.kind });
      for (const y of years) {
        const m = o?.values.get(y);
        f.cell(orow, yearCol(y), 'number', m?.value ?? null, {
          name: n.outcomeValue(i, j, y),
          fmt: numberFormat(m ? decimals(m.value, m.written) : odec),
        });
        f.cell(orow + 1, yearCol(y), 'text', m ? periodText(m) : '', { name: n.outcomePeriod(i, j, y) });
      }
    }
  }
  r = pr;

  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: 0, showGridLines: false }];
  await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });

  // The hidden sheet: what import needs to read the book back.
  const meta: BookMeta = {
    years,
    kpis: sheet.kpis.length,
    committee: committeeRows,
    projects: outcomeCounts,
    header: input.header,
    scheme: scheme.id,
    version: input.version,
    ...(typeof sheet.reasons === 'string' ? {} : { reasons: sheet.reasons.map((p) => p.indicator) }),
  };
  const ms = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
  ms.getCell('A1').value = META_MARK;
  ms.getCell('B1').value = META_VERSION;
  ms.getCell('A2').value = 'meta';
  ms.getCell('B2').value = JSON.stringify(meta);
  ms.getCell('A3').value = 'このシートは sheetgen が読み戻しに使います。変更しないでください。';
  await ms.protect('', {});
  return wb;
}

/** The workbook as bytes: the same sheet gives the same bytes (the zip's entry times are set from `date`). */
export async function workbookBytes(
  wb: ExcelJS.Workbook,
  date: Date = wb.modified ?? new Date(0),
): Promise<Uint8Array> {
  const buf = await wb.xlsx.writeBuffer();
  return fixZipTimes(new Uint8Array(buf as ArrayBuffer), date);
}

/** Sets every entry's DOS modification time and date (local header and central directory) to `date`. */
export function fixZipTimes(bytes: Uint8Array, date: Date): Uint8Array {
  const y = Math.min(2107, Math.max(1980, date.getUTCFullYear()));
  const dosDate = ((y - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 46 <= bytes.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) {
      view.setUint16(i + 10, dosTime, true);
      view.setUint16(i + 12, dosDate, true);
      i += 29 + view.getUint16(i + 26, true) + view.getUint16(i + 28, true) + view.getUint32(i + 18, true);
    } else if (sig === 0x02014b50) {
      view.setUint16(i + 12, dosTime, true);
      view.setUint16(i + 14, dosDate, true);
      i += 45 + view.getUint16(i + 28, true) + view.getUint16(i + 30, true) + view.getUint16(i + 32, true);
    }
  }
  return bytes;
}
