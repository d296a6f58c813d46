//! What the layout needs to know of a font: per-character advance widths and coverage.
//! The renderer's FontFace implements this; layout never touches the font file itself.

export interface GlyphMetrics {
  /** Advance width of a code point in 1/1000 em (the .notdef advance when the font lacks it). */
  advance(codePoint: number): number;
  has(codePoint: number): boolean;
}

export interface FontPair {
  regular: GlyphMetrics;
  bold: GlyphMetrics;
}

/**
 * Advance widths of whole strings (1/1000 em) per font: the layout measures the same atoms and labels
 * at every size it tries and on every sheet. Bounded: past WIDTHS_MAX strings it starts afresh.
 */
const widths = new WeakMap<GlyphMetrics, Map<string, number>>();
const WIDTHS_MAX = 50_000;

/** Width of a string in points at `size`. */
export function textWidth(m: GlyphMetrics, text: string, size: number): number {
  let known = widths.get(m);
  if (!known) widths.set(m, (known = new Map()));
  let w = known.get(text);
  if (w === undefined) {
    w = 0;
    for (const ch of text) w += m.advance(ch.codePointAt(0)!);
    if (known.size >= WIDTHS_MAX) known.clear();
    known.set(text, w);
  }
  return (w * size) / 1000;
}

/** Baseline offset below the top of a line box of height `lineHeight` for text of `size`: the em box is centred, its baseline 0.88 em down (CJK ideographic em box, 0.12 em below the baseline). */
export function baselineIn(lineHeight: number, size: number): number {
  return (lineHeight - size) / 2 + size * 0.88;
}
