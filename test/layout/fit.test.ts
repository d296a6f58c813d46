import { describe, expect, it } from 'vitest';
import { LayoutContext, fitText } from '../../src/layout/fit.js';
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
