//! The one table engine: a form table described as data (column widths, rows of cells with spans,
//! which text fills which cell) is measured at one type size, its auto rows sized by content, and
//! placed as ruled cells whose text runs stay inside their rectangles (tagged TH/TD with spans).

import { breakLines, type BrokenLine } from './linebreak.js';
import { baselineIn, textWidth } from './metrics.js';
import type { Box, LayoutContext } from './fit.js';
import { TableBuilder } from './table.js';
import type { FontKey, LayoutNode, Scope, TextRun } from './types.js';

/** The floor: no text of the sheet is ever set smaller. */
export const FLOOR = 6;
/** Line height as a multiple of the size in table cells. */
export const LEADING = 1.2;
const PAD_X = 2;
const PAD_Y = 1;

export interface Field {
  path: readonly (string | number)[];
  label: string;
}

export type Content =
  /** Text wrapped at 禁則-aware break points; `size` fixes its size regardless of the block's. */
  | {
      kind: 'text';
      text: string;
      font?: FontKey;
      align?: 'left' | 'center' | 'right';
      valign?: 'top' | 'middle';
      size?: number;
      field?: Field;
    }
  /**
   * Atoms (a number with its unit, a bracketed period note, a short note): packed on lines, never
   * broken inside. An atom wider than its cell is a column-width problem, not a line-break one.
   */
  | {
      kind: 'atoms';
      atoms: string[];
      align?: 'left' | 'center' | 'right';
      field?: Field;
      font?: FontKey;
      size?: number;
    }
  /** A label written top to bottom (vertical glyph forms), one run per character. */
  | { kind: 'vertical'; text: string; font?: FontKey }
  | { kind: 'empty' };

export interface Cell {
  col: number;
  colSpan?: number;
  rowSpan?: number;
  content: Content;
  /** Shade as a heading cell. */
  shade?: boolean;
  tag: 'TH' | 'TD';
  scope?: Scope;
}

export interface Row {
  cells: Cell[];
  /** Least height of the row (points). */
  minH?: number;
}

export interface Grid {
  widths: number[];
  rows: Row[];
}

const EMPTY: Content = { kind: 'empty' };
export const empty = (col: number, extra: Partial<Cell> = {}): Cell => ({ col, content: EMPTY, tag: 'TD', ...extra });

function span(widths: number[], c: Cell): number {
  let w = 0;
  for (let i = c.col; i < c.col + (c.colSpan ?? 1); i++) w += widths[i] ?? 0;
  return w;
}

/** Lines of an atoms cell: atoms packed greedily (a space between atoms on one line only when both are Latin). */
export function atomLines(
  ctx: LayoutContext,
  atoms: string[],
  font: FontKey,
  size: number,
  inner: number,
): { text: string; width: number }[] {
  const m = ctx.fonts[font];
  const lines: { text: string; width: number }[] = [];
  for (const a of atoms) {
    if (a === '') continue;
    const w = textWidth(m, a, size);
    const last = lines[lines.length - 1];
    if (last && last.width + w <= inner + 1e-6) {
      last.text += a;
      last.width += w;
    } else lines.push({ text: a, width: w });
  }
  return lines;
}

/** Widest atom of a cell at 1 pt. */
export function widestAtom(ctx: LayoutContext, c: Content): number {
  if (c.kind !== 'atoms') return 0;
  const m = ctx.fonts[c.font ?? 'regular'];
  return Math.max(0, ...c.atoms.map((a) => textWidth(m, a, 1)));
}

const pitch = (s: number) => s * 1.08;

function sizeOf(c: Content, size: number): number {
  return (c.kind === 'text' || c.kind === 'atoms') && c.size !== undefined ? c.size : size;
}

/** Height the content needs in a cell `w` wide at the block's `size`. */
export function contentHeight(ctx: LayoutContext, c: Content, w: number, size: number): number {
  const s = sizeOf(c, size);
  switch (c.kind) {
    case 'empty':
      return s * LEADING + 2 * PAD_Y;
    case 'vertical':
      return [...c.text].length * pitch(s) + 4;
    case 'atoms':
      return (
        Math.max(1, atomLines(ctx, c.atoms, c.font ?? 'regular', s, w - 2 * PAD_X).length) * s * LEADING + 2 * PAD_Y
      );
    case 'text': {
      const lines = c.text === '' ? 1 : breakLines(c.text, w - 2 * PAD_X, s, ctx.fonts[c.font ?? 'regular']).length;
      return Math.max(1, lines) * s * LEADING + 2 * PAD_Y;
    }
  }
}

/** Lines of a text content in a cell `w` wide at `size` (for splitting prose at sentences). */
export function textLines(
  ctx: LayoutContext,
  text: string,
  w: number,
  size: number,
  font: FontKey = 'regular',
): readonly BrokenLine[] {
  return breakLines(text, w - 2 * PAD_X, size, ctx.fonts[font]);
}

