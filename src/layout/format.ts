//! How the sheet writes years and numbers: 和暦 (令和/平成), 元年, ▲ for negatives, thousands separators.
//! Pure string functions; the layout calls them, tests pin them in a table.

import type { Measured } from '../model/types.js';
import { calendarEra, dateEra, fiscalEra } from '../model/wareki.js';

export { calendarEra, dateEra, fiscalEra, type EraYear } from '../model/wareki.js';

/** 1 → 元 (notes and dates), others as digits. */
function gan(n: number): string {
  return n === 1 ? '元' : String(n);
}

/** Column header of a fiscal year: 令和1年度 (with the era) or 2年度 (without). Headers write 1, not 元. */
export function fiscalYearHeader(fy: number, withEra: boolean): string {
  const e = fiscalEra(fy);
  return `${withEra ? e.era : ''}${e.year}年度`;
}

/**
 * Headers of a row of fiscal-year columns: the era on the first column and again wherever it
 * changes (平成30年度 | 令和1年度 | 2年度), so that no column reads as a year of the previous era.
 */
export function fiscalYearHeaders(years: readonly number[]): string[] {
  return years.map((fy, i) => fiscalYearHeader(fy, i === 0 || fiscalEra(fy).era !== fiscalEra(years[i - 1]!).era));
}

/** Short fiscal year without era: 4年度 (used in headings like ④4年度施策の方針). */
export function fiscalYearShort(fy: number): string {
  return `${fiscalEra(fy).year}年度`;
}

/** Period note in brackets: fiscal （30年度）, calendar （30年）; 令和1 → （元年度）/（元年）. */
export function periodNote(year: number, calendar: boolean): string {
  const e = calendar ? calendarEra(year) : fiscalEra(year);
  return `（${gan(e.year)}年${calendar ? '' : '度'}）`;
}

/** An ISO date in 和暦: 令和3年5月31日, 令和元年5月1日, 平成31年4月30日. */
export function formatDate(iso: string): string {
  const e = dateEra(iso);
  return `${e.era}${gan(e.year)}年${e.month}月${e.day}日`;
}

/** The as-of line: a date, or the blank form 令和　年　月　日時点. */
export function asOfLine(iso: string | null): string {
  return iso ? `${formatDate(iso)}時点` : '令和　年　月　日時点';
}

/**
 * ▲ for negatives, thousands separators on the integer part, and the decimals as written: pass the
 * number's written text (Measured.written, Target.valueWritten) and 24.0 prints "24.0", 0.0000001
 * prints "0.0000001"; without it (or when it does not stand for `n`) the number's shortest form.
 * Never exponent notation.
 */
export function formatNumber(n: number, written?: string): string {
  if (!Number.isFinite(n)) return String(n);
  const asWritten =
    written !== undefined && /^-?\d+(\.\d+)?$/.test(written) && Number(written) === n
      ? written.replace(/^-/, '')
      : undefined;
  const neg = n < 0;
  const abs = Math.abs(n);
  // String() gives the shortest round-trip form (42.5, not 42.500000001); avoid exponent notation.
  let s = asWritten ?? (abs >= 1e21 || (abs !== 0 && abs < 1e-6) ? plainDigits(abs) : String(abs));
  const dot = s.indexOf('.');
  const int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot);
  s = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + frac;
  return (neg ? '▲' : '') + s;
}

/** A positive number's digits without exponent (1e-7 → 0.0000001, 1e21 → 1000000000000000000000). */
function plainDigits(abs: number): string {
  const m = /^(\d)(?:\.(\d+))?e([-+]\d+)$/.exec(abs.toExponential());
  if (!m) return String(abs);
  const digits = (m[1] ?? '') + (m[2] ?? '');
  const point = 1 + Number(m[3]);
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A money cell (千円): the number alone, "-" when absent. */
export function formatMoney(n: number | undefined): string {
  return n === undefined ? '-' : formatNumber(n);
}

/**
 * An indicator value as two lines: "114件" (its digits as written: "24.0%") and the bracketed period note when the value's period
 * is not the column's (or is a calendar year in a fiscal column). `columnYear` is undefined for
 * baselines, which always show their period when they have one.
 */
export function formatMeasured(m: Measured, unit: string, columnYear?: number): { value: string; note: string } {
  const value = formatNumber(m.value, m.written) + unit;
  let note = '';
  const year = m.year ?? (m.calendar ? columnYear : undefined);
  if (year !== undefined && (columnYear === undefined || year !== columnYear || m.calendar)) {
    note = periodNote(year, m.calendar);
  }
  if (m.note) note += `（${m.note}）`;
  return { value, note };
}

/** Circled number for committee entries: ①–⑳ U+2460.., ㉑–㉟ U+3251.., ㊱–㊿ U+32B1..; past 50 （51）. */
export function circled(n: number): string {
  if (n >= 1 && n <= 20) return String.fromCodePoint(0x2460 + n - 1);
  if (n >= 21 && n <= 35) return String.fromCodePoint(0x3251 + n - 21);
  if (n >= 36 && n <= 50) return String.fromCodePoint(0x32b1 + n - 36);
  return `（${n}）`;
}
