//! The one table engine: a form table described as data (column widths, rows of cells with spans,
//! which text fills which cell) is measured at one type size, its auto rows sized by content, and
//! placed as ruled cells whose text runs stay inside their rectangles (tagged TH/TD with spans).

import { breakLines, widestRun, type BrokenLine } from './linebreak.js';
import { baselineIn, textWidth } from './metrics.js';
import { splitWordWarning, type Box, type LayoutContext } from './fit.js';
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
  /**
   * A label of text spanning rows (a project's name) that, repeated beside the rest of its row group
   * divided between pages (splitGroup), says 「（続き）」 after its text: not read as a second row of the same name.
   */
  markContinued?: boolean;
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

/** Width at 1 pt of the widest run of letters and digits of a text cell (0 for other cells): see widestRun. */
function widestWordOf(ctx: LayoutContext, c: Content): number {
  if (c.kind !== 'text' || c.text === '') return 0;
  return widestRun(c.text, 1, ctx.fonts[c.font ?? 'regular']).width;
}

export interface Widening {
  widths: number[];
  /** Cells whose column was widened for their atoms (a warning each). */
  widened: Field[];
  /** Cells whose atoms no width holds at the floor (an error each). */
  impossible: Field[];
  /**
   * Text cells whose run of letters and digits (a number in a name) fits their column as the form
   * draws it at the floor size but not once the column has given its width to the numbers: fewer
   * year columns (bands) would keep it whole.
   */
  squeezed: Field[];
}

/**
 * Widens columns so that every atom fits at the floor size, taking the width from the `flex`
 * columns (down to their `min`). A flex column of text does not give up the width its widest run of
 * letters and digits needs at the floor (a number in a name is never broken between digits) while
 * the others can give enough; else it does, and the cell is named in `squeezed`. Returns the new
 * widths and the cells whose atoms still cannot fit.
 */
