//! Page 1 of the sheet: title and header row, （１） the indicator table with the grade legend,
//! （２） the 検証内容 block (①–⑥) and the committee opinions with the division's responses.

import { PROGRESS_CHOICES, sheetYears, type GradedIndicator, type GradedSheet, type Measured, type YamlPath } from '../model/types.js';
import { BODY_SIZE, fitText, naturalHeight, verticalText, type LayoutContext, type TextSpec } from './fit.js';
import { asOfLine, circled, fiscalEra, fiscalYearHeader, fiscalYearHeaders, fiscalYearShort, formatMeasured, formatNumber, periodNote } from './format.js';
import { reasonParagraphs } from '../model/marks.js';
import { TableBuilder } from './table.js';
import { A4_LANDSCAPE, type LayoutNode, type Page } from './types.js';

export const MARGIN = { left: 22, right: 22, top: 20, bottom: 18 };
export const CONTENT_W = A4_LANDSCAPE.width - MARGIN.left - MARGIN.right;
const BOTTOM = A4_LANDSCAPE.height - MARGIN.bottom;
const HEAD_SIZE = 7.5;
const CELL_SIZE = 7.5;
const SECTION_SIZE = 9;

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
export function sectionHeading(ctx: LayoutContext, text: string, x: number, y: number, tag: 'H2' | 'H1' = 'H2'): { node: LayoutNode; h: number } {
  const h = SECTION_SIZE * 1.5;
  const runs = fitText(ctx, { text, font: 'bold', size: SECTION_SIZE, padX: 0, padY: 0, leading: 1.5 }, { x, y, w: CONTENT_W, h });
  return { node: { type: 'text', tag, runs }, h };
}

const head = (text: string, extra: Partial<TextSpec> = {}): TextSpec => ({ text, font: 'bold', size: HEAD_SIZE, align: 'center', valign: 'middle', ...extra });

export function layoutPage1(ctx: LayoutContext, g: GradedSheet): Page {
  const s = g.sheet;
  const nodes: LayoutNode[] = [];
  const x0 = MARGIN.left;
  let y = MARGIN.top;

  // Title line and as-of date.
  const title = `重点施策マネジメントシート　${fiscalYearHeader(s.fiscalYear, true)}${s.stage}`;
  nodes.push({ type: 'text', tag: 'H1', runs: fitText(ctx, { text: title, font: 'bold', size: 12, padX: 0, padY: 0, leading: 1.4 }, { x: x0, y, w: CONTENT_W * 0.7, h: 17 }) });
  nodes.push({
    type: 'text',
    tag: 'P',
    runs: fitText(ctx, { text: asOfLine(s.asOf), size: 9, align: 'right', padX: 0, padY: 0, leading: 1.4, field: { path: ['as_of'], label: '時点' } }, { x: x0 + CONTENT_W * 0.7, y: y + 2, w: CONTENT_W * 0.3, h: 15 }),
  });
  y += 20;

  // Header row: 基本目標 | 重点施策 | 主管課 | 担当班 | 関係課.
  {
    const t = new TableBuilder().row();
    const h = 17;
    const cells: [number, TextSpec, boolean][] = [
      [44, head('基本目標'), true],
      [26, { text: String(s.basicGoal), align: 'center', valign: 'middle', field: { path: ['basic_goal'], label: '基本目標' } }, false],
      [44, head('重点施策'), true],
      [26, { text: String(s.measure.number), align: 'center', valign: 'middle', field: { path: ['measure', 'number'], label: '重点施策番号' } }, false],
      [0, { text: s.measure.title, size: 9, valign: 'middle', field: { path: ['measure', 'title'], label: '重点施策名' } }, false],
      [40, head('主管課'), true],
      [110, { text: s.leadDivision, valign: 'middle', field: { path: ['lead_division'], label: '主管課' } }, false],
      [40, head('担当班'), true],
      [80, { text: s.team ?? '', valign: 'middle', field: { path: ['team'], label: '担当班' } }, false],
      [40, head('関係課'), true],
      [120, { text: s.relatedDivisions.join('、'), valign: 'middle', field: { path: ['related_divisions'], label: '関係課' } }, false],
    ];
    const fixed = cells.reduce((a, c) => a + c[0], 0);
    let x = x0;
    for (const [w0, spec, isHead] of cells) {
      const w = w0 === 0 ? CONTENT_W - fixed : w0;
      const box = { x, y, w, h };
      t.cell(box, fitText(ctx, spec, box), { head: isHead });
      x += w;
    }
    nodes.push({ type: 'group', tag: 'Sect', children: t.nodes() });
    y += h + 5;
  }

  // （１） indicators.
  {
    const sect: LayoutNode[] = [];
    const hd = sectionHeading(ctx, '（１）施策の目標指標、KPI', x0, y);
    sect.push(hd.node);
    y += hd.h;
    const r = indicatorTable(ctx, g, x0, y);
    sect.push(...r.nodes);
    y = r.bottom + 5;
    nodes.push({ type: 'group', tag: 'Sect', children: sect });
  }

  // （２） verification block and committee.
  {
    const sect: LayoutNode[] = [];
    const hd = sectionHeading(ctx, '（２）重点施策に関する検証', x0, y);
    sect.push(hd.node);
    y += hd.h;
    sect.push(...verification(ctx, g, x0, y));
    nodes.push({ type: 'group', tag: 'Sect', children: sect });
  }
  return { ...A4_LANDSCAPE, nodes };
}

