//! Japanese line breaking (禁則処理) over per-character widths: greedy fill, no line starts with
//! closing punctuation or small kana, none ends with an opening bracket, ASCII words stay whole.

import type { GlyphMetrics } from './metrics.js';

/** Characters that must not start a line (行頭禁則). */
const NO_START = new Set([
  ...'、。，．,.)）]］｝}〕〉》」』】〙〗〟’”｠»',
  ...'・：；:;!！?？‐゠–〜～ー々ゝゞヽヾ',
  ...'ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ',
  ...'%％‰℃',
]);
/** Characters that must not end a line (行末禁則). */
const NO_END = new Set([...'(（[［{｛〔〈《「『【〘〖〝‘“｟«']);

export interface BrokenLine {
  text: string;
  /** Offsets into the source string: the line is source.slice(start, end) minus trailing spaces. */
  start: number;
  end: number;
  width: number;
}

// ASCII words and numbers (500,000 / (1) / 10% / https://…) and full-width ones (ＫＰＩ) stay together; spaces are their own units.
// A short bracketed phrase （…） is kept on one line when it fits (the review found "（概 / 数）").
const UNIT_RE = /（[^（）\n]{1,12}）|[\x21-\x7E]+|[Ａ-Ｚａ-ｚ０-９]+|[ \t]+|[\s\S]/gu;

/** The same units without bracketed phrases: how a phrase too wide for the line is broken up. */
const BASE_RE = /[\x21-\x7E]+|[Ａ-Ｚａ-ｚ０-９]+|[ \t]+|[\s\S]/gu;

/** Flags of a unit: a run of spaces; its first character must not start a line; its last must not end one. */
const SPACE = 1;
const BAD_START = 2;
const BAD_END = 4;

/**
 * The units of a paragraph (or of a part of one) as parallel arrays, one entry per unit, no object
 * per character: offsets, width at the scanned size, flags. `widestWord` is the widest unit that a
 * narrow line could split (two or more characters, not spaces).
 */
interface Units {
  n: number;
  start: Int32Array;
  end: Int32Array;
  w: Float64Array;
  flags: Uint8Array;
  widestWord: number;
}

class UnitsBuilder {
  n = 0;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly w: Float64Array;
  readonly flags: Uint8Array;
  /** `capacity`: at most one unit per UTF-16 code unit. */
  constructor(capacity: number) {
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.w = new Float64Array(capacity);
    this.flags = new Uint8Array(capacity);
  }
  push(start: number, end: number, w: number, space: boolean, first: string, last: string): void {
    const i = this.n++;
    this.start[i] = start;
    this.end[i] = end;
    this.w[i] = w;
    this.flags[i] = (space ? SPACE : 0) | (NO_START.has(first) ? BAD_START : 0) | (NO_END.has(last) ? BAD_END : 0);
  }
  /** The units, trimmed to their count (the memo keeps only what it uses). */
  done(): Units {
    const n = this.n;
    return {
      n,
      start: this.start.slice(0, n),
      end: this.end.slice(0, n),
      w: this.w.slice(0, n),
      flags: this.flags.slice(0, n),
      // Only the memoised scans are asked for their widest word.
      widestWord: 0,
    };
  }
}

/**
 * A paragraph's units apart from their widths: offsets, flags, and the advance of each character
 * (1/1000 em). Scanned once per paragraph; the widths at a size are computed from it on demand with
 * the same arithmetic a scan at that size does (each character's advance × size / 1000, summed in
 * order), so they are the same numbers to the last bit.
 */
class Shape {
  readonly n: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly flags: Uint8Array;
  /** Unit i's characters are adv[cp[i]] … adv[cp[i + 1] - 1]. */
  private readonly cp: Int32Array;
  private readonly adv: Float64Array;
  private readonly bySize = new Map<number, Units>();
  /** Widest unit of two or more UTF-16 code units (not spaces) in 1/1000 em: see widestWord. */
  readonly widestRaw: number = 0;
  constructor(para: string, m: GlyphMetrics) {
    const cap = para.length;
    const start = new Int32Array(cap);
    const end = new Int32Array(cap);
    const flags = new Uint8Array(cap);
    const cp = new Int32Array(cap + 1);
    const adv = new Float64Array(cap);
    let n = 0;
    let k = 0;
    const re = UNIT_RE;
    re.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = re.exec(para)) !== null) {
      const s = match[0];
      const at = match.index;
      start[n] = at;
      end[n] = at + s.length;
      cp[n] = k;
      let first = '';
      let last = '';
      if (s.length === 1) {
        adv[k++] = m.advance(s.charCodeAt(0));
        first = last = s;
      } else
        for (const c of s) {
          adv[k++] = m.advance(c.codePointAt(0)!);
          if (first === '') first = c;
          last = c;
        }
      if (s.length >= 2 && s[0] !== ' ' && s[0] !== '\t') {
        let raw = 0;
        for (let c = cp[n]!; c < k; c++) raw += adv[c]!;
        if (raw > this.widestRaw) this.widestRaw = raw;
      }
      flags[n] =
        (s[0] === ' ' || s[0] === '\t' ? SPACE : 0) |
        (NO_START.has(first) ? BAD_START : 0) |
        (NO_END.has(last) ? BAD_END : 0);
      n++;
    }
    cp[n] = k;
    this.n = n;
    this.start = start.slice(0, n);
    this.end = end.slice(0, n);
    this.flags = flags.slice(0, n);
    this.cp = cp.slice(0, n + 1);
    this.adv = adv.slice(0, k);
  }
  /** Characters held (for the memo's bound). */
  get chars(): number {
    return this.adv.length;
  }
  /** The units with their widths at `size` (and whether this call computed them). */
  at(size: number): { units: Units; fresh: boolean } {
    const hit = this.bySize.get(size);
    if (hit) return { units: hit, fresh: false };
    const { n, cp, adv, flags } = this;
    const scale = size / 1000;
    const w = new Float64Array(n);
    let widest = 0;
    for (let i = 0; i < n; i++) {
      let x = 0;
      const to = cp[i + 1]!;
      for (let c = cp[i]!; c < to; c++) x += adv[c]! * scale;
      w[i] = x;
      if (to - cp[i]! > 1 && !(flags[i]! & SPACE) && x > widest) widest = x;
    }
    const units: Units = { n, start: this.start, end: this.end, w, flags, widestWord: widest };
    this.bySize.set(size, units);
    return { units, fresh: true };
  }
}

