import * as mupdf from 'mupdf';
import { describe, expect, it } from 'vitest';
import { layoutSheet } from '../../src/layout/index.js';
import type { GradedSheet } from '../../src/model/types.js';
import { loadFonts } from '../../src/render/fonts.js';
import { renderPdf } from '../../src/render/pdf.js';
import { SEED_META, seedSheet } from './seed-fixture.js';
import {
  extremeNumbers,
  fifteenProjects,
  longProse,
  manyOpinions,
  tallProject,
  tenYearPlan,
} from './stress-fixture.js';

// The renderer writes the structure tree itself (src/render/pdf.ts): elements, their marked content
// and the ParentTree that maps each page's marked content back to its element. A reader (a screen
// reader, a PDF/UA checker) follows these links both ways, so they must agree everywhere:
// - every element's /P is the element (or the StructTreeRoot) whose /K lists it;
// - every MCID an element lists is marked on its /Pg page, and that page's ParentTree entry
//   (under its /StructParents key) names the element at that MCID;
// - every marked content with an MCID on a page belongs to exactly one element, and MCIDs run
//   0, 1, 2 … on each page.
// Checked on the seed and on the stress sheets (many pages of 別紙, tables divided between pages).

const fonts = loadFonts();

interface Found {
  /** Object number of each element → its parent's object number. */
  parent: Map<number, number>;
  /** "page object number/MCID" → the element's object number, from the elements' /K and /Pg. */
  marked: Map<string, number>;
}

function readTree(pdf: mupdf.PDFDocument): Found & { rootNum: number } {
  const tree = pdf.getTrailer().get('Root').get('StructTreeRoot');
  const rootNum = tree.asIndirect();
  const found: Found = { parent: new Map(), marked: new Map() };
  const walk = (ref: mupdf.PDFObject, parentNum: number) => {
    const num = ref.asIndirect();
    const el = ref.resolve();
    expect(el.get('P').asIndirect(), `element ${num}'s /P`).toBe(parentNum);
    expect(found.parent.has(num), `element ${num} listed twice`).toBe(false);
    found.parent.set(num, parentNum);
    const pg = el.get('Pg');
    const kids = el.get('K').resolve();
    kids.forEach((k) => {
      if (k.isIndirect()) walk(k, num);
      else {
        expect(k.isNumber(), `element ${num}: a kid that is neither an element nor an MCID`).toBe(true);
        expect(pg.isNull(), `element ${num} lists MCID ${k.asNumber()} without /Pg`).toBe(false);
        const key = `${pg.asIndirect()}/${k.asNumber()}`;
        expect(found.marked.has(key), `MCID ${key} listed twice`).toBe(false);
        found.marked.set(key, num);
      }
    });
  };
  tree
    .resolve()
    .get('K')
    .resolve()
    .forEach((k) => walk(k, rootNum));
  return { ...found, rootNum };
}

/** The ParentTree's entries: key → the element object numbers, by MCID. */
function parentTree(pdf: mupdf.PDFDocument): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const node = (n: mupdf.PDFObject) => {
    const d = n.resolve();
    const nums = d.get('Nums');
    if (!nums.isNull())
      for (let i = 0; i < nums.length; i += 2) {
        const list: number[] = [];
        nums
          .get(i + 1)
          .resolve()
          .forEach((r) => list.push(r.isNull() ? -1 : r.asIndirect()));
        out.set(nums.get(i).asNumber(), list);
      }
    const kids = d.get('Kids');
    if (!kids.isNull()) kids.forEach((k) => node(k));
  };
  node(pdf.getTrailer().get('Root').get('StructTreeRoot').get('ParentTree'));
  return out;
}

function check(g: GradedSheet): Promise<void> {
  return renderPdf(layoutSheet(g, fonts, { lang: 'ja' }).pages, fonts, SEED_META).then((bytes) => {
    const pdf = mupdf.Document.openDocument(bytes, 'application/pdf').asPDF()!;
    const { marked } = readTree(pdf);
    const tree = parentTree(pdf);
    let total = 0;
    for (let i = 0; i < pdf.countPages(); i++) {
      const page = pdf.findPage(i);
      const pageNum = page.asIndirect();
      const contents = page.get('Contents');
      const text = (contents.isArray() ? [] : [contents]).map((c) => c.readStream().asString()).join('\n');
      const mcids = [...text.matchAll(/\/MCID (\d+)/g)].map((m) => Number(m[1]));
      expect(mcids, `page ${i + 1}: MCIDs in order`).toEqual(mcids.map((_, k) => k));
      if (mcids.length === 0) continue;
      const entry = tree.get(page.get('StructParents').asNumber());
      expect(entry, `page ${i + 1}: ParentTree entry`).toBeDefined();
      expect(entry!.length, `page ${i + 1}: one ParentTree slot per MCID`).toBe(mcids.length);
      for (const mcid of mcids) {
        const owner = marked.get(`${pageNum}/${mcid}`);
        expect(owner, `page ${i + 1} MCID ${mcid}: an element lists it`).toBeDefined();
        expect(entry![mcid], `page ${i + 1} MCID ${mcid}: the ParentTree names its element`).toBe(owner);
      }
      total += mcids.length;
    }
    // Nothing listed by an element is missing from the pages.
    expect(marked.size).toBe(total);
  });
}

describe('the structure tree the renderer writes', () => {
  const sheets: [string, () => GradedSheet][] = [
    ['seed', () => seedSheet()],
    ['long prose', longProse],
    ['15 projects', fifteenProjects],
    ['10-year plan', tenYearPlan],
    ['100 committee opinions', () => manyOpinions(100)],
    ['extreme numbers', extremeNumbers],
    ['a project taller than a page', tallProject],
  ];
  for (const [name, make] of sheets)
    it(`links elements, marked content and the ParentTree both ways: ${name}`, { timeout: 60_000 }, () =>
      check(make()),
    );
});
