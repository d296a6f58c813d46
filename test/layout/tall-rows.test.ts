// A table row taller than a whole page — an opinion or answer of thousands of characters, a project
// of dozens of outcomes, a 備考 running over several pages in a year band on 別紙 — is divided
// between pages at a line (grid.ts splitGroup): nothing lost, nothing outside its page or cell, the
// reading order kept, the labels of the row repeated beside its rest. Before, such a row ran off the
// bottom of its page (page 2, 別紙) and what stood past the edge was lost.

import { describe, expect, it } from 'vitest';
import { projectsCsv } from '../../src/export/csv.js';
import { projectsJsonText } from '../../src/export/json.js';
import { projectRows } from '../../src/export/projects.js';
import { LayoutContext } from '../../src/layout/fit.js';
import {
  LEADING,
  measure,
  rowGroups,
  splitGroup,
  sum,
  textLines,
  type Cell,
  type Grid,
} from '../../src/layout/grid.js';
import { layoutSheet } from '../../src/layout/index.js';
import type { LayoutNode, Page } from '../../src/layout/types.js';
import type { CommitteeEntry, GradedSheet, Outcome } from '../../src/model/types.js';
import { loadFonts } from '../../src/render/fonts.js';
import { buildSheet, checkSheet, expectNoLoss, findInOrder, readPdf } from '../helpers/invariants.js';
import { seedSheet } from '../render/seed-fixture.js';
import { fifteenProjects, tallProject } from '../render/stress-fixture.js';

const fonts = loadFonts();
const SENTENCE = '市民参画によるまちづくり組織の組成を検討し、機会を捉えた事業の効果的な情報発信を行う必要がある。';
const paragraphs = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `【${tag}${i + 1}】${SENTENCE}${SENTENCE}`).join('\n');
const flat = (s: string) => s.replace(/\s+/gu, '');

type TextNode = Extract<LayoutNode, { type: 'text' }>;
function texts(nodes: readonly LayoutNode[], out: TextNode[] = []): TextNode[] {
  for (const n of nodes)
    if (n.type === 'group') texts(n.children, out);
    else if (n.type === 'text') out.push(n);
  return out;
}
const pageText = (p: Page) =>
  texts(p.nodes)
    .map((n) => n.runs.map((r) => r.text).join(''))
    .join('');

const td = (col: number, text: string): Cell => ({ col, tag: 'TD', content: { kind: 'text', text, valign: 'top' } });
const th = (col: number, text: string, rowSpan = 1): Cell => ({
  col,
  tag: 'TH',
  ...(rowSpan > 1 ? { rowSpan } : {}),
  content: { kind: 'text', text },
});
/** The text of a grid's cells in column `col`, rows [a, b), joined. */
const column = (g: Grid, col: number, a: number, b: number) =>
  g.rows
    .slice(a, b)
    .flatMap((r) => r.cells.filter((c) => c.col === col))
    .map((c) => (c.content.kind === 'text' ? c.content.text : ''))
    .join('');

