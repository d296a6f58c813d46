//! Page 1 of the form, described as tables for the engine (./grid.ts): title and header row,
//! （１） the indicators (数値目標 over ①, 重要業績評価指標（KPI） over ②) with the grade legend beside
//! them, （２） the 検証内容 block and the committee's opinions, and （３） the totals. The blocks of （２）
//! share the page's height at one type size; what does not fit even at 6 pt continues on 別紙.

import { gradeLetter, reasonParagraphs } from '../model/marks.js';
import { PROGRESS_CHOICES, sheetYears, type GradedIndicator, type GradedSheet, type Measured } from '../model/types.js';
import { fitText, REF_PLACEHOLDER, splitSentences, type LayoutContext } from './fit.js';
import {
  asOfLine,
  circled,
  fiscalEra,
  fiscalYearHeader,
  fiscalYearShort,
  formatMeasured,
  formatNumber,
  periodNote,
} from './format.js';
import {
  atomSize,
  contentHeight,
  empty,
  FLOOR,
  holdsAll,
  LEADING,
  linesHeight,
  measure,
  placeGrid,
  rowGroups,
  sizesFrom,
  sum,
  textLines,
  reportSplitWords,
  reportWidening,
  widenForAtoms,
  type Cell,
  type Content,
  type Field,
  type Grid,
  type Row,
} from './grid.js';
import { widestRun } from './linebreak.js';
import { A4_LANDSCAPE, type LayoutNode, type Page, type TextRun } from './types.js';

export const MARGIN = { left: 22, right: 22, top: 20, bottom: 18 };
export const CONTENT_W = A4_LANDSCAPE.width - MARGIN.left - MARGIN.right;
const BOTTOM = A4_LANDSCAPE.height - MARGIN.bottom;
const SECTION_SIZE = 9;
const SECTION_H = SECTION_SIZE * 1.5;
const GAP = 4;
/** Preferred sizes of the blocks (the largest they print at); each shrinks to the floor as needed. */
export const PREF = { header: 8, indicators: 8, legend: 7, verification: 8, totals: 8, projects: 7.5 } as const;

export interface Page1Options {
  gradeColumn: boolean;
}

/** Field labels, as the sheet words them: used in warnings and on 別紙 headings. */
export function fieldLabels(g: GradedSheet) {
  const fy = g.sheet.fiscalYear;
  // The era is named only when the year is in another era than the sheet's (平成30年度 sheet → ④令和2年度).
  const later = (y: number): string => fiscalYearHeader(y, fiscalEra(y).era !== fiscalEra(fy).era);
  return {
    reasons: '②（１）数値目標・ＫＰＩの実績値と（２）－①の状況の理由等',
    situation: '③現状と課題、方向性、数値目標・ＫＰＩ達成に向けた課題・問題点',
    policy: `④${later(fy + 2)}施策の方針`,
    item5: g.sheet.item5 ? `⑤${g.sheet.item5.title}` : '⑤',
    related: `⑥${later(fy + 1)}施策の方針に関連する事務事業名`,
  };
}

/** A heading line of a section: （１）… in bold. */
export function sectionHeading(
  ctx: LayoutContext,
  text: string,
  x: number,
  y: number,
  w = CONTENT_W,
): { node: LayoutNode; h: number } {
  const box = { x, y, w, h: SECTION_H };
  const runs = fitText(ctx, { text, font: 'bold', size: SECTION_SIZE, padX: 0, padY: 0, leading: 1.5 }, box);
  return { node: { type: 'text', tag: 'H2', runs, cell: box }, h: SECTION_H };
}

// Cell helpers: headings are bold and centred; values are atoms (never split inside).
export const th = (col: number, text: string, extra: Partial<Cell> = {}, content: Partial<Content> = {}): Cell => ({
  col,
  tag: 'TH',
  scope: 'Column',
  shade: true,
  content: { kind: 'text', text, font: 'bold', align: 'center', ...content } as Content,
  ...extra,
});
export const td = (
  col: number,
  text: string,
  field?: Field,
  extra: Partial<Cell> = {},
  align: 'left' | 'center' | 'right' = 'left',
): Cell => ({
  col,
  tag: 'TD',
  content: { kind: 'text', text, align, valign: 'top', ...(field ? { field } : {}) },
  ...extra,
});
export const atoms = (
  col: number,
  list: string[],
  field?: Field,
  align: 'left' | 'center' | 'right' = 'center',
  extra: Partial<Cell> = {},
): Cell =>
  list.length === 0
    ? empty(col, extra)
    : { col, tag: 'TD', content: { kind: 'atoms', atoms: list, align, ...(field ? { field } : {}) }, ...extra };

/** A value with its unit and its notes, as atoms: "114件", "（30年度）", "（見込み）". */
export function measuredAtoms(m: Measured, unit: string, columnYear?: number): string[] {
  const f = formatMeasured(m, unit, columnYear);
  // The note may hold a period note and a free note: each bracketed part is its own atom.
  const notes = f.note.match(/（[^（）]*）|[^（）]+/gu) ?? [];
  return [f.value, ...notes];
}

/**
 * Headers of year columns. (1) names the era on its first column (令和1年度（決算）参考, as the seed);
 * (3) and (4) name it only where it changes or differs from the sheet's (1年度（決算）).
 */
export function yearHeadAtoms(g: GradedSheet, years: readonly number[], form: 'indicators' | 'money'): string[][] {
  const sheetEra = fiscalEra(g.sheet.fiscalYear).era;
  return years.map((y, i) => {
    const era = fiscalEra(y).era;
    const withEra =
      form === 'indicators'
        ? i === 0 || era !== fiscalEra(years[i - 1]!).era
        : (i === 0 && era !== sheetEra) || (i > 0 && era !== fiscalEra(years[i - 1]!).era);
    const ref = form === 'indicators' && g.sheet.referenceYears.includes(y) ? '参考' : '';
    return [fiscalYearHeader(y, withEra), `（決算）${ref}`];
  });
}

/** (1)'s year columns: the reference years and the plan years before the target year; the target year once the sheet has reached it. */
export function indicatorYears(g: GradedSheet): number[] {
  const s = g.sheet;
  const years = new Set<number>(s.referenceYears);
  for (let y = s.planPeriod.from; y < s.planPeriod.to; y++) years.add(y);
  if (s.fiscalYear >= s.planPeriod.to) years.add(s.planPeriod.to);
  // An actual is never dropped: a year that holds one has its column.
  for (const gi of [g.goal, ...g.kpis]) for (const y of gi.indicator.actuals.keys()) years.add(y);
  return [...years].sort((a, b) => a - b);
}

function nameText(gi: GradedIndicator): string {
  const ind = gi.indicator;
  const head = ind.kind === 'kpi' && ind.number !== null ? `${ind.number}　${ind.name}` : ind.name;
  if (!ind.note) return head;
  const note = /^[（(].*[）)]$/u.test(ind.note) ? ind.note : `（${ind.note}）`;
  return `${head}${note}`;
}

function targetAtoms(g: GradedSheet, gi: GradedIndicator): string[] {
  const t = gi.indicator.target;
  if (!t) return ['-'];
  const out: string[] = [];
  if (t.label) out.push(t.label);
  if (t.value !== undefined) out.push(formatNumber(t.value, t.valueWritten) + gi.indicator.unit);
  if (t.year !== g.sheet.planPeriod.to) out.push(periodNote(t.year, false));
  return out.length ? out : ['-'];
}

const indLabel = (gi: GradedIndicator) =>
  gi.indicator.kind === 'goal' ? '数値目標' : `ＫＰＩ${gi.indicator.number ?? ''}`;

