// Thousands of random mutations of the valid examples: loading, validating and grading either
// succeed or return diagnostics — never an uncaught exception; a subset goes through the whole
// in-process build (layout, fonts, PDF, atomic write) into a temp folder.
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildLoaded } from '../../src/core/build.js';
import { gradeLoaded } from '../../src/core/grade.js';
import { loadSheetText } from '../../src/core/load.js';
import { SheetgenError, hasErrors } from '../../src/diagnostics.js';
import { mutateSheet } from './mutations.js';

const examplesDir = join(import.meta.dirname, '..', '..', 'examples');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const texts = examples.map((f) => ({ file: join(examplesDir, f), text: readFileSync(join(examplesDir, f), 'utf8') }));
const out = mkdtempSync(join(tmpdir(), 'sheetgen-prop-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const seedArb = fc.tuple(fc.nat(texts.length - 1), fc.integer({ min: 1, max: 2 ** 31 - 1 }));

/** A SheetgenError is a user-facing answer (e.g. a scheme named on the command line); anything else is a crash. */
function userFacing(e: unknown): boolean {
  return e instanceof SheetgenError;
}

describe('random mutations of the examples', () => {
  // numRuns is tuned to keep this file near 10 s in `npm test`; `npm run fuzz` runs the same mutations for minutes.
  it('load + validate + grade: diagnostics or a graded sheet, never an exception', { timeout: 60_000 }, () => {
    let diagnosed = 0;
    let graded = 0;
    fc.assert(
      fc.property(seedArb, ([i, seed]) => {
        const src = texts[i]!;
        const { text } = mutateSheet(src.text, seed);
        // Each mutated sheet is loaded as if it stood beside the examples (grading files resolve there).
        let r;
        try {
          r = gradeLoaded(loadSheetText(src.file, text, seed % 2 ? 'ja' : 'en'), { lang: seed % 2 ? 'ja' : 'en' });
        } catch (e) {
          if (userFacing(e)) return;
          throw new Error(
            `seed ${seed} on ${examples[i]} threw: ${(e as Error).stack}\n--- text ---\n${text.slice(0, 2000)}`,
          );
        }
        if (hasErrors(r.diagnostics)) {
          diagnosed++;
          for (const d of r.diagnostics) {
            expect(typeof d.message).toBe('string');
            expect(d.message.length).toBeGreaterThan(0);
            expect(d.file).toBe(src.file);
          }
        } else {
          expect(r.graded).toBeDefined();
          graded++;
        }
      }),
      { numRuns: 1000 },
    );
    // Both outcomes must really occur, or the mutations test nothing.
    expect(diagnosed).toBeGreaterThan(100);
    expect(graded).toBeGreaterThan(50);
  });

  it('the full build (layout, render, write) on mutated sheets: a PDF or diagnostics, never an exception', {
    timeout: 60_000,
  }, async () => {
    let built = 0;
    await fc.assert(
      fc.asyncProperty(seedArb, async ([i, seed]) => {
        const src = texts[i]!;
        const { text } = mutateSheet(src.text, seed, 1);
        const loaded = loadSheetText(src.file, text, 'en');
        try {
          const r = await buildLoaded(loaded, { lang: 'en', out: join(out, `${seed}.pdf`) });
          if (r.output) {
            built++;
            expect(readFileSync(r.output).subarray(0, 5).toString()).toBe('%PDF-');
          } else {
            expect(hasErrors(r.diagnostics)).toBe(true);
          }
        } catch (e) {
          if (userFacing(e)) return;
          throw new Error(
            `seed ${seed} on ${examples[i]} threw in build: ${(e as Error).stack}\n--- text ---\n${text.slice(0, 2000)}`,
          );
        }
      }),
      { numRuns: 40 },
    );
    expect(built).toBeGreaterThan(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
