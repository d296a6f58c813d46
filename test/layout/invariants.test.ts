// The no-loss checker itself: it must report each kind of violation on hand-made layouts and PDFs,
// and nothing on clean ones; a checker that never complains would prove nothing.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Page, Rect, TextRun } from '../../src/layout/types.js';
import { A4_LANDSCAPE } from '../../src/layout/types.js';
import { loadFonts } from '../../src/render/fonts.js';
import { renderPdf } from '../../src/render/pdf.js';
import {
  checkLayout,
  checkPdf,
  countByKind,
  expectNoLoss,
  findInOrder,
  formatViolations,
  plainDecimal,
  printedNumber,
  readPdf,
  splitsNumber,
  type ExpectedText,
  type PdfText,
  type Violation,
} from '../helpers/invariants.js';

const fonts = loadFonts();
const META = {
  title: 't',
  author: 'a',
  subject: 's',
  creationDate: new Date(Date.UTC(2021, 0, 1)),
  lang: 'ja-JP' as const,
};

const run = (text: string, x: number, y: number, size = 9, font: 'regular' | 'bold' = 'regular'): TextRun => ({
  text,
  x,
  y,
  size,
  font,
});
const node = (runs: TextRun[], cell?: Rect) => ({
  type: 'text' as const,
  tag: 'P' as const,
  runs,
  ...(cell ? { cell } : {}),
});
const page = (...nodes: ReturnType<typeof node>[]): Page => ({ ...A4_LANDSCAPE, nodes });
const expectText = (...texts: string[]): ExpectedText[] =>
  texts.map((text, i) => ({ text, path: ['t', i], kind: 'text' }));
const kinds = (v: Violation[]) => v.map((x) => x.kind).sort();

/** A clean page: three cells side by side, a two-line paragraph, all inside their cells. */
function cleanPage(): Page {
  return page(
    node([run('人口の社会増減', 40, 60)], { x: 36, y: 48, w: 100, h: 20 }),
    node([run('▲1,234,567人', 140, 60)], { x: 136, y: 48, w: 100, h: 20 }),
    node([run('（30年度）', 240, 60)], { x: 236, y: 48, w: 100, h: 20 }),
    node([run('令和２年は社会減となった。要因としては', 40, 100), run('外国人の転入が減少している。', 40, 112)], {
      x: 36,
      y: 88,
      w: 300,
      h: 30,
    }),
  );
}