interface IndicatorCols {
  widths: number[];
  years: number[];
  /** Index of the first year column, and of the grade column (or -1). */
  y0: number;
  grade: number;
}

function indicatorCols(
  g: GradedSheet,
  width: number,
  gradeColumn: boolean,
  years: number[] = indicatorYears(g),
): IndicatorCols {
  const fixed = [16, 170, 62, 58];
  const gradeW = gradeColumn ? 34 : 0;
  const yw = (width - sum(fixed) - gradeW) / Math.max(1, years.length);
  return {
    widths: [...fixed, ...years.map(() => yw), ...(gradeColumn ? [gradeW] : [])],
    years,
    y0: fixed.length,
    grade: gradeColumn ? fixed.length + years.length : -1,
  };
}

/** The header row of a group: 数値目標 or 重要業績評価指標（KPI） | 基準値 | 目標値（N年度） | years （決算） [| 達成状況]. */
function indicatorHead(g: GradedSheet, c: IndicatorCols, title: string, label: Cell | null): Row {
  const cells: Cell[] = [];
  if (label) cells.push(label);
  cells.push(th(1, title), th(2, '基準値'), {
    col: 3,
    tag: 'TH',
    scope: 'Column',
    shade: true,
    content: { kind: 'atoms', atoms: ['目標値', `（${fiscalYearShort(g.sheet.planPeriod.to)}）`], font: 'bold' },
  });
  yearHeadAtoms(g, c.years, 'indicators').forEach((a, i) =>
    cells.push({
      col: c.y0 + i,
      tag: 'TH',
      scope: 'Column',
      shade: true,
      content: { kind: 'atoms', atoms: a, font: 'bold' },
    }),
  );
  if (c.grade >= 0)
    cells.push({
      col: c.grade,
      tag: 'TH',
      scope: 'Column',
      shade: true,
      content: { kind: 'atoms', atoms: ['達成', '状況'], font: 'bold' },
    });
  return { cells };
}

function indicatorRow(g: GradedSheet, c: IndicatorCols, gi: GradedIndicator, label: Cell | null): Row {
  const ind = gi.indicator;
  const what = indLabel(gi);
  const cells: Cell[] = [];
  if (label) cells.push(label);
  cells.push({
    col: 1,
    tag: 'TH',
    scope: 'Row',
    content: { kind: 'text', text: nameText(gi), field: { path: [...ind.path, 'name'], label: `${what} 指標名` } },
  });
  cells.push(
    atoms(2, ind.baseline ? measuredAtoms(ind.baseline, ind.unit) : ['-'], {
      path: ind.baseline?.path ?? [...ind.path, 'baseline'],
      label: `${what} 基準値`,
    }),
  );
  cells.push(
    atoms(3, targetAtoms(g, gi), { path: ind.target?.path ?? [...ind.path, 'target'], label: `${what} 目標値` }),
  );
  c.years.forEach((yr, i) => {
    const m = ind.actuals.get(yr);
    const list = m ? measuredAtoms(m, ind.unit, yr) : yr <= g.sheet.fiscalYear ? ['-'] : [];
    cells.push(
      atoms(c.y0 + i, list, {
        path: m?.path ?? [...ind.path, 'actuals'],
        label: `${what} ${fiscalYearHeader(yr, true)}`,
      }),
    );
  });
  if (c.grade >= 0)
    cells.push({ col: c.grade, tag: 'TD', content: { kind: 'atoms', atoms: [gradeLetter(gi)], font: 'bold' } });
  return { cells };
}

/** (1) as a grid: the 数値目標 group (when `goal`) and the KPI group with the given KPIs. */
export function indicatorGrid(
  g: GradedSheet,
  c: IndicatorCols,
  goal: boolean,
  kpis: GradedIndicator[],
  continued: boolean,
): Grid {
  const rows: Row[] = [];
  const vlabel = (text: string, n: number): Cell => ({
    col: 0,
    rowSpan: n,
    tag: 'TH',
    scope: 'Row',
    shade: true,
    content: { kind: 'vertical', text },
  });
  if (goal) {
    rows.push(indicatorHead(g, c, '数値目標', vlabel('①目標指標', 2)));
    rows.push(indicatorRow(g, c, g.goal, null));
  }
  const kr = kpis.length;
  rows.push(
    indicatorHead(
      g,
      c,
      continued ? '重要業績評価指標（KPI）（続き）' : '重要業績評価指標（KPI）',
      vlabel('②ＫＰＩ', 1 + Math.max(1, kr)),
    ),
  );
  if (kr === 0) {
    // "-" is a sheet without KPIs; when every KPI row continues on 別紙, the row says so instead.
    const text = g.kpis.length > 0 ? '別紙のとおり' : '-';
    const cells: Cell[] = [{ col: 1, tag: 'TH', scope: 'Row', content: { kind: 'text', text, align: 'center' } }];
    for (let i = 2; i < c.widths.length; i++) cells.push(empty(i));
    rows.push({ cells });
  }
  for (const k of kpis) rows.push(indicatorRow(g, c, k, null));
  return { widths: c.widths, rows };
}

const LEGEND_W = 172;
const LEGEND_GAP = 8;

/** Years split into `n` runs of nearly equal length, in order. */
export function splitYears(years: number[], n: number): number[][] {
  const out: number[][] = [];
  let i = 0;
  for (let b = 0; b < n; b++) {
    const len = Math.ceil((years.length - i) / (n - b));
    out.push(years.slice(i, i + len));
    i += len;
  }
  return out.filter((y) => y.length > 0);
}

/**
 * Column layouts of (1) so that every number fits at the floor: one band with the legend beside, one
 * band with the legend under the table, then two or more bands of year columns (each a table with its
 * own header rows, stacked). Warnings say which; an error names a value no band can hold.
 */
function indicatorBands(
  ctx: LayoutContext,
  g: GradedSheet,
  gradeColumn: boolean,
): { cols: IndicatorCols[]; beside: boolean } {
  const years = indicatorYears(g);
  // `strict`: every number whole, in the value cells and in the names alike; else the value cells
  // only (a run of digits in a name then breaks, with a warning), when no layout holds them all.
  const attempt = (width: number, n: number, emit: boolean, strict = true): IndicatorCols[] | null => {
    const parts = n === 1 ? [years] : splitYears(years, n);
    const out: IndicatorCols[] = [];
    for (let b = 0; b < parts.length; b++) {
      const c = indicatorCols(g, width, gradeColumn && b === parts.length - 1, parts[b]!);
      const grid = indicatorGrid(g, c, true, g.kpis, false);
      if (emit) c.widths = widen(ctx, grid, [1], new Map([[1, 96]]));
      else {
        const r = widenForAtoms(ctx, grid, [1], new Map([[1, 96]]));
        if (strict ? !holdsAll(r) : r.impossible.length > 0) return null;
        c.widths = r.widths;
      }
      out.push(c);
    }
    return out;
  };
  const beside = CONTENT_W - LEGEND_W - LEGEND_GAP;
  for (const strict of [true, false]) {
    if (attempt(beside, 1, false, strict)) return { cols: attempt(beside, 1, true)!, beside: true };
    for (let n = 1; n <= Math.max(1, years.length); n++) {
      if (attempt(CONTENT_W, n, false, strict)) {
        if (n > 1) bandWarning(ctx, '（１）', n);
        return { cols: attempt(CONTENT_W, n, true)!, beside: false };
      }
    }
  }
  return { cols: attempt(CONTENT_W, Math.max(1, years.length), true)!, beside: false };
}

