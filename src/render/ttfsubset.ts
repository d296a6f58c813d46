//! A fast writer for fontkit's TrueType subsets, laid out as fontkit 2.0.4's TTFSubset.encode lays
//! them out (src/subset/TTFSubset.js: head, hhea, loca, maxp, glyf, hmtx; zero checksums) but
//! without the hinting: the glyphs' TrueType instructions and the fpgm, prep and cvt tables they run
//! are left out. A PDF is printed or viewed zoomed, where viewers draw outlines unhinted; the
//! instructions were a quarter of every embedded font's bytes. The outlines, advance widths and
//! side bearings are the font's own (test/render/ttfsubset.test.ts reads every glyph back).
//! fontkit encodes every table with restructure's generic encoder, value by value (and its first
//! subset of a face cost some 40 ms at start-up); here head, hhea and maxp are copied from the font
//! file with the fields a subset changes set, and only loca, glyf and hmtx are written.

interface GlyphInternals {
  advanceWidth: number;
  _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null;
  _getMetrics(): { leftBearing: number };
}
interface FontInternals {
  getGlyph(id: number): GlyphInternals;
  loca: { offsets: number[]; version: number };
  _getTableStream(tag: string): { pos: number; readBuffer(n: number): Uint8Array };
  directory: { tables: Record<string, { offset: number; length: number } | undefined> };
  _variationProcessor?: unknown;
  createSubset(): SubsetInternals;
}
export interface SubsetInternals {
  glyphs: number[];
  includeGlyph(gid: number): number;
  encode(): Uint8Array;
  cff?: unknown;
  font: unknown;
}

/** The tables written, in fontkit's order (its subsets also carry cvt, prep and fpgm between them). */
const TAGS = ['head', 'hhea', 'loca', 'maxp', 'glyf', 'hmtx'] as const;

interface Template {
  /** The font's own head, hhea and maxp tables, by tag; the fields a subset changes are set per subset. */
  tables: Map<string, Uint8Array>;
  locaVersion: number;
  /** The font's whole glyf table. */
  glyf: Uint8Array;
  /** The font's hmtx table and hhea's numberOfHMetrics: advances and left side bearings read in place. */
  hmtx: DataView;
  hMetrics: number;
  /** Glyph data without instructions and a composite's components, by glyph id, as met (bounded by the font's own glyf table). */
  unhinted: Map<number, { bytes: Uint8Array; components: { glyphID: number; pos: number }[] | undefined }>;
}

const templates = new WeakMap<object, Template | null>();

/** Minimum lengths: head to indexToLocFormat, hhea to numberOfHMetrics, maxp to numGlyphs. */
const MIN_LENGTH: Record<string, number> = { head: 54, hhea: 36, maxp: 6 };

/**
 * The tables a subset copies, read from the font file as they are (fontkit's subset writes them
 * back unchanged but for the fields set here per subset), or null for a font this writer does not
 * know: the caller then uses fontkit.
 */
function template(font: FontInternals): Template | null {
  let t = templates.get(font);
  if (t !== undefined) return t;
  t = null;
  try {
    const tables = new Map<string, Uint8Array>();
    for (const tag of ['head', 'hhea', 'maxp']) {
      const entry = font.directory.tables[tag];
      if (!entry || entry.length < MIN_LENGTH[tag]!) throw new Error(`no usable ${tag}`);
      const b = font._getTableStream(tag).readBuffer(entry.length);
      tables.set(tag, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    }
    const offsets = font.loca.offsets;
    const whole = font._getTableStream('glyf').readBuffer(offsets[offsets.length - 1]!);
    const hmtxEntry = font.directory.tables.hmtx;
    const hMetrics = new DataView(tables.get('hhea')!.buffer, tables.get('hhea')!.byteOffset).getUint16(34);
    if (!hmtxEntry || hMetrics === 0 || hmtxEntry.length < hMetrics * 4 + (font.loca.offsets.length - 1 - hMetrics) * 2)
      throw new Error('no usable hmtx');
    const hmtx = font._getTableStream('hmtx').readBuffer(hmtxEntry.length);
    const head = new Uint8Array(tables.get('head')!);
    new DataView(head.buffer).setInt16(50, font.loca.version); // indexToLocFormat, as loca is written
    tables.set('head', head);
    t = {
      tables,
      locaVersion: font.loca.version,
      glyf: new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength),
      hmtx: new DataView(hmtx.buffer, hmtx.byteOffset, hmtx.byteLength),
      hMetrics,
      unhinted: new Map(),
    };
  } catch {
    t = null;
  }
  templates.set(font, t);
  return t;
}

