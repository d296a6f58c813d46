//! Grading schemes: the built-in files are valid and match the grading rules (README "Grading", docs/format.md)'s legend; user scheme files
//! load, grade, and fail with a SheetgenError naming the file (exit 2 missing, exit 1 invalid).

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SheetgenError } from '../../src/diagnostics.js';
import {
  BUILTIN_SCHEMES,
  checkScheme,
  gradeIndicator,
  loadScheme,
  parseScheme,
  schemeInfo,
  type GradingScheme,
} from '../../src/grade/index.js';
import type { Indicator } from '../../src/model/types.js';

const dir = mkdtempSync(join(tmpdir(), 'sheetgen-grading-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeScheme(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

function caught(fn: () => unknown): SheetgenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SheetgenError);
    return err as SheetgenError;
  }
  throw new Error('expected a SheetgenError');
}

const asahi = loadScheme();

/** A valid scheme to mutate, deep-copied from asahi. */
function asahiCopy(): GradingScheme & Record<string, unknown> {
  return structuredClone(asahi) as GradingScheme & Record<string, unknown>;
}

describe('built-in schemes', () => {
  it('asahi is the default', () => {
    expect(loadScheme()).toBe(BUILTIN_SCHEMES.asahi);
    expect(loadScheme('asahi').id).toBe('asahi');
    expect(loadScheme('five-level').id).toBe('five-level');
  });

  it.each(Object.keys(BUILTIN_SCHEMES))(
    '%s passes the JSON Schema and the extra checks, as its file on disk',
    (name) => {
      const file = new URL(`../../grading/${name}.json`, import.meta.url).pathname;
      const onDisk = parseScheme(JSON.parse(readFileSync(file, 'utf8')), file);
      expect(onDisk).toEqual(BUILTIN_SCHEMES[name]);
      expect(checkScheme(onDisk)).toEqual([]);
      // Loading the same file by path gives the same scheme.
      expect(loadScheme(file)).toEqual(BUILTIN_SCHEMES[name]);
    },
  );

  it('asahi prints the legend of the seed sheet', () => {
    expect(schemeInfo(asahi)).toEqual({
      id: 'asahi',
      name: '旭市 重点施策マネジメントシート',
      title: 'KPI達成状況の評価（数値目標）',
      legend: [
        { grade: 'S', text: '目標値を達成（見込み）' },
        { grade: 'A', text: '基準値より上昇（10%以上）' },
        { grade: 'B', text: '基準値より上昇（10%未満）' },
        { grade: 'C', text: '基準値と同水準（基準値と同値～△10％未満）' },
        { grade: 'D', text: '基準値より下落（△10％以下）' },
        { grade: '―', text: '評価不能（KPIの実績値が無い状態）' },
      ],
    });
  });

  it('five-level has S A B C ―', () => {
    const five = loadScheme('five-level');
    expect(schemeInfo(five).legend.map((e) => e.grade)).toEqual(['S', 'A', 'B', 'C', '―']);
    expect(five.noData).toBe('―');
  });

  it('schemeInfo copies, so a caller cannot change the scheme', () => {
    const info = schemeInfo(asahi);
    info.legend[0]!.text = 'x';
    expect(asahi.legend[0]!.text).toBe('目標値を達成（見込み）');
  });
});

describe('a scheme file', () => {
  it('loads and grades by its own bands', () => {
    // r ≥ 0.05 → 上; r ≥ 0 → 横 (0 included here, unlike asahi); else 下.
    const file = writeScheme('three.json', {
      id: 'three',
      name: '三段階',
      title: '達成状況',
      legend: [
        { grade: '◎', text: '達成' },
        { grade: '上', text: '5%以上の上昇' },
        { grade: '横', text: '横ばい' },
        { grade: '下', text: '下落' },
        { grade: '－', text: '評価不能' },
      ],
      noData: '－',
      targetMet: '◎',
      zeroBaseline: { improved: '上', equal: '横', worsened: '下' },
      bands: [
        { grade: '上', min: '0.05', inclusive: true },
        { grade: '横', min: '0', inclusive: true },
        { grade: '下' },
      ],
    });
    const s = loadScheme(file);
    const ind = (actual: number): Indicator => ({
      kind: 'kpi',
      number: 1,
      name: 'n',
      unit: '件',
      better: 'higher',
      baseline: { value: 20, calendar: false, path: [] },
      actuals: new Map([[2020, { value: actual, calendar: false, path: [] }]]),
      path: [],
    });
    expect([21, 20.99, 20, 19.99].map((a) => gradeIndicator(ind(a), 2020, s).grade)).toEqual(['上', '横', '横', '下']);
    expect(gradeIndicator({ ...ind(1), actuals: new Map() }, 2020, s).grade).toBe('－');
  });

  it('accepts equal bounds as "r > x" then "r ≥ x"', () => {
    const s = asahiCopy();
    s.bands = [{ grade: 'A', min: '0', inclusive: false }, { grade: 'C', min: '0', inclusive: true }, { grade: 'D' }];
    expect(checkScheme(s)).toEqual([]);
  });

  it('may start with a BOM', () => {
    const file = writeScheme('bom.json', `\uFEFF${JSON.stringify(asahi)}`);
    expect(loadScheme(file).id).toBe('asahi');
  });
});