describe('splitGroup divides a row group at a line', () => {
  const ctx = new LayoutContext(fonts, 'ja');
  const opinion = paragraphs(30, '意見');
  const answer = paragraphs(20, '回答');
  const grid: Grid = {
    widths: [400, 400],
    rows: [{ cells: [th(0, '意見'), th(1, '回答')] }, { cells: [td(0, opinion), td(1, answer)] }],
  };

  it('keeps every line once, in order, the first part within the room', () => {
    const avail = 300;
    const s = splitGroup(ctx, grid, 8, 1, 2, avail)!;
    expect(s).not.toBeNull();
    expect([s.cut, s.end]).toEqual([2, 3]);
    const h = measure(ctx, s.grid, 8);
    expect(sum(h.slice(1, s.cut))).toBeLessThanOrEqual(avail + 0.01);
    // The header is untouched; the two parts are separate row groups (no span across the cut).
    expect(s.grid.rows[0]).toEqual(grid.rows[0]);
    expect(rowGroups(s.grid, [0]).slice(1)).toEqual([
      [1, 2],
      [2, 3],
    ]);
    for (const [col, text] of [
      [0, opinion],
      [1, answer],
    ] as const) {
      const up = column(s.grid, col, 1, 2);
      const down = column(s.grid, col, 2, 3);
      expect(flat(up + down)).toBe(flat(text));
      expect(up.length).toBeGreaterThan(0);
      expect(down.length).toBeGreaterThan(0);
    }
    // The room is used: the first part ends less than a line and a half short of it (two lines kept
    // back at most, to keep a paragraph's last line off the next part).
    expect(sum(h.slice(1, s.cut))).toBeGreaterThan(avail - 3 * 8 * LEADING);
  });

  it('divides again and again until every part fits a page', () => {
    let g = grid;
    let a = 1;
    let parts = 0;
    for (;;) {
      const h = measure(ctx, g, 8);
      if (sum(h.slice(a, a + 1)) <= 150) break;
      const s = splitGroup(ctx, g, 8, a, a + 1, 150)!;
      expect(s).not.toBeNull();
      expect(sum(measure(ctx, s.grid, 8).slice(a, s.cut))).toBeLessThanOrEqual(150.01);
      g = s.grid;
      a = s.cut;
      parts++;
    }
    expect(parts).toBeGreaterThanOrEqual(2);
    expect(flat(column(g, 0, 1, g.rows.length))).toBe(flat(opinion));
    expect(flat(column(g, 1, 1, g.rows.length))).toBe(flat(answer));
  });

  it('never leaves one line alone on either side, nor a paragraph’s last line', () => {
    const lh = 8 * LEADING;
    for (let lines = 2; lines < 40; lines++) {
      const s = splitGroup(ctx, grid, 8, 1, 2, lines * lh + 2)!;
      if (!s) continue;
      for (const col of [0, 1]) {
        const down = column(s.grid, col, 2, 3);
        const first = down.split('\n')[0]!;
        // The first paragraph of the rest is more than a line's end: at least two lines' worth (≥ 50 characters at 400 pt).
        if (down !== '' && column(s.grid, col, 1, 2) !== '') expect([...first].length).toBeGreaterThan(40);
      }
    }
  });

  it('repeats labels spanning the cut beside the rest, and keeps one-row cells whole above it', () => {
    const n = 40;
    const rows: Grid['rows'] = [{ cells: [th(0, 'No.'), th(1, '名称'), th(2, '指標')] }];
    for (let i = 0; i < n; i++)
      rows.push({
        cells: [
          ...(i === 0 ? [th(0, '1', n), th(1, '3670　生涯活躍のまち形成事業', n)] : []),
          { col: 2, tag: 'TH' as const, content: { kind: 'text' as const, text: `成果指標${i + 1}` } },
        ],
      });
    const g: Grid = { widths: [30, 120, 200], rows };
    const s = splitGroup(ctx, g, 6, 1, n + 1, 150)!;
    expect(s).not.toBeNull();
    const down = s.grid.rows[s.cut]!;
    expect(down.cells.map((c) => (c.content.kind === 'text' ? c.content.text : ''))).toEqual([
      '1',
      '3670　生涯活躍のまち形成事業',
      `成果指標${s.cut}`,
    ]);
    expect(down.cells[0]!.rowSpan).toBe(s.end - s.cut);
    // Each outcome once, in order, none cut.
    const names = s.grid.rows
      .slice(1, s.end)
      .flatMap((r) => r.cells.filter((c) => c.col === 2))
      .map((c) => (c.content.kind === 'text' ? c.content.text : ''));
    expect(names).toEqual(Array.from({ length: n }, (_, i) => `成果指標${i + 1}`));
  });

  it('marks a repeated name 「（続き）」 (once, however often the row is divided), the other labels as they are', () => {
    const n = 60;
    const rows: Grid['rows'] = [{ cells: [th(0, 'No.'), th(1, '名称'), th(2, '指標')] }];
    const name = '3670　生涯活躍のまち形成事業';
    for (let i = 0; i < n; i++)
      rows.push({
        cells: [
          ...(i === 0 ? [th(0, '1', n), { ...th(1, name, n), markContinued: true }] : []),
          { col: 2, tag: 'TH' as const, content: { kind: 'text' as const, text: `成果指標${i + 1}` } },
        ],
      });
    let g: Grid = { widths: [30, 200, 200], rows };
    let a = 1;
    const names: string[] = [];
    const text = (c: Cell | undefined) => (c?.content.kind === 'text' ? c.content.text : '');
    for (let parts = 0; parts < 10; parts++) {
      if (sum(measure(ctx, g, 6).slice(a, g.rows.length)) <= 150) break;
      const s = splitGroup(ctx, g, 6, a, g.rows.length, 150)!;
      expect(s).not.toBeNull();
      // The part above keeps the label as it stood; the part below repeats it.
      names.push(text(s.grid.rows[a]!.cells.find((c) => c.col === 1)));
      expect(text(s.grid.rows[s.cut]!.cells.find((c) => c.col === 0))).toBe('1');
      g = s.grid;
      a = s.cut;
    }
    names.push(text(g.rows[a]!.cells.find((c) => c.col === 1)));
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(names).toEqual([name, ...names.slice(1).map(() => `${name}（続き）`)]);
  });

  it('gives nothing when not even a first line fits', () => {
    expect(splitGroup(ctx, grid, 8, 1, 2, 8)).toBeNull();
  });

  it('sends a row’s later cells along when an earlier one starts on the next part (an answer never before its opinion)', () => {
    // The opinion opens with a paragraph of three lines: at a room of two lines it would leave its
    // last line alone, so it keeps none here; the answer, which could keep two, goes along with it.
    const first = `${'あ'.repeat(110)}。`;
    expect(textLines(ctx, first, 400, 8)).toHaveLength(3);
    const g: Grid = {
      widths: [400, 400],
      rows: [
        { cells: [th(0, '意見'), th(1, '回答')] },
        { cells: [td(0, `${first}\n${paragraphs(6, '意見')}`), td(1, paragraphs(6, '回答'))] },
      ],
    };
    const room = 2 * 8 * LEADING + 2 + 0.5;
    expect(splitGroup(ctx, g, 8, 1, 2, room)).toBeNull();
    // With room for four lines both cells divide.
    const s = splitGroup(ctx, g, 8, 1, 2, 4 * 8 * LEADING + 2 + 0.5)!;
    expect(column(s.grid, 0, 1, 2)).toContain(first);
    expect(column(s.grid, 1, 1, 2)).not.toBe('');
  });
});