/** "114件" over "（30年度）": the value and its period note as two centred lines. */
function valueText(m: Measured | undefined, unit: string, columnYear?: number): string {
  if (!m) return '-';
  const f = formatMeasured(m, unit, columnYear);
  return f.note ? `${f.value}\n${f.note}` : f.value;
}

function indicatorTable(ctx: LayoutContext, g: GradedSheet, x0: number, top: number): { nodes: LayoutNode[]; bottom: number } {
  const s = g.sheet;
  const years = sheetYears(s);
  const legendW = 172;
  const gap = 8;
  const W = { lab: 16, type: 30, name: 150, base: 58, target: 54, grade: 36 };
  const fixed = W.lab + W.type + W.name + W.base + W.target + W.grade;
  const yw = (CONTENT_W - legendW - gap - fixed) / Math.max(1, years.length);
  const t = new TableBuilder();
  const headH = 24;
  let x = x0;
  t.row();
  const hc = (w: number, text: string) => {
    const box = { x, y: top, w, h: headH };
    t.cell(box, fitText(ctx, head(text), box), { head: true });
    x += w;
  };
  hc(W.lab + W.type + W.name, '数値目標・重要業績評価指標（ＫＰＩ）');
  hc(W.base, '基準値');
  hc(W.target, `目標値\n（${fiscalYearShort(s.planPeriod.to)}）`);
  for (const h of fiscalYearHeaders(years)) hc(yw, h);
  hc(W.grade, '達成\n状況');
  let y = top + headH;

  const cellH = (gi: GradedIndicator): number => {
    const ind = gi.indicator;
    let h = naturalHeight(ctx, { text: nameText(gi), size: CELL_SIZE }, W.name);
    h = Math.max(h, naturalHeight(ctx, { text: 'x\nx', size: CELL_SIZE }, W.base));
    if (ind.target?.label) h = Math.max(h, naturalHeight(ctx, { text: ind.target.label, size: CELL_SIZE }, W.target));
    return Math.max(24, h);
  };
  const groups: { label: string; rows: (GradedIndicator | null)[] }[] = [
    { label: '①目標指標', rows: [g.goal] },
    { label: '②ＫＰＩ', rows: g.kpis.length > 0 ? g.kpis : [null] },
  ];
  const footnotes: { text: string; path: YamlPath }[] = [];
  for (const grp of groups) {
    const heights = grp.rows.map((gi) => (gi ? cellH(gi) : 24));
    const need = [...grp.label].length * 7.5 * 1.08 + 6;
    const sum = heights.reduce((a, b) => a + b, 0);
    if (sum < need) heights[heights.length - 1]! += need - sum;
    const groupH = Math.max(sum, need);
    grp.rows.forEach((gi, ri) => {
      const h = heights[ri]!;
      t.row();
      let cx = x0;
      const cell = (w: number, spec: TextSpec | null, opts: { head?: boolean; tag?: 'TH' | 'TD' } = {}) => {
        const box = { x: cx, y, w, h };
        t.cell(box, spec ? fitText(ctx, spec, box) : null, opts);
        cx += w;
      };
      if (ri === 0) {
        const box = { x: cx, y, w: W.lab, h: groupH };
        t.cell(box, verticalText(ctx, grp.label, box, { size: 7.5 }), { head: true, tag: 'TH' });
      }
      cx += W.lab;
      if (!gi) {
        cell(W.type, null);
        cell(W.name, { text: '-', align: 'center', valign: 'middle', size: CELL_SIZE });
        cell(W.base, null);
        cell(W.target, null);
        years.forEach(() => cell(yw, null));
        cell(W.grade, null);
        y += h;
        return;
      }
      const ind = gi.indicator;
      const res = gi.result;
      const label = ind.kind === 'goal' ? '数値目標' : `ＫＰＩ${ind.number ?? ''}`;
      cell(W.type, { text: ind.kind === 'goal' ? '数値\n目標' : String(ind.number ?? ''), align: 'center', valign: 'middle', size: CELL_SIZE }, { tag: 'TH' });
      cell(W.name, { text: nameText(gi), valign: 'middle', size: CELL_SIZE, field: { path: [...ind.path, 'name'], label: `${label} 指標名` } }, { tag: 'TH' });
      const v = (text: string, path: YamlPath, what: string): TextSpec => ({ text, align: 'center', valign: 'middle', size: CELL_SIZE, padX: 1.5, field: { path, label: `${label} ${what}` } });
      cell(W.base, v(valueText(ind.baseline, ind.unit), [...ind.path, 'baseline'], '基準値'));
      cell(W.target, v(targetText(g, gi), [...ind.path, 'target'], '目標値'));
      for (const yr of years) {
        const m = ind.actuals.get(yr);
        const text = m ? valueText(m, ind.unit, yr) : yr <= s.fiscalYear ? '-' : '';
        cell(yw, v(text, m?.path ?? [...ind.path, 'actuals'], fiscalYearHeader(yr, true)));
      }
      const grade = res.grade + (res.overridden ? '※' : '');
      cell(W.grade, { text: grade, font: 'bold', size: 10, align: 'center', valign: 'middle', padX: 1 });
      if (res.overridden) {
        const why = res.reason ? `（理由：${res.reason}）` : '';
        footnotes.push({ text: `※ ${label}「${ind.name}」の達成状況は、評価基準による ${res.computed} を ${res.grade} としています${why}`, path: ind.override?.path ?? [...ind.path, 'grade_override'] });
      }
      y += h;
    });
  }
  const tableBottom = y;
  const tableW = fixed + yw * years.length;
  const nodes: LayoutNode[] = [...t.nodes()];

  // Legend beside the table.
  const lx = x0 + tableW + gap;
  const lt = new TableBuilder().row();
  const titleBox = { x: lx, y: top, w: legendW, h: 14 };
  lt.cell(titleBox, fitText(ctx, { text: g.scheme.title, font: 'bold', size: HEAD_SIZE, valign: 'middle', field: { path: ['grading'], label: '評価基準の表題' } }, titleBox), { head: true, tag: 'TH' });
  let ly = top + 14;
  const gw = 16;
  g.scheme.legend.forEach((e) => {
    const th = Math.max(10.5, naturalHeight(ctx, { text: e.text, size: 6.5, padY: 1.2 }, legendW - gw));
    lt.row();
    const b1 = { x: lx, y: ly, w: gw, h: th };
    lt.cell(b1, fitText(ctx, { text: e.grade, font: 'bold', size: 7.5, align: 'center', valign: 'middle', padX: 0, padY: 0 }, b1), { tag: 'TH' });
    const b2 = { x: lx + gw, y: ly, w: legendW - gw, h: th };
    lt.cell(b2, fitText(ctx, { text: e.text, size: 6.5, valign: 'middle', padY: 1.2, field: { path: ['grading'], label: `評価基準 ${e.grade}` } }, b2));
    ly += th;
  });
  nodes.push(...lt.nodes());

  // Footnotes of overridden grades, under the table.
  let fy = tableBottom + 1;
  for (const f of footnotes) {
    const spec: TextSpec = { text: f.text, size: 7, padX: 0, padY: 0.5, field: { path: f.path, label: '達成状況の変更理由' } };
    const h = naturalHeight(ctx, spec, tableW);
    nodes.push({ type: 'text', tag: 'Note', runs: fitText(ctx, spec, { x: x0, y: fy, w: tableW, h }) });
    fy += h;
  }
  return { nodes, bottom: Math.max(fy, ly) };
}

