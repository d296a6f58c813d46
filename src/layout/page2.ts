//! Page 2 of the sheet: （３） the totals table (from graded.totals, never re-added here) and
//! （４） the related projects in 15 numbered slots, empty slots drawn as empty ruled rows.

import { sheetYears, type GradedSheet, type Project } from '../model/types.js';
import { fitText, verticalText, type LayoutContext, type TextSpec } from './fit.js';
import { fiscalYearHeaders, formatMeasured, formatMoney, formatNumber } from './format.js';
import { CONTENT_W, MARGIN, sectionHeading } from './page1.js';
import { TableBuilder } from './table.js';
import { A4_LANDSCAPE, type LayoutNode, type Page } from './types.js';

const SLOTS = 15;
const BOTTOM = A4_LANDSCAPE.height - MARGIN.bottom;
const SMALL = 7;

const head = (text: string): TextSpec => ({ text, font: 'bold', size: SMALL, align: 'center', valign: 'middle', padX: 1, padY: 0.5, leading: 1.15 });
const num = (text: string): TextSpec => ({ text, size: SMALL, align: 'right', valign: 'middle', padX: 2.5, padY: 0 });

/** Headers of the year columns: 令和1年度 / （決算）参考 for reference years (era where it starts or changes). */
function yearHeads(g: GradedSheet, years: readonly number[]): string[] {
  return fiscalYearHeaders(years).map((h, i) => `${h}\n（決算）${g.sheet.referenceYears.includes(years[i]!) ? '参考' : ''}`);
}

/** A slot of （４）: rows 事業費, 一般財源, then one 成果指標 row per outcome (at least one). */
function slotRows(p: Project | undefined): number {
  return 2 + Math.max(1, p?.outcomes.length ?? 0);
}

