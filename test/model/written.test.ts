// Numbers print with the digits the file wrote: the loader keeps each number's source text
// (src/load/written.ts), the model carries it (Measured.written, Target.valueWritten), and
// formatNumber / formatMeasured print it with ▲ and thousands separators, never an exponent.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSheetText } from '../../src/core/load.js';
import { formatMeasured, formatNumber } from '../../src/layout/format.js';
import { plainDecimal } from '../../src/load/written.js';
import type { Sheet } from '../../src/model/types.js';

/** A minimal valid sheet whose KPI 1 has the given baseline, target and 2020 actual, as YAML text. */
function sheetWith(baseline: string, target: string, actual: string): string {
  return [
    'municipality: 旭市',
    'fiscal_year: 2020',
    'stage: 事後・決算',
    'plan_period: { from: 2020, to: 2024 }',
    'basic_goal: 1',
    'measure: { number: 1, title: t }',
    'lead_division: 企画政策課',
    'goal: { name: 人口, unit: 人 }',
    'kpis:',
    '  - number: 1',
    '    name: 割合',
    '    unit: "%"',
    `    baseline: { value: ${baseline}, year: 2019 }`,
    `    target: ${target}`,
    `    actuals: { 2020: ${actual} }`,
    'progress: 順調',
    'reasons: 理由',
    'situation: 現状',
    'policy: 方針',
    '',
  ].join('\n');
}

function load(text: string): Sheet {
  const r = loadSheetText('w.yaml', text, 'en');
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !r.sheet) throw new Error(`${JSON.stringify(errors)}\n${text}`);
  return r.sheet;
}

/** The printed form back in the file's notation: ▲ → -, separators removed. */
const unprint = (s: string): string => s.replace(/^▲/, '-').replace(/,/g, '');

describe('the written text of a number, as a plain decimal', () => {
  it.each([
    ['24.0', 24, '24.0'],
    ['-11', -11, '-11'],
    ['+5', 5, '5'],
    ['0.0000001', 1e-7, '0.0000001'],
    ['1e3', 1000, '1000'],
    ['1.50e2', 150, '150'],
    ['2.50e-1', 0.25, '0.250'],
    ['2.5E-7', 2.5e-7, '0.00000025'],
    ['.5', 0.5, '0.5'],
    ['5.', 5, '5'],
    ['-0.0', 0, '0.0'],
    ['007', 7, '7'],
    ['0x1F', 31, '31'],
    ['0o17', 15, '15'],
    [' 42.50 ', 42.5, '42.50'],
  ])('%s → %s', (source, value, plain) => {
    expect(plainDecimal(source, value)).toBe(plain);
  });

  it('is undefined when the text does not stand for the value', () => {
    expect(plainDecimal('24.0', 25)).toBeUndefined();
    expect(plainDecimal('.inf', Infinity)).toBeUndefined();
    expect(plainDecimal('abc', 1)).toBeUndefined();
  });
});

describe('formatNumber with the written digits', () => {
  it.each([
    // value, written, printed
    [24, '24.0', '24.0'],
    [80, '80.0', '80.0'],
    [-11, '-11', '▲11'],
    [-74.5, '-74.50', '▲74.50'],
    [537409, '537409', '537,409'],
    [1234567.125, '1234567.125', '1,234,567.125'],
    [1e-7, '0.0000001', '0.0000001'],
    [999999999999.999, '999999999999.999', '999,999,999,999.999'],
    [0, '0.00', '0.00'],
    [1.34, '1.34', '1.34'],
  ])('%s written %s → %s', (value, written, printed) => {
    expect(formatNumber(value, written)).toBe(printed);
  });

  it('falls back to the value when the written text is absent, foreign or not plain', () => {
    expect(formatNumber(24)).toBe('24');
    expect(formatNumber(24, '25.0')).toBe('24');
    expect(formatNumber(24, '2.4e1')).toBe('24');
    // Never an exponent and never 0 for a tiny value, written or not.
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(-2.5e-9)).toBe('▲0.0000000025');
    expect(formatNumber(1e21)).toBe('1,000,000,000,000,000,000,000');
  });
});

