//! Font loading: BIZ UDPGothic (regular/bold) from its pinned npm package, or the user's TTF/OTF;
//! each file is read and parsed once per process, then shared by layout (metrics) and renderer.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Fontkit from 'fontkit';
import { EXIT, SheetgenError } from '../diagnostics.js';
import type { GlyphMetrics } from '../layout/metrics.js';

const require = createRequire(import.meta.url);

export interface FontFace extends GlyphMetrics {
  /** The file it was read from. */
  readonly path: string;
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

class Face implements FontFace {
  private widths = new Map<number, number>();
  private readonly scale: number;
  readonly postscriptName: string;
  constructor(
    readonly path: string,
    readonly font: Fontkit.Font,
  ) {
    this.scale = 1000 / font.unitsPerEm;
    this.postscriptName = font.postscriptName;
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
