// The no-loss invariants on the stress sheets of issue 8 §3 (scripts/gen-sheets.mjs stressSheets):
// long prose, 15 projects with long names, a 10-year plan, 60 opinions, extreme numbers, many KPIs,
// and a sheet without prose; both levels (the PDF line by line: glyph by glyph is 50 times slower).

import { describe, expect, it } from 'vitest';
import { loadFonts } from '../../src/render/fonts.js';
import { stressSheets } from '../../scripts/gen-sheets.mjs';
import { LAYOUT_READY, buildSheet, checkSheet, expectNoLoss, gradeText } from '../helpers/invariants.js';

const fonts = loadFonts();

/** A sheet written by hand at the number limits: 999,999,999,999, 15 significant digits, -0.0000001, 24.0. */
const EXTREMES = `version: 1
municipality: 旭市
fiscal_year: 2020
stage: 事後・決算
plan_period: { from: 2020, to: 2024 }
reference_years: [2019]
basic_goal: 1
measure: { number: 1, title: 極端な数値 }
lead_division: 企画政策課
goal:
  name: 人口の社会増減
  unit: 人
  baseline: { value: -0.0000001, year: 2018 }
  target: { value: 999999999999 }
  actuals: { 2019: -999999999999, 2020: 123456789012.345 }
kpis:
  - number: 1
    name: 割合
    unit: "%"
    baseline: 24.0
    target: { value: 80.0 }
    actuals: { 2019: 0.0000001, 2020: 99.90 }
progress: 順調
reasons: 理由
situation: 現状
policy: 方針
projects:
  - number: 1
    name: 事業
    cost: { 2019: 999999999999, 2020: -999999999999 }
    general_fund: { 2019: 123456789012, 2020: 1 }
    outcomes:
      - { name: 件数, unit: 件, values: { 2019: 999999999999.9, 2020: -0.0000001 } }
`;

// layout issue 8: the form layout (merged here) holds long prose, 15 projects, 60 opinions and the
// sheet without prose; these still lose something (remove a name when its test reports no violations).
const KNOWN_LOSS = new Set<string>([]);
/**
 * Sheets the layout refuses, naming the field: extreme-numbers (values at 999,999,999,999 in twelve
 * columns) may be; ten-year-plan (everyday values, 12 year columns) should not be — layout issue 8:
 * take it off when the layout builds it.
 */
const REFUSED = new Set(['extreme-numbers']);
describe('no-loss invariants on the stress sheets', () => {
  const sheets = [...stressSheets(), { name: 'hand-made extremes', text: EXTREMES }];
  for (const s of sheets) {
    it(s.name, { timeout: 120_000 }, async () => {
      const graded = gradeText(`${s.name}.yaml`, s.text);
      const built = await buildSheet(graded, fonts);
      // A sheet the layout refuses (a number too wide for any column), naming the field, loses nothing.
      expect(built.errors.every((e) => (e.path ?? []).length > 0)).toBe(true);
      if (built.errors.length > 0 && !REFUSED.has(s.name))
        throw new Error(`refused: ${built.errors.map((e) => `${e.code} ${(e.path ?? []).join('.')}`).join(', ')}`);
      if (built.errors.length > 0) return;
      expectNoLoss(
        checkSheet(graded, built.pages, built.pdf, fonts, { requireCells: true }),
        !LAYOUT_READY || KNOWN_LOSS.has(s.name),
      );
    });
  }
});
