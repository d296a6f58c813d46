// Rolling a year's sheets over to the next: the rolled files validate, every carried figure equals
// the original, the year's words are cleared but kept as comments, and no input is ever written over.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSheetText } from '../../src/core/load.js';
import { rolledName, rollover, rollText, type RolledFile } from '../../src/core/rollover.js';
import { SheetgenError } from '../../src/diagnostics.js';
import type { Indicator, Sheet } from '../../src/model/types.js';

/** Temp folders made here, removed after the file's tests. */
const made: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sheetgen-rollover-'));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
const examples = ['asahi-2020-03.yaml', 'asahi-2020-05.yaml', 'asahi-2020-09.yaml'];

const sheetOf = (file: string, text: string): Sheet => {
  const l = loadSheetText(file, text, 'en');
  expect(l.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return l.sheet!;
};

/** The figures of an indicator without the YAML paths and the year's override. */
const figures = (i: Indicator) => ({
  number: i.number,
  name: i.name,
  unit: i.unit,
  better: i.better,
  note: i.note,
  baseline: i.baseline && { ...i.baseline, path: undefined },
  target: i.target && { ...i.target, path: undefined },
  actuals: [...i.actuals].map(([y, m]) => [y, { ...m, path: undefined }]),
});

describe('rollover of the examples to 2021', () => {
  let dir: string;
  let out: string;
  let results: RolledFile[];
  beforeAll(async () => {
    dir = tmp();
    cpSync('examples', join(dir, 'in'), { recursive: true });
    out = join(dir, '2021');
    results = await rollover([join(dir, 'in')], { lang: 'ja', to: 2021, outDir: out });
  });

  it('writes one file per sheet, the year in the name advanced', () => {
    expect(results.every((r) => r.written)).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['asahi-2021-03.yaml', 'asahi-2021-05.yaml', 'asahi-2021-09.yaml']);
    expect(rolledName('asahi-2020-09.yaml', 2020, 2021)).toBe('asahi-2021-09.yaml');
    expect(rolledName('measure-12020.yaml', 2020, 2021)).toBe('measure-12020.yaml');
  });

  for (const name of examples) {
    it(`${name}: validates; structure, figures, past actuals and projects carried; the year's words cleared`, () => {
      const oldText = readFileSync(join('examples', name), 'utf8');
      const newText = readFileSync(join(out, name.replace('2020', '2021')), 'utf8');
      const a = sheetOf(name, oldText);
      const b = sheetOf(name, newText);
      expect(b.fiscalYear).toBe(2021);
      expect(b.asOf).toBeNull();
      // ② per indicator keeps one empty paragraph per indicator; free text becomes "".
      const cleared = typeof a.reasons === 'string' ? '' : a.reasons.map((p) => ({ ...p, text: '' }));
      expect([b.reasons, b.situation, b.policy, b.committee, b.progress]).toEqual([cleared, '', '', [], null]);
      if (a.item5) expect(b.item5).toEqual({ title: a.item5.title, text: '' });
      for (const k of [
        'municipality',
        'stage',
        'planPeriod',
        'referenceYears',
        'basicGoal',
        'measure',
        'leadDivision',
        'team',
        'relatedDivisions',
        'relatedPolicyProjects',
        'projects',
        'grading',
      ] as const) {
        expect(b[k], k).toEqual(a[k]);
      }
      expect([b.goal, ...b.kpis].map(figures)).toEqual([a.goal, ...a.kpis].map(figures));
      // A grade override was the old year's judgement: gone from the data.
      expect([b.goal, ...b.kpis].some((i) => i.override)).toBe(false);
    });

    it(`${name}: keeps the user's comments and key order, and the old words as comments above their fields`, () => {
      const oldText = readFileSync(join('examples', name), 'utf8');
      const newText = readFileSync(join(out, name.replace('2020', '2021')), 'utf8');
      // Every comment line is kept, except the editor line, which now points at the schema from the new folder.
      for (const line of oldText.split('\n').filter((l) => /^#/.test(l) && !/yaml-language-server/.test(l)))
        expect(newText).toContain(line);
      const keys = (t: string) =>
        t
          .split('\n')
          .filter((l) => /^[a-z_0-9]+:/.test(l))
          .map((l) => l.split(':')[0]);
      expect(keys(newText)).toEqual(keys(oldText));
      const a = sheetOf(name, oldText);
      const before = (field: string) => newText.slice(0, newText.indexOf(`\n${field}:`));
      const reasonsText = typeof a.reasons === 'string' ? a.reasons : a.reasons.map((p) => p.text).join('\n');
      const reasonsEnd = newText.indexOf('\nsituation:');
      expect(typeof a.reasons === 'string' ? before('reasons') : newText.slice(0, reasonsEnd)).toContain(
        '# 2020年度の記載（参考）:',
      );
      // Per indicator, each paragraph's words stand as a comment above its key, inside reasons.
      for (const l of reasonsText.split('\n').filter(Boolean)) expect(newText.slice(0, reasonsEnd)).toContain(`# ${l}`);
      for (const l of a.policy.split('\n').filter(Boolean)) expect(before('policy')).toContain(`# ${l}`);
      for (const c of a.committee) expect(before('committee')).toContain(`#   opinion: ${c.opinion}`);
    });
  }

  it('keeps an override as a comment where it stood', () => {
    const newText = readFileSync(join(out, 'asahi-2021-05.yaml'), 'utf8');
    expect(newText).toMatch(/# grade_override:\n\s+#\s+grade: S/);
  });
});

describe('rollover never writes over its input', () => {
  it('refuses the input folder itself, or a folder inside it', async () => {
    const dir = tmp();
    cpSync('examples', join(dir, 'in'), { recursive: true });
    for (const outDir of [join(dir, 'in'), join(dir, 'in', 'next')]) {
      await expect(rollover([join(dir, 'in')], { lang: 'en', to: 2021, outDir })).rejects.toThrow(SheetgenError);
    }
    expect(readdirSync(join(dir, 'in')).sort()).toEqual(examples);
  });

  it('refuses to replace existing files unless --force, and then writes nothing at all', async () => {
    const dir = tmp();
    cpSync('examples', join(dir, 'in'), { recursive: true });
    const out = join(dir, 'out');
    await rollover([join(dir, 'in')], { lang: 'en', to: 2021, outDir: out });
    writeFileSync(join(out, 'asahi-2021-09.yaml'), 'edited by hand');
    await expect(rollover([join(dir, 'in')], { lang: 'en', to: 2021, outDir: out })).rejects.toThrow(/already exists/);
    expect(readFileSync(join(out, 'asahi-2021-09.yaml'), 'utf8')).toBe('edited by hand');
    const forced = await rollover([join(dir, 'in')], { lang: 'en', to: 2021, outDir: out, force: true });
    expect(forced.every((r) => r.written)).toBe(true);
    expect(readFileSync(join(out, 'asahi-2021-09.yaml'), 'utf8')).toContain('fiscal_year: 2021');
  });

  it('does not write a file that would not validate, nor roll a broken one or a year backwards', async () => {
    const dir = tmp();
    const seed = readFileSync('examples/asahi-2020-09.yaml', 'utf8');
    // The plan ends in 2020: 2021 lies outside it, so the rolled file would not validate.
    writeFileSync(
      join(dir, 'short-2020.yaml'),
      seed.replace('plan_period: { from: 2020, to: 2024 }', 'plan_period: { from: 2020, to: 2020 }'),
    );
    writeFileSync(join(dir, 'broken.yaml'), seed.replace('basic_goal: 2', 'basic_goal: two'));
    const out = join(dir, 'out');
    const r = await rollover([join(dir, 'short-2020.yaml'), join(dir, 'broken.yaml')], {
      lang: 'en',
      to: 2021,
      outDir: out,
    });
    expect(r.map((x) => [x.written, x.diagnostics[0]?.code])).toEqual([
      [false, 'rollover.invalid'],
      [false, 'rollover.source'],
    ]);
    expect(r[0]!.diagnostics.some((d) => d.file === join(out, 'short-2021.yaml') && d.line !== undefined)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['broken.yaml', 'short-2020.yaml']);
    const back = await rollover([join(dir, 'short-2020.yaml')], { lang: 'en', to: 2019, outDir: out });
    expect(back[0]!.diagnostics[0]!.code).toBe('rollover.year');
  });

  it('rollText alone: as_of blank, the committee an empty list', () => {
    const seed = readFileSync('examples/asahi-2020-03.yaml', 'utf8');
    const text = rollText(seed, 2021, 'en');
    expect(text).toMatch(/^as_of: null/m);
    expect(text).toMatch(/^committee: \[\]/m);
    // The notes are part of the Japanese document: Japanese whatever the terminal's language.
    expect(text).toContain('# 2020年度の記載（参考）:');
    expect(text).not.toContain('Recorded for');
  });
});

describe('rollover drops comments that describe last year', () => {
  it('removes the trailing comments of fiscal_year and as_of, keeping the others', () => {
    const out = rollText(readFileSync('examples/asahi-2020-09.yaml', 'utf8'), 2021, 'en');
    expect(out).toMatch(/^fiscal_year: 2021$/m);
    expect(out).toMatch(/^as_of: null$/m);
    expect(out).toContain('# shown as 参考, not added into 合計');
  });
});
