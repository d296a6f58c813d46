//! Fitting text into a fixed box: wrap, shrink step by step to a 6 pt floor, then continue the
//! rest on an overflow page (別紙) — never cut silently; every shrink and overflow becomes a warning.

import type { Diagnostic, Lang } from '../diagnostics.js';
import type { YamlPath } from '../model/types.js';
import { breakLines, widestWord, type BrokenLine } from './linebreak.js';
import { baselineIn, textWidth, type FontPair } from './metrics.js';
import type { FontKey, TextRun } from './types.js';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TextSpec {
  text: string;
  font?: FontKey;
  /** Preferred size in points. */
  size?: number;
  /** Floor of shrinking; equal to size for text that must not shrink. */
  minSize?: number;
  align?: 'left' | 'center' | 'right';
  valign?: 'top' | 'middle';
  /** Line height as a multiple of the size. */
  leading?: number;
  padX?: number;
  padY?: number;
  /** User text: shrink and overflow are reported against this field. Fixed labels have none. */
  field?: { path: YamlPath; label: string };
}

export interface Overflow {
  /** 別紙 number. */
  n: number;
  label: string;
  path: YamlPath;
  text: string;
}

/** Collects what the layout has to tell the user, and the text continued on 別紙 pages. */
export class LayoutContext {
  readonly warnings: Diagnostic[] = [];
  readonly overflows: Overflow[] = [];
  constructor(
    readonly fonts: FontPair,
    readonly lang: Lang,
  ) {}

  addOverflow(label: string, path: YamlPath, text: string): number {
    const n = this.overflows.length + 1;
    this.overflows.push({ n, label, path, text });
    return n;
  }
}

export const BODY_SIZE = 8;
export const MIN_SIZE = 6;
const STEP = 0.5;
const DEFAULT_LEADING = 1.3;

/** Reference line that ends a box whose text continues on 別紙 n. */
export function continuedRef(n: number): string {
  return `（別紙 ${n} に続く）`;
}

function resolved(spec: TextSpec) {
  const size = spec.size ?? BODY_SIZE;
  return {
    font: spec.font ?? 'regular',
    size,
    minSize: spec.minSize ?? (spec.field ? MIN_SIZE : Math.min(size, MIN_SIZE)),
    align: spec.align ?? 'left',
    valign: spec.valign ?? 'top',
    leading: spec.leading ?? DEFAULT_LEADING,
    padX: spec.padX ?? 2.5,
    padY: spec.padY ?? 2,
  };
}

/** Height the text needs in a box of width `w` at its preferred size (for sizing flexible rows). */
export function naturalHeight(ctx: LayoutContext, spec: TextSpec, w: number): number {
  const r = resolved(spec);
  const text = normalize(spec.text);
  if (text === '') return r.size * r.leading + 2 * r.padY;
  const lines = breakLines(text, w - 2 * r.padX, r.size, ctx.fonts[r.font]);
  return lines.length * r.size * r.leading + 2 * r.padY;
}

/** Trailing newlines of YAML block scalars and CRLF are not content. */
export function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\s+$/u, '');
}

