// Issue 8 §3: whole generated sheets — prose up to the 10,000-character limit, up to 60 committee
// opinions, 15 projects of up to 5 outcomes, plans of up to 10 years, numbers up to 10^12 with 15
// significant digits — are built to PDF in-process and checked for the no-loss invariants on both
// levels (test/helpers/invariants.ts). A bounded, seeded count here; `npm run fuzz -- --layout` runs longer.
// Set SHEETGEN_PROPERTY_SEED to replay a failure (the seed is printed with it).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { missingGlyphs } from '../../src/layout/index.js';
import { loadFonts } from '../../src/render/fonts.js';
import { buildSheet, checkSheet, countByKind, formatViolations, gradeText } from '../helpers/invariants.js';
import { arbSheet } from './arbitrary-sheet.js';

const fonts = loadFonts();
const SEED = Number(process.env.SHEETGEN_PROPERTY_SEED ?? 8_2026);
const RUNS = Number(process.env.SHEETGEN_PROPERTY_RUNS ?? 20);

describe('no-loss invariants on generated sheets', () => {
  // layout issue 8: enabled when form-layout lands
  it(`hold for ${RUNS} generated sheets (seed ${SEED})`, { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(arbSheet({ maxTotalProse: 12_000 }), async ({ shape, yaml }) => {
        const graded = gradeText('generated.yaml', yaml);
        expect(missingGlyphs(graded, fonts)).toEqual([]);
        const built = await buildSheet(graded, fonts);
        const v = checkSheet(graded, built.pages, built.pdf, fonts, { requireCells: true });
        if (v.length > 0) throw new Error(`${v.length} violations ${JSON.stringify(countByKind(v))} on the sheet of shape ${JSON.stringify(shape)}:\n${formatViolations(v, 15)}`);
      }),
      // No shrinking: each run builds a PDF, and the first failure with its shape and seed is enough to replay.
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });
});