describe('loadScheme errors', () => {
  it('a missing file exits 2 and names the file', () => {
    const file = join(dir, 'nope.json');
    const err = caught(() => loadScheme(file));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/no such file/);
    expect(err.diagnostics[0]).toMatchObject({ severity: 'error', code: 'grading.missing', file });
  });

  it('an unknown built-in name is taken as a path and exits 2', () => {
    const err = caught(() => loadScheme('asahi-2'));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/asahi-2.*built-in schemes: asahi, five-level/);
  });

  it('a directory exits 2', () => {
    const sub = join(dir, 'a-dir.json');
    mkdirSync(sub, { recursive: true });
    expect(caught(() => loadScheme(sub)).exitCode).toBe(2);
  });

  it('invalid JSON exits 1 and names the file', () => {
    const file = writeScheme('broken.json', '{ "id": "x", ');
    const err = caught(() => loadScheme(file));
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/not valid JSON/);
  });

  const invalidCases: [string, (s: GradingScheme & Record<string, unknown>) => void, RegExp[]][] = [
    [
      'a missing property',
      (s) => Reflect.deleteProperty(s, 'noData'),
      [/\(root\): must have required property 'noData'/],
    ],
    ['an unknown property', (s) => (s.colour = 'red'), [/unknown property "colour"/]],
    [
      'a bound given as a number',
      (s) => ((s.bands[0] as unknown as { min: number }).min = 0.1),
      [/bands\[0\]\.min: must be string/],
    ],
    ['a bound that is not a decimal', (s) => (s.bands[0]!.min = '10%'), [/bands\[0\]\.min: must match pattern/]],
    [
      'min without inclusive',
      (s) => delete s.bands[0]!.inclusive,
      [/bands\[0\]: must have property inclusive when property min is present/],
    ],
    ['a bad id', (s) => (s.id = 'Asahi City'), [/id: must match pattern/]],
    ['an empty legend', (s) => (s.legend = []), [/legend: must NOT have fewer than 1 items/]],
    [
      'every error, not the first',
      (s) => {
        s.id = '';
        s.targetMet = '';
      },
      [/id: must match pattern/, /targetMet: must NOT have fewer than 1 characters/],
    ],
    [
      'bounds that do not decrease',
      (s) => {
        s.bands[1]!.min = '0.2';
      },
      [/bands\[1\]\.min: bounds must decrease.*"0\.2".*bands\[0\]\.min "0\.1"/],
    ],
    [
      'equal bounds that make a band unreachable',
      (s) => {
        s.bands[1] = { grade: 'B', min: '0.10', inclusive: true };
      },
      [/bands\[1\]\.min: bounds must decrease/],
    ],
    [
      'a last band with a bound',
      (s) => (s.bands[3] = { grade: 'D', min: '-1', inclusive: true }),
      [/bands\[3\]: the last band must have no "min"/],
    ],
    [
      'an open band before the last',
      (s) => (s.bands[1] = { grade: 'B' }),
      [/bands\[1\]: only the last band may omit "min"/],
    ],
    [
      'a band grade not in the legend',
      (s) => (s.bands[0]!.grade = 'AA'),
      [/bands\[0\]\.grade: grade "AA" is not in the legend/],
    ],
    ['a no-data grade not in the legend', (s) => (s.noData = '-'), [/noData: grade "-" is not in the legend/]],
    [
      'a zero-baseline grade not in the legend',
      (s) => (s.zeroBaseline.equal = 'E'),
      [/zeroBaseline\.equal: grade "E" is not in the legend/],
    ],
    [
      'a grade twice in the legend',
      (s) => s.legend.push({ grade: 'S', text: 'again' }),
      [/legend: grade "S" appears twice/],
    ],
  ];

  it.each(invalidCases)('%s exits 1 and says where', (_label, mutate, patterns) => {
    const s = asahiCopy();
    mutate(s);
    const file = writeScheme(`bad-${_label.replaceAll(' ', '-')}.json`, s);
    const err = caught(() => loadScheme(file));
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain(`grading scheme ${file} is not valid`);
    for (const p of patterns) expect(err.message).toMatch(p);
    expect(err.diagnostics.length).toBeGreaterThanOrEqual(patterns.length);
    for (const d of err.diagnostics) expect(d).toMatchObject({ severity: 'error', code: 'grading.invalid', file });
  });

  it('a JSON value that is not an object exits 1', () => {
    const file = writeScheme('array.json', '[]');
    expect(caught(() => loadScheme(file)).message).toMatch(/\(root\): must be object/);
  });
});
