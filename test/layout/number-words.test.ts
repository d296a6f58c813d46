// A number in a table's text (a project's name holding "539,043%192,450") is never broken between
// digits while a size or a column width can hold it: the table shrinks first, a text column does not
// give the width its widest run of digits needs to the year columns, and fewer year columns (bands)
// are tried before that; only a run no layout can hold at 6 pt is broken, with a warning. Found by the
// property tests (seed 1): page 2's 事務事業 column, narrowed to its 50 pt for ten year columns,
// printed "…5" over "39,043%192,4" over "50年…".

import { describe, expect, it } from 'vitest';
import { sheetFromShape, type SheetShape } from '../../scripts/gen-sheets.mjs';
import { fitText, LayoutContext } from '../../src/layout/fit.js';
import { atomSize, FLOOR, textLines, widenForAtoms, wordsSplit, type Cell, type Grid } from '../../src/layout/grid.js';
import { breakLines, widestRun } from '../../src/layout/linebreak.js';
import { loadFonts } from '../../src/render/fonts.js';
import { buildSheet, checkSheet, expectNoLoss, gradeText, readPdf } from '../helpers/invariants.js';

const fonts = loadFonts();
const ctx = () => new LayoutContext(fonts, 'ja');
const NUMBER = '539,043%192,450';
const NAME = `事業者グループ着実に実施、が市民参画605,563年、${NUMBER}年入国制限オンラインセミナー`;

/** Whether some line of the text breaks inside `run`. */
function brokenInside(text: string, lines: readonly { start: number; end: number }[], run: string): boolean {
  const at = text.indexOf(run);
  return lines.some((l) => l.end > at && l.end < at + run.length);
}

/**
 * A name column (flex, at least 50 pt), `n` year columns `yw` wide each holding "947,169(旭)" (44.8 pt
 * at 6 pt with its padding), and a 備考 column (flex, at least 60 pt), as on page 2.
 */
function table(n: number, yw: number): Grid {
  const name: Cell = {
    col: 0,
    tag: 'TH',
    content: { kind: 'text', text: NAME, field: { path: ['projects', 0, 'name'], label: '事務事業名' } },
  };
  const years: Cell[] = Array.from({ length: n }, (_, i) => ({
    col: i + 1,
    tag: 'TD',
    content: {
      kind: 'atoms',
      atoms: ['947,169(旭)'],
      field: { path: ['projects', 0, 'cost', String(i)], label: `年度 ${i}` },
    },
  }));
  const remarks: Cell = { col: n + 1, tag: 'TD', content: { kind: 'text', text: '計画どおり進捗している。' } };
  return { widths: [124, ...years.map(() => yw), 120], rows: [{ cells: [name, ...years, remarks] }] };
}
const flexOf = (g: Grid) => [0, g.widths.length - 1];
const minsOf = (g: Grid) =>
  new Map([
    [0, 50],
    [g.widths.length - 1, 60],
  ]);