/**
 * The subset's font program, as fontkit's encode() would write it, or undefined when this writer
 * does not apply (CFF, variable fonts, tables it does not know): the caller then uses fontkit.
 */
export function encodeTrueTypeSubset(subset: SubsetInternals): Uint8Array | undefined {
  const font = subset.font as FontInternals;
  if (subset.cff != null || font._variationProcessor) return undefined;
  const t = template(font);
  if (!t) return undefined;
  const offsets = font.loca.offsets;

  const pieces: Uint8Array[] = [];
  const locaOffsets: number[] = [];
  const metrics: number[] = [];
  let offset = 0;
  for (let i = 0; i < subset.glyphs.length; i++) {
    const gid = subset.glyphs[i]!;
    let known = t.unhinted.get(gid);
    if (known === undefined) {
      const decoded = font.getGlyph(gid)._decode();
      const components = decoded && decoded.numberOfContours < 0 ? decoded.components! : undefined;
      known = { bytes: unhinted(t.glyf.subarray(offsets[gid]!, offsets[gid + 1]!), decoded), components };
      t.unhinted.set(gid, known);
    }
    let buffer = known.bytes;
    if (known.components) {
      buffer = new Uint8Array(buffer); // a copy: the cached bytes stay as the font has them
      const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      for (const c of known.components) view.setUint16(c.pos, subset.includeGlyph(c.glyphID));
    }
    pieces.push(buffer);
    locaOffsets.push(offset);
    metrics.push(...horizontalMetrics(t, gid));
    offset += buffer.length;
  }
  locaOffsets.push(offset);
  const count = pieces.length;

  const short = t.locaVersion === 0;
  const loca = new Uint8Array(locaOffsets.length * (short ? 2 : 4));
  const lv = new DataView(loca.buffer);
  locaOffsets.forEach((o, i) => (short ? lv.setUint16(i * 2, o >>> 1) : lv.setUint32(i * 4, o)));
  const hmtx = new Uint8Array(count * 4);
  const hv = new DataView(hmtx.buffer);
  for (let i = 0; i < count; i++) {
    hv.setUint16(i * 4, metrics[i * 2]!);
    hv.setInt16(i * 4 + 2, metrics[i * 2 + 1]!);
  }
  const hhea = new Uint8Array(t.tables.get('hhea')!);
  new DataView(hhea.buffer).setUint16(34, count);
  const maxp = new Uint8Array(t.tables.get('maxp')!);
  const mv = new DataView(maxp.buffer);
  mv.setUint16(4, count);
  // maxp 1.0 (TrueType outlines): no function or instruction definitions, no instructions left.
  if (maxp.length >= 32) for (const at of [18, 20, 22, 24, 26]) mv.setUint16(at, 0);

  const glyfTable: Uint8Array[] = pieces;
  const tables: [string, Uint8Array[] | Uint8Array, number][] = [];
  for (const tag of TAGS) {
    if (tag === 'glyf') tables.push([tag, glyfTable, offset]);
    else {
      const b =
        tag === 'loca'
          ? loca
          : tag === 'hmtx'
            ? hmtx
            : tag === 'hhea'
              ? hhea
              : tag === 'maxp'
                ? maxp
                : t.tables.get(tag);
      if (b) tables.push([tag, b, b.length]);
    }
  }
  const n = tables.length;
  const head = 12 + 16 * n;
  const total = tables.reduce((s, [, , len]) => s + len, head);
  const out = new Uint8Array(total);
  const ov = new DataView(out.buffer);
  out.set([0x74, 0x72, 0x75, 0x65]); // 'true'
  ov.setUint16(4, n);
  const e = Math.floor(Math.log(n) / Math.LN2);
  const range = 2 ** e * 16;
  ov.setUint16(6, range);
  ov.setUint16(8, e);
  ov.setUint16(10, n * 16 - range);
  let at = head;
  tables.forEach(([tag, data, len], i) => {
    const d = 12 + i * 16;
    for (let k = 0; k < 4; k++) out[d + k] = tag.charCodeAt(k);
    ov.setUint32(d + 4, 0);
    ov.setUint32(d + 8, at);
    ov.setUint32(d + 12, len);
    if (Array.isArray(data)) for (const p of data) out.set(p, at), (at += p.length);
    else out.set(data, at), (at += data.length);
  });
  return out;
}

