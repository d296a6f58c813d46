//! Font loading: BIZ UDPGothic (regular/bold) from its pinned npm package, or the user's TTF/OTF;
//! each file is read and parsed once per process, then shared by layout (metrics) and renderer.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Fontkit from 'fontkit';
import { EXIT, SheetgenError } from '../diagnostics.js';
import type { GlyphMetrics } from '../layout/metrics.js';

const require = createRequire(import.meta.url);

/** pdfkit's glyph run shape: glyphs and positions in 1/1000 em. */
export interface GlyphRun {
  glyphs: Fontkit.Glyph[];
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

/** fontkit is loaded on first use with require, the same CommonJS instance pdfkit's CommonJS build uses, so it is loaded once and only by commands that draw. */
function fontkit(): typeof Fontkit {
  return require('fontkit') as typeof Fontkit;
}

function defaultPath(weight: '400Regular/BIZUDPGothic_400Regular.ttf' | '700Bold/BIZUDPGothic_700Bold.ttf'): string {
  return require.resolve(`@expo-google-fonts/biz-udpgothic/${weight}`);
}

interface Cached {
  glyph: Fontkit.Glyph;
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

class Face implements FontFace {
  private widths = new Map<number, number>();
  private glyphs = new Map<number, Cached>();
  readonly shapedCache = new Map<string, GlyphRun>();
  private readonly scale: number;
  readonly postscriptName: string;
  constructor(
    readonly path: string,
    readonly font: Fontkit.Font,
  ) {
    this.scale = 1000 / font.unitsPerEm;
    this.postscriptName = font.postscriptName;
  }
  private cached(cp: number): Cached {
    let c = this.glyphs.get(cp);
    if (!c) {
      const glyph = this.font.glyphForCodePoint(cp);
      const a = glyph.advanceWidth * this.scale;
      c = { glyph, pos: { xAdvance: a, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: a } };
      this.glyphs.set(cp, c);
    }
    return c;
  }
  run(text: string): GlyphRun {
    const glyphs: Fontkit.Glyph[] = [];
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
  advance(cp: number): number {
    let w = this.widths.get(cp);
    if (w === undefined) {
      w = this.font.glyphForCodePoint(cp).advanceWidth * this.scale;
      this.widths.set(cp, w);
    }
    return w;
  }
  has(cp: number): boolean {
    return this.font.hasGlyphForCodePoint(cp);
  }
}

/** Reads and parses a font file, once per path in this process. */
export function loadFace(path: string): FontFace {
  const hit = cache.get(path);
  if (hit) return hit;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SheetgenError(`font file cannot be read: ${path}${code ? ` (${code})` : ''}`, { exitCode: EXIT.usage });
  }
  let parsed: Fontkit.Font | Fontkit.FontCollection;
  try {
    parsed = fontkit().create(bytes);
  } catch {
    throw new SheetgenError(`not a TrueType/OpenType font: ${path}`, { exitCode: EXIT.usage });
  }
  // A collection (.ttc) contributes its first face.
  const font = 'fonts' in parsed ? parsed.fonts[0] : parsed;
  if (!font || typeof font.glyphForCodePoint !== 'function') {
    throw new SheetgenError(`not a usable font: ${path}`, { exitCode: EXIT.usage });
  }
  memoizeDecode(font);
  const face = new Face(path, font);
  cache.set(path, face);
  return face;
}

/** BIZ UDPGothic 400/700 by default; a user's regular file alone is also used for bold. */
export function loadFonts(opts: { regular?: string; bold?: string } = {}): FontSet {
  const regularPath = opts.regular ?? defaultPath('400Regular/BIZUDPGothic_400Regular.ttf');
  const boldPath = opts.bold ?? (opts.regular ?? defaultPath('700Bold/BIZUDPGothic_700Bold.ttf'));
  return { regular: loadFace(regularPath), bold: loadFace(boldPath) };
}