export function widenForAtoms(ctx: LayoutContext, g: Grid, flex: number[], mins: Map<number, number>): Widening {
  const widths = [...g.widths];
  const need = new Array<number>(widths.length).fill(0);
  const fieldOf = new Map<number, Field>();
  // What each flex column's widest word needs at the floor, up to the width the form gives it.
  const wordNeed = new Map<number, { w: number; field: Field | undefined }>();
  for (const r of g.rows)
    for (const c of r.cells) {
      if ((c.colSpan ?? 1) !== 1) continue;
      if (c.content.kind === 'text' && flex.includes(c.col)) {
        const w = Math.min(widths[c.col]!, widestWordOf(ctx, c.content) * (c.content.size ?? FLOOR) + 2 * PAD_X + 0.5);
        if (w > (wordNeed.get(c.col)?.w ?? 0)) wordNeed.set(c.col, { w, field: c.content.field });
      }
      if (c.content.kind !== 'atoms') continue;
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
  if (extra === 0) return { widths, widened, impossible, squeezed: [] };
  const shrinkTo = (floorOf: (i: number) => number): number[] | null => {
    const room = flex.reduce((a, i) => a + Math.max(0, widths[i]! - floorOf(i)), 0);
    if (room + 1e-6 < extra) return null;
    const k = extra / room;
    const out = [...widths];
    for (const i of flex) out[i] = widths[i]! - Math.max(0, widths[i]! - floorOf(i)) * k;
    return out;
  };
  const min = (i: number) => mins.get(i) ?? 0;
  const kept = shrinkTo((i) => Math.max(min(i), wordNeed.get(i)?.w ?? 0));
  if (kept) return { widths: kept, widened, impossible, squeezed: [] };
  const shrunk = shrinkTo(min);
  if (!shrunk) {
    for (const f of widened) impossible.push(f);
    return { widths, widened: [], impossible, squeezed: [] };
  }
  const squeezed: Field[] = [];
  for (const [i, n] of wordNeed) if (n.field && n.w > shrunk[i]! + 1e-6) squeezed.push(n.field);
  return { widths: shrunk, widened, impossible, squeezed };
}

/** Whether the widths hold every number of the table at the floor, in cells and in text alike. */
export function holdsAll(r: Widening): boolean {
  return r.impossible.length === 0 && r.squeezed.length === 0;
}

/**
 * Text cells of the grid (at its final widths) whose run of letters and digits is wider than the
 * cell even at the floor size: broken between characters, the last resort (a warning each).
 */
export function wordsSplit(ctx: LayoutContext, g: Grid): { field: Field; run: string }[] {
  const out: { field: Field; run: string }[] = [];
  const seen = new Set<string>();
  for (const r of g.rows)
    for (const c of r.cells) {
      if (c.content.kind !== 'text' || !c.content.field || c.content.text === '') continue;
      const { width, run } = widestRun(c.content.text, c.content.size ?? FLOOR, ctx.fonts[c.content.font ?? 'regular']);
      const key = c.content.field.path.join('.');
      if (width > span(g.widths, c) - 2 * PAD_X + 1e-6 && !seen.has(key)) {
        seen.add(key);
        out.push({ field: c.content.field, run });
      }
    }
  return out;
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

/** Tells the user of every run of letters and digits broken between characters because no size holds it (see wordsSplit). */
export function reportSplitWords(ctx: LayoutContext, g: Grid): void {
  for (const { field, run } of wordsSplit(ctx, g)) {
    const key = field.path.join('.');
    // Once per field: a name stands in every band of year columns.
    if (ctx.warnings.some((w) => w.code === 'layout.split-word' && (w.path ?? []).join('.') === key)) continue;
    ctx.warn(...splitWordWarning(field, run));
  }
}

/**
 * The largest size ≤ `pref` (steps of 0.5 pt, not below the floor) at which every atom, and every
 * run of letters and digits of a text cell, fits its column.
 */
export function atomSize(ctx: LayoutContext, g: Grid, pref: number): number {
  let s = pref;
  for (const r of g.rows)
    for (const c of r.cells) {
      if ((c.content.kind !== 'atoms' && c.content.kind !== 'text') || c.content.size !== undefined) continue;
      // A text cell's run of letters and digits, like an atom, is not broken while a size holds it.
      const w = c.content.kind === 'atoms' ? widestAtom(ctx, c.content) : widestWordOf(ctx, c.content);
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

type FlowCell = Cell & { content: Extract<Content, { kind: 'text' }> };

/** A data cell of prose (備考, an opinion, an answer): the one kind of cell divided between pages, at a line. */
function flows(c: Cell): c is FlowCell {
  return c.tag === 'TD' && c.content.kind === 'text';
}

/** The mark of a label repeated beside the rest of its row (as continued headings are marked on 別紙). */
export const CONTINUED = '（続き）';

/** A label as repeated beside the rest of its divided row group: marked 「（続き）」 when it asks for it (see Cell.markContinued). */
function continuedLabel(c: Cell): Cell {
  if (!c.markContinued || c.content.kind !== 'text') return c;
  // The copy carries the mark and no longer asks for it: divided again, it is repeated as it is.
  const { markContinued: _done, ...rest } = c;
  return { ...rest, content: { ...c.content, text: `${c.content.text}${CONTINUED}` } };
}

/** Least lines of a divided prose cell on either side of the cut (no lone first or last line). */
const MIN_SPLIT_LINES = 2;

export interface GroupSplit {
  /** The grid with the group replaced by its two parts: rows [a, cut) and [cut, end). */
  grid: Grid;
  cut: number;
  end: number;
}

/**
 * Splits the row group [a, b) of the grid (rows joined by spanning cells, as rowGroups gives them),
 * too tall for what is left of a page, so that its first part is at most `avail` high. The cut falls
 * at a row boundary, or inside a row where prose in a data cell runs past it: that cell's lines are
 * divided, whole lines, at least two on each side. Labels that span the cut (No., 主な事業, the
 * project's name, 成果指標) are repeated beside the second part, as a table's header is repeated on
 * the next page, the name marked 「（続き）」 (Cell.markContinued); one-row cells that are not prose
 * stay whole in the first part, their place in the second left empty. Returns null when no part of the group fits `avail`.
 */
export function splitGroup(
  ctx: LayoutContext,
  g: Grid,
  size: number,
  a: number,
  b: number,
  avail: number,
): GroupSplit | null {
  const sub = g.rows.slice(a, b);
  const m = sub.length;
  const hs = measure(ctx, { widths: g.widths, rows: sub }, size);
  const tops = [0];
  for (const v of hs) tops.push(tops[tops.length - 1]! + v);
  const cells = sub.flatMap((row, r) =>
    row.cells.map((cell) => ({ cell, r, e: Math.min(m, r + (cell.rowSpan ?? 1)) })),
  );
  const linesMemo = new Map<Cell, readonly BrokenLine[]>();
  const linesOf = (c: FlowCell): readonly BrokenLine[] => {
    let l = linesMemo.get(c);
    if (!l) {
      l = textLines(ctx, c.content.text, span(g.widths, c), sizeOf(c.content, size), c.content.font);
      linesMemo.set(c, l);
    }
    return l;
  };
  // Lines of a prose cell starting `top` into the group that fit above `y`: never one line alone on
  // either side, nor a paragraph's last line alone at the top of the second part.
  const kept = (c: Cell & { content: Extract<Content, { kind: 'text' }> }, top: number, y: number): number => {
    const lines = linesOf(c);
    const lh = sizeOf(c.content, size) * LEADING;
    let n = Math.max(0, Math.min(lines.length, Math.floor((y - top - 2 * PAD_Y + 0.01) / lh)));
    if (n > 0 && n < lines.length) {
      const text = c.content.text;
      const samePara = (i: number) => !text.slice(lines[i]!.end, lines[i + 1]!.start).includes('\n');
      // A paragraph's last line does not stand alone at the top of the next part.
      if (lines[n]!.text !== '' && samePara(n - 1) && (n + 1 === lines.length || !samePara(n))) n--;
      if (lines.length - n < MIN_SPLIT_LINES) n = lines.length - MIN_SPLIT_LINES;
      if (n < MIN_SPLIT_LINES) n = 0;
    }
    return n;
  };
  type Placed = (typeof cells)[number];
  // Lines kept above `y` of each prose cell among `list`. Reading order in a row is left to right: a
  // cell whose text all goes to the second part takes the cells right of it (same first row) along,
  // so that no answer starts a page before its opinion.
  const keepAll = (list: readonly Placed[], y: number): Map<Placed, number> => {
    const out = new Map<Placed, number>();
    const flowing = list.filter((p) => flows(p.cell)).sort((p, q) => p.r - q.r || p.cell.col - q.cell.col);
    let movedRow = -1;
    for (const p of flowing) {
      const c = p.cell as FlowCell;
      const n = movedRow === p.r ? 0 : kept(c, tops[p.r]!, y);
      if (n === 0 && linesOf(c).length > 0 && c.content.text !== '') movedRow = p.r;
      out.set(p, n);
    }
    return out;
  };
  const partsAt = (y: number): { upper: Row[]; lower: Row[]; consumed: number } | null => {
    let k = 0;
    while (k < m && tops[k + 1]! <= y + 0.01) k++;
    if (k >= m) return null;
    // Inside row k when a prose cell in it runs past y and keeps lines above it; else at its top. A
    // cell spanning from a row above divides inside row k only when that leaves three lines' room or
    // more above the cut: else the row goes whole to the second part (no band of empty cells there).
    const inRowK = cells.filter(
      (p) => p.r <= k && p.e > k && (p.r === k || y - tops[k]! >= 3 * sizeOf(p.cell.content, size) * LEADING),
    );
    const tryKeep = keepAll(inRowK, y);
    const straddle = inRowK.some((p) => {
      const n = tryKeep.get(p);
      return n !== undefined && n > 0 && n < linesOf(p.cell as FlowCell).length;
    });
    const cutY = straddle ? y : tops[k]!;
    if (!straddle && k === 0) return null;
    const nUpper = straddle ? k + 1 : k;
    const upper: Row[] = sub
      .slice(0, nUpper)
      .map((r) => ({ ...(r.minH !== undefined ? { minH: r.minH } : {}), cells: [] }));
    const lower: Row[] = sub.slice(k).map((r, i) => ({
      ...((i > 0 || !straddle) && r.minH !== undefined ? { minH: r.minH } : {}),
      cells: [],
    }));
    let consumed = k;
    const crossingCells = cells.filter((p) => (straddle ? p.r <= k && p.e > k : p.r < k && p.e > k));
    const keep = keepAll(crossingCells, cutY);
    for (const p of cells) {
      const c = p.cell;
      const crossing = crossingCells.includes(p);
      if (!crossing) {
        if (p.e <= k) upper[p.r]!.cells.push(c);
        else lower[p.r - k]!.cells.push(c);
        continue;
      }
      const upSpan = nUpper - p.r;
      const downSpan = p.e - k;
      const withSpan = (cell: Cell, n: number): Cell => {
        const { rowSpan: _drop, ...rest } = cell;
        return n > 1 ? { ...rest, rowSpan: n } : rest;
      };
      if (flows(c)) {
        const lines = linesOf(c);
        const n = keep.get(p)!;
        consumed += n;
        let from = n;
        while (from < lines.length && lines[from]!.text === '') from++;
        const text = c.content.text;
        const shown = n > 0 ? text.slice(0, lines[n - 1]!.end).replace(/\s+$/u, '') : '';
        const rest = from < lines.length ? text.slice(lines[from]!.start) : '';
        const piece = (t: string): Cell =>
          t === ''
            ? empty(c.col, c.colSpan ? { colSpan: c.colSpan } : {})
            : { ...c, content: { ...c.content, text: t, valign: 'top' } };
        upper[p.r]!.cells.push(withSpan(piece(shown), upSpan));
        lower[0]!.cells.push(withSpan(piece(rest), downSpan));
      } else if (p.e - p.r > 1) {
        // A label spanning the cut: repeated beside the rest (a name marked as continued, once).
        upper[p.r]!.cells.push(withSpan(c, upSpan));
        lower[0]!.cells.push(withSpan(continuedLabel(c), downSpan));
      } else {
        upper[p.r]!.cells.push(c);
        lower[0]!.cells.push(empty(c.col, c.colSpan ? { colSpan: c.colSpan } : {}));
      }
    }
    if (consumed === 0) return null;
    lower[0]!.cells.sort((x, y2) => x.col - y2.col);
    return { upper, lower, consumed };
  };
  // The cut is tried at `avail`, then higher while the first part comes out taller (a label in the
  // row cut through needs more than the room above the cut).
  let y = avail;
  for (let tries = 0; tries < 200 && y > 0; tries++) {
    const parts = partsAt(y);
    if (!parts) return null;
    const h = sum(measure(ctx, { widths: g.widths, rows: parts.upper }, size));
    if (h <= avail + 0.01) {
      const rows = [...g.rows.slice(0, a), ...parts.upper, ...parts.lower, ...g.rows.slice(b)];
      const delta = parts.upper.length + parts.lower.length - (b - a);
      // Cells above the group that span rows after it (a heading's label) keep spanning the same rows.
      const fixed = rows.map((r, ri) =>
        ri >= a
          ? r
          : {
              ...r,
              cells: r.cells.map((c) => (ri + (c.rowSpan ?? 1) > a ? { ...c, rowSpan: (c.rowSpan ?? 1) + delta } : c)),
            },
      );
      const cut = a + parts.upper.length;
      return { grid: { widths: g.widths, rows: fixed }, cut, end: cut + parts.lower.length };
    }
    y -= Math.max(h - avail, 0.5);
  }
  return null;
}