/** Height of `n` lines of text in a cell at `size`. */
export function linesHeight(n: number, size: number): number {
  return Math.max(1, n) * size * LEADING + 2 * PAD_Y;
}

/** Row heights of the grid at `size`: each row as tall as its tallest one-row cell; spanning cells grow their last row. */
export function measure(ctx: LayoutContext, g: Grid, size: number): number[] {
  const h = g.rows.map((r) => r.minH ?? 0);
  g.rows.forEach((r, ri) => {
    for (const c of r.cells)
      if ((c.rowSpan ?? 1) === 1) h[ri] = Math.max(h[ri]!, contentHeight(ctx, c.content, span(g.widths, c), size));
  });
  g.rows.forEach((r, ri) => {
    for (const c of r.cells) {
      const n = c.rowSpan ?? 1;
      if (n === 1) continue;
      const need = contentHeight(ctx, c.content, span(g.widths, c), size);
      let have = 0;
      for (let k = ri; k < ri + n && k < h.length; k++) have += h[k]!;
      if (need > have) h[Math.min(ri + n, h.length) - 1]! += need - have;
    }
  });
  return h.map((v) => Math.ceil(v * 100) / 100);
}

/**
 * Groups of rows that must stay on one page together (rows joined by a cell spanning them), as
 * [first, end) index pairs in order.
 */
export function rowGroups(g: Grid, head: readonly number[] = []): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  let end = 0;
  g.rows.forEach((r, ri) => {
    if (ri >= end) {
      if (ri > start) out.push([start, ri]);
      start = ri;
    }
    end = Math.max(end, ri + 1);
    // A heading row's label may span the rows under it (② beside the KPIs): that binds no rows together.
    if (!head.includes(ri)) for (const c of r.cells) end = Math.max(end, ri + (c.rowSpan ?? 1));
  });
  if (g.rows.length > start) out.push([start, g.rows.length]);
  return out;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Runs of one cell's content inside `box` at the block's `size`. */
export function cellRuns(ctx: LayoutContext, c: Content, box: Box, size: number): TextRun[] {
  const s = sizeOf(c, size);
  if (c.kind === 'empty') return [];
  if (c.kind === 'vertical') {
    const font = c.font ?? 'bold';
    const chars = [...c.text];
    const total = chars.length * pitch(s);
    const top = box.y + (box.h - total) / 2;
    const cx = box.x + box.w / 2;
    return chars.map((ch, i) => ({
      text: ch,
      x: round(cx - textWidth(ctx.fonts[font], ch, s) / 2),
      y: round(top + i * pitch(s) + baselineIn(pitch(s), s)),
      size: s,
      font,
      vertical: true,
    }));
  }
  const font = c.font ?? 'regular';
  const inner = box.w - 2 * PAD_X;
  const lines =
    c.kind === 'atoms'
      ? atomLines(ctx, c.atoms, font, s, inner)
      : breakLines(c.text, inner, s, ctx.fonts[font]).map((l) => ({ text: l.text, width: l.width }));
  const align = c.align ?? (c.kind === 'atoms' ? 'center' : 'left');
  const valign = c.kind === 'text' ? (c.valign ?? 'middle') : 'middle';
  const lh = s * LEADING;
  const total = lines.length * lh;
  // Middle-aligned blocks snap to a grid of lines counted from the cell's top, so that cells side by
  // side share their baselines (text extraction then reads each line of a row as one line, never
  // two half-offset lines merged into one).
  const free = box.h - 2 * PAD_Y - total;
  const top =
    valign === 'middle' && free > 0 ? box.y + PAD_Y + Math.floor(free / 2 / lh + 0.5 - 1e-9) * lh : box.y + PAD_Y;
  const runs: TextRun[] = [];
  lines.forEach((l, i) => {
    if (l.text === '') return;
    let x = box.x + PAD_X;
    if (align === 'center') x = box.x + (box.w - l.width) / 2;
    else if (align === 'right') x = box.x + box.w - PAD_X - l.width;
    runs.push({ text: l.text, x: round(x), y: round(top + i * lh + baselineIn(lh, s)), size: s, font });
  });
  return runs;
}

/**
 * Places rows [from, to) of the grid at (x, y) with the given heights (header rows `head` first,
 * repeated when a table continues). Returns the nodes (rules, then the tagged table) and the bottom.
 */
