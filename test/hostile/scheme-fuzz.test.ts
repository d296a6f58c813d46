// Issue 9: grading schemes under attack. Seeded mutations of a built-in scheme (byte flips, truncation,
// renamed and added keys, wrong types, huge lists) named by a sheet (`grading: ./s.json`) or on the
// command line: each is a scheme or a user-facing error — never a crash — and an error about a scheme a
// sheet names never echoes the file's keys or values (a planted SECRET marker never shows).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SheetgenError } from '../../src/diagnostics.js';
import { commandLineScheme, gradeLoaded } from '../../src/core/grade.js';
import { loadSheetText } from '../../src/core/load.js';
import { rng } from '../../scripts/gen-sheets.mjs';

const dir = mkdtempSync(join(tmpdir(), 'sheetgen-schemefuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const seed = readFileSync('examples/asahi-2020-09.yaml', 'utf8');
const asahi = readFileSync('grading/asahi.json', 'utf8');
const SCHEME_FUZZ_COUNT = 100;

function mutate(rand: () => number, i: number): string {
  const int = (n: number) => Math.floor(rand() * n);
  const data = JSON.parse(asahi) as Record<string, unknown>;
  switch (i % 8) {
    case 0: {
      const b = Buffer.from(asahi);
      for (let k = 0; k < 1 + int(6); k++) b[int(b.length)] = int(256);
      return b.toString('latin1');
    }
    case 1:
      return asahi.slice(0, int(asahi.length));
    case 2:
      data[`SECRET_${i}`] = 'SECRET_VALUE';
      return JSON.stringify(data);
    case 3: {
      const keys = Object.keys(data);
      const k = keys[int(keys.length)]!;
      data[`SECRET_${k}`] = data[k];
      delete data[k];
      return JSON.stringify(data);
    }
    case 4: {
      const keys = Object.keys(data);
      data[keys[int(keys.length)]!] = [null, 'SECRET_STRING', 12, [], {}, true][int(6)];
      return JSON.stringify(data);
    }
    case 5:
      (data as { legend: unknown[] }).legend = Array.from({ length: 1 + int(40) }, (_, n) => ({
        grade: `SECRET${n}`.repeat(1 + int(3)),
        text: 'x',
      }));
      return JSON.stringify(data);
    case 6:
      (data as { bands: unknown[] }).bands = Array.from({ length: int(5000) }, () => ({ SECRET: 1 }));
      return JSON.stringify(data);
    default:
      return `{"SECRET": ${'['.repeat(int(5000))}`;
  }
}

describe('scheme fuzz', () => {
  it(`${SCHEME_FUZZ_COUNT} mutated schemes, named by a sheet and on the command line: a scheme or a clear error, never a crash or an echo`, () => {
    const rand = rng(9);
    let refused = 0;
    for (let i = 0; i < SCHEME_FUZZ_COUNT; i++) {
      const text = mutate(rand, i);
      const file = join(dir, `s${i}.json`);
      writeFileSync(file, text);
      const sheet = join(dir, `sheet${i}.yaml`);
      const loaded = loadSheetText(sheet, `grading: ./s${i}.json\n${seed.replace(/^grading:.*\n/m, '')}`, 'en');
      expect(loaded.sheet, 'the sheet itself is valid').toBeDefined();
      const r = gradeLoaded(loaded, { lang: 'en' });
      const problems = r.diagnostics.filter((d) => d.code === 'grading.scheme');
      for (const d of problems) {
        expect(d.message, `case ${i}`).not.toMatch(/SECRET/);
        expect(d.line).toBe(1);
      }
      if (problems.length > 0) refused++;
      try {
        commandLineScheme(file, 'en');
      } catch (e) {
        if (!(e instanceof SheetgenError)) throw new Error(`case ${i}: ${(e as Error).stack}`);
      }
    }
    console.log(`scheme fuzz: ${SCHEME_FUZZ_COUNT} mutants, ${refused} refused`);
    expect(refused).toBeGreaterThan(SCHEME_FUZZ_COUNT / 2);
  }, 120_000);
});
