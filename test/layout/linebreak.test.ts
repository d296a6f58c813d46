import { describe, expect, it } from 'vitest';
import { breakLines } from '../../src/layout/linebreak.js';
import type { GlyphMetrics } from '../../src/layout/metrics.js';

// Every character 1 em wide, ASCII half: lines of exactly `n` full-width characters at size 10, width 10n.
const mono: GlyphMetrics = { advance: (cp) => (cp < 0x80 ? 500 : 1000), has: () => true };
const lines = (text: string, n: number) => breakLines(text, n * 10, 10, mono).map((l) => l.text);

describe('Japanese line breaking', () => {
  it('fills lines greedily', () => {
    expect(lines('あいうえおかきくけこ', 5)).toEqual(['あいうえお', 'かきくけこ']);
  });
  it('never starts a line with closing punctuation or small kana', () => {
    expect(lines('あいうえお。かきく', 5)).toEqual(['あいうえ', 'お。かきく']);
    expect(lines('あいうえおっかきく', 5)).toEqual(['あいうえ', 'おっかきく']);
    expect(lines('あいうえお）かきく', 5)).toEqual(['あいうえ', 'お）かきく']);
  });
  it('never ends a line with an opening bracket', () => {
    expect(lines('あいうえ「かきく」', 5)).toEqual(['あいうえ', '「かきく」']);
  });
  it('keeps ASCII words and numbers together', () => {
    expect(lines('あいうえ500,000円', 6)).toEqual(['あいうえ', '500,000円']);
    expect(lines('あいうＫＰＩです', 4)).toEqual(['あいう', 'ＫＰＩで', 'す']);
  });
  it('keeps paragraph breaks and blank lines, and records source offsets', () => {
    const text = 'あい\n\nうえ';
    const ls = breakLines(text, 100, 10, mono);
    expect(ls.map((l) => l.text)).toEqual(['あい', '', 'うえ']);
    expect(text.slice(ls[2]!.start, ls[2]!.end)).toBe('うえ');
  });
  it('breaks a word wider than the line between characters', () => {
    expect(lines('abcdefghijkl', 3)).toEqual(['abcdef', 'ghijkl']);
  });
  it('loses no character', () => {
    const text =
      '【現状】・令和2年7月に事業協定書を締結、また、令和3年2月末に農転・開発に関する許可を受け、同年3月に造成工事を着工させた。';
    for (const n of [3, 7, 11, 20]) expect(lines(text, n).join('')).toBe(text);
  });
});