function bandWarning(ctx: LayoutContext, block: string, n: number): void {
  ctx.warn(
    'layout.bands',
    ['plan_period'],
    `数値が 6pt でも列に収まらないため、${block}の年度の列を ${n} 段に分けて印刷しました`,
    `a number does not fit its column even at 6 pt: the year columns of ${block} print in ${n} bands, one under the other`,
    '桁の多い数値の単位（千円など）を見直すと 1 段に収まります',
    'fewer digits (e.g. a larger unit) keep them in one band',
  );
}

/** The legend: the scheme's title over one row per grade, then the notes on overridden grades. */
function legendGrid(
  g: GradedSheet,
  width: number,
  entries: number[],
  withTitle: boolean,
  footnotes: { text: string; field: Field }[],
): Grid {
  const rows: Row[] = [];
  const gw = 18;
  if (withTitle)
    rows.push({
      cells: [
        {
          ...th(0, g.scheme.title, { colSpan: 2 }, { align: 'left' }),
          content: {
            kind: 'text',
            text: g.scheme.title,
            font: 'bold',
            align: 'left',
            field: { path: ['grading'], label: '評価基準の表題' },
          },
        },
      ],
    });
  for (const i of entries) {
    const e = g.scheme.legend[i]!;
    rows.push({
      cells: [
        {
          col: 0,
          tag: 'TH',
          scope: 'Row',
          content: {
            kind: 'text',
            text: e.grade,
            font: 'bold',
            align: 'center',
            field: { path: ['grading'], label: `評価基準 ${e.grade}` },
          },
        },
        {
          col: 1,
          tag: 'TD',
          content: { kind: 'text', text: e.text, field: { path: ['grading'], label: `評価基準 ${e.grade}` } },
        },
      ],
    });
  }
  for (const f of footnotes)
    rows.push({ cells: [{ col: 0, colSpan: 2, tag: 'TD', content: { kind: 'text', text: f.text, field: f.field } }] });
  return { widths: [gw, width - gw], rows };
}

function overrideNotes(g: GradedSheet): { text: string; field: Field }[] {
  const out: { text: string; field: Field }[] = [];
  for (const gi of [g.goal, ...g.kpis]) {
    const res = gi.result;
    if (!res.overridden) continue;
    const why = res.reason ? `（理由：${res.reason}）` : '';
    const ind = gi.indicator;
    out.push({
      text: `※ ${indLabel(gi)}「${ind.name}」の達成状況は、評価基準による ${res.computed} を ${gradeLetter(gi)} としています${why}`,
      field: { path: ind.override?.path ?? [...ind.path, 'grade_override'], label: '達成状況の変更理由' },
    });
  }
  return out;
}

/** Warns once per column that had to widen for a number, naming the field. */
function widen(ctx: LayoutContext, grid: Grid, flex: number[], mins: Map<number, number>): number[] {
  const r = widenForAtoms(ctx, grid, flex, mins);
  reportWidening(ctx, r);
  const widths = r.impossible.length > 0 ? grid.widths : r.widths;
  reportSplitWords(ctx, { ...grid, widths });
  return widths;
}

function shrinkWarning(ctx: LayoutContext, field: Field | undefined, block: string, from: number, to: number): void {
  if (!field || to >= from) return;
  ctx.warn(
    'layout.shrink',
    field.path,
    `「${field.label}」が収まるよう、${block}の文字を ${from}pt から ${to}pt に縮小しました`,
    `"${field.label}" needs more room: ${block} prints at ${to} pt instead of ${from} pt`,
    '文章を短くすると元の大きさで印刷されます',
    'shorten the text to print it at the regular size',
  );
}

/** The field of a grid whose content is tallest relative to its cell (the one that asked for the shrink). */
function neediest(ctx: LayoutContext, grid: Grid, size: number): Field | undefined {
  let best: Field | undefined;
  let most = 0;
  for (const r of grid.rows)
    for (const c of r.cells) {
      if (c.content.kind !== 'text' && c.content.kind !== 'atoms') continue;
      if (!c.content.field) continue;
      let w = 0;
      for (let i = c.col; i < c.col + (c.colSpan ?? 1); i++) w += grid.widths[i]!;
      const h = contentHeight(ctx, c.content, w, size);
      if (h > most) {
        most = h;
        best = c.content.field;
      }
    }
  return best;
}

/** The header row's text columns (重点施策名, 主管課, 担当班, 関係課) and the least width of each. */
const HEADER_TEXT_COLS = [4, 6, 8, 10];
const HEADER_MINS = new Map([
  [4, 80],
  [6, 50],
  [8, 40],
  [10, 50],
]);

/**
 * Widths of a one-row grid whose text columns `cols` share the width they have so that the tallest
 * cell at `size` is as short as it can be: each column gets the least width (never under its minimum
 * or its widest word) at which its text fits that height; what is left goes to the first column.
 */
function balanceWidths(ctx: LayoutContext, grid: Grid, cols: number[], size: number): number[] {
  const widths = [...grid.widths];
  const total = sum(cols.map((c) => widths[c]!));
  const cells = cols.map((c) => grid.rows[0]!.cells.find((x) => x.col === c)!);
  const least = cols.map((c, i) => {
    const content = cells[i]!.content;
    const word =
      content.kind === 'text' ? widestRun(content.text, size, ctx.fonts[content.font ?? 'regular']).width + 4.3 : 0;
    return Math.min(Math.max(HEADER_MINS.get(c) ?? 0, word), widths[c]!);
  });
  const height = (i: number, w: number) => contentHeight(ctx, cells[i]!.content, w, size);
  // The least width of column i at which its cell is at most h tall (`total` when none is).
  const widthFor = (i: number, h: number): number => {
    let lo = least[i]!;
    if (height(i, lo) <= h) return lo;
    let hi = total;
    if (height(i, hi) > h) return total;
    for (let k = 0; k < 16; k++) {
      const mid = (lo + hi) / 2;
      if (height(i, mid) <= h) hi = mid;
      else lo = mid;
    }
    return Math.ceil(hi * 100) / 100;
  };
  let lo = 0;
  let hi = Math.max(...cols.map((_, i) => height(i, widths[cols[i]!]!)));
  for (let k = 0; k < 16; k++) {
    const mid = (lo + hi) / 2;
    if (sum(cols.map((_, i) => widthFor(i, mid))) <= total) hi = mid;
    else lo = mid;
  }
  const shared = cols.map((_, i) => widthFor(i, hi));
  if (sum(shared) > total + 0.01) return widths;
  cols.forEach((c, i) => (widths[c] = shared[i]!));
  widths[cols[0]!] = widths[cols[0]!]! + total - sum(shared);
  return widths;
}

interface ProseRow {
  heading: string;
  text: string;
  field: Field;
}

