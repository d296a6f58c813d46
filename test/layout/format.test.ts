import { describe, expect, it } from 'vitest';
import {
  asOfLine,
  circled,
  fiscalYearHeader,
  fiscalYearHeaders,
  formatDate,
  formatMeasured,
  formatNumber,
  periodNote,
} from '../../src/layout/format.js';

describe('和暦 and numbers', () => {
  it.each([
    ['fiscal 2019 header with era', fiscalYearHeader(2019, true), '令和1年度'],
    ['fiscal 2020 header without era', fiscalYearHeader(2020, false), '2年度'],
    ['fiscal 2019 note', periodNote(2019, false), '（元年度）'],
    ['calendar 2019 note', periodNote(2019, true), '（元年）'],
    ['calendar 2018 note', periodNote(2018, true), '（30年）'],
    ['fiscal 2018 note', periodNote(2018, false), '（30年度）'],
    ['calendar 2020 note', periodNote(2020, true), '（2年）'],
    ['-74', formatNumber(-74), '▲74'],
    ['537409', formatNumber(537409), '537,409'],
    ['-1234', formatNumber(-1234), '▲1,234'],
    ['42.5', formatNumber(42.5), '42.5'],
    ['1234.25', formatNumber(1234.25), '1,234.25'],
    ['0', formatNumber(0), '0'],
    ['2019-04-30', formatDate('2019-04-30'), '平成31年4月30日'],
    ['2019-05-01', formatDate('2019-05-01'), '令和元年5月1日'],
    ['2021-05-31 as of', asOfLine('2021-05-31'), '令和3年5月31日時点'],
    ['blank as of', asOfLine(null), '令和　年　月　日時点'],
    ['circled 1', circled(1), '①'],
    ['circled 20', circled(20), '⑳'],
    ['circled 21', circled(21), '㉑'],
    ['circled 35', circled(35), '㉟'],
    ['circled 36', circled(36), '㊱'],
    ['circled 50', circled(50), '㊿'],
    ['circled 51', circled(51), '（51）'],
  ])('%s', (_name, got, want) => expect(got).toBe(want));

  it('writes a value with its unit and period note', () => {
    expect(formatMeasured({ value: -11, year: 2018, calendar: true, path: [] }, '人')).toEqual({
      value: '▲11人',
      note: '（30年）',
    });
    expect(formatMeasured({ value: 91, year: 2018, calendar: false, path: [] }, '件')).toEqual({
      value: '91件',
      note: '（30年度）',
    });
    // An actual in its own fiscal column needs no note; a calendar-year actual does.
    expect(formatMeasured({ value: 114, calendar: false, path: [] }, '件', 2020)).toEqual({ value: '114件', note: '' });
    expect(formatMeasured({ value: 113, calendar: true, path: [] }, '人', 2019)).toEqual({
      value: '113人',
      note: '（元年）',
    });
    expect(formatMeasured({ value: 42.5, calendar: false, note: '見込み', path: [] }, '%', 2020)).toEqual({
      value: '42.5%',
      note: '（見込み）',
    });
  });
});

describe('fiscalYearHeaders', () => {
  it('names the era on the first column and again where it changes', () => {
    expect(fiscalYearHeaders([2019, 2020, 2021])).toEqual(['令和1年度', '2年度', '3年度']);
    expect(fiscalYearHeaders([2017, 2018, 2019, 2020])).toEqual(['平成29年度', '30年度', '令和1年度', '2年度']);
    expect(fiscalYearHeaders([])).toEqual([]);
  });
});
