//! Fitting text into a fixed box: wrap, shrink step by step to a 6 pt floor, then continue the
//! rest on an overflow page (別紙) — never cut silently; every shrink and overflow becomes a warning.

import type { Diagnostic, Lang } from '../diagnostics.js';
import type { YamlPath } from '../model/types.js';
import { breakLines, widestRun, widestWord, type BrokenLine } from './linebreak.js';
import { baselineIn, textWidth, type FontPair } from './metrics.js';
import type { Grid } from './grid.js';
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

/** Text or table rows continued on 別紙 pages, in the order the sheet reads. */
export type AnnexItem =
  | {
      kind: 'prose';
      heading: string;
      text: string;
      path: YamlPath;
      label: string;
      /** Runs on the sheet that say where the text continues: their text is filled in once the 別紙 pages are numbered. */
      refs: TextRun[];
      /** Its reference stands in a table row that itself continues on 別紙. */
      fromTable?: boolean;
    }
  | {
      kind: 'table';
      heading: string;
      grid: Grid;
      /** Header rows repeated at the top of every 別紙 page the table continues on. */
      head: number[];
      /** Rows placed on 別紙 (whole row groups). */
      body: number[];
      size: number;
      path: YamlPath;
      label: string;
      refs: TextRun[];
    };

/** Collects what the layout has to tell the user, and what continues on 別紙 pages. */
export class LayoutContext {
  readonly warnings: Diagnostic[] = [];
  readonly annex: AnnexItem[] = [];
  /** References that several 別紙 items share (one line on the sheet for both): each names every page. */
  readonly sharedRefs = new Set<TextRun>();
  constructor(
    readonly fonts: FontPair,
    readonly lang: Lang,
  ) {}

  /** Adds text continued on 別紙 and returns the run that refers to it (its text is set when pages are numbered). */
  continueProse(heading: string, field: { path: YamlPath; label: string }, text: string, ref: TextRun | null): void {
    this.annex.push({ kind: 'prose', heading, text, path: field.path, label: field.label, refs: ref ? [ref] : [] });
  }

  warn(code: string, path: YamlPath, ja: string, en: string, hintJa?: string, hintEn?: string): void {
    this.warnings.push({
      severity: 'warning',
      code,
      path,
      message: this.lang === 'ja' ? ja : en,
      ...(hintJa && hintEn ? { hint: this.lang === 'ja' ? hintJa : hintEn } : {}),
    });
  }

  error(code: string, path: YamlPath, ja: string, en: string, hintJa?: string, hintEn?: string): void {
    this.warnings.push({
      severity: 'error',
      code,
      path,
      message: this.lang === 'ja' ? ja : en,
      ...(hintJa && hintEn ? { hint: this.lang === 'ja' ? hintJa : hintEn } : {}),
    });
  }
}

/** Placeholder of a reference to a 別紙 page, replaced when the 別紙 pages are numbered. */
export const REF_PLACEHOLDER = '（別紙 000 に続く）';

/**
 * Splits prose so that what stays ends with a whole sentence (after 。．！？ and their closing
 * brackets, or at a line break) within the first `maxLines` lines; the rest continues elsewhere.
 * The box holds one line more, kept for the reference to 別紙: a text of `maxLines + 1` lines
 * stands whole in it instead (no line or two sent to an attachment page). Neither piece is closing
 * punctuation alone; `lead` characters at the start label the text (a committee entry's ①) and count
 * as none of it.
 */
export function splitSentences(
  text: string,
  lines: readonly { end: number }[],
  maxLines: number,
  lead = 0,
): { shown: string; rest: string } {
  if (maxLines + 1 >= lines.length) return { shown: text, rest: '' };
  if (maxLines <= 0) return { shown: '', rest: text };
  const limit = lines[maxLines - 1]!.end;
  let cut = 0;
  const re = /[。．！？!?][」』）)】〕]*|\n/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const end = m[0] === '\n' ? m.index : m.index + m[0].length;
    if (end > limit) break;
    // No piece of punctuation alone on either side (a text opening with 「。」 would show just that
    // before its reference to 別紙): closing punctuation stays with what precedes it, so the cut moves
    // back to the sentence before, or to the start (the whole text continues on 別紙).
    if (!punctuationOnly(text.slice(Math.min(lead, end), end)) && !punctuationOnly(text.slice(end))) cut = end;
  }
  return { shown: text.slice(0, cut).replace(/\s+$/u, ''), rest: text.slice(cut).replace(/^\s*\n/u, '') };
}

