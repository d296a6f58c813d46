//! Laid-out pages → PDF bytes with pdfkit (the only module that loads it): tagged, in reading
//! order, fonts embedded as subsets, deterministic (dates come from the caller).

/// <reference types="pdfkit" />
import type { LayoutNode, Page, Shape, TextRun } from '../layout/types.js';
import type { FontFace, FontSet, GlyphPosition, GlyphRun } from './fonts.js';
import { flate, flateAsync, packObjects } from './objstm.js';
import { encodeTrueTypeSubset, type SubsetInternals } from './ttfsubset.js';

export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  creationDate: Date;
  lang: 'ja-JP';
}

type Doc = PDFKit.PDFDocument;
type DocCtor = new (opts: Record<string, unknown>) => Doc;

let ctor: DocCtor | undefined;

/**
 * pdfkit is loaded on first render, so `sheetgen validate` never pays for it. The bundle
 * (scripts/esbuild-pdfkit.mjs) resolves pdfkit and fontkit to their CommonJS builds, so pdfkit
 * shares the fontkit instance fonts.ts loaded; unbundled (tests), both resolve to their ES builds.
 */
async function pdfkit(): Promise<DocCtor> {
  ctor ??= (await import('pdfkit')).default as unknown as DocCtor;
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

  const written = collect(doc);
  xmp(doc, meta);
  const state: DrawState = { font: '', size: 0, fonts };
  // One Document element is the root of the structure tree (PDF/UA-1 7.1); every page's content hangs under it.
  const treeRoot = (doc as unknown as MarkingInternals).getStructTreeRoot();
  const root = element(doc, 'Document', '', treeRoot);
  ((treeRoot.data as { K?: RefLike[] }).K ??= []).push(root.ref);
  for (const page of pages) {
    doc.addPage({ size: [page.width, page.height], margin: 0 });
    deflateOnce(doc);
    state.mcids = undefined;
    for (const node of page.nodes) drawNode(doc, node, root, state);
  }
  endElement(root);
  doc.end();
  const bytes = await written;
  // pdfkit's stream queued process.nextTick callbacks holding the document (its constructor's
  // push): let them run before returning, or a caller that builds sheet after sheet without I/O
  // in between (every await already settled) would keep every document until its loop ends.
  await new Promise<void>((resolve) => process.nextTick(resolve));
  return bytes;
}

interface WriterInternals {
  _offset: number;
  _offsets: (number | null)[];
  _root: { id: number };
  _info: { id: number };
  _id: Uint8Array;
  _write(data: string | Uint8Array): void;
  _finalize(): void;
}

/**
 * The document's bytes, taken straight from pdfkit's writer: pdfkit pushes every object and every
 * xref line through a Node stream, converting each string with a per-character loop; here the
 * objects are collected as they are written (strings converted natively, the same Latin-1 bytes),
 * and in place of pdfkit's xref table and trailer the objects are packed into object streams
 * with a cross-reference stream (./objstm.ts). The objects without a stream that the renderer
 * writes itself (`writeObject`: the structure tree, most dictionaries) are handed over as text and
 * go into the object streams as they are, never converted to bytes and searched for again.
 */
export function collect(doc: { on(event: 'error', listener: (e: unknown) => void): unknown }): Promise<Uint8Array> {
  const d = doc as unknown as WriterInternals;
  const chunks: Uint8Array[] = [];
  const bodies = new Map<number, string>();
  // What pdfkit wrote before (the %PDF header, from its constructor) waits in its stream's buffer.
  const head = (doc as unknown as { read(): Uint8Array | null }).read();
  if (head) chunks.push(head);
  return new Promise<Uint8Array>((resolve, reject) => {
    if ((head?.length ?? 0) !== d._offset)
      return reject(new Error('pdfkit wrote more than its header before the first page'));
    // Strings (object headers and dictionaries) are joined and converted once between two streams'
    // bytes; a string is one byte per character (pdfkit writes Latin-1 only), so offsets count characters.
    let text = '';
    // Objects without a stream that the renderer writes itself: kept as text for the object streams.
    (doc as unknown as Collected)[BODIES] = bodies;
    const flush = () => {
      if (text !== '') chunks.push(Buffer.from(text, 'latin1'));
      text = '';
    };
    d._write = (data) => {
      if (typeof data === 'string') {
        text += `${data}\n`;
        d._offset += data.length + 1;
      } else {
        flush();
        chunks.push(data);
        d._offset += data.length;
      }
    };
    d._finalize = () => {
      try {
        flush();
        const body = Buffer.concat(chunks);
        const id = Buffer.from(d._id).toString('hex');
        const trailer = [`/Root ${d._root.id} 0 R`, `/Info ${d._info.id} 0 R`, `/ID [<${id}> <${id}>]`];
        const packed = packObjects(body, d._offsets as number[], trailer, bodies);
        if (!packed) throw new Error('pdfkit wrote its objects out of place');
        resolve(packed);
      } catch (e) {
        reject(e);
      }
    };
    doc.on('error', reject);
  });
}

