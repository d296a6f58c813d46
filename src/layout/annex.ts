//! Overflow pages (別紙): the rest of every text that did not fit its box even at 6 pt, each under
//! a heading naming the field, flowing over as many A4 pages as it needs.

import { breakLines } from './linebreak.js';
import { baselineIn } from './metrics.js';
import { fitText, normalize, type LayoutContext } from './fit.js';
import { CONTENT_W, MARGIN } from './page1.js';
import { A4_LANDSCAPE, type LayoutNode, type Page, type TextRun } from './types.js';

const SIZE = 9;
const LEADING = 1.5;
const BOTTOM = A4_LANDSCAPE.height - MARGIN.bottom;

export function annexHeading(n: number, label: string): string {
  return `別紙 ${n}　${label}（続き）`;
}

export function layoutAnnex(ctx: LayoutContext, sheetTitle: string): Page[] {
  const pages: Page[] = [];
  if (ctx.overflows.length === 0) return pages;
  let nodes: LayoutNode[] = [];
  let y = MARGIN.top;
  const x0 = MARGIN.left;
  const newPage = () => {
    pages.push({ ...A4_LANDSCAPE, nodes });
    nodes = [];
    y = MARGIN.top;
  };
  nodes.push({ type: 'text', tag: 'P', runs: fitText(ctx, { text: sheetTitle, size: 8, align: 'right', padX: 0, padY: 0 }, { x: x0, y, w: CONTENT_W, h: 12 }) });
  y += 14;
  const lh = SIZE * LEADING;
  for (const o of ctx.overflows) {
    if (y + 16 + lh > BOTTOM) newPage();
    const runs = fitText(ctx, { text: annexHeading(o.n, o.label), font: 'bold', size: 10, padX: 0, padY: 0, leading: 1.6 }, { x: x0, y, w: CONTENT_W, h: 16 });
    nodes.push({ type: 'text', tag: 'H2', runs });
    y += 18;
    const lines = breakLines(normalize(o.text), CONTENT_W - 8, SIZE, ctx.fonts.regular);
    let para: TextRun[] = [];
    const flush = () => {
      if (para.length) nodes.push({ type: 'text', tag: 'P', runs: para });
      para = [];
    };
    for (const line of lines) {
      if (y + lh > BOTTOM) {
        flush();
        newPage();
      }
      if (line.text !== '') para.push({ text: line.text, x: x0 + 4, y: Math.round((y + baselineIn(lh, SIZE)) * 100) / 100, size: SIZE, font: 'regular' });
      y += lh;
    }
    flush();
    y += 8;
  }
  newPage();
  return pages;
}
