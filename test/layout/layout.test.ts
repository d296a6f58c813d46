import { describe, expect, it } from 'vitest';
import { layoutSheet, missingGlyphs, type LayoutNode, type Page } from '../../src/layout/index.js';
import { loadFonts } from '../../src/render/fonts.js';
import { seedSheet } from '../render/seed-fixture.js';

const fonts = loadFonts();

function texts(page: Page, furniture = true): string[] {
  const out: string[] = [];
  const walk = (n: LayoutNode) => {
    if (n.type === 'text' || (furniture && n.type === 'furniture')) for (const r of n.runs) out.push(r.text);
    if (n.type === 'group') n.children.forEach(walk);
  };
  page.nodes.forEach(walk);
  return out;
}

describe('layoutSheet', () => {
  it('lays out the seed on two A4 landscape pages without warnings', () => {
    const r = layoutSheet(seedSheet(), fonts, { lang: 'ja' });
    expect(r.pages).toHaveLength(2);
    expect(r.warnings).toEqual([]);
    for (const p of r.pages) expect([p.width, p.height]).toEqual([841.89, 595.28]);
    // Serializable: plain data only.
    expect(JSON.parse(JSON.stringify(r.pages))).toEqual(r.pages);
  });

  it('keeps every run inside the page', () => {
    const r = layoutSheet(seedSheet(), fonts, { lang: 'ja' });
    for (const p of r.pages) {
      const walk = (n: LayoutNode) => {
        if (n.type === 'text')
          for (const run of n.runs) {
            expect(run.x).toBeGreaterThanOrEqual(0);
            expect(run.y).toBeLessThanOrEqual(p.height);
          }
        if (n.type === 'group') n.children.forEach(walk);
      };
      p.nodes.forEach(walk);
    }
  });

  it('marks an overridden grade and explains it under the legend; the grade column is an option', () => {
    const g = seedSheet();
    g.kpis[1]!.result = {
      ...g.kpis[1]!.result,
      grade: 'S',
      computed: 'A',
      overridden: true,
      reason: '年度末までに達成見込み',
    };
    const t = texts(layoutSheet(g, fonts, { lang: 'ja' }).pages[0]!);
    expect(t.join('')).toContain('Ｓ※');
    expect(t.join('')).toContain('年度末までに達成見込み');
    expect(t).not.toContain('達成');
    const withColumn = texts(layoutSheet(g, fonts, { lang: 'ja', gradeColumn: true }).pages[0]!);
    expect(withColumn).toContain('Ｓ※');
    expect(withColumn).toContain('Ｄ');
    expect(withColumn.join('')).toContain('達成状況');
  });

  it('writes the marks of ② per indicator from the computed grades', () => {
    const g = seedSheet();
    g.sheet.reasons = [
      { indicator: 'goal', text: '令和２年は社会減となった。', path: ['reasons', 0, 'text'] },
      { indicator: 15, text: '実績はカウントできない。', path: ['reasons', 1, 'text'] },
      { indicator: 16, text: '前年度実績を上回った。', path: ['reasons', 2, 'text'] },
    ];
    const t = texts(layoutSheet(g, fonts, { lang: 'ja' }).pages[0]!).join('');
    const order = [
      '【達成状況：Ｄ】令和２年は社会減となった。',
      'ＫＰＩ15【達成状況：―】実績はカウントできない。',
      'ＫＰＩ16【達成状況：Ａ】前年度実績を上回った。',
    ];
    let at = -1;
    for (const o of order) {
      const i = t.indexOf(o);
      expect(i, o).toBeGreaterThan(at);
      at = i;
    }
  });

  it('shows the as-of date, team, related divisions, ⑤ and ⑥ when given', () => {
    const t = texts(
      layoutSheet(
        seedSheet({
          asOf: '2021-05-31',
          team: '政策班',
          relatedDivisions: ['商工観光課', '社会福祉課'],
          item5: { title: '完了した事業', text: '完了' },
          relatedPolicyProjects: ['生涯活躍のまち形成事業'],
        }),
        fonts,
        { lang: 'ja' },
      ).pages[0]!,
    ).join('\n');
    expect(t).toContain('令和3年5月31日時点');
    expect(t).toContain('政策班');
    expect(t).toContain('商工観光課、社会福祉課');
    expect(t).toContain('⑤完了した事業');
    expect(t).toContain('⑥3年度施策の方針に関連する事務');
    expect(t).toContain('生涯活躍のまち形成事業');
  });

  it('shrinks a moderately long ③ and says so, without an extra page', () => {
    const g = seedSheet();
    g.sheet.situation = `${g.sheet.situation}\n${g.sheet.situation}`;
    const r = layoutSheet(g, fonts, { lang: 'en' });
    expect(r.pages).toHaveLength(2);
    expect(r.warnings.map((w) => [w.code, w.path])).toContainEqual(['layout.shrink', ['situation']]);
    expect(r.warnings.every((w) => w.severity === 'warning' && w.code !== 'layout.overflow')).toBe(true);
  });

  it('continues a very long ③ on a 別紙 page, losing nothing', () => {
    const g = seedSheet();
    const long = Array.from({ length: 12 }, (_, i) => `【段落${i + 1}】${g.sheet.situation}`).join('\n');
    g.sheet.situation = long;
    const r = layoutSheet(g, fonts, { lang: 'ja' });
    expect(r.pages.length).toBeGreaterThanOrEqual(3);
    const over = r.warnings.filter((w) => w.code === 'layout.overflow');
    expect(over.map((w) => w.path)).toEqual([['situation']]);
    const p1 = texts(r.pages[0]!);
    expect(p1).toContain('（別紙 1 に続く）');
    const annex = r.pages.slice(2).flatMap((p) => texts(p));
    expect(annex.some((t) => /^別紙 1 \/ \d+$/.test(t))).toBe(true);
    const body = r.pages.slice(2).flatMap((p) => texts(p, false));
    const head = body.indexOf('③現状と課題、方向性、数値目標・ＫＰＩ達成に向けた課題・問題点（続き）');
    expect(head).toBeGreaterThanOrEqual(0);
    // What page 1 shows of ③ plus what 別紙 shows is the whole text, cut after a whole sentence.
    const strip = (s: string) => s.replace(/\s/g, '');
    const start = p1.indexOf('【段落1】【現状】');
    const end = p1.indexOf('（別紙 1 に続く）');
    const shown = p1.slice(start, end).join('');
    // Cut after a whole sentence: the shown part ends with 。 or at a line break of the text.
    const lastLine = p1[end - 1]!;
    expect(/。$/u.test(shown) || long.includes(`${lastLine}\n`), lastLine).toBe(true);
    expect(strip(shown + body.slice(head + 1).join(''))).toBe(strip(long));
  });

  it('finds characters the font lacks, with their field', () => {
    const g = seedSheet({ leadDivision: '𠮷田課', policy: '☑ 実施' });
    expect(missingGlyphs(g, fonts)).toEqual([
      { char: '𠮷', path: ['lead_division'] },
      { char: '☑', path: ['policy'] },
    ]);
    expect(missingGlyphs(seedSheet(), fonts)).toEqual([]);
  });
});

describe('headings ④ and ⑥ name the era when it changes', () => {
  it('a 平成30年度 sheet says ④令和2年度 and ⑥令和1年度; a 令和2年度 sheet says ④4年度', async () => {
    const { fieldLabels } = await import('../../src/layout/page1.js');
    const g = seedSheet();
    expect(fieldLabels(g).policy).toBe('④4年度施策の方針');
    expect(fieldLabels(g).related).toBe('⑥3年度施策の方針に関連する事務事業名');
    const old = seedSheet({ fiscalYear: 2018 });
    expect(fieldLabels(old).policy).toBe('④令和2年度施策の方針');
    expect(fieldLabels(old).related).toBe('⑥令和1年度施策の方針に関連する事務事業名');
  });
});
