import { describe, expect, it } from 'vitest';
import { layoutSheet, type LayoutNode, type Page } from '../../src/layout/index.js';
import { loadFonts } from '../../src/render/fonts.js';
import { seedSheet } from '../render/seed-fixture.js';

const fonts = loadFonts();

/** Each text node (its runs joined, as wrapped lines are one cell) with its left-most x, and the right-most x any rule reaches. */
function extents(page: Page): { texts: { text: string; x: number }[]; maxRuleX: number } {
  const texts: { text: string; x: number }[] = [];
  let maxRuleX = 0;
  const walk = (n: LayoutNode) => {
    if (n.type === 'text' && n.runs.length > 0)
      texts.push({ text: n.runs.map((r) => r.text).join(''), x: Math.max(...n.runs.map((r) => r.x)) });
    if (n.type === 'group') n.children.forEach(walk);
    if (n.type === 'art')
      for (const s of n.shapes) maxRuleX = Math.max(maxRuleX, s.kind === 'line' ? Math.max(s.x1, s.x2) : s.x + s.w);
  };
  page.nodes.forEach(walk);
  return { texts, maxRuleX };
}

describe('year columns', () => {
  // Three 参考 years and a six-year plan: nine year columns, more than the form's six.
  const many = () => seedSheet({ referenceYears: [2017, 2018, 2019], planPeriod: { from: 2020, to: 2025 } });

  it('keeps the totals table, 合計 included, on page 1 when there are many year columns', () => {
    const r = layoutSheet(many(), fonts, { lang: 'ja' });
    for (const p of r.pages) {
      const e = extents(p);
      expect(e.maxRuleX).toBeLessThanOrEqual(p.width);
      for (const t of e.texts) expect(t.x).toBeLessThan(p.width);
    }
    const page1 = extents(r.pages[0]!);
    expect(page1.texts.map((t) => t.text)).toContain('合計');
  });

  it('names the era again where it changes inside a row of year headers', () => {
    const r = layoutSheet(many(), fonts, { lang: 'ja' });
    const all = r.pages.flatMap((p) => extents(p).texts.map((t) => t.text));
    // 平成29年度 | 30年度 | 令和1年度 | 2年度 …: never a bare "1年度" after 平成30年度 — in both header
    // rows of (1), in (3) and in (4).
    expect(all.filter((t) => t.startsWith('令和1年度')).length).toBe(4);
    expect(all.filter((t) => /^1年度/.test(t))).toEqual([]);
  });
});