const BODIES = Symbol('sheetgen.objectBodies');
interface Collected {
  [BODIES]?: Map<number, string>;
}

const TEXT = Symbol('sheetgen.pendingText');
interface RefLike {
  [TEXT]?: string;
  id: number;
  gen: number;
  offset?: number;
  data: unknown;
  compress: boolean;
  buffer: Uint8Array[];
  document: {
    emit(event: 'error', e: unknown): void;
    _offset: number;
    _security?: unknown;
    _write(data: string): void;
    _refEnd(ref: unknown): void;
  };
  write(chunk: string | Uint8Array): void;
  finalize(): void;
}

/** Cached font programs → their deflated bytes: compressed once per process. */
const deflated = new Map<Uint8Array, Uint8Array>();
const PATCHED = Symbol('sheetgen.deflateOnce');
/** Bytes below which a stream is deflated on the main thread (measured: handing one over costs ~0.3 ms there). */
const SMALL_STREAM = 8 * 1024;

/**
 * pdfkit deflates each stream as its object is finalized, at zlib's default level, on the main
 * thread; here streams are deflated at zlib's fastest level (./objstm.ts `flate`) on Node's thread
 * pool, and the object is written when its bytes are ready: pdfkit counts the objects not yet
 * written and finishes the file after the last one (its `_waiting` and `_refEnd`), so a page's
 * content is compressed while the next page is drawn and the two fonts side by side. The file's
 * bytes do not depend on which finishes first: `collect` orders the objects by number. A cached
 * font program's stream takes the bytes deflated the first time (one prototype patch, as fonts.ts
 * does for fontkit glyphs).
 */
function deflateOnce(doc: Doc): void {
  const sample = (doc as unknown as { page?: { content?: RefLike } }).page?.content;
  const proto = sample ? (Object.getPrototypeOf(sample) as RefLike & { [PATCHED]?: true }) : undefined;
  if (!proto || proto[PATCHED] || typeof proto.finalize !== 'function') return;
  const finalize = proto.finalize;
  // A stream's strings (page content: hundreds of operator strings a page) are joined as they come
  // and converted to bytes natively once, when bytes follow or the object ends (pdfkit converted each
  // string one character at a time; the bytes are the same).
  const write = proto.write;
  const flushText = (ref: RefLike) => {
    const text = ref[TEXT];
    if (text) {
      ref[TEXT] = '';
      write.call(ref, Buffer.from(text, 'latin1'));
    }
  };
  proto.write = function (this: RefLike, chunk: string | Uint8Array) {
    if (typeof chunk === 'string') {
      this[TEXT] = `${this[TEXT] ?? ''}${chunk}\n`;
      return;
    }
    flushText(this);
    return write.call(this, chunk);
  };
  const abstractRef = Object.getPrototypeOf(proto) as object;
  proto.finalize = function (this: RefLike) {
    flushText(this);
    if (this.buffer.length === 0 && writePlain(this, abstractRef)) return;
    if (!this.compress || this.buffer.length === 0) return finalize.call(this);
    const one = this.buffer.length === 1 ? this.buffer[0]! : undefined;
    const z = one && deflated.get(one);
    if (z) {
      this.buffer = [z];
      this.compress = false;
      return finalize.call(this);
    }
    const data = one ?? Buffer.concat(this.buffer);
    // A small stream (a ToUnicode map) costs the main thread less deflated here than handed over.
    if (data.length < SMALL_STREAM) {
      this.buffer = [flate(data)];
      this.compress = false;
      return finalize.call(this);
    }
    flateAsync(data).then(
      (bytes) => {
        if (one && cachedPrograms.has(one)) deflated.set(one, bytes);
        this.buffer = [bytes];
        this.compress = false;
        finalize.call(this);
      },
      (e: unknown) => this.document.emit('error', e),
    );
  };
  proto[PATCHED] = true;
}

