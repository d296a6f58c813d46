import * as mupdf from 'mupdf';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { compactXref } from '../../src/render/objstm.js';

// compactXref moves pdfkit's stream-less objects into object streams and its xref table into an
// xref stream. Every object must read back the same, under the same number, in a real reader.

/** A classic-xref PDF from pdfkit with `pages` pages, `n` structure elements each, and some text. */
async function classic(pages: number, n: number, title: string): Promise<Uint8Array> {
  const doc = new PDFDocument({ autoFirstPage: false, tagged: true, pdfVersion: '1.7', info: { Title: title } });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve());
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
  await done;
  return new Uint8Array(Buffer.concat(chunks));
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

describe('compactXref', () => {
  it.each([
    [1, 0],
    [1, 3],
    [2, 40],
    [3, 400], // more objects than one object stream holds
  ])('keeps every object of a %i-page document with %i elements a page, and makes it smaller', async (pages, n) => {
    const before = await classic(pages, n, `T (${pages}) ＆ ${n}`);
    const after = compactXref(before);
    expect(after).not.toBe(before);
    const a = objects(before);
    const b = objects(after);
    // The packed file adds its object streams and xref stream at the end; the rest is the same.
    expect(b.slice(0, a.length)).toEqual(a);
    expect(b.length).toBeGreaterThan(a.length);
    if (n >= 40) expect(after.length).toBeLessThan(before.length);
    const doc = mupdf.Document.openDocument(after, 'application/pdf');
    expect(doc.countPages()).toBe(pages);
    expect(doc.getMetaData('info:Title')).toBe(`T (${pages}) ＆ ${n}`);
    expect(Buffer.from(compactXref(before)).equals(Buffer.from(after))).toBe(true);
  });

  it('leaves a file it does not recognise as it is', async () => {
    const good = await classic(1, 2, 'x');
    for (const bad of [
      new Uint8Array(0),
      new TextEncoder().encode('%PDF-1.7\nnot a pdf\n'),
      good.subarray(0, good.length - 10), // cut short
      compactXref(good), // already compact: no xref table
    ])
      expect(compactXref(bad)).toBe(bad);
  });
});
