//! The index sheet (一覧表) of a year's set: one ruled row per indicator of every measure, grouped
//! by measure, split over as many A4 landscape pages as needed (header row repeated), then the
//! count of each grade per 基本目標 and overall. Same fonts, rules and sizes as the sheets.

import type { GradeRow } from '../export/rows.js';
import { LayoutContext, fitText, naturalHeight, type Box, type TextSpec } from './fit.js';
import { fiscalYearHeader, fiscalYearShort, formatNumber, periodNote } from './format.js';
import type { FontPair } from './metrics.js';
import { CONTENT_W, MARGIN } from './page1.js';
import { TableBuilder } from './table.js';
import { A4_LANDSCAPE, type LayoutNode, type Page } from './types.js';

/** A sheet of the set that was not built, as the index names it. */
export interface FailedSheet {
  /** Where the first error is: the file (as the index names it) and its line, `2020-09.yaml:12`. */
  where: string;
  /** The first error's message. */
  reason: string;
}

export interface IndexOptions {
  /**
   * Sheets of the set left out because they failed: every page says the index is incomplete, and a
   * list at the end names each one with its first error, so a partial index is never mistaken for the whole.
   */
  failed: readonly FailedSheet[];
}

/** The note of the ※ mark beside an overridden grade: printed on every page that shows the mark. */
export const OVERRIDE_NOTE =
  '※ 担当課の判断により、評価基準による評価から変更したもの（変更前の評価と理由は grades.csv を参照）';
/** Heading of the list of the sheets left out. */
export const FAILED_HEADING = 'この一覧表に含まれていないシート（エラーのため作成されなかったもの）';
/** The line under the title of every page of an incomplete index. */
export const incompleteLine = (n: number): string =>
  `【未完成】エラーのため ${n} 件のシートがこの一覧表に含まれていません（末尾の「この一覧表に含まれていないシート」を参照）`;
/** Longest reason printed in the list of failed sheets; the whole message is in the build's output. */
const REASON_MAX = 400;
/** Longest file:line printed (its end is kept). */
const WHERE_MAX = 200;

const CELL = 7.5;
const HEAD = 7.5;
const TITLE = 12;
const FOOT_H = 14;
const BOTTOM = A4_LANDSCAPE.height - MARGIN.bottom - FOOT_H;
const HEADER_H = 24;
const MIN_ROW = 22;
const NOTE_SIZE = 7;
const NOTE_H = NOTE_SIZE * 1.5 + 4;
const INCOMPLETE_H = 12;
const W_WHERE = 250;

const W = { goal: 34, measure: 150, kind: 40, base: 82, target: 82, actual: 82, grade: 38 };
const W_NAME = CONTENT_W - (W.goal + W.measure + W.kind + W.base + W.target + W.actual + W.grade);

/** Grades in the order the legend gives them: S first, ― (no actual) last. */
export function gradeOrder(grades: Iterable<string>): string[] {
  const known = ['S', 'A', 'B', 'C', 'D', 'E'];
  const set = new Set(grades);
  const rest = [...set].filter((g) => !known.includes(g) && g !== '―').sort();
  return [...known.filter((g) => set.has(g)), ...rest, ...(set.has('―') ? ['―'] : [])];
}

const two = (value: string, note: string): string => (note ? `${value}\n${note}` : value);

function baselineText(r: GradeRow): string {
  if (r.baseline === null) return '-';
  const note =
    (r.baseline_year !== null ? periodNote(r.baseline_year, r.baseline_period === '年') : '') +
    (r.baseline_note ? `（${r.baseline_note}）` : '');
  return two(formatNumber(r.baseline, r.written?.baseline) + r.unit, note);
}

function targetText(r: GradeRow): string {
  const v = r.target !== null ? formatNumber(r.target, r.written?.target) + r.unit : (r.target_label ?? '');
  if (v === '') return '-';
  return two(v, r.target_year !== null ? `（${fiscalYearShort(r.target_year)}）` : '');
}