/** Punctuation that closes what precedes it (行頭禁則 of the sentence marks and closing brackets) and whitespace. */
const PUNCTUATION_ONLY = /^[\s、。，．,.！？!?：；:;・)）\]］｝}〕〉》」』】〙〗〟’”｠»]*$/u;

/** Whether a piece of text holds nothing but closing punctuation (empty counts: nothing is not a lone mark). */
function punctuationOnly(piece: string): boolean {
  return piece.trim() !== '' && PUNCTUATION_ONLY.test(piece);
}

export const BODY_SIZE = 8;
export const MIN_SIZE = 6;
const STEP = 0.5;
const DEFAULT_LEADING = 1.3;

/**
 * Reference line that ends a box whose text continues on 別紙 page n; one reference shared by what
 * continues on several pages names each (（別紙 1・2 に続く）).
 */
export function continuedRef(n: number, ...more: number[]): string {
  const pages = [...new Set([n, ...more])];
  return `（別紙 ${pages.join('・')} に続く）`;
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
  let lines: readonly BrokenLine[] = [];
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
  // The last resort: a run of letters and digits that even the floor size cannot hold is broken between characters.
  if (!wordFitsAtFloor && spec.field) {
    const run = widestRun(text, r.minSize, m);
    if (run.width > innerW + 1e-6) ctx.warn(...splitWordWarning(spec.field, run.run));
  }
  const lh = size * r.leading;
  const fits = lines.length * lh <= innerH + 0.01;
  if (fits && size < r.size && spec.field) {
    ctx.warnings.push(shrinkWarning(ctx.lang, spec.field, r.size, size));
  }
  let pendingRef: { label: string; path: YamlPath; rest: string } | null = null;
  let shown = lines;
  if (!fits && spec.field) {
    // Keep as many lines as fit with one line left for the reference to 別紙.
    const room = Math.max(0, Math.floor((innerH + 0.01) / lh) - 1);
    shown = lines.slice(0, room);
    const cut = shown.length > 0 ? shown[shown.length - 1]!.end : 0;
    const rest = text.slice(cut).replace(/^\n/, '');
    shown = [...shown, { text: REF_PLACEHOLDER, start: cut, end: cut, width: textWidth(m, REF_PLACEHOLDER, size) }];
    pendingRef = { label: spec.field.label, path: spec.field.path, rest };
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
  if (pendingRef) {
    const ref = runs[runs.length - 1]!;
    ctx.continueProse(`${pendingRef.label}（続き）`, pendingRef, pendingRef.rest, ref);
  }
  return runs;
}

/** A label written top to bottom, one run per character, centred in the box (vertical glyph forms). */
export function verticalText(
  ctx: LayoutContext,
  text: string,
  box: Box,
  opts: { size?: number; font?: FontKey } = {},
): TextRun[] {
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

/** The warning of a run of letters and digits broken between characters (in a table cell or a box). */
export function splitWordWarning(
  field: { path: YamlPath; label: string },
  run: string,
): [code: string, path: YamlPath, ja: string, en: string, hintJa: string, hintEn: string] {
  const shown = run.length > 24 ? `${run.slice(0, 23)}…` : run;
  return [
    'layout.split-word',
    field.path,
    `「${field.label}」の「${shown}」が ${MIN_SIZE}pt でも枠の幅に収まらないため、途中で改行しました`,
    `"${shown}" in "${field.label}" is wider than its box even at ${MIN_SIZE} pt; it is broken between characters`,
    '数値や英数字の間に空白や読点を入れると、その位置で改行されます',
    'put a space or a comma between long numbers or words so that the line can break there',
  ];
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
    hint:
      lang === 'ja' ? '文章を短くすると元の大きさで印刷されます' : 'shorten the text to print it at the regular size',
  };
}
