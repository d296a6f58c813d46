// Issue 8 §3: whole generated sheets — prose up to the 10,000-character limit, up to 60 committee
// opinions, 15 projects of up to 5 outcomes, plans of up to 10 years, numbers up to 10^12 with 15
// significant digits — are built to PDF in-process and checked for the no-loss invariants on both
// levels (test/helpers/invariants.ts); then sheets with one row taller than a page (a committee entry of
// thousands of characters, a project of dozens of outcomes). A bounded, seeded count here;
// `npm run fuzz -- --layout` runs longer.
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
  findInOrder,
  formatViolations,
  gradeText,
  readPdf,
} from '../helpers/invariants.js';
import type { SheetShape } from '../../scripts/gen-sheets.mjs';
import type { GradedSheet } from '../../src/model/types.js';
import { arbSheet } from './arbitrary-sheet.js';

const fonts = loadFonts();
const SEED = Number(process.env.SHEETGEN_PROPERTY_SEED ?? 8_2026);
const RUNS = Number(process.env.SHEETGEN_PROPERTY_RUNS ?? 20);
/** Sheets with a row taller than a page (each some 1–2 s to build and check). */
const TALL_RUNS = Number(process.env.SHEETGEN_PROPERTY_RUNS ?? 10);

// layout issue 8: the form layout (merged here) still loses text on generated sheets: KPI rows sent to
// 別紙 are not drawn there, values wider than their cell overlap their neighbours. Set false when fixed.
const KNOWN_LOSS = false;

/** A sheet that breaks an invariant (as opposed to a crash or an invalid generated sheet). */
class LossFound extends Error {}

/** A tall row of the shape that the PDF shows divided between pages (see the tall-row test below). */
type Divided = (shape: SheetShape, graded: GradedSheet, pdf: Uint8Array) => boolean;

/** Builds `runs` sheets drawn by `arb` and checks the no-loss invariants on each; returns how many were refused and divided. */
async function checkGenerated(
  arb: fc.Arbitrary<{ shape: SheetShape; yaml: string }>,
  runs: number,
  divided?: Divided,
): Promise<{ refused: number; divided: number }> {
  let refused = 0;
  let dividedCount = 0;
  const result = await fc.check(
    fc.asyncProperty(arb, async ({ shape, yaml }) => {
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
      if (divided?.(shape, graded, built.pdf)) dividedCount++;
    }),
    // No shrinking: each run builds a PDF, and the first failure with its shape and seed is enough to replay.
    { seed: SEED, numRuns: runs, endOnFailure: true },
  );
  // A crash or an invalid generated sheet always fails the test, whatever the layout.
  if (result.failed && !(result.errorInstance instanceof LossFound))
    throw new Error(fc.defaultReportMessage(result) ?? 'property failed');
  // layout issue 8: enabled when form-layout lands (LAYOUT_READY in test/helpers/invariants.ts).
  if (LAYOUT_READY && !KNOWN_LOSS)
    expect(
      result.failed,
      `${result.errorInstance instanceof Error ? result.errorInstance.message : ''}\n${fc.defaultReportMessage(result)}`,
    ).toBe(false);
  else
    expect(result.failed, 'no generated sheet broke an invariant: set LAYOUT_READY / KNOWN_LOSS (layout issue 8)').toBe(
      true,
    );
  // Most sheets are built, not refused (a layout that refused everything would lose nothing).
  expect(refused, `${refused} of ${runs} generated sheets refused`).toBeLessThanOrEqual(runs / 2);
  return { refused, divided: dividedCount };
}

/**
 * Whether the tall row stands on more than one page: a project's name repeated beside the rest of
 * its outcomes (a name is printed once otherwise), a committee entry's opinion in pieces on two pages.
 */
const dividedRow: Divided = (shape, graded, pdf) => {
  const tall = shape.tallRow;
  if (!tall) return false;
  const doc = readPdf(pdf);
  const pagesOf = (text: string): Set<number> => {
    const flat = text.replace(/\s+/gu, '');
    const pages = new Set<number>();
    for (let i = doc.flat.indexOf(flat); i >= 0 && flat !== ''; i = doc.flat.indexOf(flat, i + 1))
      pages.add(doc.pageOf[i]!);
    return pages;
  };
  const s = graded.sheet;
  if (tall.kind === 'project') {
    const p = s.projects[(tall.at ?? 0) % s.projects.length]!;
    return pagesOf(p.code ? `${p.code}　${p.name}` : p.name).size >= 2;
  }
  const c = s.committee[(tall.at ?? 0) % s.committee.length]!;
  return new Set(findInOrder(doc, c.opinion.replace(/\s+/gu, '')).pages).size >= 2;
};

describe('no-loss invariants on generated sheets', () => {
  it(`hold for ${RUNS} generated sheets (seed ${SEED})`, { timeout: 600_000 }, async () => {
    await checkGenerated(arbSheet({ maxTotalProse: 12_000 }), RUNS);
  });

  // A row taller than a whole page — a committee entry of thousands of characters, a project of dozens
  // of outcomes — is divided between 別紙 pages at a line: nothing lost, nothing off its page or cell.
  it(`hold for ${TALL_RUNS} generated sheets with a row taller than a page (seed ${SEED})`, {
    timeout: 600_000,
  }, async () => {
    const { divided } = await checkGenerated(
      arbSheet({ maxTotalProse: 12_000, tallRows: 'always' }),
      TALL_RUNS,
      dividedRow,
    );
    // The generator does make such rows: most of them end up on more than one page.
    expect(divided, `${divided} of ${TALL_RUNS} tall rows on more than one page`).toBeGreaterThanOrEqual(TALL_RUNS / 2);
  });
});
