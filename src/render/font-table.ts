//! Precomputed cmap and advance widths of the bundled fonts (scripts/gen-font-tables.mjs), used by
//! ./fonts.ts in place of fontkit's lookups when a font file's table directory matches byte for byte.

/** One font's table as the generator writes it: little-endian integers in base64. */
export interface FontTableData {
  /** File size in bytes. */
  size: number;
  /** The sfnt header and table directory (tags, checksums, offsets, lengths), base64. */
  dir: string;
  unitsPerEm: number;
  /** The font's code points, ascending, uint32 each. */
  codePoints: string;
  /** The glyph of each code point (same order), uint16 each; never 0. */
  glyphs: string;
  /** The advance width of every glyph id in font units, uint16 each. */
  advances: string;
}

/** A decoded table: code point → glyph id, glyph id → advance (font units). */
export interface FontTable {
  readonly unitsPerEm: number;
  /** The glyph for a code point, 0 (.notdef) when the font has none: what fontkit's cmap gives. */
  glyphId(cp: number): number;
  /** Advance width of a glyph id in font units. */
  advance(gid: number): number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bytes(b64: string): Uint8Array {
  const b = Buffer.from(b64, 'base64');
  // A copy aligned for the typed-array views (a pooled Buffer may start at any offset).
  return new Uint8Array(b);
}

function decode(d: FontTableData): FontTable {
  const cps = new Uint32Array(bytes(d.codePoints).buffer);
  const gids = new Uint16Array(bytes(d.glyphs).buffer);
  const adv = new Uint16Array(bytes(d.advances).buffer);
  return {
    unitsPerEm: d.unitsPerEm,
    glyphId(cp) {
      let lo = 0;
      let hi = cps.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const c = cps[mid]!;
        if (c === cp) return gids[mid]!;
        if (c < cp) lo = mid + 1;
        else hi = mid - 1;
      }
      return 0;
    },
    advance: (gid) => adv[gid] ?? 0,
  };
}

/** Whether the font file's first bytes are the sfnt header and table directory `dir` (base64). */
function sameDirectory(file: Uint8Array, dir: string): boolean {
  const want = Buffer.from(dir, 'base64');
  if (file.length < want.length) return false;
  for (let i = 0; i < want.length; i++) if (file[i] !== want[i]) return false;
  return true;
}

/**
 * The precomputed table of a font file's bytes, or undefined when none of `tables` was made from a
 * file with this very size and table directory (or on a big-endian machine, which the stored integers
 * are not laid out for).
 */
export function tableFor(file: Uint8Array, tables: readonly FontTableData[]): FontTable | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  const d = tables.find((t) => t.size === file.length && sameDirectory(file, t.dir));
  return d ? decode(d) : undefined;
}
