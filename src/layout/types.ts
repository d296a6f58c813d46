//! The layout's output: pages of positioned boxes as plain serializable data (points, top-left origin).
//! Nothing here knows about PDF; the renderer turns these into drawing operators and tags.

export type FontKey = 'regular' | 'bold';

/** One line of text; `y` is the baseline. `vertical` asks for vertical glyph forms (one character per run). */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  size: number;
  font: FontKey;
  vertical?: boolean;
}

/** A rectangle in points, top-left origin. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Shape =
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; width: number }
  | { kind: 'rect'; x: number; y: number; w: number; h: number; stroke?: number; fill?: string };

/** Structure tags used; they become the tagged PDF's structure elements. */
export type GroupTag = 'Sect' | 'Table' | 'TR' | 'Div' | 'L' | 'LI';
export type TextTag = 'H1' | 'H2' | 'H3' | 'P' | 'TH' | 'TD' | 'Lbl' | 'LBody' | 'Note' | 'Span';
/** Which cells a table heading (TH) heads: its row, its column, or both. */
export type Scope = 'Row' | 'Column' | 'Both';

export type LayoutNode =
  | { type: 'group'; tag: GroupTag; children: LayoutNode[] }
  /**
   * `cell`: the rectangle the runs must stay inside (their table cell or text box), when the layout
   * knows it; the no-loss invariants check every run against it.
   */
  | {
      type: 'text';
      tag: TextTag;
      runs: TextRun[];
      cell?: Rect;
      /** Table cells: the heading's scope, and the rows and columns the cell spans (when more than one). */
      scope?: Scope;
      rowSpan?: number;
      colSpan?: number;
    }
  /** Page furniture (別紙 headers, page numbers): drawn as pagination artifacts, outside the structure. */
  | { type: 'furniture'; runs: TextRun[]; cell?: Rect }
  /** Rules and fills: decoration, drawn as artifacts (not read aloud, not extracted as text). */
  | { type: 'art'; shapes: Shape[] };

export interface Page {
  width: number;
  height: number;
  /** In reading order: the renderer draws them in this order. */
  nodes: LayoutNode[];
}

/** A4 landscape in points. */
export const A4_LANDSCAPE = { width: 841.89, height: 595.28 } as const;
