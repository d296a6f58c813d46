// The no-loss invariants on the stress sheets of issue 8 §3 (scripts/gen-sheets.mjs stressSheets):
// long prose, 15 projects with long names, a 10-year plan, 60 opinions, extreme numbers, many KPIs,
// and a sheet without prose; both levels (the PDF line by line: glyph by glyph is 50 times slower).

import { describe, expect, it } from 'vitest';
import { loadFonts } from '../../src/render/fonts.js';
import { stressSheets } from '../../scripts/gen-sheets.mjs';
import { buildSheet, checkSheet, countByKind, formatViolations, gradeText, type Violation } from '../helpers/invariants.js';

const fonts = loadFonts();

// layout issue 8: enabled when form-layout lands. Every stress sheet breaks an invariant on today's
// layout (numbers split across lines, 5.5 pt 別紙 notes, opinions drawn below page 1, 0.0000001 printed as 0).
const LAYOUT_READY = true;
const test = LAYOUT_READY ? it : it.fails;

const report = (v: Violation[]) => `${v.length} violations ${JSON.stringify(countByKind(v))}\n${formatViolations(v)}`;

describe('no-loss invariants on the stress sheets', () => {
  for (const s of stressSheets()) {
    test(s.name, { timeout: 120_000 }, async () => {
      const graded = gradeText(`${s.name}.yaml`, s.text);
      const built = await buildSheet(graded, fonts);
      const v = checkSheet(graded, built.pages, built.pdf, fonts, { requireCells: true });
      expect(report(v)).toBe(report([]));
    });
  }

  test('hand-made extremes: 999999999999 and -0.0000001 print as written', async () => {
    const text = stressSheets().find((s) => s.name === 'empty')!.text
      .replace(/^  (?:baseline|target|actuals):.*\n/gm, '') // the generated goal has its own; these replace them
      .replace(/^goal:\n/m, 'goal:\n  baseline: { value: -0.0000001 }\n  target: { value: 999999999999 }\n  actuals: { 2020: 123456789012.345 }\n');
    const graded = gradeText('extremes.yaml', text);
    const built = await buildSheet(graded, fonts);
    const v = checkSheet(graded, built.pages, built.pdf, fonts, { requireCells: true });
    expect(report(v)).toBe(report([]));
  });
});
