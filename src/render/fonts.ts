//! Font loading: BIZ UDPGothic (regular/bold) from its pinned npm package, or the user's TTF/OTF;
//! each file is read and parsed once per process, then shared by layout (metrics) and renderer.

import { createRequire } from 'node:module';
import type * as Fontkit from 'fontkit';
import { langFromEnv, type Lang } from '../diagnostics.js';
import { readFontFile } from './fontfile.js';
import { tableFor, type FontTable } from './font-table.js';
import fontTables from './font-tables.generated.js';
import type { GlyphMetrics } from '../layout/metrics.js';

const require = createRequire(import.meta.url);

/** What pdfkit reads of a glyph in a run: its id, the code points it stands for (ToUnicode) and its advance (font units). */
export interface RunGlyph {
  readonly id: number;
  readonly codePoints: number[];
  readonly advanceWidth: number;
}

/** pdfkit's glyph run shape: glyphs and positions in 1/1000 em. */
export interface GlyphRun {
  glyphs: RunGlyph[];
  positions: GlyphPosition[];
  advanceWidth: number;
}
export interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

export interface FontFace extends GlyphMetrics {
  /** The file it was read from. */
  readonly path: string;
  /** One glyph per code point at its advance, no shaping: what a Japanese form needs, at a fraction of fontkit's layout cost. */
  run(text: string): GlyphRun;
  /** The glyph `run` gives for one code point (the same object). */
  glyphOf(cp: number): RunGlyph;
  /**
   * One glyph per code point in its vertical form (the font's `vert` single substitutions), as
   * fontkit's layout with ['vert'] gives it for CJK text; undefined when the font's `vert` is not
   * plain single substitutions (the renderer then shapes with fontkit).
   */
  verticalRun(text: string): GlyphRun | undefined;
  /** Runs shaped by fontkit with features (vertical forms), kept across documents by the renderer. */
  readonly shapedCache: Map<string, GlyphRun>;
  /** The parsed fontkit font: registered with each PDF document as is (never by path, see PDFKIT-NOTES pitfall 1). */
  readonly font: Fontkit.Font;
  readonly postscriptName: string;
}

export interface FontSet {
  regular: FontFace;
  bold: FontFace;
}

const cache = new Map<string, FontFace>();

/** The bundled fonts' paths: trusted, not probed (see ./fontfile.ts). */
const BUNDLED = new Set<string>();

function defaultPath(weight: '400Regular/BIZUDPGothic_400Regular.ttf' | '700Bold/BIZUDPGothic_700Bold.ttf'): string {
  const p = require.resolve(`@expo-google-fonts/biz-udpgothic/${weight}`);
  BUNDLED.add(p);
  return p;
}

interface Cached {
  glyph: RunGlyph;
  pos: GlyphPosition;
}

/**
 * fontkit's TrueType subsetter (TTFSubset._addGlyph) decodes every glyph's whole outline on every
 * subset, only to see whether it is composite; glyph objects are cached per font, so remembering
 * the decoded header and components on the glyph makes later documents skip that work (about a
 * fifth of a render). No upstream issue found; fontkit 2.0.4 src/subset/TTFSubset.js.
 */
function memoizeDecode(font: Fontkit.Font): void {
  const glyph = font.getGlyph(0) as unknown as Record<string, unknown> | null;
  const proto = glyph ? (Object.getPrototypeOf(glyph) as Record<string | symbol, unknown>) : null;
  if (!proto || typeof proto._decode !== 'function' || proto[MEMO]) return;
  const orig = proto._decode as (this: Record<string | symbol, unknown>) => unknown;
  proto._decode = function (this: Record<string | symbol, unknown>) {
    // Variable fonts decode per instance: leave them alone.
    if ((this._font as { _variationProcessor?: unknown } | undefined)?._variationProcessor) return orig.call(this);
    if (!(MEMO in this)) this[MEMO] = orig.call(this);
    return this[MEMO];
  };
  proto[MEMO] = true;
}
const MEMO = Symbol('sheetgen.decoded');

/** fontkit's parsed GSUB arrays are plain arrays or its lazily decoded arrays. */
type ArrayLike<T> = T[] | { length: number; get(i: number): T };
const at = <T>(a: ArrayLike<T>, i: number): T | undefined => (Array.isArray(a) ? a[i] : a.get(i));

