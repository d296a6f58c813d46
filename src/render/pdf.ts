//! Laid-out pages → PDF bytes with pdfkit (the only module that loads it): tagged, in reading
//! order, fonts embedded as subsets, deterministic (dates come from the caller).

/// <reference types="pdfkit" />
import { createRequire } from 'node:module';
import type { LayoutNode, Page, Shape, TextRun } from '../layout/types.js';
import type { FontSet } from './fonts.js';

export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  creationDate: Date;
  lang: 'ja-JP';
}

type Doc = PDFKit.PDFDocument;
type StructEl = PDFKit.PDFStructureElement;
type DocCtor = new (opts: Record<string, unknown>) => Doc;

let ctor: DocCtor | undefined;

/**
 * pdfkit is loaded on first render, so `sheetgen validate` never pays for it. It is required as
 * CommonJS rather than imported: its CommonJS build requires the same CommonJS fontkit that
 * fonts.ts already loaded, where its ES build would load a second copy of fontkit (~150 ms).
 */
async function pdfkit(): Promise<DocCtor> {
  if (!ctor) ctor = createRequire(import.meta.url)('pdfkit') as DocCtor;
  return ctor;
}

export async function renderPdf(pages: Page[], fonts: FontSet, meta: PdfMeta): Promise<Uint8Array> {
  const PDFDocument = await pdfkit();
  const doc = new PDFDocument({
    autoFirstPage: false,
    // No default Helvetica: pdfkit would write it into every file even unused.
    font: null,
    pdfVersion: '1.7',
    tagged: true,
    lang: meta.lang,
    displayTitle: true,
    compress: true,
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject,
      Creator: 'sheetgen',
      Producer: 'sheetgen (PDFKit)',
      // pdfkit defaults both to now and hashes the info dictionary into /ID: fixed dates make the bytes reproducible.
      CreationDate: meta.creationDate,
      ModDate: meta.creationDate,
    },
  });
  // The parsed fontkit fonts, shared by every document: no file is re-read per document (PDFKIT-NOTES pitfall 1).
  (doc as unknown as { registerFont(name: string, src: unknown): void }).registerFont('regular', fonts.regular.font);
  (doc as unknown as { registerFont(name: string, src: unknown): void }).registerFont('bold', fonts.bold.font);

  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  const state: DrawState = { font: '', size: 0 };
  for (const page of pages) {
    doc.addPage({ size: [page.width, page.height], margin: 0 });
    for (const node of page.nodes) drawNode(doc, node, null, state);
  }
  doc.end();
  await done;
  const buf = Buffer.concat(chunks);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

interface DrawState {
  font: string;
  size: number;
}

function attach(doc: Doc, el: StructEl, parent: StructEl | null): void {
  if (parent) parent.add(el);
  else doc.addStructure(el);
}

function drawNode(doc: Doc, node: LayoutNode, parent: StructEl | null, state: DrawState): void {
  switch (node.type) {
    case 'art':
      // Rules and shading are decoration: marked as artifacts so readers and extraction skip them.
      doc.markContent('Artifact', { type: 'Layout' });
      drawShapes(doc, node.shapes);
      doc.endMarkedContent();
      return;
    case 'group': {
      const el = doc.struct(node.tag);
      attach(doc, el, parent);
      for (const child of node.children) drawNode(doc, child, el, state);
      el.end();
      return;
    }
    case 'text': {
      if (node.runs.length === 0) return;
      const el = doc.struct(node.tag);
      attach(doc, el, parent);
      el.add(() => drawRuns(doc, node.runs, state));
      el.end();
      return;
    }
  }
}

function drawRuns(doc: Doc, runs: TextRun[], state: DrawState): void {
  for (const r of runs) {
    if (state.font !== r.font) {
      doc.font(r.font);
      state.font = r.font;
    }
    if (state.size !== r.size) {
      doc.fontSize(r.size);
      state.size = r.size;
    }
    const opts: PDFKit.Mixins.TextOptions = { lineBreak: false, baseline: 'alphabetic' };
    // Vertical labels: one character per run with vertical glyph forms, or （）ー stay horizontal (PDFKIT-NOTES pitfall 3).
    if (r.vertical) opts.features = ['vert'] as PDFKit.Mixins.TextOptions['features'];
    doc.text(r.text, r.x, r.y, opts);
  }
}

function drawShapes(doc: Doc, shapes: Shape[]): void {
  // Fills first, then lines grouped by width (one stroke each), then framed rectangles.
  for (const s of shapes) if (s.kind === 'rect' && s.fill) doc.rect(s.x, s.y, s.w, s.h).fill(s.fill);
  const byWidth = new Map<number, Shape[]>();
  for (const s of shapes) {
    if (s.kind !== 'line') continue;
    let list = byWidth.get(s.width);
    if (!list) byWidth.set(s.width, (list = []));
    list.push(s);
  }
  doc.strokeColor('#000000');
  for (const [w, list] of byWidth) {
    doc.lineWidth(w);
    for (const s of list) if (s.kind === 'line') doc.moveTo(s.x1, s.y1).lineTo(s.x2, s.y2);
    doc.stroke();
  }
  for (const s of shapes) {
    if (s.kind === 'rect' && s.stroke) doc.lineWidth(s.stroke).rect(s.x, s.y, s.w, s.h).stroke();
  }
  doc.fillColor('#000000');
}