/**
 * An object without a stream (a structure element, a page, a font's widths), written as pdfkit's
 * finalize writes it, with its value converted here: pdfkit's PDFObject.convert tries a chain of
 * type checks before it reaches a number or a name, and a sheet has some 650 such objects. Returns
 * false (pdfkit then writes the object) for an encrypted document or a value `pdfValue` leaves to
 * pdfkit.
 */
function writePlain(ref: RefLike, abstractRef: object): boolean {
  if (ref.document._security) return false;
  const body = pdfValue(ref.data, abstractRef);
  if (body === undefined) return false;
  writeObject(ref, body);
  return true;
}

/**
 * A value as PDFObject.convert writes it (same characters), for the types sheetgen's objects hold:
 * names (strings), numbers, booleans, null, arrays, dictionaries (plain objects) and references.
 * Undefined for anything else (text strings, dates, byte strings, name trees): pdfkit converts those.
 */
export function pdfValue(v: unknown, abstractRef: object): string | undefined {
  switch (typeof v) {
    case 'string':
      return `/${v}`;
    case 'number':
      // PDFObject.number: six decimals at most; it throws outside ±1e21, so that is left to it.
      return v > -1e21 && v < 1e21 ? String(Math.round(v * 1e6) / 1e6) : undefined;
    case 'boolean':
      return String(v);
    case 'object':
      break;
    default:
      return undefined;
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const e: unknown = v[i];
      const item = pdfValue(e === undefined ? null : e, abstractRef);
      if (item === undefined) return undefined;
      out += i === 0 ? item : ` ${item}`;
    }
    return `${out}]`;
  }
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === Object.prototype || proto === null) {
    const dict = v as Record<string, unknown>;
    let out = '<<';
    for (const key in dict) {
      const value = dict[key];
      if (value === undefined) continue;
      const item = pdfValue(value, abstractRef);
      if (item === undefined) return undefined;
      out += `\n/${key} ${item}`;
    }
    return `${out}\n>>`;
  }
  // A reference (pdfkit's PDFAbstractReference): `n 0 R`.
  if (Object.prototype.isPrototypeOf.call(abstractRef, v)) return String(v);
  return undefined;
}

/**
 * Embedded font programs by face and glyph list, in the order pdfkit numbered the glyphs (its
 * subset's new glyph ids follow that order, so equal lists give equal bytes): sheets of a batch
 * share most of their bold glyphs (headings). Bounded, least recently used first out.
 */
const SUBSET_CACHE_MAX = 16;
const subsetCache = new Map<string, Uint8Array>();
/**
 * Glyph lists met once: a program is kept only when its list comes a second time, so the regular
 * face's lists (different on every sheet) never fill the cache with bytes the GC must then move.
 */
const SEEN_MAX = 64;
const seen = new Set<string>();
const cachedPrograms = new Set<Uint8Array>();
type SubsetLike = SubsetInternals & { [FAST]?: true };

function cacheSubset(subset: SubsetLike, face: FontFace): void {
  if (subset[FAST]) return;
  const encode = subset.encode.bind(subset);
  subset.encode = () => {
    const key = `${face.path}\u0000${subset.glyphs.join(',')}`;
    let bytes = subsetCache.get(key);
    if (bytes) subsetCache.delete(key);
    else {
      bytes = encodeTrueTypeSubset(subset) ?? encode();
      if (!seen.delete(key)) {
        if (seen.size >= SEEN_MAX) seen.delete(seen.values().next().value!);
        seen.add(key);
        return bytes;
      }
      if (subsetCache.size >= SUBSET_CACHE_MAX) {
        const old = subsetCache.keys().next().value!;
        deflated.delete(subsetCache.get(old)!);
        cachedPrograms.delete(subsetCache.get(old)!);
        subsetCache.delete(old);
      }
      cachedPrograms.add(bytes);
    }
    subsetCache.set(key, bytes);
    return bytes;
  };
  subset[FAST] = true;
}

interface DrawState {
  font: string;
  size: number;
  fonts: FontSet;
  /** The current page's entry in the ParentTree: the structure element of each MCID. */
  mcids?: unknown[];
}