export function layoutPage2(ctx: LayoutContext, g: GradedSheet): Page[] {
  const s = g.sheet;
  const years = sheetYears(s);
  const x0 = MARGIN.left;
  const pages: Page[] = [];
  let nodes: LayoutNode[] = [];
  let y = MARGIN.top;

  // Identification at the top right, so a loose page 2 still says which sheet it belongs to.
  const ident = `重点施策 ${s.measure.number}　${s.measure.title}`;
  nodes.push({ type: 'text', tag: 'P', runs: fitText(ctx, { text: ident, size: 8, align: 'right', padX: 0, padY: 0, leading: 1.5 }, { x: x0 + CONTENT_W / 2, y, w: CONTENT_W / 2, h: 13 }) });

  // （３） totals.
  {
    const sect: LayoutNode[] = [];
    const hd = sectionHeading(ctx, '（３）当該重点施策に関連する事業について（合計事業費）', x0, y);
    sect.push(hd.node);
    y += hd.h;
    const t = new TableBuilder().row();
    const W = { label: 90, unit: 36, year: 78, total: 90 };
    // Many year columns (several 参考 years, a long plan): narrow them so that 合計 stays on the page.
    W.year = Math.min(W.year, (CONTENT_W - W.label - W.unit - W.total) / Math.max(1, years.length));
    const headH = 22;
    const rowH = 15;
    let x = x0;
    const cell = (w: number, h: number, spec: TextSpec | null, opts: { head?: boolean; tag?: 'TH' | 'TD' } = {}) => {
      const box = { x, y, w, h };
      t.cell(box, spec ? fitText(ctx, spec, box) : null, opts);
      x += w;
    };
    cell(W.label, headH, head(''), { head: true });
    cell(W.unit, headH, head('単位'), { head: true });
    for (const h of yearHeads(g, years)) cell(W.year, headH, head(h), { head: true });
    cell(W.total, headH, head('合計'), { head: true });
    y += headH;
    const rows: [string, ReadonlyMap<number, number>, number][] = [
      ['事業費合計', g.totals.cost, g.totals.costTotal],
      ['一般財源合計', g.totals.generalFund, g.totals.generalFundTotal],
    ];
    for (const [label, byYear, total] of rows) {
      t.row();
      x = x0;
      cell(W.label, rowH, { ...head(label), font: 'bold' }, { head: true, tag: 'TH' });
      cell(W.unit, rowH, { text: '千円', size: SMALL, align: 'center', valign: 'middle', padY: 0 });
      for (const yr of years) {
        const v = byYear.get(yr);
        cell(W.year, rowH, num(v !== undefined ? formatNumber(v) : yr <= s.fiscalYear ? '-' : ''));
      }
      cell(W.total, rowH, num(formatNumber(total)));
      y += rowH;
    }
    sect.push(...t.nodes());
    nodes.push({ type: 'group', tag: 'Sect', children: sect });
    y += 6;
  }

  // （４） projects in numbered slots.
  const slots: (Project | undefined)[] = new Array(SLOTS).fill(undefined);
  for (const p of s.projects) {
    let i = p.number - 1;
    while (i < 0 || slots[i] !== undefined) i = i < 0 ? slots.length : i + 1;
    slots[i] = p;
  }
  const filled = Array.from(slots, (p) => p);
  const W = { vl: 14, no: 20, main: 24, name: 104, kind: 34, unit: 104, remarks: 0 };
  const yw = 58;
  W.remarks = CONTENT_W - (W.vl + W.no + W.main + W.name + W.kind + W.unit) - yw * years.length;
  if (W.remarks < 90) {
    // Many years: narrow the year columns rather than the remarks.
    W.remarks = 90;
  }
  const ywAdj = (CONTENT_W - (W.vl + W.no + W.main + W.name + W.kind + W.unit + W.remarks)) / Math.max(1, years.length);
  const headH = 22;
  const maxRowH = 11;
  const minRowH = 8.6;

  let slot = 0;
  let part = 0;
  while (slot < filled.length) {
    const sect: LayoutNode[] = [];
    const hd = sectionHeading(ctx, part === 0 ? '（４）重点施策関連事業' : '（４）重点施策関連事業（続き）', x0, y);
    sect.push(hd.node);
    y += hd.h;
    // How many slots fit on this page at the smallest row height; then spread the rows.
    const avail = BOTTOM - y - headH;
    let count = 0;
    let rows = 0;
    while (slot + count < filled.length && (rows + slotRows(filled[slot + count])) * minRowH <= avail) {
      rows += slotRows(filled[slot + count]);
      count++;
    }
    if (count === 0) {
      count = 1;
      rows = slotRows(filled[slot]);
    }
    const rowH = Math.min(maxRowH, avail / rows);
    const t = new TableBuilder().row();
    let x = x0;
    const cell = (w: number, h: number, spec: TextSpec | null, opts: { head?: boolean; tag?: 'TH' | 'TD' } = {}) => {
      const box = { x, y, w, h };
      t.cell(box, spec ? fitText(ctx, spec, box) : null, opts);
      x += w;
    };
    x += W.vl;
    cell(W.no, headH, head('Ｎｏ．'), { head: true });
    cell(W.main, headH, head('主な\n事業'), { head: true });
    cell(W.name, headH, head('事務事業'), { head: true });
    cell(W.kind + W.unit, headH, head('区分・成果指標／単位'), { head: true });
    for (const h of yearHeads(g, years)) cell(ywAdj, headH, head(h), { head: true });
    cell(W.remarks, headH, head('備考欄'), { head: true });
    const bodyTop = y + headH;
    y = bodyTop;
    const vlBox = { x: x0, y: bodyTop, w: W.vl, h: rows * rowH };
    t.row();
    t.cell({ x: x0, y: y - headH, w: W.vl, h: headH }, null, { head: true });
    t.cell(vlBox, verticalText(ctx, '重点施策に関連する事業', vlBox, { size: 7 }), { head: true, tag: 'TH' });
    for (let k = 0; k < count; k++) {
      const idx = slot + k;
      const p = filled[idx];
      const n = slotRows(p);
      const slotH = n * rowH;
      const slotTop = y;
      const label = `（４）No.${idx + 1}`;
      const kinds: { kind: string; unit: TextSpec | null; values: (string | null)[] }[] = [
        { kind: '事業費', unit: { text: '千円', size: SMALL, align: 'center', valign: 'middle', padY: 0 }, values: years.map((yr) => (p ? money(p.cost, yr, s.fiscalYear) : null)) },
        { kind: '一般財源', unit: { text: '千円', size: SMALL, align: 'center', valign: 'middle', padY: 0 }, values: years.map((yr) => (p ? money(p.generalFund, yr, s.fiscalYear) : null)) },
      ];
      const outcomes = p?.outcomes ?? [];
      if (outcomes.length === 0) kinds.push({ kind: '成果指標', unit: p ? { text: '-', size: SMALL, align: 'center', valign: 'middle', padY: 0 } : null, values: years.map(() => null) });
      outcomes.forEach((o, j) =>
        kinds.push({
          kind: '成果指標',
          unit: { text: o.name, size: SMALL, minSize: 5.5, valign: 'middle', padY: 0, leading: 1.1, field: { path: [...o.path, 'name'], label: `${label} 成果指標名` } },
          values: years.map((yr) => {
            const m = o.values.get(yr);
            if (m) return formatMeasured(m, o.unit, yr).value + formatMeasured(m, o.unit, yr).note;
            return yr <= s.fiscalYear ? '-' : '';
          }),
        }),
      );
      kinds.forEach((row, ri) => {
        t.row();
        x = x0 + W.vl;
        if (ri === 0) {
          cell(W.no, slotH, { text: String(p?.number ?? idx + 1), size: SMALL, align: 'center', valign: 'middle' }, { tag: 'TH' });
          cell(W.main, slotH, p?.main ? { text: '〇', size: 8, align: 'center', valign: 'middle', padX: 0 } : null);
          const nameText = p ? (p.code ? `${p.code}\n${p.name}` : p.name) : '';
          cell(W.name, slotH, p ? { text: nameText, size: SMALL, valign: 'middle', leading: 1.2, field: { path: [...p.path, 'name'], label: `${label} 事務事業名` } } : null);
        } else x += W.no + W.main + W.name;
        cell(W.kind, rowH, { text: row.kind, size: 6.5, align: 'center', valign: 'middle', padX: 1, padY: 0 });
        cell(W.unit, rowH, row.unit);
        for (const v of row.values) cell(ywAdj, rowH, v === null || v === '' ? null : num(v));
        if (ri === 0) {
          cell(W.remarks, slotH, p?.remarks ? { text: p.remarks, size: 6.5, minSize: 6, leading: 1.2, padY: 1, field: { path: [...p.path, 'remarks'], label: `${label} 備考欄` } } : null);
        }
        y += rowH;
      });
      y = slotTop + slotH;
    }
    sect.push(...t.nodes());
    nodes.push({ type: 'group', tag: 'Sect', children: sect });
    slot += count;
    part++;
    pages.push({ ...A4_LANDSCAPE, nodes });
    nodes = [];
    y = MARGIN.top;
  }
  return pages;
}

function money(map: ReadonlyMap<number, number>, year: number, fiscalYear: number): string {
  const v = map.get(year);
  if (v !== undefined) return formatMoney(v);
  return year <= fiscalYear ? '-' : '';
}
