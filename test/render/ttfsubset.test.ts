import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { loadFonts } from '../../src/render/fonts.js';
import { encodeTrueTypeSubset, type SubsetInternals } from '../../src/render/ttfsubset.js';

// The subset writer leaves the hinting out (glyph instructions, fpgm, prep, cvt) and must keep
// everything a viewer draws: each glyph's outline, advance width and left side bearing, and the
// components of composite glyphs pointing at the right new glyphs. Read back with fontkit.

interface GlyphBack {
  advanceWidth: number;
  path: { commands: { command: string; args: number[] }[] };
  _getMetrics(): { leftBearing: number };
}
interface FontBack {
  numGlyphs: number;
  directory: { tables: Record<string, unknown> };
  getGlyph(id: number): GlyphBack;
  createSubset(): SubsetInternals;
}

/** A small deterministic generator (xorshift32): the same glyph lists on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const fonts = loadFonts();

/** The bytes of TrueType instructions in a font's simple and composite glyphs, read from its glyf table. */
function instructionBytes(bytes: Uint8Array): number {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, [number, number]>();
  for (let i = 0; i < v.getUint16(4); i++) {
    const at = 12 + i * 16;
    tables.set(String.fromCharCode(...bytes.subarray(at, at + 4)), [v.getUint32(at + 8), v.getUint32(at + 12)]);
  }
  const [head] = tables.get('head')!;
  const [loca, locaLength] = tables.get('loca')!;
  const [glyf] = tables.get('glyf')!;
  const long = v.getInt16(head + 50) === 1;
  const count = locaLength / (long ? 4 : 2) - 1;
  const offset = (i: number) => (long ? v.getUint32(loca + i * 4) : v.getUint16(loca + i * 2) * 2);
  let total = 0;
  for (let g = 0; g < count; g++) {
    const start = glyf + offset(g);
    if (offset(g + 1) <= offset(g)) continue;
    const contours = v.getInt16(start);
    if (contours >= 0) total += v.getUint16(start + 10 + 2 * contours);
    else {
      let at = start + 10;
      let flags = 0x20;
      let instructions = false;
      while (flags & 0x20) {
        flags = v.getUint16(at);
        instructions ||= (flags & 0x100) !== 0;
        at += 4 + (flags & 1 ? 4 : 2) + (flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
      }
      if (instructions) total += v.getUint16(at);
    }
  }
  return total;
}

describe.each([
  ['regular', fonts.regular.font, fonts.regular.path],
  ['bold', fonts.bold.font, fonts.bold.path],
])('the %s face, subset without hinting', (_name, face, path) => {
  const font = face as unknown as FontBack;

  it('has hinting in the source, so that leaving it out is tested', () => {
    expect(font.directory.tables.fpgm).toBeDefined();
    expect(instructionBytes(readFileSync(path))).toBeGreaterThan(100_000);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('random subset %i reads back with the same outlines and metrics', (seed) => {
    const rand = rng(seed * 7919);
    const subset = font.createSubset();
    const ids = [0];
    const count = 1 + Math.floor(rand() * 300);
    for (let i = 0; i < count; i++) ids.push(Math.floor(rand() * font.numGlyphs));
    // includeGlyph gives each original glyph its new id, in first-come order, as pdfkit calls it.
    const newId = new Map<number, number>();
    for (const id of ids) newId.set(id, subset.includeGlyph(id));
    const bytes = encodeTrueTypeSubset(subset);
    expect(bytes).toBeDefined();
    const back = fontkit.create(bytes!) as unknown as FontBack;
    for (const tag of ['fpgm', 'prep', 'cvt ']) expect(back.directory.tables[tag]).toBeUndefined();
    expect(back.numGlyphs).toBe(subset.glyphs.length);
    for (const [id, n] of newId) {
      const a = font.getGlyph(id);
      const b = back.getGlyph(n);
      expect(b.advanceWidth, `glyph ${id}`).toBe(a.advanceWidth);
      expect(b._getMetrics().leftBearing, `glyph ${id}`).toBe(a._getMetrics().leftBearing);
      // The outline: composite glyphs are resolved through their (renumbered) components.
      expect(b.path.commands, `glyph ${id}`).toEqual(a.path.commands);
    }
    expect(instructionBytes(bytes!)).toBe(0);
  });

  it('gives the same bytes for the same glyph list', () => {
    const make = () => {
      const s = font.createSubset();
      for (const id of [0, 5, 17, 400, 1234]) s.includeGlyph(id);
      return encodeTrueTypeSubset(s)!;
    };
    expect(Buffer.from(make()).equals(Buffer.from(make()))).toBe(true);
  });
});
