// Every file in test/fixtures/invalid carries its expected diagnostics inline (# error: line:col code text);
// validation must report exactly those errors (and, where it declares warnings, exactly those): none missing, none extra.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeLoaded } from '../../src/core/grade.js';
import { loadSheet } from '../../src/core/load.js';
import { readExpectations } from '../helpers/expectations.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'invalid');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('invalid fixtures report exactly their inline errors', () => {
  it('has fixtures', () => expect(files.length).toBeGreaterThan(5));
  for (const name of files) {
    it(name, async () => {
      const file = join(dir, name);
      const { expected } = readExpectations(readFileSync(file, 'utf8'));
      expect(expected.length, 'fixture declares its errors').toBeGreaterThan(0);
      for (const lang of ['en', 'ja'] as const) {
        const r = gradeLoaded(await loadSheet(file, lang), { lang });
        const got = r.diagnostics
          .filter((d) => d.severity === 'error')
          .map((d) => `${d.line}:${d.column} ${d.code}`)
          .sort();
        expect(got).toEqual(
          expected
            .filter((e) => e.severity === 'error')
            .map((e) => `${e.line}:${e.column} ${e.code}`)
            .sort(),
        );
        // A fixture that declares warnings gets exactly those, too.
        const warned = expected.filter((e) => e.severity === 'warning');
        if (warned.length > 0) {
          const gotW = r.diagnostics
            .filter((d) => d.severity === 'warning')
            .map((d) => `${d.line}:${d.column} ${d.code}`)
            .sort();
          expect(gotW).toEqual(warned.map((e) => `${e.line}:${e.column} ${e.code}`).sort());
        }
        if (lang === 'en') {
          for (const e of expected) {
            if (!e.text) continue;
            const texts = r.diagnostics
              .filter((x) => x.line === e.line && x.column === e.column && x.code === e.code)
              .map((d) => `${d.message} ${d.hint ?? ''}`);
            expect(
              texts.some((x) => x.includes(e.text!)),
              `${texts.join(' | ')} should contain ${e.text}`,
            ).toBe(true);
          }
        }
        for (const d of r.diagnostics) expect(d.file).toBe(file);
      }
    });
  }
});
