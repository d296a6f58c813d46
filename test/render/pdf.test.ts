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
    const raw = Buffer.from(pdf).toString('latin1');
    const names = [...raw.matchAll(/\/BaseFont \/([A-Z]{6})\+([\w-]+)/g)].map((m) => m[2]);
    expect(new Set(names).size).toBe(2); // Type0 font and its CIDFont name the same subset
    for (const n of names) expect(n).toMatch(/^BIZUDPGothic/);
    expect(raw.match(/\/FontFile2 /g)?.length).toBe(2);
    expect(raw).not.toContain('/Helvetica');
    expect(pdf.length).toBeLessThan(150 * 1024);
  });

  it('is tagged, in Japanese, with the metadata given', () => {
    const raw = Buffer.from(pdf).toString('latin1');
    expect(raw).toContain('/StructTreeRoot');
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R|\/Marked true/);
    expect(raw).toContain('/Lang (ja-JP)');
    expect(raw).toContain('/DisplayDocTitle true');
    expect(doc.getMetaData('info:Title')).toBe(SEED_META.title);
    expect(doc.getMetaData('info:Author')).toBe(SEED_META.author);
    expect(doc.getMetaData('info:Subject')).toBe(SEED_META.subject);
  });

  it('contains every number and sentence of the sheet', () => {
    const all = flat(text.join('\n'));
    for (const s of ['537,409', '16,091', '8,636', '4,533', '▲74人', '▲11人', '114件', '200件', '91件', '85件', '113人', '令和2年度', '（30年）', '（30年度）', '（元年）', '増加', '令和　年　月　日時点'])
      expect(all, s).toContain(flat(s));
    for (const s of [SEED_TEXT.reasons, SEED_TEXT.situation, SEED_TEXT.policy, '㉟' + SEED_TEXT.opinion, '㉟' + SEED_TEXT.response, SEED_TEXT.remarks])
      expect(all).toContain(flat(s));
    expect(all).toContain('3670生涯活躍のまち形成事業');
    expect(all).toContain('概ね順調〇');
  });

  it('reads in the order of the form', () => {
    const all = flat(text.join('\n'));
    const order = [
      '重点施策マネジメントシート令和2年度事後・決算',
      '基本目標2重点施策9旭市生涯活躍のまち構想主管課企画政策課',
      '（１）施策の目標指標、KPI',
      '人口の社会増減（転入・転出の差）▲11人（30年）増加113人（元年）▲74人（2年）D',
      '15生涯活躍のまちへの移住者数',
      '16移住相談件数91件（30年度）200件85件114件A',
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
      '事業費合計千円8,636537,409537,409',
      '一般財源合計千円4,53316,09116,091',
      '（４）重点施策関連事業',
      '1〇3670生涯活躍のまち形成事業事業費千円8,636537,409',
    ];
    let at = -1;
    for (const s of order) {
      const i = all.indexOf(s, at + 1);
      expect(i, `"${s}" after position ${at}`).toBeGreaterThan(at);
      at = i;
    }
  });

  it('shows the grades D, ―, A in the grade column in order', () => {
    const p1 = flat(text[0]!);
    const d = p1.indexOf('（2年）D');
    const dash = p1.indexOf('-―16');
    const a = p1.indexOf('114件A');
    expect(d).toBeGreaterThan(0);
    expect(dash).toBeGreaterThan(d);
    expect(a).toBeGreaterThan(dash);
  });

  it('is byte-identical when rendered again', async () => {
    const again = await render();
    expect(Buffer.from(again).equals(Buffer.from(pdf))).toBe(true);
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

describe('renderPdf with overflowing text', () => {
  it('puts the rest of a very long ③ on a 別紙 page', async () => {
    const g = seedSheet();
    g.sheet.situation = Array.from({ length: 12 }, (_, i) => `【段落${i + 1}】${SEED_TEXT.situation}`).join('\n');
    const doc = open(await render(g));
    expect(doc.countPages()).toBeGreaterThanOrEqual(3);
    const text = pageTexts(doc);
    expect(text[0]).toContain('（別紙 1 に続く）');
    expect(flat(text[2]!)).toContain(flat('別紙 1　③現状と課題'));
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
    for (const [name, magic] of [['a.woff', 'wOFF'], ['a.woff2', 'wOF2']] as const) {
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