/**
 * The seed with eight committee entries: those after the first few continue on 別紙, and one of
 * them (㊵) is of thousands of characters on each side.
 */
function tallOpinion(): GradedSheet {
  const g = seedSheet();
  const base = g.sheet.committee[0]!;
  g.sheet.committee = Array.from(
    { length: 8 },
    (_, i): CommitteeEntry => ({
      number: 35 + i,
      // Each entry its own text: the order check finds each after the one before it.
      opinion: i === 5 ? paragraphs(40, '意見') : `意見${i + 1}：${base.opinion}${SENTENCE.repeat(2)}`,
      response: i === 5 ? paragraphs(28, '回答') : `回答${i + 1}：${base.response}${SENTENCE.repeat(3)}`,
      path: ['committee', i],
    }),
  );
  return g;
}

describe('the layout with a row taller than a page', () => {
  it('divides a committee entry between 別紙 pages as the same two-column table, the header on each page', async () => {
    const g = tallOpinion();
    const built = await buildSheet(g, fonts);
    expectNoLoss(checkSheet(g, built.pages, built.pdf, fonts, { requireCells: true }));
    const annex = built.pages.slice(2);
    const e = g.sheet.committee[5]!;
    const doc = readPdf(built.pdf);
    // The opinion and the answer each stand on two pages or more, in pieces, in order.
    const op = findInOrder(doc, flat(`㊵${e.opinion}`));
    const an = findInOrder(doc, flat(`㊵${e.response}`));
    expect(op.matched).toBe(flat(`㊵${e.opinion}`).length);
    expect(an.matched).toBe(flat(`㊵${e.response}`).length);
    expect(new Set(op.pages).size).toBeGreaterThanOrEqual(2);
    expect(op.start).toBeLessThan(an.start);
    // Every 別紙 page that holds a piece of it repeats the table's header; no paragraph headings stand in for the table.
    const pieces = annex.filter((p) => pageText(p).includes('【意見'));
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    for (const p of pieces) expect(pageText(p)).toContain('推進委員会からの意見に対する担当課の考え（要旨）');
    expect(annex.map(pageText).join('')).not.toContain('推進委員会からの意見（要旨）㊵');
  });

  it('holds a project of 64 outcomes: page 2 keeps within its page, 別紙 repeats No., 〇 and the name', async () => {
    const g = tallProject();
    const built = await buildSheet(g, fonts);
    expectNoLoss(checkSheet(g, built.pages, built.pdf, fonts, { requireCells: true }));
    const p2 = built.pages[1]!;
    for (const n of texts(p2.nodes)) for (const r of n.runs) expect(r.y).toBeLessThanOrEqual(p2.height);
    const p = g.sheet.projects[0]!;
    const name = `${p.code}　${p.name}`;
    const withName = built.pages.filter((pg) => texts(pg.nodes).some((n) => n.runs.some((r) => r.text.includes(name))));
    expect(withName.length).toBe(2);
    // The name beside the rest on 別紙 says it continues (not a second project of the same name); page 2's does not.
    const nameCells = (pg: Page) =>
      texts(pg.nodes)
        .map((n) => flat(n.runs.map((r) => r.text).join('')))
        .filter((t) => t.startsWith(flat(name)));
    expect(nameCells(withName[0]!)).toEqual([flat(name)]);
    expect(nameCells(withName[1]!)).toEqual([flat(`${name}（続き）`)]);
    // The open data reads the model, not the layout: each of its rows names the project as written.
    const rows = projectRows(g, 'tall.pdf');
    expect(rows.length).toBeGreaterThan(64);
    expect(projectsCsv(rows)).not.toContain('（続き）');
    expect(projectsJsonText(rows)).not.toContain('（続き）');
    // Every outcome once, in order, across page 2 and 別紙.
    const all = built.pages.map(pageText).join('');
    let at = 0;
    for (const o of p.outcomes as Outcome[]) {
      const i = all.indexOf(`${o.name}（${o.unit}）`, at);
      expect(i, o.name).toBeGreaterThanOrEqual(at);
      at = i + 1;
      expect(all.indexOf(`${o.name}（${o.unit}）`, at), `${o.name} twice`).toBe(-1);
    }
    // The 備考 runs on from page 2 into the row's rest on 別紙, whole, in order.
    const remark = findInOrder(readPdf(built.pdf), flat(p.remarks!));
    expect(remark.matched).toBe(flat(p.remarks!).length);
    expect(remark.pages).toEqual([2, 3]);
  });

  it('continues a long 備考 of a divided project in one place: the row’s rest on 別紙, not also a paragraph after the table', async () => {
    // Too long for the slot even beside its 64 outcomes: page 2 cut it at a sentence, and the divided
    // row then carried the shown part on to 別紙 with a reference to the rest further on (two places).
    const g = tallProject();
    const p = g.sheet.projects[0]!;
    const remarks = Array.from(
      { length: 60 },
      (_, i) => `【備考${i + 1}】移住相談の件数を集計し、事業の効果を検証した。`,
    ).join('');
    g.sheet.projects[0] = { ...p, remarks };
    const built = await buildSheet(g, fonts);
    expectNoLoss(checkSheet(g, built.pages, built.pdf, fonts, { requireCells: true }));
    const all = built.pages.map(pageText).join('');
    expect(all).not.toContain('（４）No.1 備考欄（続き）');
    const doc = readPdf(built.pdf);
    const found = findInOrder(doc, flat(remarks));
    expect(found.matched).toBe(flat(remarks).length);
    // In pieces on consecutive pages from page 2 (the row's parts), no reference inside it.
    expect(found.pages[0]).toBe(2);
    found.pages.forEach((pg, i) => expect(pg).toBe(2 + i));
    expect(found.refs ?? []).toEqual([]);
    // The last piece is followed on its page by no other 備考 heading: nothing of it stands elsewhere.
    expect(built.warnings.filter((w) => (w.path ?? []).join('.') === 'projects.0.remarks')).toEqual([]);
  });

  it('keeps the whole 備考 of a slot continued on 別紙 in its row (no cut there and a paragraph further on)', async () => {
    // Fifteen projects of five outcomes: the later slots go to 別紙 whole. The last one's 備考 is long:
    // page 2 cut it at a sentence for a slot it does not even stand in.
    const g = fifteenProjects();
    const last = g.sheet.projects[14]!;
    const remarks = Array.from({ length: 30 }, (_, i) => `【補足${i + 1}】${SENTENCE}`).join('');
    g.sheet.projects[14] = { ...last, remarks };
    const built = await buildSheet(g, fonts);
    expectNoLoss(checkSheet(g, built.pages, built.pdf, fonts, { requireCells: true }));
    expect(built.pages.map(pageText).join('')).not.toContain('（４）No.15 備考欄（続き）');
    const found = findInOrder(readPdf(built.pdf), flat(remarks));
    expect(found.matched).toBe(flat(remarks).length);
    expect(found.refs ?? []).toEqual([]);
    expect(found.pages[0]).toBeGreaterThan(2);
  });

  it('lays out the same pages again (deterministic)', () => {
    const a = layoutSheet(tallOpinion(), fonts, { lang: 'ja' });
    const b = layoutSheet(tallOpinion(), fonts, { lang: 'ja' });
    expect(JSON.stringify(b.pages)).toBe(JSON.stringify(a.pages));
  });
});
