// Validated data → domain model: defaults, year keys, shorthand values, trimmed block text, computed totals.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSheetText } from '../../src/core/load.js';
import { computeTotals } from '../../src/model/totals.js';
import { gradeLoaded } from '../../src/core/grade.js';
import { reasonParagraphs } from '../../src/model/marks.js';
import { sheetYears, type ReasonParagraph, type Sheet } from '../../src/model/types.js';

function load(file: string): Sheet {
  const r = loadSheetText(file, readFileSync(file, 'utf8'), 'en');
  expect(r.diagnostics).toEqual([]);
  return r.sheet!;
}

describe('buildSheet', () => {
  const seed = load('examples/asahi-2020-09.yaml');

  it('turns year keys into numbers and shorthand values into measured values', () => {
    expect([...seed.kpis[1]!.actuals.keys()]).toEqual([2019, 2020]);
    expect(seed.kpis[1]!.actuals.get(2020)).toMatchObject({
      value: 114,
      calendar: false,
      path: ['kpis', 1, 'actuals', '2020'],
    });
    expect(seed.goal.actuals.get(2020)).toMatchObject({ value: -74, calendar: true });
    expect(seed.goal.baseline).toMatchObject({ value: -11, year: 2018, calendar: true, path: ['goal', 'baseline'] });
  });

  it('applies defaults: better higher, target year = last plan year, word targets with their criterion', () => {
    expect(seed.kpis[0]!.better).toBe('higher');
    expect(seed.kpis[1]!.target).toMatchObject({ value: 200, year: 2024 });
    expect(seed.goal.target).toMatchObject({ label: '増加', metWhen: { op: 'above', value: 0 }, year: 2024 });
    expect(seed.kpis[0]!.baseline).toBeUndefined();
    expect(seed.kpis[0]!.actuals.size).toBe(0);
  });

  it('drops the final newline of block text but keeps inner line breaks', () => {
    expect(seed.policy.endsWith('取り組む。')).toBe(true);
    expect(seed.situation.split('\n')[0]).toBe('【現状】');
  });

  it('fills optional lists with empty ones for a minimal sheet', () => {
    const min = load('test/fixtures/valid/minimal.yaml');
    expect(min).toMatchObject({
      referenceYears: [],
      relatedDivisions: [],
      committee: [],
      projects: [],
      relatedPolicyProjects: [],
      team: null,
      asOf: null,
    });
    expect(sheetYears(min)).toEqual([2020, 2021, 2022, 2023, 2024]);
  });
});

describe('computeTotals', () => {
  it('adds projects per year and sums 合計 over the plan years only (the seed: 537,409 and 16,091)', () => {
    const t = computeTotals(load('examples/asahi-2020-09.yaml'));
    expect(Object.fromEntries(t.cost)).toEqual({ 2019: 8636, 2020: 537409 });
    expect(Object.fromEntries(t.generalFund)).toEqual({ 2019: 4533, 2020: 16091 });
    expect(t.costTotal).toBe(537409);
    expect(t.generalFundTotal).toBe(16091);
  });

  it('adds several projects, leaving the reference year out of 合計', () => {
    const s = load('examples/asahi-2020-03.yaml');
    const t = computeTotals(s);
    const byHand = (year: number) => s.projects.reduce((a, p) => a + (p.cost.get(year) ?? 0), 0);
    expect(t.cost.get(2019)).toBe(byHand(2019));
    expect(t.cost.get(2020)).toBe(byHand(2020));
    expect(t.costTotal).toBe(byHand(2020) + byHand(2021) + byHand(2022) + byHand(2023) + byHand(2024));
    expect(t.costTotal).not.toBe(byHand(2019) + byHand(2020));
  });
});

describe('② written per indicator', () => {
  const text = readFileSync('examples/asahi-2020-03.yaml', 'utf8');

  it('gives one paragraph per indicator: the 数値目標 first, then the KPIs in the order of kpis, with their YAML paths', () => {
    const s = load('examples/asahi-2020-03.yaml');
    expect(Array.isArray(s.reasons)).toBe(true);
    const r = s.reasons as ReasonParagraph[];
    expect(r.map((p) => p.indicator)).toEqual(['goal', 5, 6, 7, 8]);
    expect(r.map((p) => p.path)).toEqual([
      ['reasons', 'goal'],
      ['reasons', 'kpis', '5'],
      ['reasons', 'kpis', '6'],
      ['reasons', 'kpis', '7'],
      ['reasons', 'kpis', '8'],
    ]);
    expect(r[0]!.text).toMatch(/^令和２年の合計特殊出生率は1\.31（概数）/);
    // Block text loses only its final newline; inner line breaks stay.
    expect(r[4]!.text).toBe(
      '市民意識調査において子育てしやすいまちだと思う市民の割合は26.4％となり、基準値の24.0％から10％上昇した。\nなお、この調査は隔年実施のため、令和元年度の実績値はない。',
    );
  });

  it('orders by the sheet, not by the order the file wrote the paragraphs in', () => {
    const shuffled = text.replace(/ {4}5: (.*)\n {4}6: (.*)\n/u, '    6: $2\n    5: $1\n');
    expect(shuffled).not.toBe(text);
    const r = loadSheetText('x.yaml', shuffled, 'en').sheet!.reasons as ReasonParagraph[];
    expect(r.map((p) => p.indicator)).toEqual(['goal', 5, 6, 7, 8]);
  });

  it('an indicator without a paragraph still gets its (empty) paragraph, so its grade mark prints', () => {
    const without = text.replace(/ {4}7: .*\n/u, '');
    const r = loadSheetText('x.yaml', without, 'en');
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning reasons.missing-paragraph']);
    const p = (r.sheet!.reasons as ReasonParagraph[]).find((x) => x.indicator === 7)!;
    expect(p).toEqual({ indicator: 7, text: '', path: ['reasons', 'kpis', '7'] });
  });

  it('the printed paragraphs carry the marks of the computed grades (Ｃ, Ｓ, Ｂ, Ａ, Ａ for asahi-2020-03)', () => {
    const g = gradeLoaded(loadSheetText('examples/asahi-2020-03.yaml', text, 'en'), { lang: 'en' });
    expect(g.diagnostics).toEqual([]);
    expect(reasonParagraphs(g.graded!).map((p) => p.mark)).toEqual([
      '【達成状況：Ｃ】',
      'ＫＰＩ5【達成状況：Ｓ】',
      'ＫＰＩ6【達成状況：Ｂ】',
      'ＫＰＩ7【達成状況：Ａ】',
      'ＫＰＩ8【達成状況：Ａ】',
    ]);
  });

  it('free text stays one paragraph with no mark of sheetgen (the seed writes its own)', () => {
    const g = gradeLoaded(
      loadSheetText('examples/asahi-2020-09.yaml', readFileSync('examples/asahi-2020-09.yaml', 'utf8'), 'en'),
      { lang: 'en' },
    );
    const printed = reasonParagraphs(g.graded!);
    expect(printed).toHaveLength(1);
    expect(printed[0]!.mark).toBe('');
    expect(printed[0]!.text.startsWith('【達成状況：Ｄ】令和２年は▲74人の社会減となった。')).toBe(true);
  });

  it('⑥ of the seed is 3670 生涯活躍のまち形成事業 (second reading)', () => {
    expect(load('examples/asahi-2020-09.yaml').relatedPolicyProjects).toEqual(['3670 生涯活躍のまち形成事業']);
  });
});
