// projects.csv / projects.json: every figure of (3) and (4) as one plain row, checked against the
// seed's numbers and, on generated project tables, by invariants (nothing lost, totals add up).
import * as fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeFile } from '../../src/core/grade.js';
import { projectsCsv } from '../../src/export/csv.js';
import { projectsJson } from '../../src/export/json.js';
import { ITEM_LABELS, PROJECT_COLUMNS, projectRows, type ProjectRow } from '../../src/export/projects.js';
import { computeTotals } from '../../src/model/totals.js';
import type { GradedSheet, Measured, Project } from '../../src/model/types.js';
import { parseCsv } from '../helpers/csv.js';

let seed: GradedSheet;
beforeAll(async () => {
  seed = (await gradeFile('examples/asahi-2020-09.yaml', { lang: 'en' })).graded!;
});

const pick = (rows: ProjectRow[], item: ProjectRow['item'], year: number | null) =>
  rows.filter((r) => r.item === item && r.year === year);

describe('projects of the seed', () => {
  it('gives each figure of slot 1 with its year, 参考 flag and unit', () => {
    const rows = projectRows(seed, '2020-09.pdf');
    const slot = rows.filter((r) => r.project_number === 1);
    expect(slot.map((r) => [r.item, r.item_name, r.unit, r.year, r.reference, r.value])).toEqual([
      ['cost', null, '千円', 2019, true, 8636],
      ['cost', null, '千円', 2020, false, 537409],
      ['general_fund', null, '千円', 2019, true, 4533],
      ['general_fund', null, '千円', 2020, false, 16091],
      ['outcome', '移住相談件数', '件', 2019, true, 85],
      ['outcome', '移住相談件数', '件', 2020, false, 114],
    ]);
    expect(
      slot.every(
        (r) => r.project_code === '3670' && r.project_name === '生涯活躍のまち形成事業' && r.main_project === true,
      ),
    ).toBe(true);
    expect(slot[0]!.year_wareki).toBe('令和1年度');
  });

  it('gives (3): totals per year and the plan total, which leaves out the 参考 year', () => {
    const rows = projectRows(seed, '2020-09.pdf');
    expect(pick(rows, 'cost_total', 2019)[0]!.value).toBe(8636);
    expect(pick(rows, 'cost_total', 2020)[0]!.value).toBe(537409);
    expect(pick(rows, 'cost_total', null)[0]).toMatchObject({ plan_total: true, value: 537409, reference: null });
    expect(pick(rows, 'general_fund_total', null)[0]).toMatchObject({ plan_total: true, value: 16091 });
  });

  it('projects.csv: BOM, CRLF, Japanese headings and 区分, plain numbers; projects.json the same rows', () => {
    const rows = projectRows(seed, '2020-09.pdf');
    const text = projectsCsv(rows);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const csv = parseCsv(text.slice(1));
    expect(csv[0]).toEqual(PROJECT_COLUMNS.map((c) => c.label));
    expect(csv.length).toBe(rows.length + 1);
    const col = (l: string) => csv[0]!.indexOf(l);
    expect(new Set(csv.slice(1).map((r) => r[col('区分')]))).toEqual(new Set(Object.values(ITEM_LABELS)));
    expect(csv.find((r) => r[col('区分')] === '事業費' && r[col('対象年度')] === '2020')![col('値')]).toBe('537409');
    const json = projectsJson(rows);
    expect(json.fields.map((f) => f.label)).toEqual(csv[0]);
    json.rows.forEach((r, i) => {
      expect(Object.keys(r)).toEqual(PROJECT_COLUMNS.map((c) => c.key));
      PROJECT_COLUMNS.forEach((c, j) => {
        const v = r[c.key];
        const cell = csv[i + 1]![j]!;
        if (v === null) expect(cell).toBe('');
        else if (c.key === 'item') expect(cell).toBe(ITEM_LABELS[v as ProjectRow['item']]);
        else if (typeof v === 'number') expect(Number(cell)).toBe(v);
        else expect(cell.replace(/^'/, '')).toBe(String(v));
      });
    });
  });
});

describe('projects of generated tables (property)', () => {
  const years = [2019, 2020, 2021, 2022, 2023, 2024];
  const money = fc.option(fc.integer({ min: -999_999_999, max: 999_999_999 }), { nil: undefined });
  const yearValues = fc
    .tuple(...years.map(() => money))
    .map((vs) => new Map(vs.flatMap((v, i) => (v === undefined ? [] : [[years[i]!, v] as [number, number]]))));
  const project = fc.record({
    main: fc.boolean(),
    name: fc.string({ minLength: 1, maxLength: 30 }),
    cost: yearValues,
    generalFund: yearValues,
    outcomes: fc.array(
      fc.record({
        name: fc.string({ minLength: 1, maxLength: 20 }),
        unit: fc.constantFrom('件', '人', '%'),
        values: yearValues,
      }),
      { maxLength: 5 },
    ),
  });

  it('every figure appears once, and the totals rows are the sums of the project rows', () => {
    fc.assert(
      fc.property(fc.array(project, { minLength: 0, maxLength: 15 }), (raw) => {
        const projects: Project[] = raw.map((p, i) => ({
          number: i + 1,
          main: p.main,
          name: p.name,
          cost: p.cost,
          generalFund: p.generalFund,
          path: ['projects', i],
          outcomes: p.outcomes.map((o, j) => ({
            name: o.name,
            unit: o.unit,
            path: ['projects', i, 'outcomes', j],
            values: new Map([...o.values].map(([y, v]) => [y, { value: v, calendar: false, path: [] } as Measured])),
          })),
        }));
        const sheet = { ...seed.sheet, projects };
        const g: GradedSheet = { ...seed, sheet, totals: computeTotals(sheet) };
        const rows = projectRows(g, 'x.pdf');
        // Nothing lost: one row per figure of the model, with its value.
        let figures = 0;
        for (const p of projects) {
          for (const [item, map] of [
            ['cost', p.cost],
            ['general_fund', p.generalFund],
          ] as const) {
            for (const [y, v] of map) {
              figures++;
              expect(
                rows
                  .filter((r) => r.project_number === p.number && r.item === item && r.year === y)
                  .map((r) => r.value),
              ).toEqual([v]);
            }
          }
          for (const o of p.outcomes)
            for (const [y, m] of o.values) {
              figures++;
              expect(
                rows
                  .filter(
                    (r) =>
                      r.project_number === p.number && r.item === 'outcome' && r.item_name === o.name && r.year === y,
                  )
                  .map((r) => r.value),
              ).toContain(m.value);
            }
        }
        expect(rows.filter((r) => r.project_number !== null).length).toBe(figures);
        // (3) adds up: per year, and over the plan years without the 参考 years.
        for (const [total, item] of [
          ['cost_total', 'cost'],
          ['general_fund_total', 'general_fund'],
        ] as const) {
          let plan = 0;
          for (const y of years) {
            const parts = rows.filter((r) => r.item === item && r.year === y);
            const t = pick(rows, total, y);
            if (parts.length === 0) expect(t).toEqual([]);
            else {
              expect(t.map((r) => r.value)).toEqual([parts.reduce((a, r) => a + r.value!, 0)]);
              if (!sheet.referenceYears.includes(y) && y >= sheet.planPeriod.from && y <= sheet.planPeriod.to)
                plan += t[0]!.value!;
            }
          }
          expect(pick(rows, total, null).map((r) => r.value)).toEqual([plan]);
        }
        // The CSV holds every row, one value per cell.
        const csv = parseCsv(projectsCsv(rows).slice(1));
        expect(csv.length).toBe(rows.length + 1);
        for (const r of csv) expect(r.length).toBe(PROJECT_COLUMNS.length);
      }),
      { numRuns: 60, seed: 20261130 },
    );
  }, 60_000);
});

describe('projects.csv and projects.json of a batch build', () => {
  it('are written beside grades.csv, with the same bytes sheetgen export gives', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { buildBatch } = await import('../../src/core/batch.js');
    const { collectOpenData, tableText } = await import('../../src/core/export.js');
    const examples = ['examples/asahi-2020-03.yaml', 'examples/asahi-2020-05.yaml', 'examples/asahi-2020-09.yaml'];
    const out = mkdtempSync(join(tmpdir(), 'sheetgen-projects-'));
    try {
      const r = await buildBatch(examples, { lang: 'en', outDir: out, jobs: 1 });
      expect(r.sheets.every((s) => s.status === 'built')).toBe(true);
      const data = await collectOpenData(examples, { lang: 'en' });
      expect(readFileSync(join(out, 'projects.csv'), 'utf8')).toBe(tableText(data, 'projects', 'csv'));
      expect(readFileSync(join(out, 'projects.json'), 'utf8')).toBe(tableText(data, 'projects', 'json'));
      expect(readFileSync(join(out, 'grades.csv'), 'utf8')).toBe(tableText(data, 'grades', 'csv'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
