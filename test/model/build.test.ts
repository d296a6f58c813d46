// Validated data → domain model: defaults, year keys, shorthand values, trimmed block text, computed totals.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSheetText } from '../../src/core/load.js';
import { computeTotals } from '../../src/model/totals.js';
import { sheetYears, type Sheet } from '../../src/model/types.js';

function load(file: string): Sheet {
  const r = loadSheetText(file, readFileSync(file, 'utf8'), 'en');
  expect(r.diagnostics).toEqual([]);
  return r.sheet!;
}

describe('buildSheet', () => {
  const seed = load('examples/asahi-2020-09.yaml');

  it('turns year keys into numbers and shorthand values into measured values', () => {
    expect([...seed.kpis[1]!.actuals.keys()]).toEqual([2019, 2020]);
    expect(seed.kpis[1]!.actuals.get(2020)).toMatchObject({ value: 114, calendar: false, path: ['kpis', 1, 'actuals', '2020'] });
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
    expect(min).toMatchObject({ referenceYears: [], relatedDivisions: [], committee: [], projects: [], relatedPolicyProjects: [], team: null, asOf: null });
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
