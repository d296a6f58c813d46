//! Checking a font file before any use: only an ordinary file of at most MAX_FONT_BYTES, an sfnt
//! (TrueType/OpenType, or the first face of a collection) whose table directory, required tables,
//! glyph index (loca) and sample outlines hold together. A damaged font is refused (exit 2) with
//! what is wrong, instead of crashing the layout or the PDF writer later.

import * as fontkit from 'fontkit';
import type * as Fontkit from 'fontkit';
import { EXIT, SheetgenError, type Lang } from '../diagnostics.js';
import { readRegularFileSync } from '../fs-errors.js';
import { t } from '../messages.js';

/** Largest font file read: a full CJK OpenType font is 10–20 MB, a large collection about 40 MB. */
export const MAX_FONT_BYTES = 64 * 1024 * 1024;

/** The tables every font sheetgen can lay out and embed needs (OpenType spec, "Required tables"). */
const REQUIRED = ['cmap', 'head', 'hhea', 'hmtx', 'maxp'];

class Damaged extends Error {}

const fail = (detail: string): never => {
  throw new Damaged(detail);
};

interface Table {
  offset: number;
  length: number;
}

/** Checks one sfnt starting at `base`; returns its tables. Throws Damaged. */
function checkSfnt(b: Uint8Array, base: number): Map<string, Table> {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (base + 12 > b.length) fail('truncated: no table directory');
  const version = v.getUint32(base);
  if (version !== 0x00010000 && version !== 0x74727565 /* true */ && version !== 0x4f54544f /* OTTO */)
    fail('not an sfnt font (unknown signature)');
  const numTables = v.getUint16(base + 4);
  if (numTables === 0 || numTables > 200) fail(`implausible table count ${numTables}`);
  if (base + 12 + numTables * 16 > b.length) fail('truncated: the table directory runs past the end of the file');
  const tables = new Map<string, Table>();
  for (let i = 0; i < numTables; i++) {
    const at = base + 12 + i * 16;
    const tagBytes = b.subarray(at, at + 4);
    if (tagBytes.some((c) => c < 0x20 || c > 0x7e)) fail(`table ${i} has an unreadable tag`);
    const tag = String.fromCharCode(...tagBytes);
    const offset = v.getUint32(at + 8);
    const length = v.getUint32(at + 12);
    if (offset + length > b.length) fail(`table ${tag.trim()} runs past the end of the file (truncated?)`);
    if (tables.has(tag)) fail(`table ${tag.trim()} appears twice`);
    tables.set(tag, { offset, length });
  }
  for (const r of REQUIRED) if (!tables.has(r)) fail(`the required table ${r} is missing`);
  const hasGlyf = tables.has('glyf') && tables.has('loca');
  if (!hasGlyf && !tables.has('CFF ') && !tables.has('CFF2')) fail('no glyph outlines (neither glyf/loca nor CFF)');

  const head = tables.get('head')!;
  if (head.length < 54) fail('the head table is too short');
  if (v.getUint32(head.offset + 12) !== 0x5f0f3cf5) fail('the head table is damaged (wrong magic number)');
  const unitsPerEm = v.getUint16(head.offset + 18);
  if (unitsPerEm < 16 || unitsPerEm > 16384) fail(`implausible unitsPerEm ${unitsPerEm}`);
  const locFormat = v.getInt16(head.offset + 50);

  const maxp = tables.get('maxp')!;
  if (maxp.length < 6) fail('the maxp table is too short');
  const numGlyphs = v.getUint16(maxp.offset + 4);
  if (numGlyphs === 0) fail('the font has no glyphs');

  const hhea = tables.get('hhea')!;
  if (hhea.length < 36) fail('the hhea table is too short');
  const hMetrics = v.getUint16(hhea.offset + 34);
  if (hMetrics === 0 || hMetrics > numGlyphs) fail(`implausible number of horizontal metrics ${hMetrics}`);
  const hmtx = tables.get('hmtx')!;
  if (hmtx.length < hMetrics * 4 + (numGlyphs - hMetrics) * 2)
    fail('the hmtx table is shorter than the glyph count needs');

  if (hasGlyf) {
    if (locFormat !== 0 && locFormat !== 1) fail(`unknown glyph index format ${locFormat}`);
    const loca = tables.get('loca')!;
    const glyf = tables.get('glyf')!;
    const size = locFormat === 0 ? 2 : 4;
    if (loca.length < (numGlyphs + 1) * size) fail('the glyph index (loca) is shorter than the glyph count needs');
    let prev = 0;
    for (let g = 0; g <= numGlyphs; g++) {
      const o = locFormat === 0 ? v.getUint16(loca.offset + g * 2) * 2 : v.getUint32(loca.offset + g * 4);
      if (o < prev || o > glyf.length) fail(`the glyph index (loca) is damaged at glyph ${g}`);
      prev = o;
    }
  }
  return tables;
}