export function layoutPage1(ctx: LayoutContext, g: GradedSheet, opts: Page1Options): Page {
  const s = g.sheet;
  const nodes: LayoutNode[] = [];
  const x0 = MARGIN.left;
  let y = MARGIN.top;

  // Title line and as-of date.
  const title = `重点施策マネジメントシート　${fiscalYearHeader(s.fiscalYear, true)}${s.stage}`;
  const titleBox = { x: x0, y, w: CONTENT_W * 0.72, h: 17 };
  nodes.push({
    type: 'text',
    tag: 'H1',
    runs: fitText(
      ctx,
      {
        text: title,
        font: 'bold',
        size: 12,
        minSize: FLOOR,
        padX: 0,
        padY: 0,
        leading: 1.4,
        field: { path: ['stage'], label: '段階' },
      },
      titleBox,
    ),
    cell: titleBox,
  });
  const asOfBox = { x: x0 + CONTENT_W * 0.72, y: y + 2, w: CONTENT_W * 0.28, h: 15 };
  nodes.push({
    type: 'text',
    tag: 'P',
    runs: fitText(
      ctx,
      {
        text: asOfLine(s.asOf),
        size: 9,
        align: 'right',
        padX: 0,
        padY: 0,
        leading: 1.4,
        field: { path: ['as_of'], label: '時点' },
      },
      asOfBox,
    ),
    cell: asOfBox,
  });
  y += 20;

  // Header row: 基本目標 | n | 重点施策 | n | title | 主管課 | … | 担当班 | … | 関係課 | ….
  const header: Grid = {
    widths: [44, 26, 44, 26, 0, 40, 110, 40, 80, 40, 120],
    rows: [],
  };
  {
    const fixed = header.widths;
    fixed[4] = CONTENT_W - sum(fixed);
    const rowTh = (col: number, text: string): Cell => ({ ...th(col, text), scope: 'Row' });
    header.rows.push({
      minH: 17,
      cells: [
        rowTh(0, '基本目標'),
        atoms(1, [String(s.basicGoal)], { path: ['basic_goal'], label: '基本目標' }),
        rowTh(2, '重点施策'),
        atoms(3, [String(s.measure.number)], { path: ['measure', 'number'], label: '重点施策番号' }),
        td(4, s.measure.title, { path: ['measure', 'title'], label: '重点施策名' }),
        rowTh(5, '主管課'),
        td(6, s.leadDivision, { path: ['lead_division'], label: '主管課' }),
        rowTh(7, '担当班'),
        s.team ? td(8, s.team, { path: ['team'], label: '担当班' }) : empty(8),
        rowTh(9, '関係課'),
        s.relatedDivisions.length
          ? td(10, s.relatedDivisions.join('、'), { path: ['related_divisions'], label: '関係課' })
          : empty(10),
      ],
    });
    header.widths = widen(ctx, header, HEADER_TEXT_COLS, HEADER_MINS);
  }
  const headerMax = atomSize(ctx, header, PREF.header);

  // The page below the header: (1), (2) with the committee, (3). (3) and the headings are fixed.
  const totals = totalsBlock(ctx, g);
  const notes = overrideNotes(g);
  const allLegend = g.scheme.legend.map((_, i) => i);
  // (1)'s columns: the legend beside the table as the form has it; when a number needs the width,
  // the legend goes under the table, and past that the year columns continue in a second band below.
  const bands = indicatorBands(ctx, g, opts.gradeColumn);
  const legendBeside = bands.beside;
  const legendW = legendBeside ? LEGEND_W : Math.min(CONTENT_W, 420);
  const verif = verificationRows(g);
  const minVerif = minVerificationHeight(ctx, verif);
  const sectionsH = 3 * SECTION_H + 3 * GAP + (totals.bands - 1) * GAP;

  // The header prints at its size unless titles at the format's limit make it so tall that the page
  // would not keep (2) its least room under the least of (1) (its first band without KPI rows, the
  // legend's title): then it shrinks, never below the floor.
  {
    const first = bands.cols[0]!;
    const least1 =
      sum(measure(ctx, indicatorGrid(g, first, true, [], false), FLOOR)) +
      (g.kpis.length > 0 || bands.cols.length > 1 ? NOTE_LINE_H : 0) +
      (legendBeside ? 0 : GAP + sum(measure(ctx, legendGrid(g, legendW, [], true, []), FLOOR)) + NOTE_LINE_H);
    const below = GAP + least1 + minVerif + sectionsH + totals.height;
    const room = BOTTOM - y;
    let size = headerMax;
    if (sum(measure(ctx, header, size)) + below > room) {
      // Too tall: first the text columns share their width so that the tallest is least, then the size
      // goes down with them shared anew at each size.
      let fit: { size: number; widths: number[] } | undefined;
      for (const sz of sizesFrom(headerMax)) {
        const widths = balanceWidths(ctx, header, HEADER_TEXT_COLS, sz);
        if (sum(measure(ctx, { ...header, widths }, sz)) + below <= room) {
          fit = { size: sz, widths };
          break;
        }
      }
      fit ??=
        headerMax >= FLOOR ? { size: FLOOR, widths: balanceWidths(ctx, header, HEADER_TEXT_COLS, FLOOR) } : undefined;
      if (fit && sum(measure(ctx, { ...header, widths: fit.widths }, fit.size)) < sum(measure(ctx, header, fit.size)))
        header.widths = fit.widths;
      size = fit?.size ?? headerMax;
    }
    if (size < headerMax) shrinkWarning(ctx, neediest(ctx, header, headerMax), '表題欄', headerMax, size);
    const h = measure(ctx, header, size);
    const placed = placeGrid(ctx, header, h, size, x0, y, [0]);
    nodes.push({ type: 'group', tag: 'Sect', children: placed.nodes });
    y = placed.bottom + GAP;
  }
  const proseTop = y;

  // What (2) needs at least: ① progress, a few lines of each prose row, the committee's head and one row.
  const avail = BOTTOM - proseTop - sectionsH - totals.height;
  const budget1 = avail - minVerif;

  // (1): the largest size at which table and legend fit their budget; below the floor, KPIs and legend rows continue on 別紙.
  const s1max = Math.min(
    ...bands.cols.map((c) => atomSize(ctx, indicatorGrid(g, c, true, g.kpis, false), PREF.indicators)),
  );
  let s1 = FLOOR;
  let kpiCount = g.kpis.length;
  let legendCount = allLegend.length;
  // Bands of year columns printed on the sheet; the later ones continue on 別紙 when even the first
  // rows of every band (数値目標 with a long name, the KPI header) leave (2) less than its least room.
  let bandCount = bands.cols.length;
  const tableH = (size: number, k: number, nb = bandCount) =>
    sum(
      bands.cols.slice(0, nb).map((c) => sum(measure(ctx, indicatorGrid(g, c, true, g.kpis.slice(0, k), false), size))),
    ) +
    (nb - 1) * GAP;
  const legendH = (size: number, l: number) =>
    sum(
      measure(
        ctx,
        legendGrid(g, legendW, allLegend.slice(0, l), true, l === allLegend.length ? notes : []),
        Math.min(size, PREF.legend),
      ),
    );
  const section1H = (size: number, k: number, l: number): number =>
    legendBeside ? Math.max(tableH(size, k), legendH(size, l)) : tableH(size, k) + GAP + legendH(size, l);
  const fit1 = sizesFrom(s1max).find((sz) => section1H(sz, kpiCount, legendCount) <= budget1);
  if (fit1 !== undefined) s1 = fit1;
  else {
    const tb = legendBeside ? budget1 : budget1 * 0.75;
    // A cut table or legend ends with its reference line to 別紙 (one under each band; under the last
    // band printed, the same line refers to the later bands continued there): count them in.
    const notesH = (k: number, nb: number) =>
      k < g.kpis.length ? nb * NOTE_LINE_H : nb < bands.cols.length ? NOTE_LINE_H : 0;
    const tableFits = (k: number, nb: number) => tableH(s1, k, nb) + notesH(k, nb) <= tb;
    while (bandCount > 1 && !tableFits(0, bandCount)) bandCount--;
    while (kpiCount > 0 && !tableFits(kpiCount, bandCount)) kpiCount--;
    const lb = legendBeside ? budget1 : budget1 - tableH(s1, kpiCount) - notesH(kpiCount, bandCount) - GAP;
    while (legendCount > 0 && legendH(s1, legendCount) + (legendCount < allLegend.length ? NOTE_LINE_H : 0) > lb)
      legendCount--;
  }
  if (s1 < s1max)
    shrinkWarning(
      ctx,
      neediest(ctx, indicatorGrid(g, bands.cols[0]!, true, g.kpis, false), s1max),
      '（１）',
      s1max,
      s1,
    );

  {
    const sect: LayoutNode[] = [];
    const tableW = sum(bands.cols[0]!.widths);
    const hd = sectionHeading(ctx, '（１）施策の目標指標、KPI', x0, y, legendBeside ? tableW : CONTENT_W);
    sect.push(hd.node);
    y += hd.h;
    let bottom = y;
    // The reference under the last band printed: shared by its KPI rows continued and the later bands.
    let lastRef: TextRun | undefined;
    bands.cols.slice(0, bandCount).forEach((cols, b) => {
      const grid = indicatorGrid(g, cols, true, g.kpis.slice(0, kpiCount), false);
      const h = measure(ctx, grid, s1);
      const placed = placeGrid(
        ctx,
        grid,
        h,
        s1,
        x0,
        bottom,
        h.map((_, i) => i),
      );
      sect.push(...placed.nodes);
      bottom = placed.bottom;
      if (kpiCount < g.kpis.length) {
        const ref = noteLine(ctx, REF_PLACEHOLDER, x0, bottom, sum(cols.widths), sect);
        bottom += ref.h;
        lastRef = ref.run;
        const rest = g.kpis.slice(kpiCount);
        const cont = indicatorGrid(g, cols, false, rest, true);
        ctx.annex.push({
          kind: 'table',
          heading: `（１）施策の目標指標、KPI（続き${bands.cols.length > 1 ? `　${b + 1}/${bands.cols.length}` : ''}）`,
          grid: cont,
          head: [0],
          body: cont.rows.map((_, i) => i).slice(1),
          size: s1,
          path: rest[0]!.indicator.path,
          label: `（１）${indLabel(rest[0]!)} 以降`,
          refs: [ref.run],
        });
      }
      if (b < bandCount - 1) bottom += GAP;
    });
    if (bandCount < bands.cols.length) {
      // The later bands: the table again on 別紙, whole (数値目標, then the KPIs), after what continues
      // from the bands above; one reference line under the last band printed — the one of its KPI rows
      // continued when there is one, naming both 別紙 pages should they differ.
      let run = lastRef;
      if (run) ctx.sharedRefs.add(run);
      else {
        const ref = noteLine(ctx, REF_PLACEHOLDER, x0, bottom, sum(bands.cols[bandCount - 1]!.widths), sect);
        bottom += ref.h;
        run = ref.run;
      }
      const ref = { run };
      bands.cols.slice(bandCount).forEach((cols, k) => {
        const ys = cols.years;
        const span = `${fiscalYearHeader(ys[0]!, true)}〜${fiscalYearHeader(ys[ys.length - 1]!, true)}`;
        const whole = indicatorGrid(g, cols, true, g.kpis, false);
        const size = atomSize(ctx, whole, PREF.indicators);
        const goalGrid: Grid = { widths: whole.widths, rows: whole.rows.slice(0, 2) };
        const kpiGrid = indicatorGrid(g, cols, false, g.kpis, false);
        ctx.annex.push(
          {
            kind: 'table',
            heading: `（１）施策の目標指標、KPI（${span}）`,
            grid: goalGrid,
            head: [0],
            body: [1],
            size,
            path: g.goal.indicator.path,
            label: `（１）${fiscalYearHeader(ys[0]!, true)}〜`,
            refs: k === 0 ? [ref.run] : [],
          },
          {
            kind: 'table',
            heading: `（１）重要業績評価指標（KPI）（${span}）`,
            grid: kpiGrid,
            head: [0],
            body: kpiGrid.rows.map((_, i) => i).slice(1),
            size,
            path: g.kpis[0]?.indicator.path ?? g.goal.indicator.path,
            label: `（１）ＫＰＩ ${fiscalYearHeader(ys[0]!, true)}〜`,
            refs: [],
          },
        );
      });
    }
    // The legend beside the table (or under it), with the notes on overridden grades.
    const lsize = Math.min(s1, PREF.legend);
    const lg = legendGrid(
      g,
      legendW,
      allLegend.slice(0, legendCount),
      true,
      legendCount === allLegend.length ? notes : [],
    );
    const lh = measure(ctx, lg, lsize);
    const lx = legendBeside ? x0 + tableW + LEGEND_GAP : x0;
    const ly = legendBeside ? y : bottom + GAP;
    const lplaced = placeGrid(
      ctx,
      lg,
      lh,
      lsize,
      lx,
      ly,
      lh.map((_, i) => i),
    );
    sect.push(...lplaced.nodes);
    let lbottom = lplaced.bottom;
    if (legendCount < allLegend.length) {
      const ref = noteLine(ctx, REF_PLACEHOLDER, lx, lbottom, legendW, sect);
      lbottom += ref.h;
      const cont = legendGrid(g, legendW, allLegend.slice(legendCount), true, notes);
      ctx.annex.push({
        kind: 'table',
        heading: `${g.scheme.title}（続き）`,
        grid: cont,
        head: [0],
        body: cont.rows.map((_, i) => i).slice(1),
        size: lsize,
        path: ['grading'],
        label: g.scheme.title,
        refs: [ref.run],
      });
    }
    nodes.push({ type: 'group', tag: 'Sect', children: sect });
    y = Math.max(bottom, lbottom) + GAP;
  }

  // (2) and the committee: one size for the block, the largest at which the page holds it all.
  {
    const sect: LayoutNode[] = [];
    const hd = sectionHeading(ctx, '（２）重点施策に関する検証', x0, y);
    sect.push(hd.node);
    y += hd.h;
    const room = BOTTOM - y - SECTION_H - GAP - totals.height - GAP - (totals.bands - 1) * GAP;
    // The block is laid out for its room; should its rows still come out taller (a cut row measured
    // again with its reference line), it is laid out again for less room, which sends more to 別紙,
    // so that nothing is ever drawn over (3). What the discarded attempt registered is taken back.
    const annexAt = ctx.annex.length;
    const warnAt = ctx.warnings.length;
    let fit = room;
    let block = verificationBlock(ctx, g, verif, x0, y, fit);
    for (let tries = 0; tries < 6 && block.bottom > y + room + 0.01; tries++) {
      fit -= block.bottom - (y + room) + 1;
      ctx.annex.length = annexAt;
      ctx.warnings.length = warnAt;
      block = verificationBlock(ctx, g, verif, x0, y, fit);
    }
    if (block.bottom > y + room + 0.01) {
      // Not even its headings fit under a header and a first band of (1) at the format's limits:
      // (2) goes to 別紙 whole, as the form has it, and page 1 says 「別紙のとおり」 with the reference.
      ctx.annex.length = annexAt;
      ctx.warnings.length = warnAt;
      block = verificationToAnnex(ctx, g, verif, x0, y, room);
    }
    sect.push(...block.nodes);
    nodes.push({ type: 'group', tag: 'Sect', children: sect });
    y += room + GAP;
  }

  // (3) totals, at the foot of the page.
  {
    const sect: LayoutNode[] = [];
    const hd = sectionHeading(ctx, '（３）当該重点施策に関連する事業について（合計事業費）', x0, y);
    sect.push(hd.node);
    y += hd.h;
    totals.grids.forEach((grid, b) => {
      const h = totals.heights[b]!;
      const placed = placeGrid(
        ctx,
        grid,
        h,
        totals.size,
        x0,
        y,
        h.map((_, i) => i),
      );
      sect.push(...placed.nodes);
      y = placed.bottom + GAP;
    });
    nodes.push({ type: 'group', tag: 'Sect', children: sect });
  }
  return { ...A4_LANDSCAPE, nodes };
}