const FAST = Symbol('sheetgen.fastLayout');
interface EmbeddedFontLike {
  layoutRun(text: string, features?: unknown): GlyphRun;
  [FAST]?: true;
}

/**
 * pdfkit shapes every distinct string with fontkit's full OpenType layout, per document. The sheet
 * needs no shaping (no ligatures, no kerning in Japanese forms; vertical forms are asked for with
 * features and still go through fontkit), so plain runs take the face's cached glyph per code
 * point — the same advances the layout measured with.
 */
function fastLayout(doc: Doc, face: FontFace): void {
  const f = (doc as unknown as { _font: EmbeddedFontLike })._font;
  if (f[FAST]) return;
  const shaped = f.layoutRun.bind(f);
  f.layoutRun = (text, features) => {
    if (!features) return face.run(text);
    // Shaped runs (vertical labels: a few fixed characters) are kept per face across documents.
    const key = `${String(features)}\u0000${text}`;
    let run = face.shapedCache.get(key);
    if (!run) {
      const vertOnly = Array.isArray(features) && features.length === 1 && features[0] === 'vert';
      run = (vertOnly ? face.verticalRun(text) : undefined) ?? shaped(text, features);
      face.shapedCache.set(key, run);
    }
    return run;
  };
  f[FAST] = true;
}

interface MarkingInternals {
  getStructTreeRoot(): RefLike;
  getStructParentTree(): { get(key: number): unknown[] };
  page: { dictionary: RefLike; structParentTreeKey: number };
}

/**
 * A structure element being written: its reference (numbered when the element starts, as pdfkit's
 * struct() numbers it), its dictionary up to its kids, and its kids as written in /K.
 */
interface Element {
  ref: RefLike;
  head: string;
  kids: string;
  page?: RefLike;
}

function element(doc: Doc, tag: string, attrs: string, parent: RefLike): Element {
  const ref = (doc as unknown as { ref(): RefLike }).ref();
  return { ref, head: `<<\n/S /${tag}${attrs}\n/P ${parent.id} ${parent.gen} R`, kids: '' };
}

function addKid(el: Element, kid: string): void {
  el.kids = el.kids === '' ? kid : `${el.kids} ${kid}`;
}

/** The element's dictionary as pdfkit writes a structure element: S, A, P, K, then Pg. */
function endElement(el: Element): void {
  const pg = el.page ? `\n/Pg ${el.page.id} ${el.page.gen} R` : '';
  writeObject(el.ref, `${el.head}\n/K [${el.kids}]${pg}\n>>`);
}

/**
 * An object without a stream, finished as pdfkit's finalize finishes one: in a document `collect`
 * writes, its text goes straight to the object streams (no bytes to find it in again); else its
 * bytes are written as pdfkit writes them.
 */
function writeObject(ref: RefLike, body: string): void {
  const d = ref.document;
  ref.offset = d._offset;
  const bodies = (d as unknown as Collected)[BODIES];
  if (bodies) {
    bodies.set(ref.id, body);
    d._refEnd(ref);
    return;
  }
  d._write(`${ref.id} ${ref.gen} obj`);
  d._write(body);
  d._write('endobj');
  d._refEnd(ref);
}

/**
 * Marked content for a structure element on the current page (pdfkit's markStructureContent, without
 * its bookkeeping of open markings: sheetgen never nests marked content): the next MCID of the page,
 * its entry in the structure tree's ParentTree, and the element's /K and /Pg.
 */
function markElement(doc: Doc, el: Element, tag: string, state: DrawState): void {
  const d = doc as unknown as MarkingInternals;
  state.mcids ??= d.getStructParentTree().get(d.page.structParentTreeKey);
  const mcid = state.mcids.length;
  state.mcids.push(el.ref);
  // A text element is marked once, on one page: its /K is that MCID and its /Pg that page.
  el.page = d.page.dictionary;
  addKid(el, String(mcid));
  doc.addContent(`/${tag} <<\n/MCID ${mcid}\n>> BDC`);
}

/**
 * The structure tree is written here rather than through pdfkit's struct() and markStructureContent():
 * the same objects with the same numbers and the same marked content (the examples' PDFs are byte for
 * byte those pdfkit wrote), without pdfkit's per-element closure, content object and ParentTree
 * lookup, or its check of every open marking on each (README, "The renderer's own structure tree").
 */
