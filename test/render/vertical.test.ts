import { describe, expect, it } from 'vitest';
import { loadFonts } from '../../src/render/fonts.js';

const fonts = loadFonts();

/** Glyph ids and advances (1/1000 em) of a run. */
function shape(run: { glyphs: { id: number; codePoints: number[] }[]; positions: { xAdvance: number }[] }) {
  return run.glyphs.map((g, i) => ({ id: g.id, codePoints: g.codePoints, advance: run.positions[i]!.xAdvance }));
}

describe('vertical forms without fontkit shaping', () => {
  for (const weight of ['regular', 'bold'] as const) {
    it(`gives what fontkit's layout with ['vert'] gives, for every character with a vertical form (${weight})`, () => {
      const face = fonts[weight];
      const scale = 1000 / face.font.unitsPerEm;
      const font = face.font as unknown as { characterSet: number[] };
      // Every code point whose glyph the vert feature replaces, and the labels the sheet writes vertically.
      const probe = new Set<string>([...'検証内容重点施策に関連する事業①②③（）ー「」、。〜']);
      for (const cp of font.characterSet) {
        const ch = String.fromCodePoint(cp);
        const ours = face.verticalRun(ch)!;
        if (ours.glyphs[0]!.id !== face.font.glyphForCodePoint(cp).id) probe.add(ch);
      }
      expect(probe.size).toBeGreaterThan(100);
      for (const ch of probe) {
        const ours = face.verticalRun(ch)!;
        const theirs = face.font.layout(ch, ['vert']) as {
          glyphs: { id: number; codePoints: number[] }[];
          positions: { xAdvance: number }[];
        };
        const scaled = {
          glyphs: theirs.glyphs,
          positions: theirs.positions.map((p) => ({ xAdvance: p.xAdvance * scale })),
        };
        expect(shape(ours), ch).toEqual(shape(scaled));
      }
    });
  }
});