/** A one-line note under a table (the reference to 別紙); returns its run for numbering. */
/** Height of a note line under a table (noteLine). */
const NOTE_LINE_H = 7 * 1.4;

function noteLine(
  ctx: LayoutContext,
  text: string,
  x: number,
  y: number,
  w: number,
  into: LayoutNode[],
): { run: TextRun; h: number } {
  const h = NOTE_LINE_H;
  const box = { x, y, w, h };
  const runs = fitText(ctx, { text, size: 7, padX: 0, padY: 0, leading: 1.4 }, box);
  into.push({ type: 'text', tag: 'Note', runs, cell: box });
  return { run: runs[0]!, h };
}

function verificationRows(g: GradedSheet): ProseRow[] {
  const s = g.sheet;
  const labels = fieldLabels(g);
  const rows: ProseRow[] = [
    {
      heading: '② （１）数値目標・ＫＰＩの実績値と（２）－①の状況の理由等',
      text: reasonParagraphs(g)
        .map((p) => p.mark + p.text.replace(/\s+$/u, ''))
        .join('\n\n'),
      field: { path: ['reasons'], label: labels.reasons },
    },
    { heading: labels.situation, text: s.situation, field: { path: ['situation'], label: labels.situation } },
    { heading: labels.policy, text: s.policy, field: { path: ['policy'], label: labels.policy } },
  ];
  if (s.item5)
    rows.push({ heading: labels.item5, text: s.item5.text, field: { path: ['item5', 'text'], label: labels.item5 } });
  rows.push({
    heading: labels.related,
    text: s.relatedPolicyProjects.length ? s.relatedPolicyProjects.join('\n') : '-',
    field: { path: ['related_policy_projects'], label: labels.related },
  });
  return rows.map((r) => ({ ...r, text: r.text.replace(/\r\n?/g, '\n').replace(/\s+$/u, '') }));
}

