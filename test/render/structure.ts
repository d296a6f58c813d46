//! Reads a tagged PDF's structure tree back with mupdf's object API: each element's type, its table
//! attributes (Scope, RowSpan, ColSpan) and its children, for tests that check the PDF/UA tagging.

import * as mupdf from 'mupdf';

export interface El {
  type: string;
  attrs: Record<string, string | number>;
  kids: El[];
  /** Marked-content references (the element has content on a page). */
  mcids: number;
}

function attrsOf(a: mupdf.PDFObject): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const one = (d: mupdf.PDFObject) => {
    d = d.resolve();
    if (!d.isDictionary()) return;
    d.forEach((v, k) => {
      const r = v.resolve();
      if (r.isName()) out[String(k)] = r.asName();
      else if (r.isNumber()) out[String(k)] = r.asNumber();
    });
  };
  const r = a.resolve();
  if (r.isArray()) r.forEach((d) => one(d));
  else one(r);
  return out;
}

function walk(obj: mupdf.PDFObject): El | null {
  const d = obj.resolve();
  if (!d.isDictionary()) return null;
  const s = d.get('S');
  if (s.isNull()) return null;
  const el: El = { type: s.asName(), attrs: d.get('A').isNull() ? {} : attrsOf(d.get('A')), kids: [], mcids: 0 };
  const k = d.get('K').resolve();
  const each = (c: mupdf.PDFObject) => {
    const r = c.resolve();
    if (r.isNumber()) el.mcids++;
    else if (r.isDictionary() && !r.get('MCID').isNull()) el.mcids++;
    else {
      const sub = walk(c);
      if (sub) el.kids.push(sub);
    }
  };
  if (k.isArray()) k.forEach((c) => each(c));
  else if (!k.isNull()) each(k);
  return el;
}

/** The structure tree's top-level elements, and the catalog's XMP metadata as text. */
export function readStructure(bytes: Uint8Array): { roots: El[]; xmp: string } {
  const doc = mupdf.Document.openDocument(bytes, 'application/pdf').asPDF()!;
  const root = doc.getTrailer().get('Root');
  const tree = root.get('StructTreeRoot').resolve();
  const k = tree.get('K').resolve();
  const roots: El[] = [];
  if (k.isArray())
    k.forEach((c) => {
      const e = walk(c);
      if (e) roots.push(e);
    });
  else {
    const e = walk(k);
    if (e) roots.push(e);
  }
  // Streams are read through their indirect reference (a resolved dictionary has no stream).
  const md = root.get('Metadata');
  return { roots, xmp: md.isNull() ? '' : md.readStream().asString() };
}

export function all(el: El, out: El[] = []): El[] {
  out.push(el);
  for (const k of el.kids) all(k, out);
  return out;
}