describe('checkLayout', () => {
  it('finds nothing on a clean layout', () => {
    const v = checkLayout([cleanPage()], fonts, { numbers: ['▲1,234,567人'] });
    expect(v, formatViolations(v)).toEqual([]);
  });

  it('reports a run outside the page', () => {
    const v = checkLayout([page(node([run('はみ出す文字列', 820, 60)]))], fonts);
    expect(kinds(v)).toEqual(['outside-page']);
    expect(v[0]).toMatchObject({ level: 'layout', page: 1, text: 'はみ出す文字列' });
    expect(v[0]!.at!.x).toBeCloseTo(820, 1);
  });

  it('reports a run below the page bottom, on the page it is on', () => {
    const v = checkLayout([cleanPage(), page(node([run('意見', 40, 600)]))], fonts);
    expect(v).toMatchObject([{ kind: 'outside-page', page: 2, text: '意見' }]);
  });

  it('reports a run outside its cell, and not one inside it', () => {
    const cell = { x: 36, y: 48, w: 40, h: 20 };
    const v = checkLayout([page(node([run('長い成果指標名の例', 40, 60)], cell))], fonts);
    expect(kinds(v)).toEqual(['outside-cell']);
    expect(v[0]!.detail).toContain('(36, 48) 40×20');
    expect(checkLayout([page(node([run('短い', 40, 60)], cell))], fonts)).toEqual([]);
    // A second line below the cell's bottom is outside too.
    expect(kinds(checkLayout([page(node([run('一行目', 40, 60), run('二行目', 40, 75)], cell))], fonts))).toEqual([
      'outside-cell',
    ]);
  });

  it('reports a text node without its cell when cells are required', () => {
    const p = page(node([run('セルなし', 40, 60)]), node([run('セルあり', 40, 80)], { x: 36, y: 70, w: 100, h: 14 }));
    expect(checkLayout([p], fonts)).toEqual([]);
    expect(checkLayout([p], fonts, { requireCells: true })).toMatchObject([{ kind: 'no-cell', text: 'セルなし' }]);
  });

  it('reports overlapping runs, and not runs that only touch', () => {
    const v = checkLayout([page(node([run('1,234,567,890', 100, 60)]), node([run('隣の値', 130, 62)]))], fonts);
    expect(kinds(v)).toEqual(['overlap']);
    expect(v[0]!.text).toContain('1,234,567,890');
    // Two lines of 9 pt set 9 pt apart touch but do not overlap; at 7 pt apart they do.
    expect(checkLayout([page(node([run('一行目', 40, 60), run('二行目', 40, 69)]))], fonts)).toEqual([]);
    expect(kinds(checkLayout([page(node([run('一行目', 40, 60), run('二行目', 40, 67)]))], fonts))).toEqual([
      'overlap',
    ]);
  });

  it('reports a run below the 6 pt floor, and not one at it', () => {
    const v = checkLayout(
      [page(node([run('（別紙 1 に続く）', 40, 60, 5.5)]), node([run('六ポイント', 40, 80, 6)]))],
      fonts,
    );
    expect(v).toMatchObject([{ kind: 'too-small', text: '（別紙 1 に続く）' }]);
    expect(v[0]!.detail).toContain('5.5 pt');
  });

  it('reports a number split across lines', () => {
    const v = checkLayout([page(node([run('1,234,56', 40, 60), run('7,890件', 40, 70)]))], fonts);
    expect(kinds(v)).toEqual(['split-number']);
    expect(v[0]!.text).toBe('1,234,56 | 7,890件');
    expect(kinds(checkLayout([page(node([run('1,234,', 40, 60), run('567件', 40, 70)]))], fonts))).toEqual([
      'split-number',
    ]);
    expect(kinds(checkLayout([page(node([run('合計▲', 40, 60), run('74人', 40, 70)]))], fonts))).toEqual([
      'split-number',
    ]);
  });

  it('does not count runs side by side on one line (a number column beside a code)', () => {
    expect(checkLayout([page(node([run('12', 40, 60), run('3670', 60, 60)]))], fonts)).toEqual([]);
    expect(
      checkLayout([page(node([run('114件', 40, 60), run('（概数）', 70, 60)]))], fonts, { numbers: ['114件'] }),
    ).toEqual([]);
  });

  it('allows a break between digits where the text itself breaks the line', () => {
    const p = page(node([run('合計は2020', 40, 60), run('30件の相談', 40, 70)]));
    expect(kinds(checkLayout([p], fonts))).toEqual(['split-number']);
    expect(checkLayout([p], fonts, { sources: ['合計は2020\n30件の相談'] })).toEqual([]);
    expect(kinds(checkLayout([p], fonts, { sources: ['合計は202030件の相談'] }))).toEqual(['split-number']);
    // Two fields in one cell: a code above a name that begins with digits.
    const cell = page(node([run('6555', 40, 60), run('36か月の事業', 40, 70)]));
    expect(checkLayout([cell], fonts, { sources: ['6555', '36か月の事業'] })).toEqual([]);
    expect(kinds(checkLayout([cell], fonts, { sources: ['65551', '36か月の事業'] }))).toEqual(['split-number']);
  });

  it('reports a value split from its unit, or its note split inside the brackets', () => {
    const numbers = ['1,234,567件', '114件'];
    const unit = checkLayout([page(node([run('1,234,567', 40, 60), run('件（30年度）', 40, 70)]))], fonts, { numbers });
    expect(unit).toMatchObject([{ kind: 'split-number' }]);
    expect(unit[0]!.detail).toContain('1,234,567件');
    const note = checkLayout([page(node([run('114件（概', 40, 60), run('数）', 40, 70)]))], fonts, { numbers });
    expect(kinds(note)).toEqual(['split-note']);
    // A name that begins like a value is not a value cell either.
    expect(
      checkLayout([page(node([run('114件の相談（市民', 40, 60), run('参画）', 40, 70)]))], fonts, { numbers }),
    ).toEqual([]);
    // Prose that merely contains a value is not a value cell: its brackets may span lines.
    expect(
      checkLayout([page(node([run('相談は（114件', 40, 60), run('の内訳）である。', 40, 70)]))], fonts, { numbers }),
    ).toEqual([]);
    // Value on one line, its note on the next: allowed.
    expect(
      checkLayout([page(node([run('114件', 40, 60), run('（30年度）（概数）', 40, 70)]))], fonts, { numbers }),
    ).toEqual([]);
  });
});