/** Composite glyph flags (OpenType glyf): argument and transform sizes, more components, instructions. */
const ARG_WORDS = 0x0001;
const HAS_SCALE = 0x0008;
const MORE = 0x0020;
const XY_SCALE = 0x0040;
const TWO_BY_TWO = 0x0080;
const INSTRUCTIONS = 0x0100;

/**
 * A glyph's data without its instructions, padded to an even length (a short loca stores offsets
 * halved). The same bytes when there are none; a glyph it cannot read is kept as it is.
 */
function unhinted(glyph: Uint8Array, decoded: { numberOfContours: number } | null): Uint8Array {
  if (!decoded || glyph.length < 12) return glyph;
  const view = new DataView(glyph.buffer, glyph.byteOffset, glyph.byteLength);
  const contours = view.getInt16(0);
  if (contours >= 0) {
    // Simple glyph: header (10), end points (2 × contours), instruction length (2), instructions, flags and coordinates.
    const at = 10 + 2 * contours;
    if (at + 2 > glyph.length) return glyph;
    const n = view.getUint16(at);
    if (n === 0 || at + 2 + n > glyph.length) return glyph;
    const rest = glyph.length - (at + 2 + n);
    const out = new Uint8Array(at + 2 + rest + ((at + 2 + rest) % 2));
    out.set(glyph.subarray(0, at + 2), 0);
    out[at] = 0;
    out[at + 1] = 0;
    out.set(glyph.subarray(at + 2 + n), at + 2);
    return out;
  }
  // Composite glyph: components, then (if any component says so) instruction length and instructions.
  let at = 10;
  const flagsAt: number[] = [];
  let flags = MORE;
  while (flags & MORE) {
    if (at + 4 > glyph.length) return glyph;
    flags = view.getUint16(at);
    flagsAt.push(at);
    at += 4 + (flags & ARG_WORDS ? 4 : 2);
    at += flags & HAS_SCALE ? 2 : flags & XY_SCALE ? 4 : flags & TWO_BY_TWO ? 8 : 0;
  }
  if (at > glyph.length || !flagsAt.some((f) => view.getUint16(f) & INSTRUCTIONS)) return glyph;
  const out = new Uint8Array(at + (at % 2));
  out.set(glyph.subarray(0, at), 0);
  const ov = new DataView(out.buffer);
  for (const f of flagsAt) ov.setUint16(f, ov.getUint16(f) & ~INSTRUCTIONS);
  return out;
}

/**
 * A glyph's advance width and left side bearing from hmtx (OpenType: the first numberOfHMetrics
 * glyphs have both, the rest share the last advance and have a bearing each), as fontkit's
 * glyph.advanceWidth and _getMetrics().leftBearing give them for a font without variations,
 * without fontkit decoding the whole table on first use.
 */
function horizontalMetrics(t: Template, gid: number): [number, number] {
  const n = t.hMetrics;
  if (gid < n) return [t.hmtx.getUint16(gid * 4), t.hmtx.getInt16(gid * 4 + 2)];
  return [t.hmtx.getUint16((n - 1) * 4), t.hmtx.getInt16(n * 4 + (gid - n) * 2)];
}