/**
 * Memo of paragraph shapes and broken lines per font: the layout measures the same text at the same
 * size many times (a row's height, then its cell; each size a block tries; the fixed labels of every
 * sheet). The output is the same with or without it. Bounded by what it holds (about 20 bytes a
 * character and size, a line counted as 3): past the bound it starts afresh, so a long batch's memory
 * stays flat.
 */
class Memo {
  private shapes = new Map<string, Shape>();
  /** text → "size width" → lines. */
  private lines = new Map<string, Map<string, BrokenLine[]>>();
  private held = 0;
  private static readonly MAX_HELD = 400_000;
  private hold(n: number): void {
    this.held += n;
    if (this.held > Memo.MAX_HELD) {
      this.shapes.clear();
      this.lines.clear();
      this.held = n;
    }
  }
  shape(para: string, m: GlyphMetrics): Shape {
    let shape = this.shapes.get(para);
    if (!shape) {
      shape = new Shape(para, m);
      this.hold(shape.chars + shape.n + 1);
      this.shapes.set(para, shape);
    }
    return shape;
  }
  units(para: string, size: number, m: GlyphMetrics): Units {
    const { units, fresh } = this.shape(para, m).at(size);
    if (fresh) this.hold(units.n + 1);
    return units;
  }
  broken(text: string, maxWidth: number, size: number, m: GlyphMetrics): BrokenLine[] {
    const key = `${size} ${maxWidth}`;
    let hit = this.lines.get(text)?.get(key);
    if (!hit) {
      hit = breakAll(text, maxWidth, size, m);
      this.hold(3 * hit.length + 1);
      let byText = this.lines.get(text);
      if (!byText) this.lines.set(text, (byText = new Map()));
      byText.set(key, hit);
    }
    return hit;
  }
}
const memos = new WeakMap<GlyphMetrics, Memo>();
function memoOf(m: GlyphMetrics): Memo {
  let memo = memos.get(m);
  if (!memo) memos.set(m, (memo = new Memo()));
  return memo;
}

/**
 * The units of text[from, to): the memoised scan of the paragraph when no word is wider than the
 * line (the common case; offsets then relative to `from`, see `base`), else a scan that breaks the
 * too-wide words up.
 */
function unitsOf(
  text: string,
  from: number,
  to: number,
  maxWidth: number,
  size: number,
  m: GlyphMetrics,
): { units: Units; base: number } {
  const units = memoOf(m).units(from === 0 && to === text.length ? text : text.slice(from, to), size, m);
  if (units.widestWord <= maxWidth) return { units, base: from };
  return { units: splitUnits(text, from, to, maxWidth, size, m), base: 0 };
}

/** The units of text[from, to) with words wider than the line broken up (absolute offsets). */
function splitUnits(text: string, from: number, to: number, maxWidth: number, size: number, m: GlyphMetrics): Units {
  const out = new UnitsBuilder(to - from);
  const scale = size / 1000;
  const para = text.slice(0, to);
  const scan = (re: RegExp, start: number, end: number): void => {
    re.lastIndex = start;
    const src = para.slice(0, end);
    let match: RegExpExecArray | null;
    while ((match = re.exec(src)) !== null) {
      const s = match[0];
      const at = match.index;
      const chars = [...s];
      const widths = chars.map((c) => m.advance(c.codePointAt(0)!) * scale);
      let w = 0;
      for (const cw of widths) w += cw;
      const space = s[0] === ' ' || s[0] === '\t';
      if (w > maxWidth && chars.length > 1 && !space) {
        if (re === UNIT_RE && s.startsWith('（') && s.endsWith('）')) {
          // A bracketed phrase wider than the line: broken like any text, its numbers still whole.
          scan(BASE_RE, at, at + s.length);
          re.lastIndex = at + s.length;
          continue;
        }
        // A word wider than the line is broken between characters rather than overflowing the box.
        let off = at;
        chars.forEach((c, i) => {
          out.push(off, off + c.length, widths[i]!, false, c, c);
          off += c.length;
        });
      } else {
        out.push(at, at + s.length, w, space, chars[0]!, chars[chars.length - 1]!);
      }
    }
  };
  scan(UNIT_RE, from, to);
  return out.done();
}

