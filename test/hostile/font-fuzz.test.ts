// Issue 9: damaged fonts are refused (exit 2) before any use. Mutations of the bundled TrueType font —
// truncations, a damaged table directory, garbage in the tables the layout reads, fake collections,
// broken glyph outlines — go through the font check; a font the check accepts must then build a sheet
// without anything but a user-facing error. Bounded here; `npm run fuzz -- --fonts N` runs more.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SheetgenError } from '../../src/diagnostics.js';
import { buildLoaded } from '../../src/core/build.js';
import { loadSheet } from '../../src/core/load.js';
import { fontProblem } from '../../src/render/fontfile.js';
import { fontMutants } from './font-mutants.js';

const FONT = join(
  process.cwd(),
  'node_modules/@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf',
);
const dir = mkdtempSync(join(tmpdir(), 'sheetgen-fontfuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** How many mutants the test runs (the figure in the report); a few accepted ones are also built. */
const COUNT = 120;
const BUILDS = 3;

describe('font fuzz', () => {
  it(`${COUNT} mutated fonts: each refused with a reason or usable; none crashes the check or a build`, async () => {
    const original = new Uint8Array(readFileSync(FONT));
    const tally = { refused: 0, accepted: 0, built: 0, refusedAtBuild: 0 };
    let builds = 0;
    for (const m of fontMutants(original, COUNT, 9)) {
      let problem: ReturnType<typeof fontProblem>;
      try {
        problem = fontProblem(m.bytes);
      } catch (e) {
        throw new Error(`${m.what}: the font check threw ${(e as Error).stack}`);
      }
      if (!problem.font) {
        expect(problem.detail ?? problem.web, m.what).toBeTruthy();
        tally.refused++;
        continue;
      }
      tally.accepted++;
      if (builds >= BUILDS) continue;
      builds++;
      const file = join(dir, `m${builds}.ttf`);
      writeFileSync(file, m.bytes);
      try {
        const r = await buildLoaded(await loadSheet('examples/asahi-2020-09.yaml', 'en'), {
          lang: 'en',
          out: join(dir, `m${builds}.pdf`),
          font: file,
          boldFont: file,
        });
        if (r.output) tally.built++;
        else tally.refusedAtBuild++;
      } catch (e) {
        if (!(e instanceof SheetgenError))
          throw new Error(`${m.what}: accepted by the check, then the build threw ${(e as Error).stack}`);
        tally.refusedAtBuild++;
      }
    }
    console.log(
      `font fuzz: ${COUNT} mutants, ${tally.refused} refused by the check, ${tally.accepted} accepted (${tally.built} built, ${tally.refusedAtBuild} refused at build)`,
    );
    expect(tally.refused).toBeGreaterThan(COUNT / 2);
  }, 300_000);

  it('the intact font passes the check', () => {
    expect(fontProblem(new Uint8Array(readFileSync(FONT))).font).toBeDefined();
  });
});