const V = { vl: 16, head: 132 };
const TEXT_W = CONTENT_W - V.vl - V.head;
const CHOICE_MARK_W = 34;
const HALF = CONTENT_W / 2;
const PROGRESS_H = 16;
/** Size of table rows continued on 別紙 (there is room: the floor is not needed). */
const ANNEX_SIZE = 8;

/** Least height of a prose row that continues on 別紙: a line of text and the reference line. */
const MIN_PROSE_LINES = 2;

function minVerificationHeight(ctx: LayoutContext, rows: ProseRow[]): number {
  let h = PROGRESS_H;
  for (const r of rows)
    h += Math.max(
      contentHeight(ctx, { kind: 'text', text: r.heading }, V.head, FLOOR),
      linesHeight(Math.min(MIN_PROSE_LINES, Math.max(1, textLines(ctx, r.text, TEXT_W, FLOOR).length)), FLOOR),
    );
  // The committee: its header, an entry cut after a line, and the row that refers to the rest.
  return (
    h +
    contentHeight(
      ctx,
      { kind: 'text', text: '推進委員会からの意見に対する担当課の考え（要旨）', font: 'bold' },
      HALF,
      FLOOR,
    ) +
    linesHeight(MIN_PROSE_LINES, FLOOR) +
    linesHeight(1, FLOOR)
  );
}

interface Entry {
  opinion: string;
  response: string;
  fieldO: Field;
  fieldR: Field;
  n: string;
}

/** The committee's entries, each opinion and answer led by its number (①). */
function committeeEntries(g: GradedSheet): Entry[] {
  return g.sheet.committee.map((c) => ({
    opinion: `${circled(c.number)}${c.opinion.replace(/\s+$/u, '')}`,
    response: `${circled(c.number)}${c.response.replace(/\s+$/u, '')}`,
    fieldO: { path: [...c.path, 'opinion'], label: `推進委員会からの意見 ${circled(c.number)}` },
    fieldR: { path: [...c.path, 'response'], label: `担当課の考え ${circled(c.number)}` },
    n: circled(c.number),
  }));
}

function verificationGrid(g: GradedSheet, rows: { heading: string; text: string; field: Field }[]): Grid {
  const choiceW = TEXT_W / PROGRESS_CHOICES.length - CHOICE_MARK_W;
  const widths = [V.vl, V.head, ...PROGRESS_CHOICES.flatMap(() => [choiceW, CHOICE_MARK_W])];
  const n = 1 + rows.length;
  const first: Cell[] = [
    { col: 0, rowSpan: n, tag: 'TH', scope: 'Row', shade: true, content: { kind: 'vertical', text: '検証内容' } },
    { col: 1, tag: 'TH', scope: 'Row', content: { kind: 'text', text: '① 施策の進捗状況' } },
  ];
  PROGRESS_CHOICES.forEach((c, i) => {
    first.push({ col: 2 + 2 * i, tag: 'TD', content: { kind: 'atoms', atoms: [c] } });
    first.push(
      c === g.sheet.progress
        ? { col: 3 + 2 * i, tag: 'TD', content: { kind: 'atoms', atoms: ['〇'], size: 9 } }
        : empty(3 + 2 * i),
    );
  });
  const out: Row[] = [{ cells: first, minH: PROGRESS_H }];
  for (const r of rows)
    out.push({
      cells: [
        { col: 1, tag: 'TH', scope: 'Row', content: { kind: 'text', text: r.heading } },
        td(2, r.text, r.field, { colSpan: 2 * PROGRESS_CHOICES.length }),
      ],
    });
  return { widths, rows: out };
}

function committeeGrid(entries: { opinion: string; response: string; fieldO?: Field; fieldR?: Field }[]): Grid {
  const rows: Row[] = [
    { cells: [th(0, '推進委員会からの意見（要旨）'), th(1, '推進委員会からの意見に対する担当課の考え（要旨）')] },
  ];
  for (const e of entries) rows.push({ cells: [td(0, e.opinion, e.fieldO), td(1, e.response, e.fieldR)] });
  return { widths: [HALF, CONTENT_W - HALF], rows };
}

/** Shares `avail` among rows: each gets at least its minimum; rows asking for less than a fair share get what they ask. */
export function share(demands: number[], mins: number[], avail: number): number[] {
  const n = demands.length;
  const total = sum(demands);
  if (total <= avail) return [...demands];
  const out = new Array<number>(n).fill(0);
  const order = [...demands.keys()].sort((a, b) => demands[a]! - demands[b]!);
  let left = avail;
  order.forEach((i, k) => {
    const fair = left / (n - k);
    out[i] = Math.max(mins[i]!, Math.min(demands[i]!, fair));
    left -= out[i]!;
  });
  return out;
}

/** Lines of prose that fit `h` at `size` in a cell `w` wide, keeping one line for the reference to 別紙. */
function linesIn(h: number, size: number): number {
  return Math.floor((h - 2 + 0.01) / (size * LEADING)) - 1;
}

