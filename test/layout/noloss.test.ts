import { describe, expect, it } from 'vitest';
import {
  layoutSheet,
  sheetTexts,
  type LayoutNode,
  type Page,
  type Rect,
  type TextRun,
} from '../../src/layout/index.js';
import { textWidth } from '../../src/layout/metrics.js';
import { formatNumber } from '../../src/layout/format.js';
import type { GradedSheet } from '../../src/model/types.js';
import { loadFonts } from '../../src/render/fonts.js';
import { seedSheet } from '../render/seed-fixture.js';
import { STRESS } from '../render/stress-fixture.js';

const fonts = loadFonts();

interface Placed {
  run: TextRun;
  cell?: Rect;
  node: string;
  page: number;
}

function runsOf(pages: Page[]): Placed[] {
  const out: Placed[] = [];
  pages.forEach((p, page) => {
    let k = 0;
    const walk = (n: LayoutNode) => {
      if (n.type === 'group') n.children.forEach(walk);
      else if (n.type === 'text' || n.type === 'furniture') {
        const id = `${page}:${k++}`;
        for (const run of n.runs) out.push({ run, ...(n.cell ? { cell: n.cell } : {}), node: id, page });
      }
    };
    p.nodes.forEach(walk);
  });
  return out;
}

/** The glyph box of a run: its advance width by its em box (0.88 em above the baseline, 0.12 below). */
function box(r: TextRun): Rect {
  const w = r.vertical ? r.size : textWidth(fonts[r.font], r.text, r.size);
  return {
    x: r.vertical ? r.x - (r.size - textWidth(fonts[r.font], r.text, r.size)) / 2 : r.x,
    y: r.y - 0.88 * r.size,
    w,
    h: r.size,
  };
}

const inside = (a: Rect, b: Rect, eps = 0.6) =>
  a.x >= b.x - eps && a.y >= b.y - eps && a.x + a.w <= b.x + b.w + eps && a.y + a.h <= b.y + b.h + eps;
const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.w - 0.3 && b.x < a.x + a.w - 0.3 && a.y < b.y + b.h - 0.3 && b.y < a.y + a.h - 0.3;

function check(name: string, g: GradedSheet, gradeColumn = false) {
  const r = layoutSheet(g, fonts, { lang: 'ja', gradeColumn });
  const placed = runsOf(r.pages);
  expect(
    r.warnings.filter((w) => w.severity === 'error'),
    name,
  ).toEqual([]);
  for (const p of placed) {
    const b = box(p.run);
    expect(p.run.size, `${name}: ${p.run.text} below the floor`).toBeGreaterThanOrEqual(6);
    expect(
      inside(b, { x: 0, y: 0, w: r.pages[p.page]!.width, h: r.pages[p.page]!.height }),
      `${name}: ${p.run.text} outside the page`,
    ).toBe(true);
    expect(p.cell, `${name}: ${p.run.text} has no cell`).toBeDefined();
    expect(
      inside(b, p.cell!),
      `${name}: "${p.run.text}" outside its cell ${JSON.stringify(p.cell)} ${JSON.stringify(b)}`,
    ).toBe(true);
  }
  // No two runs overlap (runs of one page).
  const byPage = new Map<number, Placed[]>();
  for (const p of placed) byPage.set(p.page, [...(byPage.get(p.page) ?? []), p]);
  for (const list of byPage.values()) {
    const items = list.map((p) => ({ p, b: box(p.run) })).sort((a, b) => a.b.y - b.b.y);
    for (let i = 0; i < items.length; i++)
      for (let j = i + 1; j < items.length && items[j]!.b.y < items[i]!.b.y + items[i]!.b.h; j++)
        if (overlap(items[i]!.b, items[j]!.b))
          expect.fail(`${name}: "${items[i]!.p.run.text}" overlaps "${items[j]!.p.run.text}"`);
  }
  // Every sentence of the sheet's text stands whole in one text block (a cell or a 別紙 paragraph).
  const blocks = new Map<string, string>();
  for (const p of placed) blocks.set(p.node, (blocks.get(p.node) ?? '') + p.run.text);
  const all = [...blocks.values()].map((t) => t.replace(/\s/g, ''));
  const texts = [
    ...sheetTexts(g).filter((t) => t.path[0] !== 'grading'),
    ...g.scheme.legend.map((e) => ({ text: e.text, path: ['grading'] })),
  ];
  for (const { text, path } of texts) {
    for (const sentence of text
      .split(/(?<=[。\n])/u)
      .map((t) => t.replace(/\s/g, ''))
      .filter((t) => t.length > 0)) {
      if (sentence.length > 300) continue; // a sentence longer than a cell may wrap across 別紙 pages
      expect(
        all.some((b) => b.includes(sentence)),
        `${name}: ${JSON.stringify(path)} "${sentence.slice(0, 40)}" not found whole`,
      ).toBe(true);
    }
  }
  // Numbers are never split: each money value stands whole in one run.
  const runTexts = new Set(placed.map((p) => p.run.text));
  const joined = [...runTexts].join('\n');
  for (const p of g.sheet.projects)
    for (const v of [...p.cost.values(), ...p.generalFund.values()])
      expect(joined, `${name}: ${v}`).toContain(formatNumber(v));
  return r;
}

describe('no loss, on the seed and the stress sheets', () => {
  it('the seed: inside cells and page, nothing overlapping, no warnings', { timeout: 60_000 }, () => {
    const r = check('seed', seedSheet());
    expect(r.warnings).toEqual([]);
    expect(r.pages).toHaveLength(2);
  });
  it('the seed with the grade column', { timeout: 60_000 }, () => {
    check('seed+grade', seedSheet(), true);
  });
  for (const [name, make] of Object.entries(STRESS)) {
    it(`${name}`, { timeout: 60_000 }, () => {
      const r = check(name, make());
      // Every 別紙 continuation and shrink is a warning naming its field.
      for (const w of r.warnings) expect(w.path, w.message).toBeDefined();
    });
  }
});
