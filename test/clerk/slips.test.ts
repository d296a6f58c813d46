// The clerk's slips: recognisers for circled numbers, 和暦 years and other date spellings, and that
// full-width colons and spaces inside text (ordinary Japanese) are never taken for slips.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 60_000 });
import { loadSheetText } from '../../src/core/load.js';
import { circledNumber, eraYear, isoDate } from '../../src/validate/numbers.js';

const seed = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'asahi-2020-09.yaml'), 'utf8');

describe('recognisers', () => {
  it('circled numbers', () => {
    expect(['①', '⑫', '⑳', '㉑', '㉟', '㊱', '㊿'].map(circledNumber)).toEqual([1, 12, 20, 21, 35, 36, 50]);
    expect(circledNumber('12')).toBeUndefined();
  });
  it('era years', () => {
    expect(
      ['令和2', 'R2', 'r2', '令和元', '令和元年度', '平成30年', 'H30', '令和２', 'R.3', '昭和64'].map(eraYear),
    ).toEqual([2020, 2020, 2020, 2019, 2019, 2018, 2018, 2020, 2021, 1989]);
    expect(eraYear('2020')).toBeUndefined();
    expect(eraYear('令和0')).toBeUndefined();
  });
  it('dates', () => {
    expect(isoDate('2021/7/30')).toBe('2021-07-30');
    expect(isoDate('2021.07.30')).toBe('2021-07-30');
    expect(isoDate('2021年7月30日')).toBe('2021-07-30');
    expect(isoDate('R3/7/30')).toBe('2021-07-30');
    expect(isoDate('２０２１/７/３０')).toBe('2021-07-30');
    expect(isoDate('2021/2/30')).toBeUndefined();
    expect(isoDate('7/30')).toBeUndefined();
  });
  it('every Western date written with slashes is recognised as itself', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, day] = iso.split('-').map(Number);
        return isoDate(`${y}/${m}/${day}`) === iso;
      }),
      { numRuns: 200 },
    );
  });
});

describe('slips inside text are not slips', () => {
  it('a sheet whose prose has "KPI：" lines, full-width spaces and colons validates', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom('KPI：達成', '　令和２年は増加した。', 'abc：def', '　　・課題：人材', '【達成状況：Ａ】'),
          { minLength: 1, maxLength: 6 },
        ),
        (lines) => {
          const body = lines.map((l) => `  ${l}`).join('\n');
          const text = seed
            .replace(/^situation: \|.*\n(?: {2}.*\n)+/m, `situation: |\n${body}\n`)
            .replace(/^stage: .*$/m, `stage: 事後・決算：${lines.length}`)
            .replace(/^team: null$/m, `team: "　${lines[0]}"`);
          const errors = loadSheetText('x.yaml', text, 'en').diagnostics.filter((d) => d.severity === 'error');
          expect(errors).toEqual([]);
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('progress not chosen yet', () => {
  it('validates with a warning at the field', () => {
    const text = seed.replace(/^progress: .*$/m, 'progress: null');
    const d = loadSheetText('x.yaml', text, 'ja').diagnostics;
    expect(d.filter((x) => x.severity === 'error')).toEqual([]);
    const w = d.find((x) => x.code === 'progress.empty')!;
    expect(w.severity).toBe('warning');
    expect(w.line).toBe(text.split('\n').findIndex((l) => l.startsWith('progress:')) + 1);
    expect(w.message).toContain('進捗状況');
  });
});
