//! The index sheet (一覧表) of a year's set: one ruled row per indicator of every measure, grouped
//! by measure, split over as many A4 landscape pages as needed (header row repeated), then the
//! count of each grade per 基本目標 and overall. Same fonts, rules and sizes as the sheets.

import type { GradeRow } from '../export/rows.js';
import { BODY_SIZE, LayoutContext, fitText, naturalHeight, type Box, type TextSpec } from './fit.js';
import { fiscalYearHeader, fiscalYearShort, formatNumber, periodNote } from './format.js';
import type { FontPair } from './metrics.js';
import { CONTENT_W, MARGIN } from './page1.js';
import { TableBuilder } from './table.js';
import { A4_LANDSCAPE, type LayoutNode, type Page } from './types.js';

export interface IndexOptions {
  /** Sheets of the set left out because they failed: said on the sheet, so a partial index is never mistaken for the whole. */
  omitted: number;
}

const CELL = 7.5;
const HEAD = 7.5;
const TITLE = 12;
const FOOT_H = 14;
const BOTTOM = A4_LANDSCAPE.height - MARGIN.bottom - FOOT_H;
const HEADER_H = 24;
const MIN_ROW = 22;

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

/** Lays out the index; `rows` in publication order (sortRows). */
export function layoutIndex(rows: readonly GradeRow[], fonts: FontPair, opts: IndexOptions): Page[] {
  const ctx = new LayoutContext(fonts, 'ja');
  const years = [...new Set(rows.map((r) => r.fiscal_year))].sort((a, b) => a - b);
  const stages = [...new Set(rows.map((r) => r.stage))];
  const fy = years[0] ?? 0;
  const yearText = years.map((y) => fiscalYearHeader(y, true)).join('・');
  const municipality = [...new Set(rows.map((r) => r.municipality))].join('・');
  const title = `重点施策　数値目標・ＫＰＩ達成状況一覧表　${yearText}${stages.join('・')}`;
  const pages: { nodes: LayoutNode[] }[] = [];
  let table: TableBuilder | null = null;
  let y = 0;

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

  /** Ends the current page's table (if any) and starts a page: title, and the table's header row unless `withTable` is false. */
  const newPage = (withTable = true) => {
    flushTable();
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
    pages.push({ nodes });
    y = top + 24;
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
    if (table) pages[pages.length - 1]!.nodes.push(...table.nodes());
    table = null;
  }

  const rowHeight = (r: GradeRow): number => {
    const name = r.indicator_note ? `${r.indicator_name}\n（${r.indicator_note}）` : r.indicator_name;
    let h = naturalHeight(ctx, { text: name, size: CELL }, W_NAME);
    h = Math.max(h, naturalHeight(ctx, { text: targetText(r), size: CELL, padX: 1.5 }, W.target));
    return Math.max(MIN_ROW, Math.ceil(h));
  };

  newPage();
  for (const g of groups(rows)) {
    const heights = g.rows.map(rowHeight);
    const titleH = naturalHeight(ctx, { text: g.title, size: CELL }, W.measure);
    const total = Math.max(
      heights.reduce((a, b) => a + b, 0),
      titleH,
    );
    // A measure stays on one page when it can; a measure longer than a page continues on the next.
    if (y + total > BOTTOM && y > MARGIN.top + 24 + HEADER_H + 0.01) newPage();
    let i = 0;
    while (i < g.rows.length) {
      const start = i;
      let used = 0;
      while (i < g.rows.length && (y + used + heights[i]! <= BOTTOM || i === start)) used += heights[i++]!;
      let span = used;
      // The group's title cell needs its height too (when the whole group is on this page).
      if (start === 0 && i === g.rows.length && titleH > span) {
        heights[i - 1]! += titleH - span;
        span = titleH;
      }
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

  // Notes under the table, then the count of grades.
  const notes: string[] = [];
  if (rows.some((r) => r.overridden))
    notes.push('※ 担当課の判断により、評価基準による評価から変更したもの（変更前の評価と理由は grades.csv を参照）');
  if (opts.omitted > 0) notes.push(`※ エラーのため、${opts.omitted} 件のシートはこの一覧表に含まれていません`);
  const order = gradeOrder(rows.map((r) => r.grade));
  const goals = [...new Set(rows.map((r) => r.basic_goal))].sort((a, b) => a - b);
  const summaryH = 9 * 1.5 + 4 + 20 * (goals.length + 2) + 6;
  const notesH = notes.length * BODY_SIZE * 1.5 + 4;
  flushTable();
  if (y + notesH + summaryH > BOTTOM) newPage(false);
  y += 3;
  for (const n of notes) {
    pages[pages.length - 1]!.nodes.push({
      type: 'text',
      tag: 'Note',
      runs: fitText(ctx, { text: n, size: 7, padX: 0, padY: 0 }, { x: x0, y, w: CONTENT_W, h: BODY_SIZE * 1.5 }),
    });
    y += BODY_SIZE * 1.5;
  }
  y += 6;
  const page = pages[pages.length - 1]!;
  page.nodes.push({
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
  page.nodes.push({ type: 'group', tag: 'Sect', children: st.nodes() });

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