/** The parts of fontkit's parsed GSUB table that single substitution reads. */
interface Coverage {
  version: number;
  glyphs?: ArrayLike<number>;
  rangeRecords?: ArrayLike<{ start: number; end: number; startCoverageIndex: number }>;
}
interface SingleSubst {
  version: number;
  coverage: Coverage;
  deltaGlyphID?: number;
  substitute?: ArrayLike<number>;
}
interface GsubTable {
  featureList: { tag: string; feature: { lookupListIndexes: number[] } }[];
  lookupList: { get(i: number): { lookupType: number; subTables: SingleSubst[] } | undefined };
}

function coverageIndex(c: Coverage, gid: number): number {
  if (c.version === 1 && c.glyphs) {
    // Glyphs in ascending order.
    let lo = 0;
    let hi = c.glyphs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const g = at(c.glyphs, mid)!;
      if (g === gid) return mid;
      if (g < gid) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  if (c.version === 2 && c.rangeRecords) {
    for (let i = 0; i < c.rangeRecords.length; i++) {
      const r = at(c.rangeRecords, i)!;
      if (gid >= r.start && gid <= r.end) return r.startCoverageIndex + gid - r.start;
    }
  }
  return -1;
}

/**
 * The font's `vert` feature as glyph → vertical glyph, or null when it is anything but single
 * substitutions under one set of lookups for every script. Reading it here spares a cold build
 * fontkit's shaping machinery (its Unicode tables and shaper set-up, ~30 ms) for the few
 * characters of the vertical labels; test/render checks the result against fontkit's layout.
 */
function verticalSubstitution(font: Fontkit.Font): ((gid: number) => number) | null {
  const gsub = (font as unknown as { GSUB?: GsubTable }).GSUB;
  const records = gsub ? gsub.featureList.filter((f) => f.tag === 'vert') : [];
  if (!gsub || records.length === 0) return (gid) => gid;
  const lookups = records[0]!.feature.lookupListIndexes;
  if (records.some((r) => r.feature.lookupListIndexes.join() !== lookups.join())) return null;
  const tables = lookups.map((i) => gsub.lookupList.get(i));
  if (tables.some((t) => t?.lookupType !== 1)) return null;
  return (gid) => {
    for (const t of tables) {
      for (const st of t!.subTables) {
        const ci = coverageIndex(st.coverage, gid);
        if (ci < 0) continue;
        if (st.version === 1) return (gid + (st.deltaGlyphID ?? 0)) & 0xffff;
        return st.substitute ? (at(st.substitute, ci) ?? gid) : gid;
      }
    }
    return gid;
  };
}

class Face implements FontFace {
  private vert: ((gid: number) => number) | null | undefined;
  private widths = new Map<number, number>();
  private glyphs = new Map<number, Cached>();
  readonly shapedCache = new Map<string, GlyphRun>();
  private readonly scale: number;
  readonly postscriptName: string;
  constructor(
    readonly path: string,
    readonly font: Fontkit.Font,
    private readonly table?: FontTable,
  ) {
    this.scale = 1000 / font.unitsPerEm;
    this.postscriptName = font.postscriptName;
  }
  /**
   * fontkit's glyphForCodePoint (getGlyph(cmap(cp), [cp])), the cmap from the precomputed table when
   * there is one. The glyph object is still fontkit's, from its cache (cheap to make: its metrics and
   * outline are read only when asked for), so a glyph keeps the code points of its first lookup as before.
   */
  private glyphFor(cp: number): Fontkit.Glyph {
    return this.table ? this.font.getGlyph(this.table.glyphId(cp), [cp])! : this.font.glyphForCodePoint(cp);
  }
  /** A glyph's advance in 1/1000 em, from the precomputed table when there is one (fontkit's hmtx else). */
  private advanceOf(glyph: Fontkit.Glyph): number {
    return (this.table ? this.table.advance(glyph.id) : glyph.advanceWidth) * this.scale;
  }
  private cached(cp: number): Cached {
    let c = this.glyphs.get(cp);
    if (!c) {
      const found = this.glyphFor(cp);
      // With the precomputed table, pdfkit is handed what it reads of a glyph (id, code points,
      // advance in font units) rather than fontkit's glyph, whose advanceWidth getter decodes the
      // outline to find its bounding box (some 15 ms of a cold build for the seed's glyphs).
      const glyph: RunGlyph = this.table
        ? { id: found.id, codePoints: found.codePoints, advanceWidth: this.table.advance(found.id) }
        : found;
      const a = this.advanceOf(found);
      c = { glyph, pos: { xAdvance: a, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: a } };
      this.glyphs.set(cp, c);
    }
    return c;
  }
  glyphOf(cp: number): RunGlyph {
    return this.cached(cp).glyph;
  }
  run(text: string): GlyphRun {
    const glyphs: RunGlyph[] = [];
    const positions: GlyphPosition[] = [];
    let advanceWidth = 0;
    for (const ch of text) {
      const c = this.cached(ch.codePointAt(0)!);
      glyphs.push(c.glyph);
      // pdfkit copies a position before changing it (word spacing), so one object per glyph can be shared.
      positions.push(c.pos);
      advanceWidth += c.pos.advanceWidth;
    }
    return { glyphs, positions, advanceWidth };
  }
  verticalRun(text: string): GlyphRun | undefined {
    if (this.vert === undefined) this.vert = verticalSubstitution(this.font);
    const vert = this.vert;
    if (!vert) return undefined;
    const glyphs: RunGlyph[] = [];
    const positions: GlyphPosition[] = [];
    let advanceWidth = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const base = this.glyphFor(cp);
      const id = vert(base.id);
      // As fontkit's layout does: a substituted glyph carries the code points it stands for.
      const glyph = id === base.id ? base : this.font.getGlyph(id, [cp])!;
      const a = this.advanceOf(glyph);
      glyphs.push(glyph);
      positions.push({ xAdvance: a, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: a });
      advanceWidth += a;
    }
    return { glyphs, positions, advanceWidth };
  }
  advance(cp: number): number {
    let w = this.widths.get(cp);
    if (w === undefined) {
      w = this.advanceOf(this.glyphFor(cp));
      this.widths.set(cp, w);
    }
    return w;
  }
  has(cp: number): boolean {
    return this.table ? this.table.glyphId(cp) !== 0 : this.font.hasGlyphForCodePoint(cp);
  }
}