/** The code points a sheet nearly always prints: their glyphs are decoded as a sample of the outlines. */
const SAMPLE = [...' 0123456789ABCabc,.-()%▲○◎△×年度月日令和平成計画目標実績施策事業の達成状況'].map(
  (c) => c.codePointAt(0)!,
);

/** Parses with fontkit and decodes sample glyphs (metrics and outlines); throws Damaged. */
function probe(bytes: Uint8Array): Fontkit.Font {
  let parsed: Fontkit.Font | Fontkit.FontCollection;
  try {
    parsed = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    return fail(`the font cannot be parsed: ${e instanceof Error ? e.message.slice(0, 80) : 'unknown error'}`);
  }
  const font = 'fonts' in parsed ? parsed.fonts[0] : parsed;
  if (!font || typeof font.glyphForCodePoint !== 'function') return fail('the collection holds no usable font');
  try {
    if (!(font.unitsPerEm > 0)) fail('no units per em');
    void font.postscriptName;
    const n = (font as unknown as { numGlyphs: number }).numGlyphs;
    if (!(n > 0)) fail('the font has no glyphs');
    const ids = new Set<number>([0]);
    for (const cp of SAMPLE) if (font.hasGlyphForCodePoint(cp)) ids.add(font.glyphForCodePoint(cp).id);
    // And a spread of the whole glyph set, so that damage anywhere is likely met here rather than in a PDF.
    const step = Math.max(1, Math.floor(n / 128));
    for (let g = 0; g < n; g += step) ids.add(g);
    for (const id of ids) {
      const glyph = font.getGlyph(id);
      if (!glyph) fail(`glyph ${id} cannot be read`);
      if (!Number.isFinite(glyph!.advanceWidth)) fail(`glyph ${id} has no width`);
      const path = (
        glyph as unknown as {
          path: { bbox: { minX: number; minY: number; maxX: number; maxY: number }; toSVG(): string };
        }
      ).path;
      const bbox = path.bbox;
      if (![bbox.minX, bbox.minY, bbox.maxX, bbox.maxY].every((x) => Number.isFinite(x) || Math.abs(x) === Infinity))
        fail(`glyph ${id} has a broken outline`);
      void path.toSVG();
    }
  } catch (e) {
    if (e instanceof Damaged) throw e;
    fail(`a glyph outline is broken (${e instanceof Error ? e.message.slice(0, 80) : 'unknown error'})`);
  }
  // A fresh instance for use: fontkit caches glyphs by id with the code points of their first lookup,
  // and the probe's lookups by id (no code points) would leave the PDF's text unextractable (ToUnicode).
  const fresh = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return 'fonts' in fresh ? fresh.fonts[0]! : fresh;
}

/** What is wrong with the bytes of a font, or undefined when they can be used. */
export function fontProblem(bytes: Uint8Array): { web?: string; detail?: string; font?: Fontkit.Font } {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic === 'wOFF' || magic === 'wOF2') return { web: magic === 'wOFF' ? 'WOFF' : 'WOFF2' };
  try {
    if (magic === 'ttcf') {
      if (bytes.length < 16) fail('truncated collection header');
      const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const count = v.getUint32(8);
      if (count === 0 || count > 1000 || 12 + count * 4 > bytes.length)
        fail(`implausible collection of ${count} fonts`);
      const first = v.getUint32(12);
      checkSfnt(bytes, first);
    } else {
      checkSfnt(bytes, 0);
    }
    return { font: probe(bytes) };
  } catch (e) {
    if (e instanceof Damaged) return { detail: e.message };
    if (e instanceof RangeError) return { detail: 'truncated or damaged tables' };
    throw e;
  }
}

/** Reads a font file, checks it (see fontProblem) and returns it parsed; throws SheetgenError (exit 2) naming the file and the damage. */
export function openFontFile(path: string, lang: Lang, trusted = false): Fontkit.Font {
  return readFontFile(path, lang, trusted).font;
}

/** openFontFile, with the file's bytes as read. */
export function readFontFile(path: string, lang: Lang, trusted = false): { font: Fontkit.Font; bytes: Uint8Array } {
  const bytes = readRegularFileSync(path, MAX_FONT_BYTES, lang);
  if (trusted) {
    // The bundled fonts (pinned npm package, checked by the tests): parsed without the probe's cost.
    const f = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { font: 'fonts' in f ? f.fonts[0]! : f, bytes };
  }
  if (bytes.length > MAX_FONT_BYTES)
    throw new SheetgenError(t(lang, 'fontTooLarge', { file: path, size: `${MAX_FONT_BYTES}+`, max: MAX_FONT_BYTES }), {
      exitCode: EXIT.usage,
    });
  const problem = fontProblem(bytes);
  if (problem?.web)
    throw new SheetgenError(t(lang, 'fontWeb', { file: path, kind: problem.web }), { exitCode: EXIT.usage });
  if (!problem.font)
    throw new SheetgenError(t(lang, 'fontDamaged', { file: path, detail: problem.detail ?? '' }), {
      exitCode: EXIT.usage,
    });
  return { font: problem.font, bytes };
}