/** Fit `spec` into `box`; returns the text runs to draw. Shrinks and overflows are recorded in ctx. */
export function fitText(ctx: LayoutContext, spec: TextSpec, box: Box): TextRun[] {
  const r = resolved(spec);
  const text = normalize(spec.text);
  if (text === '') return [];
  const m = ctx.fonts[r.font];
  const innerW = Math.max(1, box.w - 2 * r.padX);
  const innerH = box.h - 2 * r.padY;
  let size = r.size;
  let lines: BrokenLine[] = [];
  // A word (a number such as 1,792,000) is split between characters only when even the floor size
  // cannot hold it; until then the text shrinks, so that no cell reads "1,792,00" over "0人".
  const widest = widestWord(text, 1000, m) / 1000;
  const wordFitsAtFloor = widest * r.minSize <= innerW + 1e-6;
  for (;;) {
    lines = breakLines(text, innerW, size, m);
    const wordsWhole = !wordFitsAtFloor || widest * size <= innerW + 1e-6;
    if ((wordsWhole && lines.length * size * r.leading <= innerH + 0.01) || size - STEP < r.minSize - 1e-9) break;
    size = Math.round((size - STEP) * 10) / 10;
  }
  const lh = size * r.leading;
  const fits = lines.length * lh <= innerH + 0.01;
  if (fits && size < r.size && spec.field) {
    ctx.warnings.push(shrinkWarning(ctx.lang, spec.field, r.size, size));
  }
  let shown = lines;
  if (!fits && spec.field) {
    // Keep as many lines as fit with one line left for the reference to 別紙.
    const room = Math.max(0, Math.floor((innerH + 0.01) / lh) - 1);
    shown = lines.slice(0, room);
    const cut = shown.length > 0 ? shown[shown.length - 1]!.end : 0;
    const rest = text.slice(cut).replace(/^\n/, '');
    const n = ctx.addOverflow(spec.field.label, spec.field.path, rest);
    ctx.warnings.push(overflowWarning(ctx.lang, spec.field, n));
    const ref = continuedRef(n);
    shown = [...shown, { text: ref, start: cut, end: cut, width: textWidth(m, ref, size) }];
  }
  const total = shown.length * lh;
  let top = box.y + r.padY;
  if (r.valign === 'middle') top = box.y + (box.h - total) / 2;
  const runs: TextRun[] = [];
  shown.forEach((line, i) => {
    if (line.text === '') return;
    let x = box.x + r.padX;
    if (r.align === 'center') x = box.x + (box.w - line.width) / 2;
    else if (r.align === 'right') x = box.x + box.w - r.padX - line.width;
    runs.push({ text: line.text, x: round(x), y: round(top + i * lh + baselineIn(lh, size)), size, font: r.font });
  });
  return runs;
}

/** A label written top to bottom, one run per character, centred in the box (vertical glyph forms). */
export function verticalText(ctx: LayoutContext, text: string, box: Box, opts: { size?: number; font?: FontKey } = {}): TextRun[] {
  const chars = [...text];
  const font = opts.font ?? 'bold';
  let size = opts.size ?? 8;
  const pitch = (s: number) => s * 1.08;
  while (size > 4 && chars.length * pitch(size) > box.h - 4) size -= 0.5;
  const total = chars.length * pitch(size);
  const top = box.y + (box.h - total) / 2;
  const cx = box.x + box.w / 2;
  return chars.map((c, i) => ({
    text: c,
    x: round(cx - textWidth(ctx.fonts[font], c, size) / 2),
    y: round(top + i * pitch(size) + baselineIn(pitch(size), size)),
    size,
    font,
    vertical: true,
  }));
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

function shrinkWarning(lang: Lang, field: { path: YamlPath; label: string }, from: number, to: number): Diagnostic {
  return {
    severity: 'warning',
    code: 'layout.shrink',
    path: field.path,
    message:
      lang === 'ja'
        ? `「${field.label}」が枠に収まらないため、文字を ${from}pt から ${to}pt に縮小しました`
        : `"${field.label}" does not fit its box at ${from} pt; shrunk to ${to} pt`,
    hint: lang === 'ja' ? '文章を短くすると元の大きさで印刷されます' : 'shorten the text to print it at the regular size',
  };
}

function overflowWarning(lang: Lang, field: { path: YamlPath; label: string }, n: number): Diagnostic {
  return {
    severity: 'warning',
    code: 'layout.overflow',
    path: field.path,
    message:
      lang === 'ja'
        ? `「${field.label}」が ${MIN_SIZE}pt に縮小しても枠に収まらないため、続きを別紙 ${n} に出力しました`
        : `"${field.label}" does not fit its box even at ${MIN_SIZE} pt; the rest continues on attachment (別紙) ${n}`,
    hint: lang === 'ja' ? '文章を短くすると 1 枚に収まります' : 'shorten the text to keep it on the sheet',
  };
}