function nameText(gi: GradedIndicator): string {
  const ind = gi.indicator;
  if (!ind.note) return ind.name;
  const note = /^[（(].*[）)]$/u.test(ind.note) ? ind.note : `（${ind.note}）`;
  return `${ind.name}\n${note}`;
}

function targetText(g: GradedSheet, gi: GradedIndicator): string {
  const t = gi.indicator.target;
  if (!t) return '-';
  let text = t.value !== undefined ? formatNumber(t.value) + gi.indicator.unit : (t.label ?? '-');
  if (t.value !== undefined && t.label) text = `${t.label}\n${text}`;
  if (t.year !== g.sheet.planPeriod.to) text += `\n${periodNote(t.year, false)}`;
  return text;
}

interface FlexRow {
  heading: TextSpec;
  body: TextSpec[];
  /** Widths of the body cells (sum = text column). */
  demand: number;
  min: number;
  h?: number;
}

/**
 * Shares `avail` among rows: every row gets at least its minimum; rows asking for less than an equal
 * share get what they ask; the rest share what is left (so one long text cannot squeeze the others).
 * Space left over when everything fits goes to the rows in proportion to their demand.
 */
export function share(demands: number[], mins: number[], avail: number): number[] {
  const n = demands.length;
  const total = demands.reduce((a, b) => a + b, 0);
  if (total <= avail) return demands.map((d) => d + ((avail - total) * d) / (total || 1));
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

function verification(ctx: LayoutContext, g: GradedSheet, x0: number, top: number): LayoutNode[] {
  const s = g.sheet;
  const labels = fieldLabels(g);
  const W = { vl: 16, head: 128 };
  const textW = CONTENT_W - W.vl - W.head;
  const headSpec = (text: string): TextSpec => ({ text, size: HEAD_SIZE, valign: 'middle' });
  const bodySpec = (text: string, path: YamlPath, label: string): TextSpec => ({ text, size: BODY_SIZE, field: { path, label } });

  const rows: FlexRow[] = [];
  const addRow = (heading: string, body: TextSpec, minLines: number) => {
    const hs = headSpec(heading);
    const demand = Math.max(naturalHeight(ctx, hs, W.head), naturalHeight(ctx, body, textW));
    const min = Math.max(naturalHeight(ctx, hs, W.head), minLines * BODY_SIZE * 1.3 + 4);
    rows.push({ heading: hs, body: [body], demand: Math.max(demand, min), min });
  };
  addRow('② （１）数値目標・ＫＰＩの実績値と（２）－①の状況の理由等', bodySpec(reasonParagraphs(g).map((p) => p.mark + p.text).join('\n\n'), ['reasons'], labels.reasons), 2);
  addRow('③現状と課題、方向性、数値目標・ＫＰＩ達成に向けた課題・問題点', bodySpec(s.situation, ['situation'], labels.situation), 2);
  addRow(labels.policy, bodySpec(s.policy, ['policy'], labels.policy), 2);
  if (s.item5) addRow(labels.item5, bodySpec(s.item5.text, ['item5', 'text'], labels.item5), 1);
  addRow(labels.related, bodySpec(s.relatedPolicyProjects.length ? s.relatedPolicyProjects.join('、') : '-', ['related_policy_projects'], labels.related), 1);
  const nVerify = rows.length;

  // Committee rows: opinion | response, side by side, one row per entry.
  const half = CONTENT_W / 2;
  const entries = s.committee.length > 0 ? s.committee : null;
  if (entries) {
    for (const c of entries) {
      const o = bodySpec(`${circled(c.number)}${c.opinion}`, [...c.path, 'opinion'], `推進委員会からの意見 ${circled(c.number)}`);
      const r = bodySpec(`${circled(c.number)}${c.response}`, [...c.path, 'response'], `担当課の考え ${circled(c.number)}`);
      const demand = Math.max(naturalHeight(ctx, o, half), naturalHeight(ctx, r, half));
      rows.push({ heading: headSpec(''), body: [o, r], demand, min: 2 * BODY_SIZE * 1.3 + 4 });
    }
  } else {
    rows.push({ heading: headSpec(''), body: [{ text: '-' }, { text: '-' }], demand: 14, min: 14 });
  }

  const progressH = 16;
  const committeeHeadH = 14;
  const avail = BOTTOM - top - progressH - committeeHeadH;
  const hs = share(
    rows.map((r) => r.demand),
    rows.map((r) => r.min),
    avail,
  );
  rows.forEach((r, i) => (r.h = hs[i]));

  const nodes: LayoutNode[] = [];
  const t = new TableBuilder();
  const verifyH = progressH + rows.slice(0, nVerify).reduce((a, r) => a + r.h!, 0);
  let y = top;
  // ① progress with the four choices.
  t.row();
  const vl = { x: x0, y, w: W.vl, h: verifyH };
  t.cell(vl, verticalText(ctx, '検証内容', vl, { size: 8 }), { head: true, tag: 'TH' });
  const hb = { x: x0 + W.vl, y, w: W.head, h: progressH };
  t.cell(hb, fitText(ctx, headSpec('① 施策の進捗状況'), hb), { tag: 'TH' });
  const pairW = textW / PROGRESS_CHOICES.length;
  PROGRESS_CHOICES.forEach((choice, i) => {
    const cx = x0 + W.vl + W.head + i * pairW;
    const lb = { x: cx, y, w: pairW - 40, h: progressH };
    t.cell(lb, fitText(ctx, { text: choice, align: 'center', valign: 'middle' }, lb));
    const mb = { x: cx + pairW - 40, y, w: 40, h: progressH };
    t.cell(mb, choice === s.progress ? fitText(ctx, { text: '〇', size: 9, align: 'center', valign: 'middle', padX: 0 }, mb) : null);
  });
  y += progressH;
  rows.slice(0, nVerify).forEach((r) => {
    t.row();
    const h = r.h!;
    const hb2 = { x: x0 + W.vl, y, w: W.head, h };
    t.cell(hb2, fitText(ctx, r.heading, hb2), { tag: 'TH' });
    const bb = { x: x0 + W.vl + W.head, y, w: textW, h };
    t.cell(bb, fitText(ctx, r.body[0]!, bb));
    y += h;
  });
  nodes.push(...t.nodes());

  // Committee table.
  const ct = new TableBuilder().row();
  const h1 = { x: x0, y, w: half, h: committeeHeadH };
  ct.cell(h1, fitText(ctx, head('推進委員会からの意見（要旨）'), h1), { head: true });
  const h2 = { x: x0 + half, y, w: CONTENT_W - half, h: committeeHeadH };
  ct.cell(h2, fitText(ctx, head('推進委員会からの意見に対する担当課の考え（要旨）'), h2), { head: true });
  y += committeeHeadH;
  rows.slice(nVerify).forEach((r) => {
    ct.row();
    const h = r.h!;
    const b1 = { x: x0, y, w: half, h };
    ct.cell(b1, fitText(ctx, r.body[0]!, b1));
    const b2 = { x: x0 + half, y, w: CONTENT_W - half, h };
    ct.cell(b2, fitText(ctx, r.body[1]!, b2));
    y += h;
  });
  nodes.push(...ct.nodes());
  return nodes;
}