function actualText(r: GradeRow): string {
  if (r.actual === null) return '-';
  const shifted = r.actual_year !== null && (r.actual_year !== r.fiscal_year || r.actual_period === '年');
  const note =
    (shifted ? periodNote(r.actual_year!, r.actual_period === '年') : '') +
    (r.actual_note ? `（${r.actual_note}）` : '');
  return two(formatNumber(r.actual, r.written?.actual) + r.unit, note);
}

interface Group {
  rows: GradeRow[];
  title: string;
}

function groups(rows: readonly GradeRow[]): Group[] {
  const out: Group[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    const first = last?.rows[0];
    if (
      last &&
      first &&
      first.measure_number === r.measure_number &&
      first.basic_goal === r.basic_goal &&
      first.fiscal_year === r.fiscal_year
    )
      last.rows.push(r);
    else out.push({ rows: [r], title: `${r.measure_number}　${r.measure_title}` });
  }
  return out;
}

const head = (text: string): TextSpec => ({ text, font: 'bold', size: HEAD, align: 'center', valign: 'middle' });
const mid = (text: string, extra: Partial<TextSpec> = {}): TextSpec => ({
  text,
  size: CELL,
  align: 'center',
  valign: 'middle',
  padX: 1.5,
  ...extra,
});

/**
 * Text the index prints from outside the sheets' data (file names, messages): a character the font
 * lacks would print as an empty box, so it is written as its code point instead (〈U+1F600〉).
 */
export function printable(text: string, fonts: FontPair): string {
  let out = '';
  for (const ch of text.replace(/\s+/gu, ' ')) {
    const cp = ch.codePointAt(0)!;
    out += fonts.regular.has(cp) ? ch : `〈U+${cp.toString(16).toUpperCase().padStart(4, '0')}〉`;
  }
  return out;
}

