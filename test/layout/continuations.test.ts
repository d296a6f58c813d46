// The no-loss checker (test/helpers/invariants.ts findInOrder) and short continuations: text whose
// last few characters go on to 別紙 — "入国" after a cut in ②, an opinion whose first sentence is
// "。" and whose rest is on 別紙 — is found where the layout prints it (the piece before ends at
// 「（別紙 N に続く）」, the rest starts after a 「（続き）」 heading on 別紙 N), while the same few
// characters elsewhere are still no proof, and a short piece really left out is still caught. Found by
// the property tests (seeds 1, 3, 4): such text was reported missing although it was printed.
// Since then the layout no longer cuts a text so that a piece is closing punctuation alone (fit.ts
// splitSentences): the opinion of seed 4 continues whole on 別紙; the checker still accepts the short
// pieces the layout prints (synthetic documents below).

import { describe, expect, it } from 'vitest';
import { sheetFromShape, type SheetShape } from '../../scripts/gen-sheets.mjs';
import { layoutSheet } from '../../src/layout/index.js';
import type { LayoutNode, Page, TextRun } from '../../src/layout/types.js';
import { loadFonts } from '../../src/render/fonts.js';
import { renderPdf } from '../../src/render/pdf.js';
import { pdfMeta } from '../../src/core/build.js';
import {
  buildSheet,
  checkPdf,
  checkSheet,
  expectedTexts,
  expectNoLoss,
  findInOrder,
  gradeText,
  orderedTexts,
} from '../helpers/invariants.js';

const fonts = loadFonts();

/** A document's text as the checker reads it: pieces of text, each on its page. */
function docOf(parts: [string, number][]) {
  const flat = parts.map((p) => p[0]).join('');
  const pageOf = Uint16Array.from(parts.flatMap(([s, p]) => [...Array(s.length)].map(() => p)));
  return { flat, pageOf };
}

describe('findInOrder and continuations shorter than six characters', () => {
  const page1 = ['②理由等【達成状況：Ｓ】「着実に実施」と。（別紙2に続く）③現状と課題入国制限の件', 1] as [
    string,
    number,
  ];
  const annex1 = ['別紙1/2ＫＰＩ1の表（続き）基準値入国制限が続く', 2] as [string, number];
  const annex2 = ['別紙2/2②理由等（続き）入国ＫＰＩ1【達成状況：Ｄ】入国制限', 3] as [string, number];
  const needle = '【達成状況：Ｓ】「着実に実施」と。入国';

  it('finds a short rest after the 「（続き）」 heading on the 別紙 page the reference names', () => {
    expect(findInOrder(docOf([page1, annex1, annex2]), needle)).toMatchObject({
      matched: needle.length,
      pages: [1, 3],
    });
  });

  it('still reports the rest missing when it was left out (the same characters elsewhere are no proof)', () => {
    const dropped: [string, number] = ['別紙2/2②理由等（続き）ＫＰＩ1【達成状況：Ｄ】入国制限', 3];
    const f = findInOrder(docOf([page1, annex1, dropped]), needle);
    expect(f.matched).toBe(needle.length - 2);
  });

  it('does not take a heading on another 別紙 page than the reference names', () => {
    // The reference says 別紙 2; "（続き）入国" stands on 別紙 1 only.
    const elsewhere: [string, number] = ['別紙1/2②理由等（続き）入国ＫＰＩ1', 2];
    const other: [string, number] = ['別紙2/2ＫＰＩ2の表', 3];
    expect(findInOrder(docOf([page1, elsewhere, other]), needle).matched).toBe(needle.length - 2);
  });

  it('does not take a short piece that follows no reference to 別紙', () => {
    const noRef: [string, number] = ['②理由等【達成状況：Ｓ】「着実に実施」と。③現状と課題', 1];
    expect(findInOrder(docOf([noRef, annex1, annex2]), needle).matched).toBe(needle.length - 2);
  });

  it('finds a text whose first piece is short though a longer start stands elsewhere by chance', () => {
    // ④ shows "。" and the rest goes on 別紙 1; "。まちづくり商" also stands in another text on 別紙 1.
    const doc = docOf([
      ['④施策の方針。（別紙1に続く）⑤連携・協働', 1],
      ['別紙1/1③現状（続き）課題がある。まちづくり商店街④施策の方針（続き）まちづくり商業施設の完成58%。を専用', 2],
    ]);
    const text = '。まちづくり商業施設の完成58%。を専用';
    expect(findInOrder(doc, text)).toMatchObject({ matched: text.length, pages: [1, 2] });
    // Left out: the middle of the rest.
    const lost = docOf([
      ['④施策の方針。（別紙1に続く）⑤連携・協働', 1],
      ['別紙1/1③現状（続き）課題がある。まちづくり商店街④施策の方針（続き）まちづくり商業施設の完成を専用', 2],
    ]);
    expect(findInOrder(lost, text).matched).toBeLessThan(text.length);
  });
});