function verificationBlock(
  ctx: LayoutContext,
  g: GradedSheet,
  prose: ProseRow[],
  x0: number,
  top: number,
  room: number,
): { nodes: LayoutNode[]; bottom: number } {
  const entries = committeeEntries(g);
  const shownEntries = entries.length ? entries : [{ opinion: '-', response: '-' }];
  const heightAt = (size: number) =>
    sum(measure(ctx, verificationGrid(g, prose), size)) + sum(measure(ctx, committeeGrid(shownEntries), size));
  let size = sizesFrom(PREF.verification).find((sz) => heightAt(sz) <= room);
  let vRows: { heading: string; text: string; field: Field; ref?: boolean }[] = prose;
  let cEntries: { opinion: string; response: string; fieldO?: Field; fieldR?: Field; ref?: boolean }[] = shownEntries;
  const pendingProse: { heading: string; field: Field; rest: string; row: number; col: 'v' | 'o' | 'r' }[] = [];
  const laterEntries: Entry[] = [];
  if (size === undefined) {
    // Not even the floor holds it all: share the room by need, cut prose after whole sentences, and continue on 別紙.
    size = FLOOR;
    const vg = verificationGrid(g, prose);
    const vh = measure(ctx, vg, size);
    const headH = (r: ProseRow) => contentHeight(ctx, { kind: 'text', text: r.heading }, V.head, size!);
    const cHead = measure(ctx, committeeGrid([]), size)[0]!;
    const entryH = measure(ctx, committeeGrid(shownEntries), size).slice(1);
    const refRowH = linesHeight(1, size);
    const demands = [...vh.slice(1), sum(entryH)];
    let mins = [
      ...prose.map((r, i) => Math.min(demands[i]!, Math.max(headH(r), linesHeight(MIN_PROSE_LINES, size!)))),
      Math.min(demands[demands.length - 1]!, linesHeight(MIN_PROSE_LINES, size) + refRowH),
    ];
    const rowsRoom = room - vh[0]! - cHead;
    // Less room than two lines a row ((1) took most of the page): each prose row keeps its heading
    // beside what fits of its text (at least the reference to 別紙), the committee one row referring to 別紙.
    if (sum(mins) > rowsRoom + 0.01)
      mins = [...prose.map((r, i) => Math.min(demands[i]!, headH(r))), Math.min(demands[demands.length - 1]!, refRowH)];
    const alloc = share(demands, mins, rowsRoom);
    vRows = prose.map((r, i) => {
      if (alloc[i]! >= demands[i]! - 0.01) return r;
      const lines = textLines(ctx, r.text, TEXT_W, size!);
      const { shown, rest } = splitSentences(r.text, lines, linesIn(alloc[i]!, size!));
      if (rest === '') return r;
      pendingProse.push({ heading: `${r.field.label}（続き）`, field: r.field, rest, row: i, col: 'v' });
      return { ...r, text: shown === '' ? REF_PLACEHOLDER : `${shown}\n${REF_PLACEHOLDER}`, ref: true };
    });
    // The committee: whole entries while they fit, then the one that is cut, then the rest on 別紙.
    // When entries will continue on 別紙, the row that says so takes its line from the committee's share.
    let left =
      alloc[alloc.length - 1]! - (alloc[alloc.length - 1]! < demands[demands.length - 1]! - 0.01 ? refRowH : 0);
    cEntries = [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const eh = entryH[i]!;
      if (eh <= left + 0.01 && laterEntries.length === 0) {
        cEntries.push(e);
        left -= eh;
        continue;
      }
      if (laterEntries.length === 0 && left >= linesHeight(MIN_PROSE_LINES, size) - 0.01) {
        const n = linesIn(left, size);
        const o = splitSentences(e.opinion, textLines(ctx, e.opinion, HALF, size), n, e.n.length);
        // An opinion that shows nothing here (its first sentence is longer than the room) takes its
        // answer along to 別紙: the answer is never read before the opinion it answers.
        const r =
          o.rest !== '' && o.shown === ''
            ? { shown: '', rest: e.response }
            : splitSentences(e.response, textLines(ctx, e.response, CONTENT_W - HALF, size), n, e.n.length);
        const row = cEntries.length;
        if (o.rest)
          pendingProse.push({ heading: `${e.fieldO.label}（続き）`, field: e.fieldO, rest: o.rest, row, col: 'o' });
        if (r.rest)
          pendingProse.push({ heading: `${e.fieldR.label}（続き）`, field: e.fieldR, rest: r.rest, row, col: 'r' });
        cEntries.push({
          ...e,
          opinion: o.rest ? (o.shown ? `${o.shown}\n${REF_PLACEHOLDER}` : REF_PLACEHOLDER) : o.shown,
          response: r.rest ? (r.shown ? `${r.shown}\n${REF_PLACEHOLDER}` : REF_PLACEHOLDER) : r.shown,
          ref: true,
        });
        left = 0;
        continue;
      }
      laterEntries.push(e);
    }
    if (laterEntries.length > 0) cEntries.push({ opinion: REF_PLACEHOLDER, response: REF_PLACEHOLDER, ref: true });
  }
  if (size < PREF.verification) {
    const biggest = [
      ...prose.map((r) => ({ f: r.field, n: r.text.length })),
      ...entries.map((e) => ({ f: e.fieldO, n: e.opinion.length + e.response.length })),
    ].sort((a, b) => b.n - a.n)[0];
    shrinkWarning(ctx, biggest?.f, '（２）', PREF.verification, size);
  }

  // Heights, with the room left over shared by the prose rows (the form fills its page).
  const vg = verificationGrid(g, vRows);
  const cg = committeeGrid(cEntries);
  const sizeV = size;
  const sizeC = size;
  const vh = measure(ctx, vg, sizeV);
  const ch = measure(ctx, cg, sizeC);
  const spare = room - sum(vh) - sum(ch);
  if (spare > 0) {
    const grow = vh.slice(1);
    const total = sum(grow) || 1;
    grow.forEach((h, i) => (vh[i + 1] = Math.floor((h + (spare * h) / total) * 100) / 100));
  }
  const nodes: LayoutNode[] = [];
  const pv = placeGrid(
    ctx,
    vg,
    vh,
    sizeV,
    x0,
    top,
    vh.map((_, i) => i),
  );
  nodes.push(...pv.nodes);
  const pc = placeGrid(
    ctx,
    cg,
    ch,
    sizeC,
    x0,
    pv.bottom,
    ch.map((_, i) => i),
  );
  nodes.push(...pc.nodes);

  // Register what continues on 別紙, in reading order, with the runs that refer to it.
  const refRuns = (group: LayoutNode[], rowIndex: number, cellIndex: number): TextRun[] => {
    const table = group.find((n) => n.type === 'group' && n.tag === 'Table');
    if (table?.type !== 'group') return [];
    const tr = table.children[rowIndex];
    if (tr?.type !== 'group') return [];
    const cell = tr.children[cellIndex];
    return cell && cell.type === 'text' ? cell.runs.filter((r) => r.text === REF_PLACEHOLDER) : [];
  };
  for (const p of pendingProse) {
    const runs =
      p.col === 'v'
        ? refRuns(pv.nodes, p.row + 1, p.row === -1 ? 0 : 1)
        : refRuns(pc.nodes, p.row + 1, p.col === 'o' ? 0 : 1);
    ctx.annex.push({
      kind: 'prose',
      heading: p.heading,
      text: p.rest,
      path: p.field.path,
      label: p.field.label,
      refs: runs,
    });
  }
  if (laterEntries.length > 0) {
    const last = cEntries.length;
    const runs = [...refRuns(pc.nodes, last, 0), ...refRuns(pc.nodes, last, 1)];
    const first = laterEntries[0]!;
    const range = `${first.n}${laterEntries.length > 1 ? `〜${laterEntries[laterEntries.length - 1]!.n}` : ''}`;
    // The rest of the committee continues as the same two-column table, whole entries per page; an entry
    // taller than a page (prose near the format's limit) is divided between pages at a line (annex.ts).
    const cont = committeeGrid(laterEntries);
    ctx.annex.push({
      kind: 'table',
      heading: `推進委員会からの意見（要旨）${range}（続き）`,
      grid: cont,
      head: [0],
      body: cont.rows.map((_, i) => i).slice(1),
      size: ANNEX_SIZE,
      path: first.fieldO.path,
      label: `推進委員会からの意見 ${range}`,
      refs: runs,
    });
  }
  return { nodes, bottom: pc.bottom };
}

