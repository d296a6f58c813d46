import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradeTable } from '../../src/cli/grade.js';
import { gradeLoaded } from '../../src/core/grade.js';
import { loadSheetText } from '../../src/core/load.js';

const seed = readFileSync(new URL('../../examples/asahi-2020-09.yaml', import.meta.url), 'utf8');

function tableFor(baseline: number, actual: number): string {
  const text = seed
    .replace('baseline: { value: 91, year: 2018 }', `baseline: { value: ${baseline}, year: 2018 }`)
    .replace('actuals: { 2019: 85, 2020: 114 }', `actuals: { 2019: 85, 2020: ${actual} }`);
  const r = gradeLoaded(loadSheetText('s.yaml', text, 'en'), { lang: 'en' });
  if (!r.graded) throw new Error(JSON.stringify(r.diagnostics));
  return gradeTable(r.graded, 'en')
    .split('\n')
    .find((l) => l.startsWith('KPI16'))!;
}

describe('grade table: the change column never contradicts the grade', () => {
  it.each([
    [30, 32.99, '+9.9%', 'B'],
    [30, 27.01, '-9.9%', 'C'],
    [30, 33, '+10.0%', 'A'],
    [30, 27, '-10.0%', 'D'],
    [91, 114, '+25.3%', 'A'],
    [30, 30, '0.0%', 'C'],
  ])('%s → %s', (baseline, actual, change, grade) => {
    const line = tableFor(baseline, actual);
    expect(line).toMatch(new RegExp(`\\s${change.replace(/[+.]/g, '\\$&')}\\s+${grade}$`));
  });
});

describe('grade table: numbers as the sheet wrote them', () => {
  it('24.0 → 26.4 of asahi-2020-03 prints 24.0% and 35.0%, not 24% and 35%', () => {
    const text = readFileSync(new URL('../../examples/asahi-2020-03.yaml', import.meta.url), 'utf8');
    const r = gradeLoaded(loadSheetText('examples/asahi-2020-03.yaml', text, 'en'), { lang: 'en' });
    const line = gradeTable(r.graded!, 'en')
      .split('\n')
      .find((l) => l.startsWith('KPI8'))!;
    expect(line.split(/\s{2,}/u).slice(1)).toEqual(['24.0%', '35.0%', '26.4%', '+10.0%', 'A']);
    const k6 = gradeTable(r.graded!, 'en')
      .split('\n')
      .find((l) => l.startsWith('KPI6'))!;
    expect(k6).toContain('50.0%');
  });
});