type TextNode = Extract<LayoutNode, { type: 'text' }>;

/**
 * The pages with the first run that `pick` chooses cut short by `piece` (taken out when that is all
 * of it): a layout that lost those characters.
 */
function without(pages: Page[], piece: string, pick: (run: TextRun, node: TextNode, page: number) => boolean): Page[] {
  let done = false;
  const strip = (nodes: readonly LayoutNode[], page: number): LayoutNode[] =>
    nodes.map((n) => {
      if (n.type === 'group') return { ...n, children: strip(n.children, page) };
      if (n.type !== 'text' || done) return n;
      const i = n.runs.findIndex((r) => pick(r, n, page));
      if (i < 0) return n;
      done = true;
      const r = n.runs[i]!;
      const rest = r.text.startsWith(piece) ? r.text.slice(piece.length) : r.text.slice(0, -piece.length);
      return {
        ...n,
        runs:
          rest === '' ? n.runs.filter((_, k) => k !== i) : n.runs.map((x, k) => (k === i ? { ...x, text: rest } : x)),
      };
    });
  const out = pages.map((p, i) => ({ ...p, nodes: strip(p.nodes, i + 1) }));
  expect(done, 'the run to cut was found').toBe(true);
  return out;
}

const base = {
  referenceYears: 1,
  relatedDivisions: 0,
  relatedPolicyProjects: 1,
  reasonsByIndicator: true,
} as const;

describe('generated sheets whose short continuations were reported missing', () => {
  const cases: { name: string; shape: SheetShape; path: string; piece: string }[] = [
    {
      // ② for the goal: "「着実に実施」と。\n入国" — "入国" on 別紙.
      name: 'seed 3: "入国" after a cut in ②',
      shape: {
        ...base,
        seed: 226384973,
        planYears: 8,
        planFrom: 2030,
        fiscalYearIndex: 5,
        referenceYears: 2,
        prose: { reasons: 267, situation: 5351, policy: 399, item5: -1, remarks: 598 },
        kpis: 20,
        committee: 0,
        committeeChars: 3249,
        projects: [5, 2],
        nameChars: 3,
        numbers: 'mixed',
        relatedDivisions: 0,
      },
      path: 'reasons.goal',
      piece: '入国',
    },
  ];

  for (const c of cases)
    it(`${c.name}: found as printed, and caught when taken out`, { timeout: 60_000 }, async () => {
      const g = gradeText('generated.yaml', sheetFromShape(c.shape));
      const built = await buildSheet(g, fonts);
      expect(built.errors).toEqual([]);
      expectNoLoss(checkSheet(g, built.pages, built.pdf, fonts, { requireCells: true }));

      // The same layout with the short piece left out: on 別紙 the line right after the heading.
      const layout = layoutSheet(g, fonts, { lang: 'ja' });
      // On 別紙: the first line of the continued text is the piece.
      const lost = without(
        layout.pages,
        c.piece,
        (r, node, page) => page > 1 && node.runs.indexOf(r) === 0 && r.text === c.piece,
      );
      const pdf = await renderPdf(lost, fonts, pdfMeta(g, 0));
      const v = checkPdf(pdf, expectedTexts(g), orderedTexts(g));
      expect(
        v.filter((x) => x.kind === 'missing-text').map((x) => (x.path ?? []).join('.')),
        JSON.stringify(v.map((x) => `${x.kind} ${x.text}`)),
      ).toContain(c.path);
    });
});

/** The text of each node that ends with a reference to 別紙, before the reference (whitespace left out). */
function beforeRefs(pages: readonly Page[]): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly LayoutNode[]) => {
    for (const n of nodes)
      if (n.type === 'group') walk(n.children);
      else if (n.type === 'text' && n.runs.length > 0 && /^（別紙 \d+ に続く）$/u.test(n.runs[n.runs.length - 1]!.text))
        out.push(
          n.runs
            .slice(0, -1)
            .map((r) => r.text)
            .join('')
            .replace(/\s+/gu, ''),
        );
  };
  for (const p of pages) walk(p.nodes);
  return out;
}