/**
 * Width at `size` of the widest unbreakable word (an ASCII or full-width run such as 1,792,000):
 * a box narrower than this would have to split it between characters.
 */
export function widestWord(text: string, size: number, m: GlyphMetrics): number {
  // UNIT_RE's words never cross a line break, so the widest word of the text is the widest of its paragraphs'.
  const memo = memoOf(m);
  let widest = 0;
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    widest = Math.max(widest, memo.shape(from === 0 && to === text.length ? text : text.slice(from, to), m).widestRaw);
    from = to + 1;
  }
  return (widest * size) / 1000;
}

/** The words that a line narrower than them breaks between characters (a bracketed phrase breaks at its own units). */
const RUN_RE = /[\x21-\x7E]+|[Ａ-Ｚａ-ｚ０-９]+/gu;
const runMemo = new WeakMap<GlyphMetrics, Map<string, { raw: number; run: string }>>();

/**
 * The widest run of ASCII or full-width letters and digits (a number such as 539,043%192,450) in
 * `text` and its width at `size`: a line narrower than that breaks it between characters.
 */
export function widestRun(text: string, size: number, m: GlyphMetrics): { width: number; run: string } {
  let memo = runMemo.get(m);
  if (!memo) runMemo.set(m, (memo = new Map()));
  let hit = memo.get(text);
  if (!hit) {
    hit = { raw: 0, run: '' };
    for (const match of text.matchAll(RUN_RE)) {
      const s = match[0];
      if (s.length < 2) continue;
      let raw = 0;
      for (const c of s) raw += m.advance(c.codePointAt(0)!);
      if (raw > hit.raw) hit = { raw, run: s };
    }
    if (memo.size >= 20_000) memo.clear();
    memo.set(text, hit);
  }
  return { width: (hit.raw * size) / 1000, run: hit.run };
}

/**
 * Break `text` (paragraphs separated by \n) into lines no wider than `maxWidth` at `size`. The
 * result is shared by every call with the same arguments: read it, never change it.
 */
export function breakLines(text: string, maxWidth: number, size: number, m: GlyphMetrics): readonly BrokenLine[] {
  return memoOf(m).broken(text, maxWidth, size, m);
}

function breakAll(text: string, maxWidth: number, size: number, m: GlyphMetrics): BrokenLine[] {
  const lines: BrokenLine[] = [];
  let paraStart = 0;
  while (paraStart <= text.length) {
    let paraEnd = text.indexOf('\n', paraStart);
    if (paraEnd < 0) paraEnd = text.length;
    breakParagraph(text, paraStart, paraEnd, maxWidth, size, m, lines);
    paraStart = paraEnd + 1;
  }
  return lines;
}

function breakParagraph(
  text: string,
  from: number,
  to: number,
  maxWidth: number,
  size: number,
  m: GlyphMetrics,
  out: BrokenLine[],
): void {
  const { units, base } = unitsOf(text, from, to, maxWidth, size, m);
  const { n, w: uw, flags } = units;
  if (n === 0) {
    out.push({ text: '', start: from, end: to, width: 0 });
    return;
  }
  const eps = 1e-6;
  let i = 0;
  while (i < n) {
    // Leading spaces of a wrapped line are dropped (not of the paragraph's first line: indentation).
    if (out.length > 0 && i > 0) while (i < n && flags[i]! & SPACE) i++;
    if (i >= n) break;
    let j = i;
    let w = 0;
    while (j < n && (j === i || w + uw[j]! <= maxWidth + eps)) {
      w += uw[j]!;
      j++;
    }
    if (j < n) {
      // Break before unit j; pull units back to the next line while the break violates 禁則
      // (bounded, so a run of closing punctuation cannot empty the line).
      let k = j;
      while (k - 1 > i && k > j - 4 && (flags[k]! & BAD_START || flags[k - 1]! & BAD_END)) k--;
      if (flags[k]! & BAD_START || flags[k - 1]! & BAD_END) k = j; // no legal point nearby: keep greedy
      j = k;
    }
    pushLine(text, units, base, i, j, out);
    i = j;
  }
}

function pushLine(text: string, units: Units, base: number, i: number, j: number, out: BrokenLine[]): void {
  const { w: uw, flags } = units;
  let e = j;
  while (e > i + 1 && flags[e - 1]! & SPACE) e--;
  let w = 0;
  for (let k = i; k < e; k++) w += uw[k]!;
  const start = base + units.start[i]!;
  const end = base + units.end[j - 1]!;
  out.push({ text: text.slice(start, base + units.end[e - 1]!), start, end, width: w });
}