/** Lays out the index; `rows` in publication order (sortRows). */
export function layoutIndex(rows: readonly GradeRow[], fonts: FontPair, opts: IndexOptions): Page[] {
  const ctx = new LayoutContext(fonts, 'ja');
  const years = [...new Set(rows.map((r) => r.fiscal_year))].sort((a, b) => a - b);
  const stages = [...new Set(rows.map((r) => r.stage))];
  const fy = years[0] ?? 0;
  const yearText = years.map((y) => fiscalYearHeader(y, true)).join('・');
  const municipality = [...new Set(rows.map((r) => r.municipality))].join('・');
  const title = `重点施策　数値目標・ＫＰＩ達成状況一覧表　${yearText}${stages.join('・')}`;
  const failed = opts.failed;
  const pages: { nodes: LayoutNode[] }[] = [];
  let table: TableBuilder | null = null;
  let y = 0;
  /** The current page shows a ※ mark: its note goes under the page's table. */
  let marked = false;
  /** Top of a page's content, under the title (and the incomplete line). */
  const contentTop = MARGIN.top + 24 + (failed.length > 0 ? INCOMPLETE_H : 0);

  const x0 = MARGIN.left;
  const cols: [keyof typeof W | 'name', number][] = [
    ['goal', W.goal],
    ['measure', W.measure],
    ['kind', W.kind],
    ['name', W_NAME],
    ['base', W.base],
    ['target', W.target],
    ['actual', W.actual],
    ['grade', W.grade],
  ];
  const colX = (key: string): number => {
    let x = x0;
    for (const [k, w] of cols) {
      if (k === key) return x;
      x += w;
    }
    return x;
  };
  const actualHead = years.length === 1 ? `実績\n（${fiscalYearHeader(fy, true)}）` : '実績\n（評価年度）';
  const current = () => pages[pages.length - 1]!.nodes;

  /** The notes of the marks shown on the current page, under its table. */
  function closePage(): void {
    flushTable();
    if (!marked || pages.length === 0) return;
    y += 3;
    current().push({
      type: 'text',
      tag: 'Note',
      runs: fitText(
        ctx,
        { text: OVERRIDE_NOTE, size: NOTE_SIZE, padX: 0, padY: 0, minSize: NOTE_SIZE },
        { x: x0, y, w: CONTENT_W, h: NOTE_H - 3 },
      ),
    });
    y += NOTE_H - 3;
    marked = false;
  }

  /** Ends the current page and starts a page: title, the incomplete line, and the table's header row unless `withTable` is false. */
  const newPage = (withTable = true) => {
    closePage();
    const nodes: LayoutNode[] = [];
    const top = MARGIN.top;
    nodes.push({
      type: 'text',
      tag: 'H1',
      runs: fitText(
        ctx,
        { text: title, font: 'bold', size: TITLE, padX: 0, padY: 0, leading: 1.4 },
        { x: x0, y: top, w: CONTENT_W * 0.78, h: 17 },
      ),
    });
    nodes.push({
      type: 'text',
      tag: 'P',
      runs: fitText(
        ctx,
        { text: municipality, size: 9, align: 'right', padX: 0, padY: 0, leading: 1.4 },
        { x: x0 + CONTENT_W * 0.78, y: top + 2, w: CONTENT_W * 0.22, h: 15 },
      ),
    });
    if (failed.length > 0)
      nodes.push({
        type: 'text',
        tag: 'P',
        runs: fitText(
          ctx,
          { text: incompleteLine(failed.length), font: 'bold', size: 8, padX: 0, padY: 0, leading: 1.4 },
          { x: x0, y: top + 21, w: CONTENT_W, h: INCOMPLETE_H },
        ),
      });
    pages.push({ nodes });
    y = contentTop;
    if (!withTable) return;
    table = new TableBuilder().row();
    const labels: Record<string, string> = {
      goal: '基本\n目標',
      measure: '重点施策',
      kind: '区分',
      name: '数値目標・ＫＰＩ',
      base: '基準値',
      target: '目標値',
      actual: actualHead,
      grade: '達成\n状況',
    };
    for (const [k, w] of cols) {
      const box = { x: colX(k), y, w, h: HEADER_H };
      table.cell(box, fitText(ctx, head(labels[k]!), box), { head: true });
    }
    y += HEADER_H;
  };
  function flushTable(): void {
    if (table) current().push(...table.nodes());
    table = null;
  }

  const rowHeight = (r: GradeRow): number => {
    const name = r.indicator_note ? `${r.indicator_name}\n（${r.indicator_note}）` : r.indicator_name;
    let h = naturalHeight(ctx, { text: name, size: CELL }, W_NAME);
    h = Math.max(h, naturalHeight(ctx, { text: targetText(r), size: CELL, padX: 1.5 }, W.target));
    return Math.max(MIN_ROW, Math.ceil(h));
  };
  /** Where the table may end on this page: above the note when a row on it carries a mark. */
  const limit = (withMark: boolean): number => BOTTOM - (marked || withMark ? NOTE_H : 0);
  const firstRowY = contentTop + HEADER_H;

  newPage();
  for (const g of groups(rows)) {
    const heights = g.rows.map(rowHeight);
    const titleH = naturalHeight(ctx, { text: g.title, size: CELL }, W.measure);
    const total = Math.max(
      heights.reduce((a, b) => a + b, 0),
      titleH,
    );
    // A measure stays on one page when it can; a measure longer than a page continues on the next.
    if (y + total > limit(g.rows.some((r) => r.overridden)) && y > firstRowY + 0.01) newPage();
    let i = 0;
    while (i < g.rows.length) {
      const start = i;
      let used = 0;
      let withMark = false;
      while (i < g.rows.length) {
        const mark: boolean = withMark || g.rows[i]!.overridden;
        if (i > start && y + used + heights[i]! > limit(mark)) break;
        withMark = mark;
        used += heights[i++]!;
      }
      let span = used;
      // The group's title cell needs its height too (when the whole group is on this page).
      if (start === 0 && i === g.rows.length && titleH > span) {
        heights[i - 1]! += titleH - span;
        span = titleH;
      }
      if (withMark) marked = true;
      const first = g.rows[start]!;
      const gBox: Box = { x: colX('goal'), y, w: W.goal, h: span };
      const mBox: Box = { x: colX('measure'), y, w: W.measure, h: span };
      let ry = y;
      for (let k = start; k < i; k++) {
        const r = g.rows[k]!;
        const h = heights[k]!;
        table!.row();
        if (k === start) {
          table!.cell(gBox, fitText(ctx, mid(String(first.basic_goal)), gBox), { tag: 'TH' });
          table!.cell(
            mBox,
            fitText(ctx, { text: start === 0 ? g.title : `${g.title}（続き）`, size: CELL, valign: 'middle' }, mBox),
            { tag: 'TH' },
          );
        }
        const cell = (key: string, w: number, spec: TextSpec, tag: 'TH' | 'TD' = 'TD') => {
          const box = { x: colX(key), y: ry, w, h };
          table!.cell(box, fitText(ctx, spec, box), { tag });
        };
        cell('kind', W.kind, mid(r.indicator_kind === '数値目標' ? '数値目標' : `ＫＰＩ${r.kpi_number ?? ''}`), 'TH');
        cell(
          'name',
          W_NAME,
          {
            text: r.indicator_note ? `${r.indicator_name}\n（${r.indicator_note}）` : r.indicator_name,
            size: CELL,
            valign: 'middle',
          },
          'TH',
        );
        cell('base', W.base, mid(baselineText(r)));
        cell('target', W.target, mid(targetText(r)));
        cell('actual', W.actual, mid(actualText(r)));
        cell('grade', W.grade, {
          text: r.grade + (r.overridden ? '※' : ''),
          font: 'bold',
          size: 10,
          align: 'center',
          valign: 'middle',
          padX: 1,
        });
        ry += h;
      }
      y += span;
      if (i < g.rows.length) newPage();
    }
  }
  closePage();

  // The count of grades, on the last page of the table if it fits.
  const order = gradeOrder(rows.map((r) => r.grade));
  const goals = [...new Set(rows.map((r) => r.basic_goal))].sort((a, b) => a - b);
  const summaryH = 9 * 1.5 + 4 + 20 * (goals.length + 2) + 6;
  if (y + 6 + summaryH > BOTTOM) newPage(false);
  y += 6;
  const page = current();
  page.push({
    type: 'text',
    tag: 'H2',
    runs: fitText(
      ctx,
      { text: '基本目標別の達成状況（指標数）', font: 'bold', size: 9, padX: 0, padY: 0, leading: 1.5 },
      { x: x0, y, w: CONTENT_W, h: 9 * 1.5 },
    ),
  });
  y += 9 * 1.5 + 2;
  const st = new TableBuilder().row();
  const labW = 70;
  const gw = 40;
  const rowH = 20;
  let x = x0;
  const hcell = (text: string, w: number) => {
    const box = { x, y, w, h: rowH };
    st.cell(box, fitText(ctx, head(text), box), { head: true });
    x += w;
  };
  hcell('基本目標', labW);
  for (const g of order) hcell(g, gw);
  hcell('計', gw);
  y += rowH;
  const countRow = (label: string, pick: readonly GradeRow[]) => {
    st.row();
    x = x0;
    const lb = { x, y, w: labW, h: rowH };
    st.cell(lb, fitText(ctx, mid(label), lb), { tag: 'TH', head: label === '合計' });
    x += labW;
    for (const g of [...order, '']) {
      const n = g === '' ? pick.length : pick.filter((r) => r.grade === g).length;
      const box = { x, y, w: gw, h: rowH };
      st.cell(box, fitText(ctx, mid(String(n), { align: 'right', padX: 4 }), box));
      x += gw;
    }
    y += rowH;
  };
  for (const goal of goals)
    countRow(
      `基本目標${goal}`,
      rows.filter((r) => r.basic_goal === goal),
    );
  countRow('合計', rows);
  page.push({ type: 'group', tag: 'Sect', children: st.nodes() });

  // The sheets left out, each with its first error: a heading and a ruled table, its header repeated on every page.
  if (failed.length > 0) {
    const W_REASON = CONTENT_W - W_WHERE;
    const listHead = (continued: boolean) => {
      current().push({
        type: 'text',
        tag: 'H2',
        runs: fitText(
          ctx,
          {
            text: continued ? `${FAILED_HEADING}（続き）` : FAILED_HEADING,
            font: 'bold',
            size: 9,
            padX: 0,
            padY: 0,
            leading: 1.5,
          },
          { x: x0, y, w: CONTENT_W, h: 9 * 1.5 },
        ),
      });
      y += 9 * 1.5 + 2;
      table = new TableBuilder().row();
      const a = { x: x0, y, w: W_WHERE, h: HEADER_H - 6 };
      const b = { x: x0 + W_WHERE, y, w: W_REASON, h: HEADER_H - 6 };
      table.cell(a, fitText(ctx, head('ファイル：行'), a), { head: true });
      table.cell(b, fitText(ctx, head('最初のエラー'), b), { head: true });
      y += HEADER_H - 6;
    };
    const items = failed.map((f) => {
      let where = printable(f.where, fonts);
      // A path longer than a few lines keeps its end: the file's own name and the line.
      if ([...where].length > WHERE_MAX) where = `…${[...where].slice(-(WHERE_MAX - 1)).join('')}`;
      let reason = printable(f.reason, fonts);
      if ([...reason].length > REASON_MAX) reason = `${[...reason].slice(0, REASON_MAX - 1).join('')}…`;
      const whereSpec: TextSpec = { text: where, size: CELL, valign: 'middle', padX: 2.5 };
      const reasonSpec: TextSpec = { text: reason, size: CELL, valign: 'middle', padX: 2.5 };
      const h = Math.max(
        MIN_ROW - 6,
        Math.ceil(Math.max(naturalHeight(ctx, whereSpec, W_WHERE), naturalHeight(ctx, reasonSpec, W_REASON))),
      );
      return { whereSpec, reasonSpec, h };
    });
    const headH = 9 * 1.5 + 2 + HEADER_H - 6;
    y += 10;
    if (y + headH + items[0]!.h > BOTTOM) newPage(false);
    listHead(false);
    for (const it of items) {
      if (y + it.h > BOTTOM) {
        newPage(false);
        listHead(true);
      }
      table = table ?? new TableBuilder();
      table.row();
      const a = { x: x0, y, w: W_WHERE, h: it.h };
      const b = { x: x0 + W_WHERE, y, w: W_REASON, h: it.h };
      table.cell(a, fitText(ctx, it.whereSpec, a), { tag: 'TH' });
      table.cell(b, fitText(ctx, it.reasonSpec, b), { tag: 'TD' });
      y += it.h;
    }
    flushTable();
  }

  // Page numbers, once the count is known.
  return pages.map((p, i) => {
    const label = `${i + 1} / ${pages.length}`;
    const foot: LayoutNode = {
      type: 'text',
      tag: 'P',
      runs: fitText(
        ctx,
        { text: label, size: 7.5, align: 'center', padX: 0, padY: 0 },
        { x: x0, y: A4_LANDSCAPE.height - MARGIN.bottom - 10, w: CONTENT_W, h: 10 },
      ),
    };
    return { ...A4_LANDSCAPE, nodes: [...p.nodes, foot] };
  });
}
