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

interface Unit {
  start: number;
  end: number;
  w: number;
  space: boolean;
  first: string;
  last: string;
}

// ASCII words and numbers (500,000 / (1) / 10% / https://…) and full-width ones (ＫＰＩ) stay together; spaces are their own units.
// A short bracketed phrase （…） is kept on one line when it fits (the review found "（概 / 数）").
const UNIT_RE = /（[^（）\n]{1,12}）|[\x21-\x7E]+|[Ａ-Ｚａ-ｚ０-９]+|[ \t]+|[\s\S]/gu;

/** The same units without bracketed phrases: how a phrase too wide for the line is broken up. */
const BASE_RE = /[\x21-\x7E]+|[Ａ-Ｚａ-ｚ０-９]+|[ \t]+|[\s\S]/gu;

/**
 * The units of one paragraph at `size` as UNIT_RE finds them, offsets relative to the paragraph,
 * and the widest unit that the line width could split (a word of two or more characters).
 */
interface Scan {
  units: Unit[];
  widestWord: number;
}

/**
 * Memo of scans and broken lines per font: the layout measures the same text at the same size many
 * times (a row's height, then its cell; every size a block tries; the fixed labels of every sheet).
 * Bounded by the characters held, so a long batch's memory stays flat; the values are the same
 * numbers the scan computes each time (same arithmetic in the same order), so output is unchanged.
 */
class Memo {
  private scans = new Map<string, Scan>();
  private lines = new Map<string, BrokenLine[]>();
  private chars = 0;
  private static readonly MAX_CHARS = 2_000_000;
  private room(n: number): void {
    this.chars += n;
    if (this.chars > Memo.MAX_CHARS) {
      this.scans.clear();
      this.lines.clear();
      this.chars = n;
    }
  }
  scan(para: string, size: number, m: GlyphMetrics): Scan {
    const key = `${size}\u0000${para}`;
    let hit = this.scans.get(key);
    if (!hit) {
      hit = scanUnits(para, size, m);
      this.room(para.length);
      this.scans.set(key, hit);
    }
    return hit;
  }
  broken(text: string, maxWidth: number, size: number, m: GlyphMetrics): BrokenLine[] {
    const key = `${size}\u0000${maxWidth}\u0000${text}`;
    let hit = this.lines.get(key);
    if (!hit) {
      hit = breakAll(text, maxWidth, size, m);
      this.room(text.length);
      this.lines.set(key, hit);
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

function scanUnits(para: string, size: number, m: GlyphMetrics): Scan {
  const units: Unit[] = [];
  const scale = size / 1000;
  let widest = 0;
  const re = UNIT_RE;
  re.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(para)) !== null) {
    const s = match[0];
    const at = match.index;
    let w = 0;
    let first: string;
    let last: string;
    if (s.length === 1) {
      w += m.advance(s.charCodeAt(0)) * scale;
      first = last = s;
      units.push({ start: at, end: at + 1, w, space: s === ' ' || s === '\t', first, last });
      continue;
    }
    let n = 0;
    first = '';
    last = '';
    for (const c of s) {
      w += m.advance(c.codePointAt(0)!) * scale;
      if (n === 0) first = c;
      last = c;
      n++;
    }
    const space = s[0] === ' ' || s[0] === '\t';
    if (n > 1 && !space && w > widest) widest = w;
    units.push({ start: at, end: at + s.length, w, space, first, last });
  }
  return { units, widestWord: widest };
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
): { units: Unit[]; base: number } {
  const scan = memoOf(m).scan(from === 0 && to === text.length ? text : text.slice(from, to), size, m);
  if (scan.widestWord <= maxWidth) return { units: scan.units, base: from };
  return { units: splitUnits(text, from, to, maxWidth, size, m), base: 0 };
}

/** The units of text[from, to) with words wider than the line broken up (absolute offsets). */
function splitUnits(text: string, from: number, to: number, maxWidth: number, size: number, m: GlyphMetrics): Unit[] {
  const out: Unit[] = [];
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
          out.push({ start: off, end: off + c.length, w: widths[i]!, space: false, first: c, last: c });
          off += c.length;
        });
      } else {
        out.push({ start: at, end: at + s.length, w, space, first: chars[0]!, last: chars[chars.length - 1]! });
      }
    }
  };
  scan(UNIT_RE, from, to);
  return out;
}

/**
 * Width at `size` of the widest unbreakable word (an ASCII or full-width run such as 1,792,000):
 * a box narrower than this would have to split it between characters.
 */
export function widestWord(text: string, size: number, m: GlyphMetrics): number {
  let widest = 0;
  for (const match of text.matchAll(UNIT_RE)) {
    const s = match[0];
    if (s.length < 2 || s[0] === ' ' || s[0] === '\t') continue;
    let w = 0;
    for (const c of s) w += m.advance(c.codePointAt(0)!);
    widest = Math.max(widest, w);
  }
  return (widest * size) / 1000;
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
  if (units.length === 0) {
    out.push({ text: '', start: from, end: to, width: 0 });
    return;
  }
  const eps = 1e-6;
  let i = 0;
  while (i < units.length) {
    // Leading spaces of a wrapped line are dropped (not of the paragraph's first line: indentation).
    if (out.length > 0 && i > 0) while (i < units.length && units[i]!.space) i++;
    if (i >= units.length) break;
    let j = i;
    let w = 0;
    while (j < units.length && (j === i || w + units[j]!.w <= maxWidth + eps)) {
      w += units[j]!.w;
      j++;
    }
    if (j < units.length) {
      // Break before units[j]; pull units back to the next line while the break violates 禁則
      // (bounded, so a run of closing punctuation cannot empty the line).
      let k = j;
      while (k - 1 > i && k > j - 4 && (NO_START.has(units[k]!.first) || NO_END.has(units[k - 1]!.last))) k--;
      if (NO_START.has(units[k]!.first) || NO_END.has(units[k - 1]!.last)) k = j; // no legal point nearby: keep greedy
      j = k;
    }
    pushLine(text, units, base, i, j, out);
    i = j;
  }
}

function pushLine(text: string, units: Unit[], base: number, i: number, j: number, out: BrokenLine[]): void {
  let e = j;
  while (e > i + 1 && units[e - 1]!.space) e--;
  let w = 0;
  for (let k = i; k < e; k++) w += units[k]!.w;
  const start = base + units[i]!.start;
  const end = base + units[j - 1]!.end;
  out.push({ text: text.slice(start, base + units[e - 1]!.end), start, end, width: w });
}