describe('a cut text leaves no punctuation alone before its reference to 別紙', () => {
  it('seed 4: an opinion opening with 「。」 continues whole on 別紙 (it showed 「①。」 alone before)', {
    timeout: 60_000,
  }, async () => {
    const shape: SheetShape = {
      ...base,
      seed: 65994099,
      planYears: 6,
      planFrom: 2018,
      fiscalYearIndex: 0,
      prose: { reasons: 35, situation: 7, policy: 367, item5: -1, remarks: 0 },
      kpis: 13,
      committee: 2,
      committeeChars: 1500,
      projects: [3, 1],
      nameChars: 25,
      numbers: 'extreme',
      relatedDivisions: 4,
    };
    const g = gradeText('generated.yaml', sheetFromShape(shape));
    expect(g.sheet.committee[0]!.opinion.startsWith('。')).toBe(true);
    const built = await buildSheet(g, fonts);
    expect(built.errors).toEqual([]);
    expectNoLoss(checkSheet(g, built.pages, built.pdf, fonts, { requireCells: true }));
    const pieces = beforeRefs(built.pages);
    expect(pieces.length).toBeGreaterThan(0);
    // A piece before a reference is nothing (the cell holds the reference alone) or more than a label
    // (①) and closing punctuation.
    for (const p of pieces)
      if (p !== '') expect(p.replace(/^[①-⑳㉑-㉟㊱-㊿]/u, ''), p).toMatch(/[^、。，．！？」』）】〕]/u);
    // The opinion's 「。」 is the first character of its rest on 別紙, after its heading.
    const annex = built.pages.slice(2).flatMap((pg) => {
      const t: string[] = [];
      const walk = (ns: readonly LayoutNode[]) => {
        for (const n of ns)
          if (n.type === 'group') walk(n.children);
          else if (n.type === 'text') t.push(n.runs.map((r) => r.text).join(''));
      };
      walk(pg.nodes);
      return t;
    });
    expect(annex.join('').replace(/\s+/gu, '')).toContain('推進委員会からの意見①（続き）①。');
  });
});

describe('checkPdf matches each short piece to its own reference to 別紙 (consumed once)', () => {
  /** A document read back, without glyph boxes: only the text and its pages count here. */
  const pdfOf = (parts: [string, number][]) => ({
    ...docOf(parts),
    pages: parts.map(() => ({ width: 842, height: 595 })),
    boxes: [],
    glyphs: false,
  });
  const annex: [string, number] = [
    '別紙1/1推進委員会からの意見①（続き）まちづくり商業施設の完成を目指す担当課の考え①（続き）まちづくり商業施設の完成を目指す',
    2,
  ];
  // An opinion and its answer of the same words, each showing 「。」 before its reference to 別紙 1.
  const same = '。まちづくり商業施設の完成を目指す';
  const expected = [
    { text: same, path: ['committee', 0, 'opinion'], kind: 'text' as const },
    { text: same, path: ['committee', 0, 'response'], kind: 'text' as const },
  ];
  const missing = (v: ReturnType<typeof checkPdf>) =>
    v.filter((x) => x.kind === 'missing-text').map((x) => (x.path ?? []).join('.'));

  it('finds two texts of the same words, each through its own reference', () => {
    const doc = pdfOf([['推進委員会からの意見①。（別紙1に続く）担当課の考え①。（別紙1に続く）', 1], annex]);
    expect(checkPdf(doc, expected)).toEqual([]);
  });

  it('catches one of the two 「。」 dropped (before, both were found through the one left)', () => {
    for (const page1 of [
      '推進委員会からの意見①（別紙1に続く）担当課の考え①。（別紙1に続く）',
      '推進委員会からの意見①。（別紙1に続く）担当課の考え①（別紙1に続く）',
    ]) {
      const v = checkPdf(pdfOf([[page1, 1], annex]), expected);
      expect(missing(v), page1).toHaveLength(1);
    }
  });

  it('catches a dropped 「。」 of two different texts ending in it before references to the same 別紙 page', () => {
    const texts = [
      { text: '。まちづくり商業施設の完成を目指す', path: ['committee', 0, 'opinion'], kind: 'text' as const },
      { text: '。多世代交流施設の運営を支援する', path: ['committee', 0, 'response'], kind: 'text' as const },
    ];
    const rest: [string, number] = [
      '別紙1/1推進委員会からの意見①（続き）まちづくり商業施設の完成を目指す担当課の考え①（続き）多世代交流施設の運営を支援する',
      2,
    ];
    expect(checkPdf(pdfOf([['意見①。（別紙1に続く）考え①。（別紙1に続く）', 1], rest]), texts)).toEqual([]);
    const v = checkPdf(pdfOf([['意見①（別紙1に続く）考え①。（別紙1に続く）', 1], rest]), texts);
    // One piece is gone: one text reported (the text cannot tell whose 「。」 is left; the first claims it).
    expect(missing(v)).toHaveLength(1);
  });
});