function drawNode(doc: Doc, node: LayoutNode, parent: Element, state: DrawState): void {
  switch (node.type) {
    case 'art':
      // Rules and shading are decoration: marked as artifacts so readers and extraction skip them.
      doc.addContent('/Artifact <<\n/Type /Layout\n>> BDC');
      drawShapes(doc, node.shapes);
      doc.addContent('EMC');
      return;
    case 'group': {
      const el = element(doc, node.tag, '', parent.ref);
      addKid(parent, `${el.ref.id} ${el.ref.gen} R`);
      for (const child of node.children) drawNode(doc, child, el, state);
      endElement(el);
      return;
    }
    case 'furniture':
      // 別紙 headers and page numbers: pagination artifacts, outside the structure (PDF/UA-1 7.8).
      if (node.runs.length === 0) return;
      doc.addContent('/Artifact <<\n/Type /Pagination\n>> BDC');
      drawRuns(doc, node.runs, state);
      doc.addContent('EMC');
      return;
    case 'text': {
      // Table attributes (ISO 32000-1 14.8.5.7): the owner Table, a heading's Scope, and the spans.
      let attrs = '';
      if (node.tag === 'TH' && node.scope) attrs += `\n/Scope /${node.scope}`;
      if (node.rowSpan && node.rowSpan > 1) attrs += `\n/RowSpan ${node.rowSpan}`;
      if (node.colSpan && node.colSpan > 1) attrs += `\n/ColSpan ${node.colSpan}`;
      if (attrs !== '') attrs = `\n/A <<\n/O /Table${attrs}\n>>`;
      const el = element(doc, node.tag, attrs, parent.ref);
      addKid(parent, `${el.ref.id} ${el.ref.gen} R`);
      // An empty cell stays an (empty) TD, so that table navigation counts its columns right.
      if (node.runs.length > 0) {
        markElement(doc, el, node.tag, state);
        drawRuns(doc, node.runs, state);
        doc.addContent('EMC');
      }
      endElement(el);
      return;
    }
  }
}

/** XML text with its five special characters escaped. */
function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * The XMP metadata: pdfkit writes its own from the info dictionary without escaping (a title with
 * "&" would make the XML invalid), so the document's writer is replaced by one that escapes and
 * adds pdfuaid:part 1 (PDF/UA-1 5: the identification schema) with dc:title (7.1).
 */
function xmp(doc: Doc, meta: PdfMeta): void {
  const d = doc as unknown as { _addInfo(): void; appendXML(xml: string, newline?: boolean): void };
  d._addInfo = () => {
    const date = `${meta.creationDate.toISOString().split('.')[0]}Z`;
    d.appendXML(
      [
        `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>${date}</xmp:CreateDate><xmp:ModifyDate>${date}</xmp:ModifyDate><xmp:CreatorTool>sheetgen</xmp:CreatorTool></rdf:Description>`,
        `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:format>application/pdf</dc:format>` +
          `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(meta.title)}</rdf:li></rdf:Alt></dc:title>` +
          `<dc:creator><rdf:Seq><rdf:li>${xml(meta.author)}</rdf:li></rdf:Seq></dc:creator>` +
          `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(meta.subject)}</rdf:li></rdf:Alt></dc:description>` +
          `<dc:language><rdf:Bag><rdf:li>${xml(meta.lang)}</rdf:li></rdf:Bag></dc:language></rdf:Description>`,
        `<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>sheetgen (PDFKit)</pdf:Producer></rdf:Description>`,
        `<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>`,
      ].join('\n'),
    );
  };
}

interface PdfFontLike extends EmbeddedFontLike {
  id: string;
  ref(): unknown;
  encode(text: string, features?: unknown): [string[], GlyphPosition[]];
}

interface DocInternals {
  _font: PdfFontLike;
  page: { height: number; fonts: Record<string, unknown> };
}

const num = (v: number): string => String(Math.round(v * 100) / 100);

/**
 * A text node's runs as one BT…ET block: pdfkit's text() wraps every line in its own q/cm/BT/ET
 * and measures it twice; writing the operators here halves the content stream and the time, and
 * still goes through pdfkit's font (subset, widths, ToUnicode) via its encode().
 */
