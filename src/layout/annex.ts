//! 別紙 pages: what did not fit the sheet even at the floor size, in the sheet's reading order —
//! prose as whole sentences under a heading naming the field, table rows as the table continued
//! with its header repeated. Each page carries the sheet's identification and "別紙 n / m".

import type { YamlPath } from '../model/types.js';
import { continuedRef, REF_PLACEHOLDER, type AnnexItem, type LayoutContext } from './fit.js';
import { measure, placeGrid, rowGroups, splitGroup, sum, textLines, linesHeight } from './grid.js';
import { baselineIn, textWidth } from './metrics.js';
import { breakLines } from './linebreak.js';
import { A4_LANDSCAPE, type LayoutNode, type Page, type TextRun } from './types.js';

export const ANNEX_MARGIN = { left: 22, right: 22, top: 20, bottom: 18 };
const CONTENT_W = A4_LANDSCAPE.width - ANNEX_MARGIN.left - ANNEX_MARGIN.right;
const BOTTOM = A4_LANDSCAPE.height - ANNEX_MARGIN.bottom;
const SIZE = 8;
const LEAD = 1.5;
const HEAD_SIZE = 9;
const IDENT_SIZE = 8;
const PAGE_NO_W = 70;

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Lays out the 別紙 pages and fills in the references to them; the warnings name each field continued. */
export function layoutAnnex(ctx: LayoutContext, ident: string): Page[] {
  if (ctx.annex.length === 0) return [];
  const pages: LayoutNode[][] = [];
  const x0 = ANNEX_MARGIN.left;
  // The identification may wrap (a long measure title): measured once, the same on every page.
  const identLines = breakLines(ident, CONTENT_W - PAGE_NO_W, IDENT_SIZE, ctx.fonts.regular);
  const identH = identLines.length * IDENT_SIZE * 1.4;
  const top = ANNEX_MARGIN.top + identH + 6;
  let nodes: LayoutNode[] = [];
  let y = top;
  const newPage = () => {
    pages.push(nodes);
    nodes = [];
    y = top;
  };
  const headingLines = (text: string) => breakLines(text, CONTENT_W, HEAD_SIZE, ctx.fonts.bold);
  const headingHeight = (lines: readonly unknown[]) => lines.length * HEAD_SIZE * 1.5 + 2;
  const heading = (text: string) => {
    const lines = headingLines(text);
    const h = headingHeight(lines);
    if (y + h + SIZE * LEAD * 2 > BOTTOM && y > top) newPage();
    const runs: TextRun[] = lines.map((l, i) => ({
      text: l.text,
      x: x0,
      y: round(y + i * HEAD_SIZE * 1.5 + baselineIn(HEAD_SIZE * 1.5, HEAD_SIZE)),
      size: HEAD_SIZE,
      font: 'bold',
    }));
    nodes.push({ type: 'text', tag: 'H2', runs, cell: { x: x0, y, w: CONTENT_W, h } });
    y += h;
  };
  const firstPage: number[] = [];
  // References inside rows continued here (a cut 備考 in a slot on 別紙): given, in order, to the prose items that have none.
  const orphanRefs: TextRun[] = [];
  const warnings: { path: YamlPath; label: string; page: number }[] = [];

  for (const item of ctx.annex) {
    if (item.kind === 'prose') {
      // The rest of a cell that itself stands on a 別紙 page starts a new page: a reader (and text
      // extraction) then finds it after the page that refers to it, never above the reference.
      if (item.fromTable && y > top) newPage();
      heading(item.heading);
      firstPage.push(pages.length + 1);
      const lh = SIZE * LEAD;
      const lines = breakLines(item.text, CONTENT_W - 8, SIZE, ctx.fonts.regular);
      let para: TextRun[] = [];
      let paraTop = y;
      const flush = () => {
        if (para.length)
          nodes.push({ type: 'text', tag: 'P', runs: para, cell: { x: x0, y: paraTop, w: CONTENT_W, h: y - paraTop } });
        para = [];
      };
      // A paragraph's last line never stands alone at the top of a page: the line before it goes along.
      const samePara = (i: number) => !item.text.slice(lines[i]!.end, lines[i + 1]!.start).includes('\n');
      const widow = (i: number) =>
        i + 1 < lines.length &&
        lines[i + 1]!.text !== '' &&
        samePara(i) &&
        (i + 2 === lines.length || !samePara(i + 1));
      for (const [i, line] of lines.entries()) {
        if (y + lh > BOTTOM || (y > top && y + 2 * lh > BOTTOM && widow(i))) {
          flush();
          newPage();
          paraTop = y;
        }
        if (line.text !== '')
          para.push({ text: line.text, x: x0 + 4, y: round(y + baselineIn(lh, SIZE)), size: SIZE, font: 'regular' });
        y += lh;
      }
      flush();
      y += 6;
    } else {
      // The grid changes only where a row group taller than a page is divided between pages.
      let grid = item.grid;
      let h = measure(ctx, grid, item.size);
      const head = [...item.head];
      const headH = sum(head.map((i) => h[i]!));
      const groups = rowGroups(grid, head).filter(([a]) => item.body.includes(a));
      // Room for rows under the repeated header on a page of their own.
      const pageRoom = BOTTOM - top - headH;
      // The heading goes along with the table's first rows: when nothing of them fits under it
      // here, it starts the next page with them rather than standing alone at the foot of this one.
      if (y > top && groups.length > 0) {
        const [a, b] = groups[0]!;
        const gh = sum(h.slice(a, b));
        const below = BOTTOM - (y + headingHeight(headingLines(item.heading))) - headH;
        const none = gh > pageRoom + 0.01 ? splitGroup(ctx, grid, item.size, a, b, below) === null : gh > below + 0.01;
        if (none) newPage();
      }
      heading(item.heading);
      firstPage.push(pages.length + 1);
      let rows: number[] = [];
      const flushTable = () => {
        if (rows.length === 0) return;
        const placed = placeGrid(ctx, grid, h, item.size, x0, y, [...head, ...rows]);
        nodes.push({ type: 'group', tag: 'Sect', children: placed.nodes });
        collectRefs(placed.nodes, orphanRefs);
        y = placed.bottom;
        rows = [];
      };
      let used = headH;
      for (let gi = 0; gi < groups.length; gi++) {
        const [a, b] = groups[gi]!;
        let gh = sum(h.slice(a, b));
        if (gh > pageRoom + 0.01 && y + used + gh > BOTTOM + 0.01) {
          // Taller than a page: the group is divided at a line, its first part filling this page.
          const split = splitGroup(ctx, grid, item.size, a, b, BOTTOM - y - used);
          if (split) {
            const delta = split.grid.rows.length - grid.rows.length;
            grid = split.grid;
            h = measure(ctx, grid, item.size);
            for (let k = 0; k < head.length; k++) if (head[k]! >= b) head[k] = head[k]! + delta;
            for (let k = gi + 1; k < groups.length; k++) groups[k] = [groups[k]![0] + delta, groups[k]![1] + delta];
            groups.splice(gi, 1, [a, split.cut], [split.cut, split.end]);
            gh = sum(h.slice(a, split.cut));
          } else if (rows.length > 0 || y > top) {
            // Nothing of it fits here: it starts on the next page.
            flushTable();
            newPage();
            used = headH;
            gi--;
            continue;
          }
        }
        if (y + used + gh > BOTTOM && (rows.length > 0 || y > top)) {
          flushTable();
          newPage();
          used = headH;
        }
        for (let k = groups[gi]![0]; k < groups[gi]![1]; k++) rows.push(k);
        used += gh;
      }
      flushTable();
      y += 8;
    }
    warnings.push({ path: item.path, label: item.label, page: firstPage[firstPage.length - 1]! });
  }
  pages.push(nodes);

  // Number the pages, fill in the references, and say what continued where.
  const m = pages.length;
  // A reference shared by several items (ctx.sharedRefs: the KPI rows of a band and the bands after
  // it, under one line on page 1) names the 別紙 page of each, once when they share one; any other
  // names the page of the first item referring to it.
  const shared = new Map<TextRun, number[]>();
  ctx.annex.forEach((item, i) => {
    if (item.kind === 'prose' && item.fromTable && orphanRefs.length > 0) item.refs.push(orphanRefs.shift()!);
    for (const r of item.refs)
      if (ctx.sharedRefs.has(r)) shared.set(r, [...(shared.get(r) ?? []), firstPage[i]!]);
      else if (r.text === REF_PLACEHOLDER) r.text = continuedRef(firstPage[i]!);
  });
  for (const [r, [first, ...more]] of shared) r.text = continuedRef(first!, ...more);
  for (const w of warnings)
    ctx.warn(
      'layout.overflow',
      w.path,
      `「${w.label}」は 6pt でも枠に収まらないため、続きを別紙 ${w.page} に出力しました`,
      `"${w.label}" does not fit the sheet even at 6 pt; it continues on 別紙 (attachment) page ${w.page}`,
      '文章を短くすると 1 枚に収まります',
      'shorten the text to keep it on the sheet',
    );
  return pages.map((children, i) => {
    const furniture: LayoutNode[] = [
      {
        type: 'furniture',
        runs: identLines.map((l, k) => ({
          text: l.text,
          x: x0,
          y: round(ANNEX_MARGIN.top + k * IDENT_SIZE * 1.4 + baselineIn(IDENT_SIZE * 1.4, IDENT_SIZE)),
          size: IDENT_SIZE,
          font: 'regular',
        })),
        cell: { x: x0, y: ANNEX_MARGIN.top, w: CONTENT_W - PAGE_NO_W, h: identH },
      },
      (() => {
        const text = `別紙 ${i + 1} / ${m}`;
        const w = textWidth(ctx.fonts.bold, text, 9);
        return {
          type: 'furniture' as const,
          runs: [
            {
              text,
              x: round(x0 + CONTENT_W - w),
              y: round(ANNEX_MARGIN.top + baselineIn(IDENT_SIZE * 1.4, 9)),
              size: 9,
              font: 'bold' as const,
            },
          ],
          cell: { x: x0 + CONTENT_W - PAGE_NO_W, y: ANNEX_MARGIN.top - 1, w: PAGE_NO_W, h: IDENT_SIZE * 1.4 + 2 },
        };
      })(),
    ];
    return { ...A4_LANDSCAPE, nodes: [...furniture, ...children] };
  });
}

function collectRefs(nodes: LayoutNode[], into: TextRun[]): void {
  for (const n of nodes) {
    if (n.type === 'group') collectRefs(n.children, into);
    else if (n.type === 'text') for (const r of n.runs) if (r.text === REF_PLACEHOLDER) into.push(r);
  }
}

/** Height of `n` lines of prose in a table cell: re-exported for the pages' budgets. */
export { linesHeight, textLines };
export type { AnnexItem };