describe('expectNoLoss', () => {
  const v: Violation[] = [{ level: 'layout', kind: 'too-small', page: 1, text: '注', detail: '5 pt' }];
  it('fails on violations where none are expected, naming them', () => {
    expect(() => expectNoLoss(v)).toThrow(/1 violations \{"layout\/too-small":1\}[\s\S]*too-small p1 "注"/);
    expect(() => expectNoLoss([])).not.toThrow();
  });
  it('fails on a known-failing sheet that has none (so that it comes off the list when fixed)', () => {
    expect(() => expectNoLoss([], true)).toThrow(/known losses/);
    expect(() => expectNoLoss(v, true)).not.toThrow();
  });
});

describe('splitsNumber', () => {
  it.each([
    ['12', '34', true],
    ['1,2', '34', true],
    ['12,', '345', true],
    ['12', ',345', true],
    ['12.', '5%', true],
    ['▲', '74人', true],
    ['114件', '（30年度）', false],
    ['令和2年度', '3年度', false],
    ['事業費', '1,234', false],
    ['(2020).', 'Next', false],
  ])('"%s" | "%s" → %s', (a, b, want) => expect(splitsNumber(a, b)).toBe(want));
});

describe('printedNumber (what the PDF must show for a number)', () => {
  it.each([
    [-74, undefined, '▲74'],
    [537409, undefined, '537,409'],
    [999999999999, undefined, '999,999,999,999'],
    [-999999999999, undefined, '▲999,999,999,999'],
    [24, '24.0', '24.0'],
    [80, '80.0', '80.0'],
    [1e-7, undefined, '0.0000001'],
    [-1e-7, '-0.0000001', '▲0.0000001'],
    [1234567.891, undefined, '1,234,567.891'],
    [0, undefined, '0'],
    [0, '-0.0', '0.0'],
    [123456789012.345, undefined, '123,456,789,012.345'],
  ])('%s written %s → %s', (v, w, want) => expect(printedNumber(v, w)).toBe(want));

  it('writes exponent forms out in full', () => {
    expect(plainDecimal(1.5e-10)).toBe('0.00000000015');
    expect(plainDecimal(1e21)).toBe('1000000000000000000000');
    expect(plainDecimal(-2.5e-7)).toBe('-0.00000025');
  });
});

describe('findInOrder', () => {
  // Two pages of text: page 1 ends with the start of a paragraph, page 2 has a header then the rest.
  const doc = (() => {
    const parts: [string, number][] = [
      ['見出し本文の前半はここまで（別紙1に続く）', 1],
      ['別紙1/1旭市重点施策9続き後半の文章です。', 2],
    ];
    const flat = parts.map((p) => p[0]).join('');
    const pageOf = Uint16Array.from(parts.flatMap(([s, p]) => [...Array(s.length)].map(() => p)));
    return { flat, pageOf };
  })();

  it('finds a string in one piece', () => {
    expect(findInOrder(doc, '本文の前半')).toMatchObject({ matched: 5, pages: [1] });
  });
  it('finds a paragraph continued on a later page', () => {
    expect(findInOrder(doc, '本文の前半はここまで続き後半の文章です。')).toMatchObject({ matched: 20, pages: [1, 2] });
  });
  it('does not join pieces on the same page', () => {
    expect(findInOrder(doc, '見出しここまで').matched).toBe(3);
  });
  it('does not accept a short chance match as a continuation', () => {
    // "前半" then "文章です。" (5 characters) on page 2: a lost middle, not a continuation.
    expect(findInOrder(doc, '本文の前半文章です。').matched).toBe(5);
    // Nor a longer piece after a short one ("本文の前半" ends at no reference to 別紙, "の文章です。"
    // follows no 「（続き）」 heading): reported as not found, as the search decides (before, the report
    // counted all 11 characters, and a text dropped that way passed).
    expect(findInOrder(doc, '本文の前半の文章です。').matched).toBe(5);
  });
});

