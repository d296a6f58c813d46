//! Ruled tables: cells with text at computed boxes; rules merged so each line is stroked once
//! (0.4 pt inside, 0.8 pt around), heading cells shaded; text tagged Table > TR > TH/TD in reading order.

import type { Box } from './fit.js';
import type { LayoutNode, Scope, Shape, TextRun, TextTag } from './types.js';

export const INNER_RULE = 0.4;
export const OUTER_RULE = 0.8;
export const HEAD_FILL = '#e6e6e6';

type Seg = [number, number];

function key(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Collects cell edges and merges collinear overlapping ones. */
class Rules {
  private h = new Map<number, Seg[]>();
  private v = new Map<number, Seg[]>();
  add(b: Box): void {
    this.push(this.h, b.y, b.x, b.x + b.w);
    this.push(this.h, b.y + b.h, b.x, b.x + b.w);
    this.push(this.v, b.x, b.y, b.y + b.h);
    this.push(this.v, b.x + b.w, b.y, b.y + b.h);
  }
  private push(map: Map<number, Seg[]>, at: number, a: number, b: number): void {
    const k = key(at);
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push([key(a), key(b)]);
  }
  shapes(width: number): Shape[] {
    const out: Shape[] = [];
    const merged = (map: Map<number, Seg[]>, horizontal: boolean) => {
      for (const at of [...map.keys()].sort((a, b) => a - b)) {
        const segs = map.get(at)!.sort((a, b) => a[0] - b[0]);
        let s = segs[0]![0];
        let e = segs[0]![1];
        const flush = () =>
          out.push(
            horizontal
              ? { kind: 'line', x1: s, y1: at, x2: e, y2: at, width }
              : { kind: 'line', x1: at, y1: s, x2: at, y2: e, width },
          );
        for (let i = 1; i < segs.length; i++) {
          const seg = segs[i]!;
          if (seg[0] <= e + 0.01) e = Math.max(e, seg[1]);
          else {
            flush();
            s = seg[0];
            e = seg[1];
          }
        }
        flush();
      }
    };
    merged(this.h, true);
    merged(this.v, false);
    return out;
  }
}

export interface CellOpts {
  tag?: TextTag;
  /** Shade the cell as a heading. */
  head?: boolean;
  scope?: Scope;
  rowSpan?: number;
  colSpan?: number;
}

/** One ruled table; call row() before each row's cells, in reading order (left to right). */
export class TableBuilder {
  private rules = new Rules();
  private fills: Shape[] = [];
  private rows: LayoutNode[][] = [];
  private bounds: Box | null = null;

  row(): this {
    this.rows.push([]);
    return this;
  }

  cell(box: Box, runs: TextRun[] | null, opts: CellOpts = {}): this {
    this.rules.add(box);
    if (opts.head) this.fills.push({ kind: 'rect', x: box.x, y: box.y, w: box.w, h: box.h, fill: HEAD_FILL });
    const b = this.bounds;
    if (!b) this.bounds = { ...box };
    else {
      const x2 = Math.max(b.x + b.w, box.x + box.w);
      const y2 = Math.max(b.y + b.h, box.y + box.h);
      b.x = Math.min(b.x, box.x);
      b.y = Math.min(b.y, box.y);
      b.w = x2 - b.x;
      b.h = y2 - b.y;
    }
    // Every cell is a structure element, an empty one an empty TD, so that table navigation counts
    // columns right; its rectangle goes with it for the no-loss checks.
    if (this.rows.length === 0) this.row();
    const tag = opts.tag ?? (opts.head ? 'TH' : 'TD');
    this.rows[this.rows.length - 1]!.push({
      type: 'text',
      tag,
      runs: runs ?? [],
      cell: { x: box.x, y: box.y, w: box.w, h: box.h },
      ...(tag === 'TH' ? { scope: opts.scope ?? 'Column' } : {}),
      ...(opts.rowSpan && opts.rowSpan > 1 ? { rowSpan: opts.rowSpan } : {}),
      ...(opts.colSpan && opts.colSpan > 1 ? { colSpan: opts.colSpan } : {}),
    });
    return this;
  }

  /** Rules and fills first (one artifact), then the text rows. */
  nodes(): LayoutNode[] {
    const shapes: Shape[] = [...this.fills, ...this.rules.shapes(INNER_RULE)];
    const b = this.bounds;
    if (b) shapes.push({ kind: 'rect', x: key(b.x), y: key(b.y), w: key(b.w), h: key(b.h), stroke: OUTER_RULE });
    const rows: LayoutNode[] = this.rows
      .filter((r) => r.length > 0)
      .map((children) => ({ type: 'group', tag: 'TR', children }));
    return [
      { type: 'art', shapes },
      { type: 'group', tag: 'Table', children: rows },
    ];
  }
}