/**
 * (2) on 別紙, whole: the 検証内容 table and the committee's, at the 別紙's size, divided between pages
 * at a line where a row is taller than a page. Page 1 keeps (2)'s place with one row: 検証内容 |
 * 「別紙のとおり」 and the reference to the 別紙 page.
 */
function verificationToAnnex(
  ctx: LayoutContext,
  g: GradedSheet,
  prose: ProseRow[],
  x0: number,
  top: number,
  room: number,
): { nodes: LayoutNode[]; bottom: number } {
  const s = g.sheet;
  const here: Grid = {
    widths: [V.vl + V.head, TEXT_W],
    rows: [
      {
        cells: [
          { ...th(0, '検証内容'), scope: 'Row' },
          td(1, `別紙のとおり\n${REF_PLACEHOLDER}`, { path: ['progress'], label: '（２）重点施策に関する検証' }),
        ],
      },
    ],
  };
  const size = sizesFrom(PREF.verification).find((sz) => sum(measure(ctx, here, sz)) <= room) ?? FLOOR;
  // The row fills (2)'s place down to (3), as the block does when it is on the page.
  const h = measure(ctx, here, size).map((v) => Math.max(v, Math.floor(room * 100) / 100));
  const placed = placeGrid(ctx, here, h, size, x0, top, [0]);
  const runs: TextRun[] = [];
  const collect = (nodes: LayoutNode[]): void => {
    for (const n of nodes)
      if (n.type === 'group') collect(n.children);
      else if (n.type === 'text') runs.push(...n.runs.filter((r) => r.text === REF_PLACEHOLDER));
  };
  collect(placed.nodes);
  const vg = verificationGrid(g, prose);
  ctx.annex.push({
    kind: 'table',
    heading: '（２）重点施策に関する検証',
    grid: vg,
    head: [],
    body: vg.rows.map((_, i) => i),
    size: ANNEX_SIZE,
    path: ['progress'],
    label: '（２）検証内容',
    refs: runs,
  });
  const entries = committeeEntries(g);
  const cg = committeeGrid(entries.length ? entries : [{ opinion: '-', response: '-' }]);
  ctx.annex.push({
    kind: 'table',
    heading: '（２）推進委員会からの意見',
    grid: cg,
    head: [0],
    body: cg.rows.map((_, i) => i).slice(1),
    size: ANNEX_SIZE,
    path: s.committee[0] ? [...s.committee[0].path, 'opinion'] : ['committee'],
    label: '推進委員会からの意見',
    refs: [],
  });
  ctx.warn(
    'layout.section-to-annex',
    ['progress'],
    '表題欄と（１）が 6pt でも 1 枚目の大半を占め、（２）の見出しも収まらないため、（２）重点施策に関する検証を全体で別紙に印刷しました（1 枚目は「別紙のとおり」）',
    'the header row and (1) take most of page 1 even at 6 pt, leaving (2) no room for its headings: (2) prints whole on 別紙 (attachment), page 1 saying 「別紙のとおり」 (see attachment)',
    '重点施策名・主管課・担当班・関係課や数値目標の名称・注記を短くすると、（２）が 1 枚目に戻ります',
    'shorter titles in the header row (重点施策名, 主管課, 担当班, 関係課) or a shorter 数値目標 name and note bring (2) back to page 1',
  );
  return { nodes: placed.nodes, bottom: placed.bottom };
}

/** (3) as a grid: 単位 | years （決算） | 合計; 事業費 合計 and 一般財源 合計 in 千円 (from graded.totals, never re-added). */
function totalsGrid(g: GradedSheet, years: number[], last: boolean): Grid {
  const s = g.sheet;
  const W = { label: 96, unit: 36, total: 96 };
  const totalW = last ? W.total : 0;
  const yw = Math.min(90, (CONTENT_W - W.label - W.unit - totalW) / Math.max(1, years.length));
  const widths = [W.label, W.unit, ...years.map(() => yw), ...(last ? [W.total] : [])];
  const heads = yearHeadAtoms(g, years, 'money');
  const lastCol = widths.length - 1;
  const rows: Row[] = [
    {
      cells: [
        { ...empty(0), tag: 'TD', shade: true },
        th(1, '単位'),
        ...heads.map(
          (a, i): Cell => ({
            col: 2 + i,
            tag: 'TH',
            scope: 'Column',
            shade: true,
            content: { kind: 'atoms', atoms: a, font: 'bold' },
          }),
        ),
        ...(last ? [th(lastCol, '合計')] : []),
      ],
    },
  ];
  const money = (v: number | undefined, yr: number) =>
    v !== undefined ? [formatNumber(v)] : yr <= s.fiscalYear ? ['-'] : [];
  const line = (label: string, byYear: ReadonlyMap<number, number>, total: number, first: boolean): Row => ({
    cells: [
      { ...th(0, label), scope: 'Row' },
      ...(first ? [{ ...atoms(1, ['千円']), rowSpan: 2 }] : []),
      ...years.map((yr, i) =>
        atoms(
          2 + i,
          money(byYear.get(yr), yr),
          { path: ['projects'], label: `（３）${label} ${fiscalYearHeader(yr, true)}` },
          'right',
        ),
      ),
      ...(last
        ? [atoms(lastCol, [formatNumber(total)], { path: ['projects'], label: `（３）${label} 合計` }, 'right')]
        : []),
    ],
  });
  rows.push(
    line('事業費 合計', g.totals.cost, g.totals.costTotal, true),
    line('一般財源 合計', g.totals.generalFund, g.totals.generalFundTotal, false),
  );
  return { widths, rows };
}

/** (3) in one band of year columns, or in as many as its numbers need (stacked tables). */
function totalsBlock(
  ctx: LayoutContext,
  g: GradedSheet,
): { grids: Grid[]; heights: number[][]; size: number; height: number; bands: number } {
  const years = sheetYears(g.sheet);
  const flex = [0];
  const mins = new Map([[0, 48]]);
  const holds = (ps: number[][], strict: boolean): boolean =>
    ps.every((ys, b) => {
      const r = widenForAtoms(ctx, totalsGrid(g, ys, b === ps.length - 1), flex, mins);
      return strict ? holdsAll(r) : r.impossible.length === 0;
    });
  const bandsOf = (n: number): number[][] => (n === 1 ? [years] : splitYears(years, n));
  let strictN = 0;
  for (let n = 1; n <= years.length && strictN === 0; n++) if (holds(bandsOf(n), true)) strictN = n;
  let parts: number[][] = [years];
  for (let n = 1; n <= years.length; n++) {
    parts = bandsOf(n);
    const ok = strictN > 0 ? n === strictN : holds(parts, false);
    if (ok) {
      if (n > 1) bandWarning(ctx, '（３）', n);
      break;
    }
  }
  const grids = parts.map((ys, b) => {
    const grid = totalsGrid(g, ys, b === parts.length - 1);
    grid.widths = widen(ctx, grid, flex, mins);
    return grid;
  });
  const size = Math.min(...grids.map((grid) => atomSize(ctx, grid, PREF.totals)));
  const heights = grids.map((grid) => measure(ctx, grid, size));
  return { grids, heights, size, height: sum(heights.map(sum)), bands: grids.length };
}

export { rowGroups };
