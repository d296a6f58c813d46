import { describe, expect, it } from 'vitest';
import { LayoutContext, fitText, splitSentences } from '../../src/layout/fit.js';
import { textWidth } from '../../src/layout/metrics.js';
import { loadFonts } from '../../src/render/fonts.js';

const fonts = loadFonts();

describe('fitText keeps numbers whole', () => {
  const field = { path: ['goal', 'actuals', '2019'], label: '数値目標 令和1年度' };
  const spec = (text: string) => ({
    text,
    size: 8,
    align: 'center' as const,
    valign: 'middle' as const,
    padX: 1.5,
    field,
  });

  it('shrinks a number wider than its cell instead of splitting it between digits, and says so', () => {
    const ctx = new LayoutContext(fonts, 'en');
    const number = '1,792,000';
    // A cell just narrower than the number at 8 pt, but wide enough for it at 7 pt (the example's 令和1年度 column).
    const w = (textWidth(fonts.regular, number, 8) + textWidth(fonts.regular, number, 7)) / 2 + 3;
    const runs = fitText(ctx, spec(`${number}人\n（元年）`), { x: 0, y: 0, w, h: 40 });
    expect(runs.map((r) => r.text)).toContain(number);
    expect(runs[0]!.size).toBeLessThan(8);
    expect(ctx.warnings.map((d) => d.code)).toEqual(['layout.shrink']);
  });

  it('still splits a word that does not fit even at the floor size, rather than overflowing the box', () => {
    const ctx = new LayoutContext(fonts, 'en');
    const runs = fitText(ctx, spec('123,456,789,012'), { x: 0, y: 0, w: 20, h: 200 });
    expect(runs.map((r) => r.text).join('')).toBe('123,456,789,012');
    expect(runs.length).toBeGreaterThan(1);
    expect(runs[0]!.size).toBe(8);
  });
});

describe('splitSentences never leaves a piece of punctuation alone before the reference to 別紙', () => {
  // Lines as the cell breaks them: 20 characters a line is enough for the cut, which looks only at their ends.
  const linesOf = (text: string, per = 20) =>
    Array.from({ length: Math.ceil(text.length / per) }, (_, i) => ({ end: Math.min(text.length, (i + 1) * per) }));
  const long = '移住相談の件数を集計し、事業の効果を検証した上で、次年度の取組に反映させる必要がある';

  it('keeps nothing rather than a lone 「。」 (a text starting with its closing punctuation)', () => {
    const text = `。${long}。${long}。`;
    const { shown, rest } = splitSentences(text, linesOf(text), 1);
    expect(shown).toBe('');
    expect(rest).toBe(text);
  });

  it('keeps nothing rather than closing brackets alone (」）、。)', () => {
    const text = `」）、。${long}。${long}。`;
    const { shown, rest } = splitSentences(text, linesOf(text), 1);
    expect(shown).toBe('');
    expect(rest).toBe(text);
  });

  it('cuts after the last sentence that is more than punctuation, the closing bracket going with it', () => {
    const text = `「まちびらき」。${long}。」${long}。${long}。`;
    const lines = linesOf(text);
    const { shown, rest } = splitSentences(text, lines, 4);
    expect(shown).toBe(`「まちびらき」。${long}。」`);
    expect(rest).toBe(`${long}。${long}。`);
    // Nothing lost either way.
    expect(shown + rest).toBe(text);
  });

  it('sends no piece of punctuation alone to 別紙 either', () => {
    // A last paragraph of closing marks only (a row of 」 under the text): it does not go to 別紙 alone.
    const text = `${long}。${long}。\n${'」'.repeat(45)}`;
    const cut = splitSentences(text, linesOf(text), 5);
    expect(cut.rest.replace(/[\s。．、，」）]/gu, '')).not.toBe('');
    // The cut moves back to the sentence before: the closing marks go along with the last sentence.
    expect(cut.shown).toBe(`${long}。`);
    expect(cut.rest).toBe(`${long}。\n${'」'.repeat(45)}`);
  });
});
