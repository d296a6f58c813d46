// Page 1 when （１） prints its year columns in several bands (numbers too wide for one band of a
// 10-year plan) and the 数値目標 has a long name: each band repeats the name, so even the bands without
// a KPI row took more than the page leaves （１）. Before, （２） was laid out in less room than its
// least height and ran over （３）, and （３） and the 別紙 references fell below the page (the property
// test at SHEETGEN_PROPERTY_SEED=2). Now the later bands continue on 別紙, whole, after what continues
// from the bands printed, with a reference line under the last band printed.
// Prose long enough to need all of （２）'s room makes the overlap show.

import { describe, expect, it } from 'vitest';
import { sheetFromShape, type SheetShape } from '../../scripts/gen-sheets.mjs';
import { loadFonts } from '../../src/render/fonts.js';
import {
  buildSheet,
  checkLayout,
  checkSheet,
  expectNoLoss,
  findInOrder,
  formatViolations,
  gradeText,
  readPdf,
} from '../helpers/invariants.js';
import { GOAL_NAME, GOAL_NOTE, long, TITLE } from '../helpers/page1-text.js';

const fonts = loadFonts();

const YEARS = [2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025];

/** A 10-year plan (令和2〜11年度) with 参考 years, actuals of 15 digits: three bands of year columns. */
const SHEET = `version: 1
municipality: 旭市
fiscal_year: 2025
stage: 事後・決算
as_of: null
plan_period: { from: 2020, to: 2029 }
reference_years: [2018, 2019]
basic_goal: 2
measure: { number: 9, title: 旭市生涯活躍のまち構想 }
lead_division: 企画政策課
goal:
  name: "${GOAL_NAME}"
  note: "${GOAL_NOTE}"
  unit: 人／日
  better: higher
  baseline: { value: 91, year: 2018 }
  target: { value: 200 }
  actuals: { ${YEARS.map((y, i) => `${y}: ${i % 2 ? '-' : ''}98765432109${i}.567`).join(', ')} }
kpis:
  - number: 16
    name: 移住相談件数
    unit: 件
    baseline: { value: 91, year: 2018 }
    target: { value: 200 }
    actuals: { 2019: 85, 2020: 114, 2021: 120, 2025: 130 }
progress: 概ね順調
reasons: |
  【達成状況：Ｄ】数値目標は下落した。

  ＫＰＩ16【達成状況：Ａ】移住相談件数は、専用サイトの開設により前年度実績を上回ることができた。
situation: |
  【現状】
  ${long('現状')}
policy: |
  ${long('方針')}
committee:
  - number: 35
    opinion: ${long('意見')}
    response: ${long('回答')}
projects:
  - number: 1
    main: true
    code: "3670"
    name: 生涯活躍のまち形成事業
    cost: { 2019: 8636, 2020: 537409 }
    general_fund: { 2019: 4533, 2020: 16091 }
    outcomes:
      - { name: 移住相談件数, unit: 件, values: { 2019: 85, 2020: 114 } }
`;

const flat = (s: string) => s.replace(/\s+/gu, '');

/**
 * The same at the format's edges: a header row grown by 100–200-character titles, 3 参考 years, KPI
 * values of 13 digits narrowing the name column, (3) in two bands. The first band alone leaves (2)
 * less than two lines a row: each row keeps its heading and what fits, the rest on 別紙.
 */
const money = Array.from({ length: 12 }, (_, i) => `${2018 + i}: -99999999999${i % 10}`).join(', ');
const CROWDED = SHEET.replace('reference_years: [2018, 2019]', 'reference_years: [2017, 2018, 2019]')
  .replace(
    'measure: { number: 9, title: 旭市生涯活躍のまち構想 }\nlead_division: 企画政策課',
    `measure: { number: 9, title: "${TITLE}" }\nlead_division: "${TITLE.slice(0, 100)}"\nrelated_divisions: ["${TITLE.slice(0, 150)}"]`,
  )
  .replace(
    '    baseline: { value: 91, year: 2018 }\n    target: { value: 200 }\n    actuals: { 2019: 85',
    '    baseline: { value: -999999999999.9, year: 2018, note: "（市民参画による集計）" }\n    target: { value: 999999999999.9, year: 2027 }\n    actuals: { 2019: 85',
  )
  .replace('cost: { 2019: 8636, 2020: 537409 }', `cost: { ${money} }`)
  .replace('general_fund: { 2019: 4533, 2020: 16091 }', `general_fund: { ${money} }`);

