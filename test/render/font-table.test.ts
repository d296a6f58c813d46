// The bundled fonts' precomputed tables (scripts/gen-font-tables.mjs, src/render/font-table.ts): they
// give what fontkit gives for every code point and glyph, are used only for the very file they were
// made from, and a PDF built through them is byte for byte the PDF built through fontkit.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import { afterAll, describe, expect, it } from 'vitest';
import { layoutSheet } from '../../src/layout/index.js';
import { renderPdf } from '../../src/render/pdf.js';
import { tableFor } from '../../src/render/font-table.js';
import fontTables from '../../src/render/font-tables.generated.js';
import { loadFonts, preloadLoca } from '../../src/render/fonts.js';
import { SEED_META, seedSheet } from './seed-fixture.js';

const require = createRequire(import.meta.url);
const FILES = {
  regular: require.resolve('@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/biz-udpgothic/700Bold/BIZUDPGothic_700Bold.ttf'),
};
const work = mkdtempSync(join(tmpdir(), 'sheetgen-font-table-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const open = (bytes: Uint8Array) => fontkit.create(Buffer.from(bytes)) as fontkit.Font;

/** A copy of a font whose table directory differs (the `meta` table's checksum): fontkit reads it as before. */
function altered(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes);
  const n = (copy[4]! << 8) | copy[5]!;
  for (let i = 0; i < n; i++) {
    const at = 12 + i * 16;
    if (String.fromCharCode(...copy.subarray(at, at + 4)) === 'meta') {
      copy[at + 7] = copy[at + 7]! ^ 0xff;
      return copy;
    }
  }
  throw new Error('no meta table');
}

describe('precomputed font tables', () => {
  for (const [weight, file] of Object.entries(FILES)) {
    const bytes = new Uint8Array(readFileSync(file));

    it(`give fontkit's glyph and advance for every code point of the ${weight} font, and none beyond`, {
      timeout: 120_000,
    }, () => {
      const table = tableFor(bytes, fontTables)!;
      expect(table).toBeDefined();
      const font = open(bytes);
      expect(table.unitsPerEm).toBe(font.unitsPerEm);
      const cps = [...(font as unknown as { characterSet: number[] }).characterSet];
      expect(cps.length).toBeGreaterThan(10_000);
      // Every code point the font maps, and its neighbours and a few it lacks.
      const probe = new Set<number>([0, 0x20, 0xe000, 0xfffd, 0x1f600, 0x10ffff]);
      for (const cp of cps) for (const c of [cp - 1, cp, cp + 1]) if (c >= 0) probe.add(c);
      for (const cp of probe) {
        const glyph = font.glyphForCodePoint(cp);
        expect(table.glyphId(cp), `U+${cp.toString(16)}`).toBe(font.hasGlyphForCodePoint(cp) ? glyph.id : 0);
        expect(table.advance(table.glyphId(cp)), `U+${cp.toString(16)}`).toBe(glyph.advanceWidth);
      }
    });

    it(`read the ${weight} font's glyph index (loca) as fontkit does`, () => {
      const ours = open(bytes);
      preloadLoca(ours, bytes);
      const theirs = open(bytes) as unknown as { loca: { version: number; offsets: number[] } };
      const loca = (ours as unknown as { loca: { version: number; offsets: number[] } }).loca;
      expect(loca.version).toBe(theirs.loca.version);
      expect(loca.offsets).toEqual(theirs.loca.offsets);
    });

    it(`are used only for the ${weight} font's own bytes`, () => {
      expect(tableFor(bytes, fontTables)).toBeDefined();
      expect(tableFor(altered(bytes), fontTables)).toBeUndefined();
      expect(tableFor(bytes.subarray(0, bytes.length - 1), fontTables)).toBeUndefined();
      expect(tableFor(bytes, [])).toBeUndefined();
    });
  }

  it('build the same PDF bytes as fontkit on the seed and on a sheet with rare characters', {
    timeout: 120_000,
  }, async () => {
    // The same fonts with one checksum changed in their directory: no table, fontkit's own lookups.
    const paths = { regular: join(work, 'r.ttf'), bold: join(work, 'b.ttf') };
    writeFileSync(paths.regular, altered(new Uint8Array(readFileSync(FILES.regular))));
    writeFileSync(paths.bold, altered(new Uint8Array(readFileSync(FILES.bold))));
    const viaTable = loadFonts();
    const viaFontkit = loadFonts(paths);
    expect(viaFontkit.regular.font.postscriptName).toBe(viaTable.regular.font.postscriptName);
    const rare = seedSheet({
      situation: '【現状】\n・髙﨑と吉𠮷、⼀と一、ＡＢＣ、半角ｶﾅ、囍、㈱、①〜⑳、\u00a0と空白、🙂',
    });
    for (const g of [seedSheet(), rare]) {
      const a = await renderPdf(layoutSheet(g, viaTable, { lang: 'ja' }).pages, viaTable, SEED_META);
      const b = await renderPdf(layoutSheet(g, viaFontkit, { lang: 'ja' }).pages, viaFontkit, SEED_META);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    }
  });
});