/**
 * fontkit decodes a font's whole glyph index (loca: one entry per glyph, ~12,800 in BIZ UDPGothic)
 * value by value through its generic decoder, ~7 ms per face on a cold start, the first time a glyph
 * outline is read. For a font with a precomputed table (a TrueType file known byte for byte) it is
 * read here straight from the bytes into fontkit's own table cache, in the shape fontkit gives it:
 * the offsets in bytes (short offsets doubled) and `_processed` set. test/render/font-table.test.ts
 * checks it against fontkit's.
 */
export function preloadLoca(font: Fontkit.Font, bytes: Uint8Array): void {
  const f = font as unknown as {
    _tables?: Record<string, unknown>;
    directory?: { tables: Record<string, { offset: number; length: number } | undefined> };
    head?: { indexToLocFormat: number };
  };
  const t = f.directory?.tables.loca;
  if (!f._tables || !t || 'loca' in f._tables || t.offset + t.length > bytes.length) return;
  const version = f.head?.indexToLocFormat;
  if (version !== 0 && version !== 1) return;
  const v = new DataView(bytes.buffer, bytes.byteOffset + t.offset, t.length);
  const n = Math.floor(t.length / (version === 0 ? 2 : 4));
  const offsets: number[] = new Array(n);
  for (let i = 0; i < n; i++) offsets[i] = version === 0 ? v.getUint16(i * 2) * 2 : v.getUint32(i * 4);
  f._tables.loca = { version, offsets, _processed: true };
}

/** Reads, checks (./fontfile.ts) and parses a font file, once per path in this process. */
export function loadFace(path: string, lang: Lang = langFromEnv()): FontFace {
  const hit = cache.get(path);
  if (hit) return hit;
  const { font, bytes } = readFontFile(path, lang, BUNDLED.has(path));
  memoizeDecode(font);
  // The bundled fonts' cmap and advances, precomputed (./font-table.ts): no fontkit lookup per character.
  const found = tableFor(bytes, fontTables);
  const table = found && found.unitsPerEm === font.unitsPerEm ? found : undefined;
  if (table) preloadLoca(font, bytes);
  const face = new Face(path, font, table);
  cache.set(path, face);
  return face;
}

/** BIZ UDPGothic 400/700 by default; a user's regular file alone is also used for bold. */
export function loadFonts(opts: { regular?: string; bold?: string; lang?: Lang } = {}): FontSet {
  const regularPath = opts.regular ?? defaultPath('400Regular/BIZUDPGothic_400Regular.ttf');
  const boldPath = opts.bold ?? opts.regular ?? defaultPath('700Bold/BIZUDPGothic_700Bold.ttf');
  return { regular: loadFace(regularPath, opts.lang), bold: loadFace(boldPath, opts.lang) };
}