describe('page 1 with (1) in several bands of year columns', () => {
  it('keeps (2) and (3) on the page, apart, and continues the later bands on 別紙: nothing lost, in order', async () => {
    const graded = gradeText('bands.yaml', SHEET);
    const built = await buildSheet(graded, fonts);
    expect(built.errors).toEqual([]);
    // The case itself: (1) needs three bands.
    const bands = built.warnings.find((w) => w.code === 'layout.bands' && w.message.includes('（１）'));
    expect(bands?.message).toMatch(/3 (段|bands)/u);
    expect(bands, JSON.stringify(built.warnings.map((w) => w.message))).toBeDefined();

    // Both levels: nothing overlaps, nothing outside its page or cell, nothing lost, reading order kept.
    const v = checkSheet(graded, built.pages, built.pdf, fonts, { requireCells: true });
    expectNoLoss(v);

    // Page 1 still holds the three sections, in order, (3) last.
    const doc = readPdf(built.pdf);
    const sections = [
      '（１）施策の目標指標、KPI',
      '（２）重点施策に関する検証',
      '（３）当該重点施策に関連する事業について',
    ];
    let from = 0;
    for (const s of sections) {
      const at = doc.flat.indexOf(flat(s), from);
      expect(at, s).toBeGreaterThanOrEqual(0);
      expect(doc.pageOf[at], s).toBe(1);
      from = at;
    }

    // The later bands (令和4年度〜, 令和8年度〜) stand on the 別紙 page that page 1 refers to, each 数値目標 before its KPIs.
    const heading = doc.flat.indexOf(flat('（１）施策の目標指標、KPI（令和4年度〜'));
    expect(heading).toBeGreaterThan(0);
    const annexNo = doc.pageOf[heading]! - 2; // 別紙 1 follows the sheet's two pages
    expect(annexNo).toBeGreaterThanOrEqual(1);
    const p1 = doc.flat.slice(0, doc.pageOf.indexOf(2));
    expect(p1).toContain(flat(`（別紙 ${annexNo} に続く）`));
    const name = findInOrder(doc, flat(GOAL_NAME), heading);
    expect(name.pages[0]).toBe(annexNo + 2);
    const kpis = doc.flat.indexOf(flat('（１）重要業績評価指標（KPI）（令和4年度〜'), heading);
    expect(kpis).toBeGreaterThan(heading);
    const third = doc.flat.indexOf(flat('（１）施策の目標指標、KPI（令和8年度〜'), kpis);
    expect(third).toBeGreaterThan(kpis);
    expect(doc.flat.indexOf(flat('（１）重要業績評価指標（KPI）（令和8年度〜'), third)).toBeGreaterThan(third);
    // The user is told where each went.
    for (const from of ['令和4年度〜', '令和8年度〜'])
      expect(
        built.warnings.some((w) => w.code === 'layout.overflow' && w.message.includes(`（１）${from}`)),
        from,
      ).toBe(true);
  });

  it('at the edges of the format, gives (2) what the first band leaves it and no more', async () => {
    expect(CROWDED).not.toBe(SHEET);
    expect(CROWDED).toContain(TITLE);
    expect(CROWDED).toContain('-999999999999.9');
    expect(CROWDED).toContain(money);
    const graded = gradeText('crowded.yaml', CROWDED);
    const built = await buildSheet(graded, fonts);
    expect(built.errors).toEqual([]);
    expectNoLoss(checkSheet(graded, built.pages, built.pdf, fonts, { requireCells: true }));
    // Here every KPI row continues on 別紙: page 1's KPI block says so, not "-" (a sheet without KPIs).
    const doc = readPdf(built.pdf);
    const p1 = doc.flat.slice(0, doc.pageOf.indexOf(2));
    const kpiBlock = p1.slice(p1.indexOf(flat('重要業績評価指標（KPI）')));
    expect(kpiBlock).toMatch(/^重要業績評価指標（KPI）.*（決算）別紙のとおり（別紙\d+に続く）/u);
    // The KPI rows of the band printed and the later bands continue on the same 別紙 page: page 1 says
    // so once, in one reference line under the band (before, two lines, one under the other), and the
    // warnings still name both.
    const refs = [...p1.matchAll(/（別紙(\d+)に続く）/gu)];
    const underBand = p1.slice(p1.indexOf(flat('別紙のとおり')), p1.indexOf(flat(graded.scheme.title)));
    expect([...underBand.matchAll(/（別紙(\d+)に続く）/gu)].length, underBand).toBe(1);
    const kpiRest = doc.flat.indexOf(flat('（１）施策の目標指標、KPI（続き'));
    const laterBands = doc.flat.indexOf(flat('（１）施策の目標指標、KPI（令和'));
    expect(kpiRest).toBeGreaterThan(0);
    expect(laterBands).toBeGreaterThan(kpiRest);
    expect(doc.pageOf[laterBands]).toBe(doc.pageOf[kpiRest]);
    expect(refs[0]![1]).toBe(String(doc.pageOf[kpiRest]! - 2));
    for (const label of ['（１）ＫＰＩ16 以降', '（１）令和'])
      expect(
        built.warnings.some((w) => w.code === 'layout.overflow' && w.message.includes(label)),
        label,
      ).toBe(true);
    // (2)'s rows continue on 別紙, the user told so.
    for (const f of ['situation', 'policy'])
      expect(
        built.warnings.some((w) => w.code === 'layout.overflow' && w.path?.[0] === f),
        f,
      ).toBe(true);
  });

  it('names both 別紙 pages in the one reference line when the KPI rows continued fill a page of their own', {
    timeout: 60_000,
  }, async () => {
    const more = Array.from(
      { length: 40 },
      (_, k) =>
        `  - number: ${20 + k}\n    name: 移住相談件数${k}\n    unit: 件\n    baseline: { value: 91, year: 2018 }\n    target: { value: 200 }\n    actuals: { 2019: 85, 2020: 114 }\n`,
    ).join('');
    const graded = gradeText('crowded-kpis.yaml', CROWDED.replace('progress: 概ね順調', `${more}progress: 概ね順調`));
    expect(graded.kpis.length).toBe(41);
    const built = await buildSheet(graded, fonts);
    expect(built.errors).toEqual([]);
    expectNoLoss(checkSheet(graded, built.pages, built.pdf, fonts, { requireCells: true }));
    const doc = readPdf(built.pdf);
    const p1 = doc.flat.slice(0, doc.pageOf.indexOf(2));
    const underBand = p1.slice(p1.indexOf(flat('（１）施策の目標指標、KPI')), p1.indexOf(flat(graded.scheme.title)));
    const refs = [...underBand.matchAll(/（別紙([\d・]+)に続く）/gu)].map((m) => m[1]!);
    expect(refs).toHaveLength(1);
    const kpiRest = doc.flat.indexOf(flat('（１）施策の目標指標、KPI（続き'));
    const laterBands = doc.flat.indexOf(flat('（１）施策の目標指標、KPI（令和'));
    expect(doc.pageOf[laterBands]).toBeGreaterThan(doc.pageOf[kpiRest]!);
    expect(refs[0]).toBe(`${doc.pageOf[kpiRest]! - 2}・${doc.pageOf[laterBands]! - 2}`);
  });

  // The sheets the property test found (seed 2, 40 runs): three bands of a 10-year plan under a goal of
  // 141-character name, 19 KPIs; page 1 is checked on the layout level (overlap, outside the page).
  const found: SheetShape[] = [
    {
      seed: 2147483647,
      planYears: 10,
      planFrom: 2035,
      fiscalYearIndex: 5,
      referenceYears: 2,
      prose: { reasons: 317, situation: 4, policy: 397, item5: 4737, remarks: 243 },
      kpis: 19,
      committee: 2,
      committeeChars: 1500,
      projects: [5, 5, 2, 0, 1, 5, 1, 1, 2, 1, 2, 4, 5, 3, 2],
      nameChars: 141,
      numbers: 'mixed',
      relatedDivisions: 2,
      relatedPolicyProjects: 1,
      reasonsByIndicator: false,
    },
  ];
  it.each(found.map((shape, i) => [i, shape] as const))(
    'generated sheet %i: page 1 holds (2) and (3) apart, within the page',
    async (_, shape) => {
      const graded = gradeText('generated.yaml', sheetFromShape(shape));
      const built = await buildSheet(graded, fonts);
      expect(built.errors).toEqual([]);
      const v = checkLayout(built.pages.slice(0, 1), fonts, { requireCells: true }).filter(
        (x) => x.kind === 'overlap' || x.kind === 'outside-page' || x.kind === 'outside-cell',
      );
      expect(v, formatViolations(v, 10)).toEqual([]);
    },
  );
});
