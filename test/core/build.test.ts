// Building from the YAML examples end to end (load → validate → grade → layout → render → write):
// what the PDF says, that the same input gives the same bytes, and that failures leave nothing behind.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as mupdf from 'mupdf';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFile, outputName } from '../../src/core/build.js';
import { SheetgenError } from '../../src/diagnostics.js';

const seedFile = 'examples/asahi-2020-09.yaml';
const flat = (s: string): string => s.replace(/\s+/g, '');
/** Temp folders made here, removed after the file's tests. */
const made: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sheetgen-build-'));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function pdfText(bytes: Uint8Array): { pages: string[]; doc: mupdf.Document } {
  const doc = mupdf.Document.openDocument(bytes, 'application/pdf');
  const pages: string[] = [];
  for (let i = 0; i < doc.countPages(); i++) pages.push(doc.loadPage(i).toStructuredText('').asText());
  return { pages, doc };
}

describe('build of the seed example from its YAML', () => {
  let bytes: Uint8Array;
  let text: string;
  let doc: mupdf.Document;
  const data = parse(readFileSync(seedFile, 'utf8')) as Record<string, any>;

  beforeAll(async () => {
    const out = join(tmp(), 'seed.pdf');
    const r = await buildFile(seedFile, { lang: 'ja', out, sourceDateEpoch: 1_600_000_000 });
    expect(r.diagnostics).toEqual([]);
    expect(r.output).toBe(out);
    bytes = readFileSync(out);
    const t = pdfText(bytes);
    doc = t.doc;
    text = flat(t.pages.join('\n'));
  });

  it('holds every sentence of ②③④, the committee opinion and answer, and the remarks', () => {
    const texts: string[] = [
      data.reasons,
      data.situation,
      data.policy,
      data.committee[0].opinion,
      data.committee[0].response,
      data.projects[0].remarks,
    ];
    let lines = 0;
    for (const block of texts) {
      for (const line of String(block).split('\n').map(flat).filter(Boolean)) {
        expect(text, line).toContain(line);
        lines++;
      }
    }
    expect(lines).toBeGreaterThan(12);
  });

  it('holds every number, written the sheet way', () => {
    for (const s of [
      '▲11人',
      '（30年）',
      '113人',
      '（元年）',
      '▲74人',
      '（2年）',
      '増加',
      '91件',
      '（30年度）',
      '200件',
      '85件',
      '114件',
      '8,636',
      '537,409',
      '4,533',
      '16,091',
      '3670',
      '旭市生涯活躍のまち構想',
      '企画政策課',
      '令和2年度事後・決算',
      '㉟',
    ]) {
      expect(text, s).toContain(flat(s));
    }
    // 合計 equals the 2020 column: the 参考 year 2019 is shown but not added.
    expect(text.match(/537,409/g)!.length).toBeGreaterThanOrEqual(3);
  });

  it('states the grades D, ―, A in ② in the order of the indicators (the form has no grade column)', () => {
    // The seed writes ② as free text; its marks are checked against the computed grades when validating.
    const d = text.indexOf('【達成状況：Ｄ】');
    const k15 = text.indexOf('ＫＰＩ15【達成状況：-】');
    const k16 = text.indexOf('ＫＰＩ16【達成状況：Ａ】');
    expect(d).toBeGreaterThan(text.indexOf(flat('（２）重点施策に関する検証')));
    expect(k15).toBeGreaterThan(d);
    expect(k16).toBeGreaterThan(k15);
    expect(text.slice(text.indexOf(flat(data.goal.name)), text.indexOf('KPI達成状況の評価'))).not.toMatch(/[ＤＡ]/u);
  });

  it('reads in the order of the form', () => {
    const order = [
      '重点施策マネジメントシート',
      '基本目標',
      '（１）施策の目標指標',
      '（２）重点施策に関する検証',
      '推進委員会からの意見（要旨）',
      '（３）当該重点施策に関連する事業',
      '（４）重点施策関連事業',
    ];
    const at = order.map((s) => text.indexOf(flat(s)));
    expect(
      at.every((x) => x >= 0),
      JSON.stringify(at),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('carries title, author, subject and language metadata', () => {
    expect(doc.getMetaData('info:Title')).toContain('重点施策マネジメントシート');
    expect(doc.getMetaData('info:Author')).toBe('旭市 企画政策課');
    expect(doc.getMetaData('info:Subject')).toContain('重点施策9');
    expect(doc.asPDF()!.getTrailer().get('Root').get('Lang').asString()).toBe('ja-JP');
  });
});

describe('output you can trust', () => {
  it('gives byte-identical PDFs for the same input, and the date follows SOURCE_DATE_EPOCH', async () => {
    const dir = tmp();
    const a = await buildFile(seedFile, { lang: 'en', out: join(dir, 'a.pdf') });
    const b = await buildFile(seedFile, { lang: 'en', out: join(dir, 'b.pdf') });
    const c = await buildFile(seedFile, { lang: 'en', out: join(dir, 'c.pdf'), sourceDateEpoch: 1_700_000_000 });
    expect(a.output && b.output && c.output).toBeTruthy();
    const [pa, pb, pc] = ['a', 'b', 'c'].map((n) => readFileSync(join(dir, `${n}.pdf`)));
    expect(pa!.equals(pb!)).toBe(true);
    expect(pa!.equals(pc!)).toBe(false);
    // Without as_of, the date is the end of the fiscal year: 2021-03-31.
    const date = (b: Buffer) => mupdf.Document.openDocument(b, 'application/pdf').getMetaData('info:CreationDate');
    expect(date(pa!)).toMatch(/^D:20210331/);
    expect(date(pc!)).toMatch(/^D:20231114/);
  });

  it('writes nothing for an invalid sheet', async () => {
    const dir = tmp();
    const r = await buildFile('test/fixtures/invalid/years.yaml', { lang: 'en', out: join(dir, 'x.pdf') });
    expect(r.output).toBeUndefined();
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.line === 20)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never writes over its input', async () => {
    const dir = tmp();
    const input = join(dir, 'sheet.yaml');
    const original = readFileSync(seedFile);
    writeFileSync(input, original);
    await expect(buildFile(input, { lang: 'en', out: input })).rejects.toThrow(SheetgenError);
    expect(readFileSync(input).equals(original)).toBe(true);
    expect(readdirSync(dir)).toEqual(['sheet.yaml']);
  });

  it('writes into a folder under the name the data gives, and next to the input by default', async () => {
    const dir = tmp();
    const r = await buildFile(seedFile, { lang: 'en', out: `${dir}/` });
    expect(r.output).toBe(join(dir, '2020-09.pdf'));
    expect(outputName({ fiscalYear: 2020, measure: { number: 9 } })).toBe('2020-09.pdf');
    const input = join(dir, 'mine.yaml');
    writeFileSync(input, readFileSync(seedFile));
    const r2 = await buildFile(input, { lang: 'en' });
    expect(r2.output).toBe(join(dir, 'mine.pdf'));
    expect(readdirSync(dir).sort()).toEqual(['2020-09.pdf', 'mine.pdf', 'mine.yaml']);
  });

  it("reports text that had to shrink or overflow as warnings at the field's line", async () => {
    const dir = tmp();
    const input = join(dir, 'long.yaml');
    const long = '長い現状の説明です。'.repeat(700);
    const src = readFileSync(seedFile, 'utf8').replace(/^situation: \|[^\n]*\n(?: {2}.*\n)+/m, `situation: ${long}\n`);
    writeFileSync(input, src);
    const line = src.split('\n').findIndex((l) => l.startsWith('situation:')) + 1;
    const r = await buildFile(input, { lang: 'en', out: join(dir, 'long.pdf') });
    expect(r.output).toBeDefined();
    const w = r.diagnostics.filter((d) => d.severity === 'warning');
    expect(w.map((d) => `${d.code} ${d.line}`)).toContain(`layout.overflow ${line}`);
    const { pages } = pdfText(readFileSync(join(dir, 'long.pdf')));
    expect(pages.length).toBeGreaterThan(2);
    // Nothing is lost: the box and the 別紙 together hold every character of the text
    // (a sentence may be split where the box ends, so count characters, not sentences).
    const all = flat(pages.join(''));
    expect(all.split('長').length - 1).toBe(700); // 長 stands nowhere else on the seed sheet
    expect(all).toMatch(/別紙/);
  });
});
