import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as mupdf from 'mupdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { SheetgenError } from '../../src/diagnostics.js';
import { layoutSheet } from '../../src/layout/index.js';
import { loadFonts } from '../../src/render/fonts.js';
import { renderPdf } from '../../src/render/pdf.js';
import { compare, decodePng } from './pixels.js';
import { SEED_META, SEED_TEXT, seedSheet } from './seed-fixture.js';
import { STRESS } from './stress-fixture.js';
import { all, readStructure } from './structure.js';

const fonts = loadFonts();
const refDir = fileURLToPath(new URL('./reference/', import.meta.url));
const UPDATE = process.env.UPDATE_REFERENCES === '1';

async function render(g = seedSheet()): Promise<Uint8Array> {
  return renderPdf(layoutSheet(g, fonts, { lang: 'ja' }).pages, fonts, SEED_META);
}

function open(bytes: Uint8Array): mupdf.Document {
  return mupdf.Document.openDocument(bytes, 'application/pdf');
}

function pageTexts(doc: mupdf.Document): string[] {
  const out: string[] = [];
  for (let i = 0; i < doc.countPages(); i++) out.push(doc.loadPage(i).toStructuredText('').asText());
  return out;
}

/** The fonts the pages use, by resource name and page ("p0/F1"). */
function pageFonts(d: mupdf.Document): Map<string, mupdf.PDFObject> {
  const pdoc = d.asPDF()!;
  const out = new Map<string, mupdf.PDFObject>();
  for (let i = 0; i < pdoc.countPages(); i++)
    pdoc
      .findPage(i)
      .get('Resources')
      .get('Font')
      .forEach((f, name) => out.set(`p${i}/${name}`, f));
  return out;
}

/** Extracted text without line breaks and spaces: wrapped paragraphs compare whole. */
const flat = (s: string) => s.replace(/\s+/g, '');

