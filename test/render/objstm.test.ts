import * as mupdf from 'mupdf';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { packObjects } from '../../src/render/objstm.js';
import { collect } from '../../src/render/pdf.js';

// The renderer's writer (collect) takes pdfkit's objects as written and packs the stream-less ones
// into object streams with an xref stream. Every object must read back the same, under the same
// number, in a real reader, as in the classic file pdfkit itself writes for the same document.

/**
 * A pdfkit document with `pages` pages of `n` structure elements each, written either by pdfkit
 * itself (classic xref table) or through the renderer's writer.
 */
async function write(pages: number, n: number, title: string, packed: boolean): Promise<Uint8Array> {
  // A fixed date: pdfkit hashes the info dictionary into the file's /ID.
  const info = { Title: title, CreationDate: new Date(Date.UTC(2021, 2, 31)) };
  const doc = new PDFDocument({ autoFirstPage: false, tagged: true, pdfVersion: '1.7', info });
  const chunks: Buffer[] = [];
  const done = packed
    ? collect(doc)
    : new Promise<Uint8Array>((resolve) => {
        doc.on('data', (c: Buffer) => chunks.push(c));
        doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      });
  const root = doc.struct('Document');
  doc.addStructure(root);
  for (let p = 0; p < pages; p++) {
    doc.addPage({ size: [300, 200], margin: 0 });
    for (let i = 0; i < n; i++) {
      const el = doc.struct('P');
      root.add(el);
      el.add(doc.markStructureContent('P'));
      doc.rect(i, i, 10, 10).stroke();
      doc.endMarkedContent();
      el.end();
    }
  }
  root.end();
  doc.end();
  return done;
}

function objects(bytes: Uint8Array): string[] {
  const doc = mupdf.Document.openDocument(bytes, 'application/pdf').asPDF()!;
  const out: string[] = [];
  for (let i = 1; i < doc.countObjects(); i++) {
    const o = doc.newIndirect(i).resolve();
    out.push(
      o.isStream()
        ? `${o.toString()} stream ${Buffer.from(o.readStream().asUint8Array()).toString('base64')}`
        : o.toString(),
    );
  }
  return out;
}

describe('the packed writer', () => {
  it.each([
    [1, 0],
    [1, 3],
    [2, 40],
    [3, 400], // more objects than one object stream holds
  ])('keeps every object of a %i-page document with %i elements a page, and makes it smaller', async (pages, n) => {
    const title = `T (${pages}) ＆ ${n}`;
    const before = await write(pages, n, title, false);
    const after = await write(pages, n, title, true);
    const a = objects(before);
    const b = objects(after);
    // The packed file adds its object streams and xref stream at the end; the rest is the same.
    expect(b.slice(0, a.length)).toEqual(a);
    expect(b.length).toBeGreaterThan(a.length);
    if (n >= 40) expect(after.length).toBeLessThan(before.length);
    const raw = Buffer.from(after).toString('latin1');
    expect(raw).not.toMatch(/\nxref\n/);
    expect(raw).toMatch(/\/Type \/XRef\n/);
    const doc = mupdf.Document.openDocument(after, 'application/pdf');
    expect(doc.countPages()).toBe(pages);
    expect(doc.getMetaData('info:Title')).toBe(title);
    expect(Buffer.from(await write(pages, n, title, true)).equals(Buffer.from(after))).toBe(true);
  });

  it('refuses objects that are not where the offsets say', () => {
    const body = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n2 0 obj\n(x)\nendobj\n');
    expect(packObjects(body, [9, 29], ['/Root 1 0 R'])).toBeDefined();
    expect(packObjects(body, [9, 30], ['/Root 1 0 R'])).toBeUndefined(); // one byte off
    expect(packObjects(body, [29, 9], ['/Root 1 0 R'])).toBeUndefined(); // numbers swapped
    expect(packObjects(body, [], ['/Root 1 0 R'])).toBeUndefined();
  });

  it('packs objects handed over as text exactly as the same objects written as bytes', () => {
    const enc = new TextEncoder();
    const objects = ['<<\n/Type /Catalog\n>>', '(x)', '<<\n/S /TD\n/K [0]\n>>', '[1 2 3]'];
    const header = '%PDF-1.7\n';
    // All four written as bytes.
    let all = header;
    const offsets: number[] = [];
    objects.forEach((o, i) => {
      offsets.push(all.length);
      all += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const reference = packObjects(enc.encode(all), offsets, ['/Root 1 0 R'])!;
    // Objects 2 and 4 as text: only 1 and 3 are in the bytes, 2 and 4 at the offset of what follows.
    let some = header;
    const mixed: number[] = [];
    const bodies = new Map<number, string>();
    objects.forEach((o, i) => {
      mixed.push(some.length);
      if (i % 2 === 1) bodies.set(i + 1, o);
      else some += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const packed = packObjects(enc.encode(some), mixed, ['/Root 1 0 R'], bodies)!;
    expect(Buffer.from(packed).equals(Buffer.from(reference))).toBe(true);
    // Every object given as text, none in the bytes.
    const none = packObjects(
      enc.encode(header),
      objects.map(() => header.length),
      ['/Root 1 0 R'],
      new Map(objects.map((o, i) => [i + 1, o])),
    )!;
    expect(Buffer.from(none).equals(Buffer.from(reference))).toBe(true);
  });
});