export function placeGrid(
  ctx: LayoutContext,
  g: Grid,
  heights: number[],
  size: number,
  x: number,
  y: number,
  rows: number[],
): { nodes: LayoutNode[]; bottom: number } {
  const t = new TableBuilder();
  const xs: number[] = [x];
  for (const w of g.widths) xs.push(xs[xs.length - 1]! + w);
  const ys = new Map<number, number>();
  let cy = y;
  for (const ri of rows) {
    ys.set(ri, cy);
    cy += heights[ri]!;
  }
  rows.forEach((ri, pos) => {
    t.row();
    for (const c of g.rows[ri]!.cells) {
      // A spanning cell covers the rows placed after it that its span reaches (a heading's label
      // spans the rows continued under it on a 別紙 page, though rows before them stayed behind).
      let h = 0;
      let n = 0;
      for (let j = pos; j < rows.length && rows[j]! < ri + (c.rowSpan ?? 1) && rows[j]! >= ri; j++) {
        h += heights[rows[j]!]!;
        n++;
      }
      const box = { x: xs[c.col]!, y: ys.get(ri)!, w: span(g.widths, c), h };
      t.cell(box, cellRuns(ctx, c.content, box, size), {
        tag: c.tag,
        head: c.shade ?? false,
        ...(c.scope ? { scope: c.scope } : {}),
        ...(n > 1 ? { rowSpan: n } : {}),
        ...((c.colSpan ?? 1) > 1 ? { colSpan: c.colSpan! } : {}),
      });
    }
  });
  return { nodes: t.nodes(), bottom: cy };
}

/**
 * Widens columns so that every atom fits at the floor size, taking the width from the `flex`
 * columns (down to their `min`). Returns the new widths and the cells whose atoms still cannot fit.
 */
export function widenForAtoms(
  ctx: LayoutContext,
  g: Grid,
  flex: number[],
  mins: Map<number, number>,
): { widths: number[]; widened: Field[]; impossible: Field[] } {
  const widths = [...g.widths];
  const need = new Array<number>(widths.length).fill(0);
  const fieldOf = new Map<number, Field>();
  for (const r of g.rows)
    for (const c of r.cells) {
      if (c.content.kind !== 'atoms' || (c.colSpan ?? 1) !== 1) continue;
      const w = widestAtom(ctx, c.content) * (c.content.size ?? FLOOR) + 2 * PAD_X + 0.5;
      if (w > need[c.col]!) {
        need[c.col] = w;
        if (c.content.field) fieldOf.set(c.col, c.content.field);
      }
    }
  const widened: Field[] = [];
  const impossible: Field[] = [];
  let extra = 0;
  need.forEach((n, i) => {
    if (n > widths[i]! + 1e-6) {
      extra += n - widths[i]!;
      widths[i] = n;
      const f = fieldOf.get(i);
      if (f) widened.push(f);
    }
  });
  if (extra === 0) return { widths, widened, impossible };
  const room = flex.reduce((a, i) => a + Math.max(0, widths[i]! - (mins.get(i) ?? 0)), 0);
  if (room + 1e-6 < extra) {
    for (const f of widened) impossible.push(f);
    return { widths, widened: [], impossible };
  }
  const k = extra / room;
  for (const i of flex) widths[i] = widths[i]! - Math.max(0, widths[i]! - (mins.get(i) ?? 0)) * k;
  return { widths, widened, impossible };
}

/** Tells the user of every column widened for a number (a warning) and of every number no width holds (an error). */
export function reportWidening(ctx: LayoutContext, r: { widened: Field[]; impossible: Field[] }): void {
  for (const f of r.widened)
    ctx.warn(
      'layout.widen',
      f.path,
      `「${f.label}」の数値が列に収まらないため、列幅を広げました（文字の列を狭めています）`,
      `"${f.label}" is wider than its column even at ${FLOOR} pt; the column was widened at the expense of text columns`,
    );
  for (const f of r.impossible)
    ctx.error(
      'layout.number-too-wide',
      f.path,
      `「${f.label}」の値が ${FLOOR}pt でも、列幅を広げても収まりません`,
      `"${f.label}" does not fit its column even at ${FLOOR} pt with the column widened as far as the form allows`,
      '値や注記を短くしてください',
      'shorten the value or its note',
    );
}

/** The largest size ≤ `pref` (steps of 0.5 pt, not below the floor) at which every atom fits its column. */
export function atomSize(ctx: LayoutContext, g: Grid, pref: number): number {
  let s = pref;
  for (const r of g.rows)
    for (const c of r.cells) {
      if (c.content.kind !== 'atoms' || c.content.size !== undefined) continue;
      const w = widestAtom(ctx, c.content);
      if (w === 0) continue;
      const fit = (span(g.widths, c) - 2 * PAD_X - 0.3) / w;
      if (fit < s) s = Math.max(FLOOR, Math.floor(fit * 2) / 2);
    }
  return s;
}

/** Sizes from `pref` down to the floor in 0.5 pt steps. */
export function sizesFrom(pref: number): number[] {
  const out: number[] = [];
  for (let s = pref; s >= FLOOR - 1e-9; s = Math.round((s - 0.5) * 10) / 10) out.push(s);
  return out;
}

export function sum(a: readonly number[]): number {
  return a.reduce((x, y) => x + y, 0);
}