describe('renderPdf on the seed sheet', () => {
  let pdf: Uint8Array;
  let doc: mupdf.Document;
  let text: string[];
  beforeAll(async () => {
    pdf = await render();
    doc = open(pdf);
    text = pageTexts(doc);
  });

  it('has two A4 landscape pages', () => {
    expect(doc.countPages()).toBe(2);
    for (let i = 0; i < 2; i++) {
      const [x0, y0, x1, y1] = doc.loadPage(i).getBounds();
      expect(x1 - x0).toBeCloseTo(841.89, 0);
      expect(y1 - y0).toBeCloseTo(595.28, 0);
    }
  });

  it('embeds its fonts as subsets, and is small', () => {
    const fontsUsed = pageFonts(doc);
    const names = [...fontsUsed.values()].map((f) => f.get('BaseFont').asName());
    expect(new Set(names).size).toBe(2); // regular and bold
    for (const n of names) expect(n).toMatch(/^[A-Z]{6}\+BIZUDPGothic/);
    for (const f of fontsUsed.values()) {
      const cid = f.get('DescendantFonts').get(0);
      expect(cid.get('BaseFont').asName()).toBe(f.get('BaseFont').asName()); // Type0 and CIDFont name the same subset
      expect(cid.get('FontDescriptor').get('FontFile2').isStream()).toBe(true);
    }
    expect(names.join()).not.toContain('Helvetica');
    // Every cell is tagged, empty ones as empty TD; the dictionaries sit in object streams.
    expect(pdf.length).toBeLessThan(110 * 1024);
  });

  it('keeps its dictionaries in compressed object streams with a cross-reference stream', () => {
    const raw = Buffer.from(pdf).toString('latin1');
    expect(raw).not.toMatch(/\nxref\n/);
    expect(raw).toMatch(/\/Type \/XRef\n/);
    expect(raw).toMatch(/\/Type \/ObjStm\n/);
    // No structure dictionary is left in the clear: they are all inside the object streams.
    expect(raw).not.toContain('/StructElem');
  });

  it('is tagged, in Japanese, with the metadata given', () => {
    const root = doc.asPDF()!.getTrailer().get('Root');
    expect(root.get('StructTreeRoot').isDictionary()).toBe(true);
    expect(root.get('MarkInfo').get('Marked').asBoolean()).toBe(true);
    expect(root.get('Lang').asString()).toBe('ja-JP');
    expect(root.get('ViewerPreferences').get('DisplayDocTitle').asBoolean()).toBe(true);
    expect(doc.getMetaData('info:Title')).toBe(SEED_META.title);
    expect(doc.getMetaData('info:Author')).toBe(SEED_META.author);
    expect(doc.getMetaData('info:Subject')).toBe(SEED_META.subject);
  });

  it('contains every number and sentence of the sheet', () => {
    const all = flat(text.join('\n'));
    for (const s of [
      '537,409',
      '16,091',
      '8,636',
      '4,533',
      '▲74人',
      '▲11人',
      '114件',
      '200件',
      '91件',
      '85件',
      '113人',
      '令和2年度',
      '（30年）',
      '（30年度）',
      '（元年）',
      '増加',
      '令和　年　月　日時点',
    ])
      expect(all, s).toContain(flat(s));
    for (const s of [
      SEED_TEXT.reasons,
      SEED_TEXT.situation,
      SEED_TEXT.policy,
      `㉟${SEED_TEXT.opinion}`,
      `㉟${SEED_TEXT.response}`,
      SEED_TEXT.remarks,
    ])
      expect(all).toContain(flat(s));
    expect(all).toContain('3670生涯活躍のまち形成事業');
    expect(all).toContain('概ね順調〇');
    for (const c of ['順調', '停滞', '実施困難', '完了']) expect(all).toContain(c);
  });

  it('reads in the order of the form', () => {
    const all = flat(text.join('\n'));
    const order = [
      '重点施策マネジメントシート令和2年度事後・決算',
      '基本目標2重点施策9旭市生涯活躍のまち構想主管課企画政策課',
      '（１）施策の目標指標、KPI',
      '数値目標基準値目標値（6年度）令和1年度（決算）参考2年度（決算）3年度（決算）4年度（決算）5年度（決算）',
      '人口の社会増減（転入・転出の差）▲11人（30年）増加113人（元年）▲74人（2年）',
      '重要業績評価指標（KPI）基準値目標値（6年度）令和1年度（決算）参考2年度（決算）',
      '15生涯活躍のまちへの移住者数',
      '16移住相談件数91件（30年度）200件85件114件',
      'KPI達成状況の評価（数値目標）',
      '（２）重点施策に関する検証',
      '①施策の進捗状況',
      flat(SEED_TEXT.reasons),
      flat(SEED_TEXT.situation),
      '④4年度施策の方針',
      flat(SEED_TEXT.policy),
      '⑥3年度施策の方針に関連する事務事業名3670生涯活躍のまち形成事業', // ⑥ by the second reading of the seed
      '推進委員会からの意見（要旨）',
      '（３）当該重点施策に関連する事業について（合計事業費）',
      '単位1年度（決算）2年度（決算）3年度（決算）4年度（決算）5年度（決算）6年度（決算）合計',
      '事業費合計千円8,636537,409537,409',
      '一般財源合計4,53316,09116,091',
      '（４）重点施策関連事業',
      'Ｎｏ．主な事業事務事業単位1年度（決算）',
      '1〇3670生涯活躍のまち形成事業事業費千円8,636537,409',
    ];
    let at = -1;
    for (const s of order) {
      const i = all.indexOf(s, at + 1);
      expect(i, `"${s}" after position ${at}`).toBeGreaterThan(at);
      at = i;
    }
  });

  it('states the grades in ② and has no grade column; (1) stops before the target year', () => {
    const p1 = flat(text[0]!);
    expect(p1).toContain('【達成状況：Ｄ】');
    expect(p1).not.toContain('達成状況（');
    expect(p1).not.toContain('6年度（決算）参考');
    // 5年度（決算） twice in (1) (one per header row) and once in (3); 6年度（決算） only in (3).
    expect(p1.split('5年度（決算）').length - 1).toBe(3);
    expect(p1.split('6年度（決算）').length - 1).toBe(1);
    // 千円 once in (3); once per slot in (4).
    expect(p1.split('千円').length - 1).toBe(1);
    expect(flat(text[1]!).split('千円').length - 1).toBe(15 + 1); // and the remark's 500,000千円
  });

  it('is tagged for PDF/UA: XMP part 1, a Document root, tables with scoped headings and spans, empty cells as TD', () => {
    const { roots, xmp } = readStructure(pdf);
    expect(xmp).toContain('<pdfuaid:part>1</pdfuaid:part>');
    expect(xmp).toContain(SEED_META.title);
    expect(roots.map((r) => r.type)).toEqual(['Document']);
    const els = all(roots[0]!);
    const tables = els.filter((e) => e.type === 'Table');
    expect(tables.length).toBeGreaterThanOrEqual(6);
    const cells = els.filter((e) => e.type === 'TH' || e.type === 'TD');
    for (const th of cells.filter((e) => e.type === 'TH')) expect(['Row', 'Column', 'Both']).toContain(th.attrs.Scope);
    for (const t of tables) for (const tr of t.kids) expect(tr.type).toBe('TR');
    // Spans: ① spans its two rows, 事務事業 two columns, 千円 two rows in (3) and each slot of (4).
    expect(cells.some((c) => c.attrs.RowSpan === 2 && c.type === 'TH')).toBe(true);
    expect(cells.some((c) => c.attrs.ColSpan === 2 && c.type === 'TH')).toBe(true);
    expect(cells.filter((c) => c.attrs.RowSpan === 2 && c.type === 'TD').length).toBeGreaterThanOrEqual(16);
    // Empty cells are TD elements with no content.
    expect(cells.filter((c) => c.type === 'TD' && c.mcids === 0).length).toBeGreaterThan(100);
    // Every row of a table has cells covering the same number of columns (spans counted).
    for (const t of tables) {
      const width = (tr: typeof t) => tr.kids.reduce((a, c) => a + Number(c.attrs.ColSpan ?? 1), 0);
      const covered: number[] = [];
      t.kids.forEach((tr, r) => {
        let w = width(tr);
        // Cells spanning rows from above count in the rows they cover.
        for (const [k, n] of covered.entries()) if (k === r) w += n;
        tr.kids.forEach((c) => {
          for (let i = 1; i < Number(c.attrs.RowSpan ?? 1); i++)
            covered[r + i] = (covered[r + i] ?? 0) + Number(c.attrs.ColSpan ?? 1);
        });
        if (r === 0) (t as unknown as { w: number }).w = w;
        else expect(w, `row ${r} of a table`).toBe((t as unknown as { w: number }).w);
      });
    }
  });

  it('marks 別紙 headers and page numbers as pagination artifacts', { timeout: 60_000 }, async () => {
    const g = seedSheet();
    g.sheet.situation = Array.from({ length: 12 }, (_, i) => `【段落${i + 1}】${SEED_TEXT.situation}`).join('\n');
    const bytes = await render(g);
    const d = open(bytes).asPDF()!;
    const page = d.loadPage(2) as mupdf.PDFPage;
    const raw = page.getObject().get('Contents').readStream().asString();
    expect(raw).toMatch(/\/Artifact <<[^>]*\/Type \/Pagination/);
    const { roots } = readStructure(bytes);
    const texts = flat(pageTexts(open(bytes))[2]!);
    expect(texts).toMatch(/別紙1\/\d/);
    // The page number is not in the structure: no element holds it (only artifacts do).
    expect(all(roots[0]!).length).toBeGreaterThan(0);
  });

  it('can add a grade column (an option, off by default)', { timeout: 60_000 }, async () => {
    const bytes = await renderPdf(
      layoutSheet(seedSheet(), fonts, { lang: 'ja', gradeColumn: true }).pages,
      fonts,
      SEED_META,
    );
    const p1 = flat(pageTexts(open(bytes))[0]!);
    expect(p1).toContain('達成状況');
    expect(p1).toMatch(/▲74人（2年）(4年度)?.*Ｄ/u);
    expect(p1).toContain('114件Ａ');
  });

  it('is byte-identical when rendered again', { timeout: 60_000 }, async () => {
    const again = await render();
    expect(Buffer.from(again).equals(Buffer.from(pdf))).toBe(true);
  });

  it('is byte-identical when rendered many at once (streams are deflated on the thread pool and finish in any order)', {
    timeout: 120_000,
  }, async () => {
    // Different sheets interleaved with the seed: their streams compete for the pool's threads,
    // so the seed's objects are written in a different order from run to run.
    const sheets = [seedSheet(), ...Object.values(STRESS).map((make) => make())];
    const rounds = await Promise.all(Array.from({ length: 3 }, () => Promise.all(sheets.map((g) => render(g)))));
    for (const round of rounds) expect(Buffer.from(round[0]!).equals(Buffer.from(pdf))).toBe(true);
    for (let k = 1; k < sheets.length; k++)
      for (const round of rounds.slice(1))
        expect(Buffer.from(round[k]!).equals(Buffer.from(rounds[0]![k]!))).toBe(true);
  });

  it.each([0, 1])('page %i looks like the reference', (i) => {
    const png = doc.loadPage(i).toPixmap(mupdf.Matrix.scale(1, 1), mupdf.ColorSpace.DeviceRGB, false);
    const file = `${refDir}seed-p${i + 1}.png`;
    if (UPDATE || !existsSync(file)) {
      writeFileSync(file, png.asPNG());
      if (!UPDATE) throw new Error(`reference ${file} was missing and has been written; run again`);
    }
    const diff = compare(png, decodePng(readFileSync(file)));
    expect(diff.sameSize).toBe(true);
    expect(diff.ratio).toBeLessThanOrEqual(0.005);
  });
});