function drawRuns(doc: Doc, runs: TextRun[], state: DrawState): void {
  const d = doc as unknown as DocInternals;
  const h = d.page.height;
  let ops = `q 1 0 0 -1 0 ${num(h)} cm BT`;
  let size = -1;
  let fontId = '';
  for (const r of runs) {
    if (state.font !== r.font) {
      doc.font(r.font);
      fastLayout(doc, state.fonts[r.font]);
      cacheSubset((d._font as unknown as { subset: SubsetLike }).subset, state.fonts[r.font]);
      state.font = r.font;
    }
    const font = d._font;
    if (d.page.fonts[font.id] == null) d.page.fonts[font.id] = font.ref();
    if (font.id !== fontId || r.size !== size) {
      ops += ` /${font.id} ${num(r.size)} Tf`;
      fontId = font.id;
      size = r.size;
    }
    ops += ` 1 0 0 1 ${num(r.x)} ${num(h - r.y)} Tm`;
    if (!r.vertical) {
      ops += ` <${encodePlain(font as unknown as EncodingFont, state.fonts[r.font], r.text)}> Tj`;
      continue;
    }
    // Vertical labels: vertical glyph forms, or （）ー stay horizontal (PDFKIT-NOTES pitfall 3).
    const [hex, positions] = font.encode(r.text, ['vert']);
    const plain = positions.every((p) => !p.xOffset && !p.yOffset && p.xAdvance === p.advanceWidth);
    if (plain) ops += ` <${hex.join('')}> Tj`;
    else {
      // Positioned glyphs (GPOS from a user font): one glyph at a time at its own offset.
      let x = r.x;
      const k = r.size / 1000;
      positions.forEach((p, i) => {
        ops += ` 1 0 0 1 ${num(x + p.xOffset * k)} ${num(h - r.y + p.yOffset * k)} Tm <${hex[i]}> Tj`;
        x += p.xAdvance * k;
      });
    }
  }
  doc.addContent(`${ops} ET Q`);
}

/** pdfkit's embedded font, as its encode() fills it. */
interface EncodingFont {
  subset: SubsetInternals & { [GIDS]?: Int32Array };
  widths: number[];
  unicode: number[][];
  scale: number;
}

const GIDS = Symbol('sheetgen.subsetIds');
const HEX4: string[] = [];

/**
 * A run without features as pdfkit's encode() gives it (the run's glyphs are one per code point, from
 * the face, as `fastLayout` lays them out): each glyph joins the subset, its width and code points are
 * noted for the font's W array and ToUnicode map, and its subset id is written as 4 hex digits. The
 * subset's ids are kept in a typed array by glyph (fontkit keeps them in an object keyed by number).
 */
function encodePlain(font: EncodingFont, face: FontFace, text: string): string {
  const subset = font.subset;
  const ids = subset[GIDS] ?? subsetIds(subset);
  let hex = '';
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    const glyph = face.glyphOf(cp);
    let gid = glyph.id < ids.length ? ids[glyph.id]! : subset.includeGlyph(glyph.id);
    if (gid < 0) gid = subset.includeGlyph(glyph.id);
    hex += HEX4[gid] ??= `0000${gid.toString(16)}`.slice(-4);
    if (font.widths[gid] == null) font.widths[gid] = glyph.advanceWidth * font.scale;
    if (font.unicode[gid] == null) font.unicode[gid] = glyph.codePoints;
  }
  return hex;
}

/**
 * The subset's glyph → subset id map as a typed array (-1: not yet in the subset), and its
 * includeGlyph using it (the subsetter calls it for composite glyphs' parts): the same ids in the
 * same order as fontkit's.
 */
function subsetIds(subset: SubsetInternals & { [GIDS]?: Int32Array }): Int32Array {
  const count = (subset.font as { numGlyphs?: number }).numGlyphs ?? 0;
  const ids = new Int32Array(Math.max(count, 1)).fill(-1);
  subset.glyphs.forEach((g, i) => {
    if (g < ids.length) ids[g] = i;
  });
  const include = subset.includeGlyph.bind(subset);
  subset.includeGlyph = (glyph: number | { id: number }) => {
    const g = typeof glyph === 'object' ? glyph.id : glyph;
    if (g >= 0 && g < ids.length) {
      let id = ids[g]!;
      if (id < 0) {
        subset.glyphs.push(g);
        id = ids[g] = subset.glyphs.length - 1;
      }
      return id;
    }
    return include(g);
  };
  subset[GIDS] = ids;
  return ids;
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