describe('the loader keeps the digits and the sheet prints them', () => {
  it('baseline, target and actual of a KPI, shorthand or object form', () => {
    const s = load(sheetWith('24.0', '{ value: 80.0 }', '26.40'));
    const k = s.kpis[0]!;
    expect(k.baseline?.written).toBe('24.0');
    expect(k.target?.valueWritten).toBe('80.0');
    expect(k.actuals.get(2020)?.written).toBe('26.40');
    expect(formatMeasured(k.baseline!, '%').value).toBe('24.0%');
    expect(formatMeasured(k.actuals.get(2020)!, '%', 2020).value).toBe('26.40%');
    expect(formatNumber(k.target!.value!, k.target!.valueWritten)).toBe('80.0');
    const short = load(sheetWith('-11', '200.0', '-0.0000001')).kpis[0]!;
    expect(short.target?.valueWritten).toBe('200.0');
    expect(formatMeasured(short.baseline!, '人').value).toBe('▲11人');
    expect(formatMeasured(short.actuals.get(2020)!, '人', 2020).value).toBe('▲0.0000001人');
  });

  it('the examples: 24.0 → 26.4 and 50.0 of asahi-2020-03 keep their digits; outcome values too', () => {
    const s = load(readExample('asahi-2020-03.yaml'));
    const k8 = s.kpis.find((k) => k.number === 8)!;
    expect(formatMeasured(k8.baseline!, '%').value).toBe('24.0%');
    expect(formatNumber(k8.target!.value!, k8.target!.valueWritten)).toBe('35.0');
    const k6 = s.kpis.find((k) => k.number === 6)!;
    expect(formatMeasured(k6.actuals.get(2019)!, '%', 2019).value).toBe('43.0%');
    const outcome = s.projects.find((p) => p.code === '2520')!.outcomes[0]!;
    expect(formatMeasured(outcome.values.get(2019)!, '%', 2019).value).toBe('43.0%');
  });

  it('a value reached through a YAML alias keeps the digits of the anchor', () => {
    const text = sheetWith('&b 24.0', '{ value: 80.0 }', '*b');
    expect(load(text).kpis[0]!.actuals.get(2020)?.written).toBe('24.0');
  });
});

/** A decimal as a person writes it: optional minus, integer part below 10^12, up to 15 significant digits in all. */
const writtenDecimal = fc
  .tuple(
    fc.boolean(),
    fc.bigInt({ min: 0n, max: 999_999_999_999n }),
    fc.nat({ max: 15 }),
    fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }),
  )
  .map(([neg, int, fracLen, fracDigits]) => {
    const intText = int.toString();
    const significant = intText === '0' ? 0 : intText.length;
    const len = Math.max(0, Math.min(fracLen, 15 - significant));
    const frac = len === 0 ? '' : `.${(fracDigits % 10n ** BigInt(len)).toString().padStart(len, '0')}`;
    const body = intText + frac;
    // A zero is written without a minus (the file's -0.0 is the number 0 and prints as 0.0).
    return (neg && /[1-9]/.test(body) ? '-' : '') + body;
  })
  .filter((s) => {
    // Up to 15 significant digits: leading zeros of a number below 1 do not count.
    const digits = s.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
    return digits.length <= 15;
  });

describe('property: the printed digits are the written digits', () => {
  it('formatNumber(value, written) prints exactly the written decimal (▲ for minus, separators added)', () => {
    fc.assert(
      fc.property(writtenDecimal, (w) => {
        expect(unprint(formatNumber(Number(w), w))).toBe(w);
      }),
      { numRuns: 3000 },
    );
  });

  it('through the loader: a sheet with random decimals prints each as written', () => {
    fc.assert(
      fc.property(writtenDecimal, writtenDecimal, writtenDecimal, (b, t, a) => {
        const k = load(sheetWith(b, `{ value: ${t} }`, a)).kpis[0]!;
        expect(unprint(formatMeasured(k.baseline!, '').value)).toBe(b);
        expect(unprint(formatNumber(k.target!.value!, k.target!.valueWritten))).toBe(t);
        expect(unprint(formatMeasured(k.actuals.get(2020)!, '', 2020).value)).toBe(a);
      }),
      { numRuns: 150 },
    );
  });
});

function readExample(name: string): string {
  return readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');
}