describe('stress sheets look like their references', () => {
  for (const [name, make] of Object.entries(STRESS)) {
    it(`${name}: every page`, { timeout: 60_000 }, async () => {
      const bytes = await render(make());
      const d = open(bytes);
      for (let i = 0; i < d.countPages(); i++) {
        const png = d.loadPage(i).toPixmap(mupdf.Matrix.scale(1, 1), mupdf.ColorSpace.DeviceRGB, false);
        const file = `${refDir}${name}-p${i + 1}.png`;
        if (UPDATE || !existsSync(file)) {
          writeFileSync(file, png.asPNG());
          if (!UPDATE) throw new Error(`reference ${file} was missing and has been written; run again`);
        }
        const diff = compare(png, decodePng(readFileSync(file)));
        expect(diff.sameSize, file).toBe(true);
        expect(diff.ratio, file).toBeLessThanOrEqual(0.005);
      }
      // No page beyond the references.
      expect(existsSync(`${refDir}${name}-p${d.countPages() + 1}.png`)).toBe(false);
    });
  }
});

describe('renderPdf with overflowing text', () => {
  it('puts the rest of a very long ③ on a 別紙 page', { timeout: 60_000 }, async () => {
    const g = seedSheet();
    g.sheet.situation = Array.from({ length: 12 }, (_, i) => `【段落${i + 1}】${SEED_TEXT.situation}`).join('\n');
    const doc = open(await render(g));
    expect(doc.countPages()).toBeGreaterThanOrEqual(3);
    const text = pageTexts(doc);
    expect(text[0]).toContain('（別紙 1 に続く）');
    expect(flat(text[2]!)).toMatch(/別紙1\/\d/);
    expect(flat(text[2]!)).toContain(flat('③現状と課題、方向性、数値目標・ＫＰＩ達成に向けた課題・問題点（続き）'));
    expect(flat(text.slice(2).join(''))).toContain('【段落12】【現状】');
  });
});