describe('a run of digits in a table cell stays whole', () => {
  it('the text column keeps the width its number needs at 6 pt while the year columns widen', () => {
    const c = ctx();
    // Ten year columns 34 pt wide take 108 pt from the text columns: shared in proportion, the name
    // column went down to 68.6 pt, narrower than the number needs at 6 pt.
    const g = table(10, 34);
    const r = widenForAtoms(c, g, flexOf(g), minsOf(g));
    expect(r.impossible).toEqual([]);
    expect(r.squeezed).toEqual([]);
    const run = widestRun(NAME, FLOOR, fonts.regular);
    expect(run.run).toBe(NUMBER);
    expect(r.widths[0]!).toBeGreaterThanOrEqual(run.width + 4);
    const lines = textLines(c, NAME, r.widths[0]!, FLOOR);
    expect(brokenInside(NAME, lines, NUMBER)).toBe(false);
    expect(wordsSplit(c, { ...g, widths: r.widths })).toEqual([]);
    // The 備考 column gave the difference: the table is as wide as before.
    const total = (w: number[]) => w.reduce((a, b) => a + b);
    expect(total(r.widths)).toBeCloseTo(total(g.widths), 6);
    expect(r.widths[11]!).toBeLessThan(120 - 50);
  });

  it('names the cell as squeezed when the year columns need that width too (fewer years per band then)', () => {
    const c = ctx();
    // 123 pt to give: more than the text columns have above the number's need, not above their minimums.
    const g = table(10, 32.5);
    const r = widenForAtoms(c, g, flexOf(g), minsOf(g));
    expect(r.impossible).toEqual([]);
    expect(r.squeezed.map((f) => f.label)).toEqual(['事務事業名']);
    expect(wordsSplit(c, { ...g, widths: r.widths }).map((s) => s.run)).toEqual([NUMBER]);
    // Half the year columns leave the name its width.
    const half = table(5, 32.5);
    expect(widenForAtoms(c, half, flexOf(half), minsOf(half)).squeezed).toEqual([]);
  });

  it('the table shrinks before a number in its text is broken (atomSize counts text cells)', () => {
    const c = ctx();
    const run = widestRun(NAME, 1, fonts.regular).width;
    // A column that holds the number at 6.5 pt but not at 8 pt.
    const w = run * 6.6 + 4 + 0.3;
    const g: Grid = { widths: [w], rows: [{ cells: [{ col: 0, tag: 'TD', content: { kind: 'text', text: NAME } }] }] };
    const s = atomSize(c, g, 8);
    expect(s).toBe(6.5);
    expect(brokenInside(NAME, breakLines(NAME, w - 4, 8, fonts.regular), NUMBER)).toBe(true);
    expect(brokenInside(NAME, breakLines(NAME, w - 4, s, fonts.regular), NUMBER)).toBe(false);
  });

  it('a run no column holds even at 6 pt is broken between characters, with a warning naming the field', () => {
    const c = ctx();
    const long = `番号 ${'1234567890'.repeat(6)} の件`;
    const field = { path: ['projects', 0, 'remarks'], label: '備考欄' };
    const g: Grid = {
      widths: [60],
      rows: [{ cells: [{ col: 0, tag: 'TD', content: { kind: 'text', text: long, field } }] }],
    };
    expect(wordsSplit(c, g).map((s) => s.field.label)).toEqual(['備考欄']);
    // In a box: fitText shrinks to the floor, breaks the run and says so.
    const box = ctx();
    const runs = fitText(box, { text: long, field }, { x: 0, y: 0, w: 60, h: 200 });
    // No size holds it: broken at the preferred size (shrinking would not keep it whole).
    expect(runs.length).toBeGreaterThan(1);
    const warn = box.warnings.find((w) => w.code === 'layout.split-word');
    expect(warn?.path).toEqual(field.path);
    expect(warn?.message).toContain('備考欄');
    // A run that fits at the floor: no such warning.
    const fine = ctx();
    fitText(fine, { text: `番号 ${NUMBER} の件`, field }, { x: 0, y: 0, w: 80, h: 200 });
    expect(fine.warnings.some((w) => w.code === 'layout.split-word')).toBe(false);
  });
});

describe('the generated sheet that broke "539,043%192,450" on page 2 (property seed 1)', () => {
  // The shape the property test drew (SHEETGEN_PROPERTY_SEED=1, the tall-row run).
  const shape: SheetShape = {
    seed: 713682064,
    planYears: 9,
    planFrom: 2028,
    fiscalYearIndex: 6,
    referenceYears: 1,
    prose: { reasons: 0, situation: 391, policy: 340, item5: -1, remarks: 594 },
    kpis: 1,
    committee: 3,
    committeeChars: 256,
    projects: [2, 0, 0, 4, 2, 1, 2, 1, 1, 3, 3, 1, 3, 5, 2],
    nameChars: 200,
    numbers: 'plain',
    relatedDivisions: 2,
    relatedPolicyProjects: 0,
    reasonsByIndicator: false,
    tallRow: { kind: 'committee', at: 29, chars: 4000 },
  };

  it('prints the number on one line and keeps every invariant', { timeout: 60_000 }, async () => {
    const yaml = sheetFromShape(shape);
    expect(yaml).toContain(NUMBER);
    const g = gradeText('seed1.yaml', yaml);
    const built = await buildSheet(g, fonts);
    expect(built.errors).toEqual([]);
    expectNoLoss(checkSheet(g, built.pages, built.pdf, fonts, { requireCells: true }));
    // Read back: one extracted line holds the whole number.
    const doc = readPdf(built.pdf);
    expect(doc.boxes.some((b) => b.text.includes(NUMBER))).toBe(true);
    expect(built.warnings.some((w) => w.code === 'layout.split-word')).toBe(false);
  });
});
