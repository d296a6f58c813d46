//! Exact decimals: parsing the number as written, comparisons and ratios without float division.

import { describe, expect, it } from 'vitest';
import {
  compare,
  compareRatio,
  fromNumber,
  parseDecimal,
  ratioToNumber,
  sub,
  toString,
} from '../../src/grade/decimal.js';

describe('fromNumber recovers the decimal as written', () => {
  it.each([
    [33, 33n, 0, '33'],
    [0.1, 1n, 1, '0.1'],
    [0.77, 77n, 2, '0.77'],
    [-74, -74n, 0, '-74'],
    [-0.5, -5n, 1, '-0.5'],
    [1e-7, 1n, 7, '0.0000001'],
    [-1.5e-7, -15n, 8, '-0.00000015'],
    [1e21, 10n ** 21n, 0, '1000000000000000000000'],
    [1.25e22, 125n * 10n ** 20n, 0, '12500000000000000000000'],
    [-0, 0n, 0, '0'],
    [0, 0n, 0, '0'],
  ])('%s → %s / 10^%s', (x, n, scale, s) => {
    const d = fromNumber(x);
    expect(d).toEqual({ n, scale });
    expect(toString(d)).toBe(s);
  });

  it('sees the same strings JavaScript writes', () => {
    expect(String(1e-7)).toBe('1e-7');
    expect(String(1e21)).toBe('1e+21');
    expect(String(-0)).toBe('0');
  });

  it('rejects non-finite numbers', () => {
    expect(() => fromNumber(Number.NaN)).toThrow(RangeError);
    expect(() => fromNumber(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('parseDecimal', () => {
  it.each([
    ['0.1', 1n, 1],
    ['-0.1', -1n, 1],
    ['+0.10', 10n, 2],
    ['1e-7', 1n, 7],
    ['1e+21', 10n ** 21n, 0],
    ['2.5E3', 2500n, 0],
    ['-0', 0n, 0],
  ])('%s', (s, n, scale) => {
    expect(parseDecimal(s)).toEqual({ n, scale });
  });

  it.each(['', '.5', '1.', 'abc', '1e', '0x10', 'Infinity', 'NaN', '1,000'])('rejects %j', (s) => {
    expect(() => parseDecimal(s)).toThrow(RangeError);
  });
});

describe('exact comparison', () => {
  it('compares across scales', () => {
    expect(compare(parseDecimal('0.1'), parseDecimal('0.10'))).toBe(0);
    expect(compare(fromNumber(0.1 + 0.2), parseDecimal('0.3'))).toBe(1); // 0.30000000000000004 as written
    expect(compare(fromNumber(-0), fromNumber(0))).toBe(0);
    expect(compare(fromNumber(-74), fromNumber(0))).toBe(-1);
    expect(compare(fromNumber(1e21), fromNumber(1e-7))).toBe(1);
  });

  it('subtracts exactly where floats do not', () => {
    expect(0.77 - 0.7).not.toBe(0.07);
    expect(toString(sub(fromNumber(0.77), fromNumber(0.7)))).toBe('0.07');
  });

  it('compareRatio decides boundaries by cross-multiplication', () => {
    const r = (a: number, b: number, bound: string) =>
      compareRatio(sub(fromNumber(a), fromNumber(b)), fromNumber(Math.abs(b)), parseDecimal(bound));
    expect(r(33, 30, '0.1')).toBe(0);
    expect(r(32.99, 30, '0.1')).toBe(-1);
    expect(r(0.77, 0.7, '0.1')).toBe(0);
    expect(r(-9.9, -11, '0.1')).toBe(0);
    expect(r(0.27, 0.3, '-0.1')).toBe(0);
    expect(r(1.21, 1.1, '0.1')).toBe(0);
    expect(r(1.1e-7, 1e-7, '0.1')).toBe(0);
    expect(r(1.1e21, 1e21, '0.1')).toBe(0);
    expect(() => compareRatio(fromNumber(1), fromNumber(0), parseDecimal('0'))).toThrow(RangeError);
  });

  it('ratioToNumber is the double nearest the exact quotient', () => {
    expect(ratioToNumber(parseDecimal('0.07'), parseDecimal('0.7'))).toBe(0.1);
    expect(ratioToNumber(parseDecimal('1.1'), parseDecimal('11'))).toBe(0.1);
    expect(ratioToNumber(parseDecimal('-63'), parseDecimal('11'))).toBe(-63 / 11);
    expect(ratioToNumber(parseDecimal('1'), parseDecimal('3'))).toBe(1 / 3);
    expect(ratioToNumber(parseDecimal('0'), parseDecimal('3'))).toBe(0);
    expect(ratioToNumber(parseDecimal('1e21'), parseDecimal('1e-7'))).toBe(1e28);
  });
});