describe('fonts', () => {
  it('refuses a font file that does not exist, with exit code 2', () => {
    const path = '/nonexistent/dir/font.ttf';
    let err: unknown;
    try {
      loadFonts({ regular: path });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SheetgenError);
    expect((err as SheetgenError).exitCode).toBe(2);
    expect((err as SheetgenError).message).toContain(path);
  });

  it('refuses a file that is not a font', () => {
    expect(() => loadFonts({ regular: fileURLToPath(import.meta.url) })).toThrow(SheetgenError);
  });

  it('refuses web fonts (WOFF, WOFF2) by their signature, naming the kind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sheetgen-woff-'));
    for (const [name, magic] of [
      ['a.woff', 'wOFF'],
      ['a.woff2', 'wOF2'],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, Buffer.concat([Buffer.from(magic, 'latin1'), Buffer.alloc(60)]));
      expect(() => loadFonts({ regular: path })).toThrow(magic === 'wOFF' ? /web font \(WOFF\)/ : /web font \(WOFF2\)/);
    }
  });

  it('parses each font file once per process', () => {
    expect(loadFonts().regular).toBe(fonts.regular);
    expect(loadFonts().bold).toBe(fonts.bold);
  });

  it('knows what BIZ UDPGothic lacks', () => {
    expect(fonts.regular.has(0x20bb7)).toBe(false); // 𠮷
    expect(fonts.regular.has(0x2611)).toBe(false); // ☑
    for (const c of '〇▲△①⑳㉟㊿―髙﨑％㎡') expect(fonts.regular.has(c.codePointAt(0)!), c).toBe(true);
  });
});
