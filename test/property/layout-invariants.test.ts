// Issue 8 §3: whole generated sheets — prose up to the 10,000-character limit, up to 60 committee
// opinions, 15 projects of up to 5 outcomes, plans of up to 10 years, numbers up to 10^12 with 15
// significant digits — are built to PDF in-process and checked for the no-loss invariants on both
// levels (test/helpers/invariants.ts). A bounded, seeded count here; `npm run fuzz -- --layout` runs longer.
// SHEETGEN_PROPERTY_SEED replays a failure (the seed is printed with it); SHEETGEN_PROPERTY_RUNS sets the count.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { missingGlyphs } from '../../src/layout/index.js';
import { loadFonts } from '../../src/render/fonts.js';
import {
  LAYOUT_READY,
  buildSheet,
  checkSheet,
  countByKind,
  formatViolations,
  gradeText,
} from '../helpers/invariants.js';
import { arbSheet } from './arbitrary-sheet.js';

const fonts = loadFonts();
const SEED = Number(process.env.SHEETGEN_PROPERTY_SEED ?? 8_2026);
const RUNS = Number(process.env.SHEETGEN_PROPERTY_RUNS ?? 20);

// layout issue 8: the form layout (merged here) still loses text on generated sheets: KPI rows sent to
// 別紙 are not drawn there, values wider than their cell overlap their neighbours. Set false when fixed.
const KNOWN_LOSS = false;

/** A sheet that breaks an invariant (as opposed to a crash or an invalid generated sheet). */
class LossFound extends Error {}

describe('no-loss invariants on generated sheets', () => {
  it(`hold for ${RUNS} generated sheets (seed ${SEED})`, { timeout: 600_000 }, async () => {
    let refused = 0;
    const result = await fc.check(
      fc.asyncProperty(arbSheet({ maxTotalProse: 12_000 }), async ({ shape, yaml }) => {
        const graded = gradeText('generated.yaml', yaml);
        expect(missingGlyphs(graded, fonts)).toEqual([]);
        const built = await buildSheet(graded, fonts);
        if (built.errors.length > 0) {
          // The layout may refuse a sheet it cannot hold, naming the field (issue 8 §2): then no PDF is
          // written and nothing is lost. Never a sheet of everyday numbers.
          expect(
            built.errors.every((e) => (e.path ?? []).length > 0),
            JSON.stringify(built.errors),
          ).toBe(true);
          if (shape.numbers === 'plain')
            throw new LossFound(
              `refused a sheet of everyday numbers (shape ${JSON.stringify(shape)}): ${built.errors.map((e) => `${e.code} ${(e.path ?? []).join('.')}`).join(', ')}`,
            );
          refused++;
          return;
        }
        const v = checkSheet(graded, built.pages, built.pdf, fonts, { requireCells: true });
        if (v.length > 0)
          throw new LossFound(
            `${v.length} violations ${JSON.stringify(countByKind(v))} on the sheet of shape ${JSON.stringify(shape)}:\n${formatViolations(v, 15)}`,
          );
      }),
      // No shrinking: each run builds a PDF, and the first failure with its shape and seed is enough to replay.
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // A crash or an invalid generated sheet always fails the test, whatever the layout.
    if (result.failed && !(result.errorInstance instanceof LossFound))
      throw new Error(fc.defaultReportMessage(result) ?? 'property failed');
    // layout issue 8: enabled when form-layout lands (LAYOUT_READY in test/helpers/invariants.ts).
    if (LAYOUT_READY && !KNOWN_LOSS) expect(result.failed, fc.defaultReportMessage(result)).toBe(false);
    else
      expect(
        result.failed,
        'no generated sheet broke an invariant: set LAYOUT_READY / KNOWN_LOSS (layout issue 8)',
      ).toBe(true);
    // Most sheets are built, not refused (a layout that refused everything would lose nothing).
    expect(refused, `${refused} of ${RUNS} generated sheets refused`).toBeLessThanOrEqual(RUNS / 2);
  });
});