describe('checkPdf on PDFs read back with mupdf', () => {
  let clean: Uint8Array;
  let bad: Uint8Array;
  let continued: Uint8Array;
  beforeAll(async () => {
    clean = await renderPdf([cleanPage()], fonts, META);
    bad = await renderPdf(
      [
        page(
          node([run('はみ出す文字列', 820, 60)]),
          node([run('重なる値', 100, 200)]),
          node([run('重なる別の値', 110, 202)]),
          node([run('小さすぎる注記', 40, 300, 5)]),
          node([run('意見の一つ目', 40, 400)]),
          node([run('回答の一つ目', 40, 420)]),
        ),
        page(node([run('ページの下に描かれた文字', 40, 640)])),
      ],
      fonts,
      META,
    );
    continued = await renderPdf(
      [
        page(
          node([run('③現状と課題', 40, 60)]),
          node([run('令和２年は社会減となった。', 40, 80), run('要因としては（別紙 1 に続く）', 40, 92)]),
        ),
        page(node([run('（４）重点施策関連事業', 40, 60)])),
        page(node([run('別紙 1 / 1　旭市　重点施策 9', 40, 40)]), node([run('外国人の転入が減少している。', 40, 80)])),
      ],
      fonts,
      META,
    );
  });

  for (const glyphs of [false, true]) {
    describe(glyphs ? 'glyph by glyph' : 'line by line', () => {
      it('finds nothing on a clean PDF', () => {
        const v = checkPdf(
          clean,
          expectText(
            '人口の社会増減',
            '▲1,234,567人',
            '令和２年は社会減となった。要因としては外国人の転入が減少している。',
          ),
          [],
          { glyphs },
        );
        expect(v, formatViolations(v)).toEqual([]);
      });

      it('reports glyphs outside the page, overlapping, too small, a missing string and a wrong order', () => {
        const expected = expectText('はみ出す文字列', '重なる値', '消えた文字列', '意見の一つ目', '回答の一つ目');
        const ordered = [expectText('回答の一つ目', '意見の一つ目')];
        const v = checkPdf(bad, expected, ordered, { glyphs });
        const counts = countByKind(v);
        expect(counts['pdf/outside-page']).toBeGreaterThanOrEqual(2); // page 1 right edge, page 2 bottom
        expect(v.filter((x) => x.kind === 'outside-page').map((x) => x.page)).toEqual(expect.arrayContaining([1, 2]));
        expect(counts['pdf/overlap']).toBeGreaterThanOrEqual(1);
        expect(v.find((x) => x.kind === 'overlap')!.text).toMatch(/重|な|る|値/);
        expect(counts['pdf/too-small']).toBeGreaterThanOrEqual(1);
        expect(v.find((x) => x.kind === 'too-small')!.detail).toContain('5 pt');
        expect(v.filter((x) => x.kind === 'missing-text')).toMatchObject([{ text: '消えた文字列', path: ['t', 2] }]);
        expect(v.filter((x) => x.kind === 'out-of-order')).toMatchObject([{ text: '意見の一つ目' }]);
        expect(Object.keys(counts).sort()).toEqual([
          'pdf/missing-text',
          'pdf/out-of-order',
          'pdf/outside-page',
          'pdf/overlap',
          'pdf/too-small',
        ]);
      });

      it('accepts prose continued on a 別紙 page, and reports a lost part of it', () => {
        const whole = '令和２年は社会減となった。要因としては外国人の転入が減少している。';
        expect(checkPdf(continued, expectText(whole), [], { glyphs })).toEqual([]);
        const lost = checkPdf(
          continued,
          expectText('令和２年は社会減となった。要因としては日本人の転出が増えた。外国人の転入が減少している。'),
          [],
          { glyphs },
        );
        expect(lost).toMatchObject([{ kind: 'missing-text' }]);
        expect(lost[0]!.detail).toContain('日本人の転出');
      });
    });
  }

  it('reads the page of each character', () => {
    const t: PdfText = readPdf(continued);
    expect(t.pages).toHaveLength(3);
    expect(t.pageOf[t.flat.indexOf('外国人')]).toBe(3);
    expect(t.pageOf[t.flat.indexOf('要因')]).toBe(1);
  });
});
