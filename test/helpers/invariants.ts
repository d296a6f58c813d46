//! The no-loss invariants of a built sheet, checked by machine: on the layout (runs inside the page
//! and their cell, no overlap, nothing below the 6 pt floor, no number split across lines) and on
//! the PDF read back with mupdf (glyphs inside the page, none below the floor, none overlapping,
//! every string and number of the sheet found in the extracted text, in reading order).
//!
//! Each check returns a list of violations with the page, the text and its position, so that a
//! failing test says what to fix; the tests assert the list is empty.

import * as mupdf from 'mupdf';
import { pdfMeta } from '../../src/core/build.js';
import { gradeLoaded } from '../../src/core/grade.js';
import { loadSheetText } from '../../src/core/load.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { FontPair } from '../../src/layout/metrics.js';
import { textWidth } from '../../src/layout/metrics.js';
import { layoutSheet, sheetTexts } from '../../src/layout/index.js';
import type { LayoutNode, Page, Rect, TextRun } from '../../src/layout/types.js';
import type { GradedSheet, Measured, YamlPath } from '../../src/model/types.js';
import { sheetYears } from '../../src/model/types.js';
import type { FontSet } from '../../src/render/fonts.js';
import { renderPdf } from '../../src/render/pdf.js';

/**
 * layout issue 8: enabled when form-layout lands. Before the form layout, the old layout broke the
 * invariants on the stress sheets, generated sheets and two examples, and with this false those tests
 * assert that it still does (like it.fails, but a crash or an invalid sheet still fails them). With
 * the form layout merged it is true, and each test file lists what still loses something
 * (KNOWN_LOSS): those assert a violation, so they turn red when fixed, and the name comes off.
 */
export const LAYOUT_READY = true;

/** The floor: no text on the sheet is set smaller (issue 8 §2). */
export const FLOOR_PT = 6;
/** Slack for rounding in positions (the renderer writes coordinates to 0.01 pt) and touching boxes. */
export const TOLERANCE_PT = 0.5;

export type ViolationKind =
  | 'outside-page'
  | 'outside-cell'
  | 'no-cell'
  | 'overlap'
  | 'too-small'
  | 'split-number'
  | 'split-note'
  | 'missing-text'
  | 'out-of-order';

export interface Violation {
  /** Which level found it: the layout's pages, or the PDF read back. */
  level: 'layout' | 'pdf';
  kind: ViolationKind;
  /** 1-based page number (0 when the violation is about the whole document, e.g. a missing string). */
  page: number;
  /** The run, glyph or expected string concerned (shortened when long). */
  text: string;
  /** Top-left-origin box in points, when there is one. */
  at?: Rect;
  detail: string;
  /** The YAML path of a missing or misordered string. */
  path?: YamlPath;
}

const round = (v: number): number => Math.round(v * 100) / 100;
const short = (s: string, n = 40): string => ([...s].length > n ? `${[...s].slice(0, n).join('')}…` : s);
const boxStr = (r: Rect): string => `(${round(r.x)}, ${round(r.y)}) ${round(r.w)}×${round(r.h)}`;

/**
 * The assertion of the no-loss tests: no violations, unless the sheet is a known loss (`known`: see
 * LAYOUT_READY and the tests' KNOWN_LOSS lists); then at least one, so that the test turns red when
 * the layout is fixed and the sheet should come off the list.
 */
export function expectNoLoss(v: readonly Violation[], known = false): void {
  const report = `${v.length} violations ${JSON.stringify(countByKind(v))}\n${formatViolations(v)}`;
  if (!known) {
    if (v.length > 0) throw new Error(report);
  } else if (v.length === 0) {
    throw new Error(
      'no violations: the layout keeps the invariants here now; take it off the known losses (layout issue 8)',
    );
  }
}

/** One-line descriptions of violations, for assertion messages. */
export function formatViolations(list: readonly Violation[], max = 40): string {
  const lines = list
    .slice(0, max)
    .map(
      (v) =>
        `[${v.level}] ${v.kind} p${v.page} "${short(v.text)}"${v.at ? ` at ${boxStr(v.at)}` : ''}: ${v.detail}${v.path ? ` (${v.path.join('.')})` : ''}`,
    );
  if (list.length > max) lines.push(`… and ${list.length - max} more`);
  return lines.join('\n');
}

/** Violations counted by level and kind, e.g. { 'layout/overlap': 3, 'pdf/missing-text': 1 }. */
export function countByKind(list: readonly Violation[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of list) out[`${v.level}/${v.kind}`] = (out[`${v.level}/${v.kind}`] ?? 0) + 1;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Level a: the layout's pages
// ---------------------------------------------------------------------------------------------

interface PlacedRun {
  run: TextRun;
  box: Rect;
  page: number;
  cell?: Rect;
}

/**
 * The box a run's glyphs occupy: from its x over the advance of its text (trailing spaces are
 * not ink and are left out), and vertically the ideographic em box — the baseline is 0.88 em
 * below its top, as the layout places it (metrics.ts baselineIn) and as mupdf reports the quads.
 */
export function runBox(run: TextRun, fonts: FontPair): Rect {
  const m = fonts[run.font];
  const text = run.text.replace(/\s+$/u, '');
  const lead = text.length - text.replace(/^\s+/u, '').length;
  const x = run.x + textWidth(m, text.slice(0, lead), run.size);
  const w = textWidth(m, text.slice(lead), run.size);
  return { x, y: run.y - 0.88 * run.size, w, h: run.size };
}

function textNodes(
  nodes: readonly LayoutNode[],
  out: Extract<LayoutNode, { type: 'text' }>[] = [],
): Extract<LayoutNode, { type: 'text' }>[] {
  for (const n of nodes) {
    if (n.type === 'group') textNodes(n.children, out);
    else if (n.type === 'text') out.push(n);
  }
  return out;
}

function inside(box: Rect, outer: Rect, tol: number): boolean {
  return (
    box.x >= outer.x - tol &&
    box.y >= outer.y - tol &&
    box.x + box.w <= outer.x + outer.w + tol &&
    box.y + box.h <= outer.y + outer.h + tol
  );
}

/** How far two boxes overlap on each axis (negative: a gap). */
function overlapOf(a: Rect, b: Rect): { dx: number; dy: number } {
  return {
    dx: Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x),
    dy: Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y),
  };
}

/** Pairs of boxes overlapping by more than `tol` on both axes (a sweep over x; boxes sorted once). */
function overlappingPairs<T extends { box: Rect }>(
  items: readonly T[],
  tol: number,
): [T, T, { dx: number; dy: number }][] {
  const sorted = [...items].sort((a, b) => a.box.x - b.box.x);
  const out: [T, T, { dx: number; dy: number }][] = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    const right = a.box.x + a.box.w - tol;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      if (b.box.x >= right) break;
      const o = overlapOf(a.box, b.box);
      if (o.dx > tol && o.dy > tol) out.push([a, b, o]);
    }
  }
  return out;
}

const DIGIT_END = /\d$/u;
const DIGIT_START = /^\d/u;

/**
 * Whether a line break between `prev` and `next` falls inside a number: digits on both sides, a
 * separator (, or .) with digits on both sides, or ▲ left alone at the end of a line.
 */
export function splitsNumber(prev: string, next: string): boolean {
  const a = prev.replace(/\s+$/u, '');
  const b = next.replace(/^\s+/u, '');
  if (a === '' || b === '') return false;
  if (DIGIT_END.test(a) && DIGIT_START.test(b)) return true;
  if (/\d[,.]$/u.test(a) && DIGIT_START.test(b)) return true;
  if (DIGIT_END.test(a) && /^[,.]\d/u.test(b)) return true;
  if (/▲$/u.test(a) && DIGIT_START.test(b)) return true;
  return false;
}

export interface LayoutCheckOptions {
  /**
   * The sheet's own texts: a break between two digits is allowed where the text itself has
   * whitespace there ("2020年\n30人" written on two lines). Without them every such break counts.
   */
  sources?: readonly string[];
  /**
   * The sheet's numbers as printed with their unit (ExpectedText of kind 'number'): no line break
   * may fall inside one, nor inside the bracketed note of a value cell.
   */
  numbers?: readonly string[];
  /** Report text nodes that do not say their cell (the form layout gives every text node one). */
  requireCells?: boolean;
  floor?: number;
  tolerance?: number;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `b` starts a new line after `a` (lower on the page, or back to the left on the same line). */
function newLine(a: TextRun, b: TextRun): boolean {
  return (
    b.y - a.y > 0.3 * Math.min(a.size, b.size) || (Math.abs(b.y - a.y) <= 0.3 * Math.min(a.size, b.size) && b.x < a.x)
  );
}

/**
 * Whether the sheet's own texts break there: whitespace between the end of `prev` and the start of
 * `next` in one text, or `prev` ending one field and `next` starting another (a code "6555" above a
 * name "36か月…" in one cell).
 */
function breakInSource(prev: string, next: string, sources: readonly string[]): boolean {
  const tail = [...prev.replace(/\s+$/u, '')].slice(-12).join('');
  const head = [...next.replace(/^\s+/u, '')].slice(0, 12).join('');
  const re = new RegExp(`${escapeRe(tail)}\\s+${escapeRe(head)}`, 'u');
  if (sources.some((s) => re.test(s))) return true;
  return sources.some((s) => s.trimEnd().endsWith(tail)) && sources.some((s) => s.trimStart().startsWith(head));
}

/**
 * A value cell — a node whose text begins with one of the sheet's numbers with its unit (114件,
 * ▲1,234人（30年度）, 80.0%) — may not break a line inside that number-and-unit, nor inside a
 * bracketed note after it (（30年度）, （概数）). `done`: breaks (by run index) already reported.
 */
function checkValueBreaks(
  runs: readonly TextRun[],
  numbers: ReadonlySet<string>,
  done: ReadonlySet<number>,
  pageNo: number,
  fonts: FontPair,
  out: Violation[],
): void {
  const joined = runs.map((r) => r.text).join('');
  const lead = joined.length - joined.trimStart().length;
  const ends: number[] = [];
  let at = 0;
  for (const r of runs.slice(0, -1)) ends.push((at += r.text.length));
  const wholeAt = (n: string, i: number): boolean =>
    joined.startsWith(n, i) && !/^[\d,.]/u.test(joined.slice(i + n.length, i + n.length + 1));
  let value: string | undefined;
  for (const n of numbers) if (wholeAt(n, lead) && (value === undefined || n.length > value.length)) value = n;
  // A value cell holds the value and bracketed notes only (a name that happens to begin with "13か月" is not one).
  if (value === undefined || !/^(?:\s*[（(][^（）()]*[）)])*\s*$/u.test(joined.slice(lead + value.length))) return;
  const around = (k: number): string =>
    `${short(joined.slice(0, ends[k]).trim().slice(-20), 20)} | ${short(joined.slice(ends[k]).trim(), 20)}`;
  const seen = new Set(done);
  ends.forEach((b, k) => {
    if (seen.has(k) || !newLine(runs[k]!, runs[k + 1]!)) return;
    if (b > lead && b < lead + value.length) {
      seen.add(k);
      out.push({
        level: 'layout',
        kind: 'split-number',
        page: pageNo,
        text: around(k),
        at: runBox(runs[k]!, fonts),
        detail: `"${value}" is split from its unit or across lines`,
      });
    }
  });
  let depth = 0;
  let k = 0;
  for (let i = 0; i < joined.length && k < ends.length; i++) {
    const ch = joined[i]!;
    depth += ch === '（' || ch === '(' ? 1 : ch === '）' || ch === ')' ? -1 : 0;
    if (ends[k] === i + 1) {
      if (depth > 0 && !seen.has(k) && newLine(runs[k]!, runs[k + 1]!))
        out.push({
          level: 'layout',
          kind: 'split-note',
          page: pageNo,
          text: around(k),
          at: runBox(runs[k]!, fonts),
          detail: 'a bracketed note of a value is split across lines',
        });
      k++;
    }
  }
}

/** Level a: the invariants on the layout's pages (before rendering). */
export function checkLayout(pages: readonly Page[], fonts: FontPair, opts: LayoutCheckOptions = {}): Violation[] {
  const floor = opts.floor ?? FLOOR_PT;
  const tol = opts.tolerance ?? TOLERANCE_PT;
  const out: Violation[] = [];
  const numbers = opts.numbers ? new Set(opts.numbers) : undefined;
  pages.forEach((page, pi) => {
    const pageNo = pi + 1;
    const placed: PlacedRun[] = [];
    const pageRect: Rect = { x: 0, y: 0, w: page.width, h: page.height };
    for (const node of textNodes(page.nodes)) {
      const runs = node.runs.filter((r) => r.text.trim() !== '');
      if (opts.requireCells && !node.cell && runs.length > 0)
        out.push({
          level: 'layout',
          kind: 'no-cell',
          page: pageNo,
          text: runs.map((r) => r.text).join(''),
          at: runBox(runs[0]!, fonts),
          detail: 'a text node without its cell: its runs cannot be checked against it',
        });
      for (const run of runs) {
        const box = runBox(run, fonts);
        const p: PlacedRun = { run, box, page: pageNo, ...(node.cell ? { cell: node.cell } : {}) };
        placed.push(p);
        if (run.size < floor - 1e-9)
          out.push({
            level: 'layout',
            kind: 'too-small',
            page: pageNo,
            text: run.text,
            at: box,
            detail: `${round(run.size)} pt, below the ${floor} pt floor`,
          });
        if (!inside(box, pageRect, tol))
          out.push({
            level: 'layout',
            kind: 'outside-page',
            page: pageNo,
            text: run.text,
            at: box,
            detail: `outside the page ${round(page.width)}×${round(page.height)}`,
          });
        else if (node.cell && !inside(box, node.cell, tol))
          out.push({
            level: 'layout',
            kind: 'outside-cell',
            page: pageNo,
            text: run.text,
            at: box,
            detail: `outside its cell ${boxStr(node.cell)}`,
          });
      }
      const reported = new Set<number>();
      for (let i = 0; i + 1 < runs.length; i++) {
        const prev = runs[i]!.text;
        const next = runs[i + 1]!.text;
        // Only where the next run starts a new line: runs side by side on one baseline read as one.
        if (!newLine(runs[i]!, runs[i + 1]!)) continue;
        if (splitsNumber(prev, next) && !(opts.sources && breakInSource(prev, next, opts.sources))) {
          reported.add(i);
          out.push({
            level: 'layout',
            kind: 'split-number',
            page: pageNo,
            text: `${short(prev.trim(), 20)} | ${short(next.trim(), 20)}`,
            at: runBox(runs[i]!, fonts),
            detail: 'a number continues on the next line',
          });
        }
      }
      if (numbers && runs.length > 1) checkValueBreaks(runs, numbers, reported, pageNo, fonts, out);
    }
    for (const [a, b, o] of overlappingPairs(placed, tol)) {
      out.push({
        level: 'layout',
        kind: 'overlap',
        page: pageNo,
        text: `${short(a.run.text, 20)} × ${short(b.run.text, 20)}`,
        at: a.box,
        detail: `overlaps "${short(b.run.text, 20)}" at ${boxStr(b.box)} by ${round(o.dx)}×${round(o.dy)} pt`,
      });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Expected text: every string of the sheet and every number as it must print
// ---------------------------------------------------------------------------------------------

export interface ExpectedText {
  text: string;
  path: YamlPath;
  kind: 'text' | 'number';
}

/**
 * A number as the sheet must print it: ▲ for negatives, thousands separators on the integer part,
 * every decimal written in the file (24.0 stays 24.0; 0.0000001 stays 0.0000001). Deliberately not
 * formatNumber() of the layout: the invariant must not share the code it checks. Without the
 * written text (values not from YAML text), the shortest exact decimal of the value.
 */
export function printedNumber(value: number, written?: string): string {
  let s = written !== undefined && /^[+-]?\d+(\.\d+)?$/.test(written.trim()) ? written.trim() : plainDecimal(value);
  const neg = s.startsWith('-');
  s = s.replace(/^[+-]/, '');
  const dot = s.indexOf('.');
  const int = (dot < 0 ? s : s.slice(0, dot)).replace(/^0+(?=\d)/, '');
  const frac = dot < 0 ? '' : s.slice(dot);
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + frac;
  const zero = /^[0.,]*$/.test(grouped);
  return (neg && !zero ? '▲' : '') + grouped;
}

/** The shortest round-trip decimal of a number without exponent notation (1e-7 → 0.0000001). */
export function plainDecimal(v: number): string {
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, rest = '', expStr] = m;
  const exp = Number(expStr);
  const digits = lead! + rest;
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return (
    sign +
    (digits.length <= exp + 1
      ? digits + '0'.repeat(exp + 1 - digits.length)
      : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`)
  );
}

const measured = (m: Measured, unit: string): string => printedNumber(m.value, m.written) + unit;

/**
 * Everything of the sheet that must be found in the PDF: its texts (sheetTexts of the layout:
 * names, prose, notes, committee, ② with its marks…) and its numbers as printed — indicator and
 * outcome values with their unit, numeric targets with their unit, money without (千円 stands in
 * its own cell), and the totals of (3).
 */
export function expectedTexts(graded: GradedSheet): ExpectedText[] {
  const out: ExpectedText[] = [];
  for (const t of sheetTexts(graded)) {
    // The form does not print the city's name on the sheet (it is in the PDF's metadata and 別紙 headers).
    if (t.path.length === 1 && t.path[0] === 'municipality') continue;
    if (t.text.trim() !== '') out.push({ text: t.text, path: t.path, kind: 'text' });
  }
  const s = graded.sheet;
  const num = (text: string, path: YamlPath): void => void out.push({ text, path, kind: 'number' });
  for (const ind of [s.goal, ...s.kpis]) {
    if (ind.baseline) num(measured(ind.baseline, ind.unit), ind.baseline.path);
    if (ind.target?.value !== undefined)
      num(printedNumber(ind.target.value, ind.target.valueWritten) + ind.unit, ind.target.path);
    for (const m of ind.actuals.values()) num(measured(m, ind.unit), m.path);
  }
  for (const p of s.projects) {
    for (const [y, v] of p.cost) num(printedNumber(v), [...p.path, 'cost', String(y)]);
    for (const [y, v] of p.generalFund) num(printedNumber(v), [...p.path, 'general_fund', String(y)]);
    for (const o of p.outcomes) for (const m of o.values.values()) num(measured(m, o.unit), m.path);
  }
  const years = sheetYears(s);
  const t = graded.totals;
  for (const y of years) {
    const c = t.cost.get(y);
    const g = t.generalFund.get(y);
    if (c !== undefined) num(printedNumber(c), ['projects', '(3) total', String(y)]);
    if (g !== undefined) num(printedNumber(g), ['projects', '(3) general fund', String(y)]);
  }
  if (s.projects.length > 0) {
    num(printedNumber(t.costTotal), ['projects', '(3) total']);
    num(printedNumber(t.generalFundTotal), ['projects', '(3) general fund total']);
  }
  return out;
}

/** Strings whose order the sheet must keep: the committee entries (opinion, response, next…) and the projects. */
export function orderedTexts(graded: GradedSheet): ExpectedText[][] {
  const s = graded.sheet;
  const committee = s.committee.flatMap((c) => [
    { text: c.opinion, path: [...c.path, 'opinion'], kind: 'text' as const },
    { text: c.response, path: [...c.path, 'response'], kind: 'text' as const },
  ]);
  const projects = s.projects.map((p) => ({ text: p.name, path: [...p.path, 'name'], kind: 'text' as const }));
  return [committee, projects].map((l) => l.filter((e) => e.text.trim() !== ''));
}

// ---------------------------------------------------------------------------------------------
// Level b: the PDF read back with mupdf
// ---------------------------------------------------------------------------------------------

/** A glyph (char mode) or a line of glyphs (line mode) as mupdf reads it back. */
export interface TextBox {
  text: string;
  page: number;
  /** Index of the extracted line it belongs to (document-wide): violations are reported once per line. */
  line: number;
  /** Font size in points as drawn (mupdf applies the text matrix). */
  size: number;
  /** The quad as a box (mupdf: advance wide, the em box high), top-left origin. */
  box: Rect;
}

export interface PdfText {
  pages: { width: number; height: number }[];
  /** Glyphs, or lines of glyphs (see ReadOptions.glyphs). */
  boxes: TextBox[];
  /** All text of the document without whitespace, in the order mupdf extracts it. */
  flat: string;
  /** Page (1-based) of each code unit of `flat`. */
  pageOf: Uint16Array;
  /** Whether boxes are glyphs (else lines), and the PDF read (to look again glyph by glyph). */
  glyphs: boolean;
  source?: Uint8Array;
}

export interface ReadOptions {
  /**
   * true: one box per glyph, from mupdf's char quads (about 0.1 ms a glyph through the WASM
   * callback); false (default): one box per extracted line, from mupdf's JSON, some 50 times
   * faster. Lines are enough for the checks: mupdf starts a new line wherever the pen does not
   * continue forward on the baseline, so glyphs drawn over others are in another line, and a line
   * has one font size.
   */
  glyphs?: boolean;
  /** Only these pages (1-based) for the boxes; the text is still read from every page. */
  boxPages?: readonly number[];
}

interface StextJson {
  blocks: { type: string; lines?: { wmode: number; bbox: Rect; font: { size: number }; text: string }[] }[];
}

/** Reads a PDF's text back with mupdf: boxes with page and size, and the whole text in order. */
export function readPdf(pdf: Uint8Array | mupdf.Document, opts: ReadOptions = {}): PdfText {
  const doc = pdf instanceof mupdf.Document ? pdf : mupdf.Document.openDocument(pdf, 'application/pdf');
  const pages: PdfText['pages'] = [];
  const boxes: TextBox[] = [];
  const flatParts: string[] = [];
  const pageNos: number[] = [];
  let line = 0;
  const addText = (text: string, page: number): void => {
    const f = text.replace(/\s+/gu, '');
    if (f === '') return;
    flatParts.push(f);
    for (let k = 0; k < f.length; k++) pageNos.push(page);
  };
  for (let i = 0; i < doc.countPages(); i++) {
    const page = doc.loadPage(i);
    const [x0, y0, x1, y1] = page.getBounds();
    pages.push({ width: x1 - x0, height: y1 - y0 });
    // mediabox-clip=no: glyphs drawn wholly off the page are read too (mupdf drops them by default),
    // so that they are reported as outside the page rather than only as missing text.
    const st = page.toStructuredText('preserve-whitespace,clip=no');
    const keep = !opts.boxPages || opts.boxPages.includes(i + 1);
    if (opts.glyphs) {
      st.walk({
        beginLine() {
          line++;
        },
        onChar(c, _origin, _font, size, quad) {
          const xs = [quad[0], quad[2], quad[4], quad[6]];
          const ys = [quad[1], quad[3], quad[5], quad[7]];
          const bx = Math.min(...xs) - x0;
          const by = Math.min(...ys) - y0;
          if (keep)
            boxes.push({
              text: c,
              page: i + 1,
              line,
              size,
              box: { x: bx, y: by, w: Math.max(...xs) - x0 - bx, h: Math.max(...ys) - y0 - by },
            });
          addText(c, i + 1);
        },
      });
    } else {
      const json = JSON.parse(st.asJSON()) as StextJson;
      for (const block of json.blocks) {
        for (const l of block.lines ?? []) {
          const { x, y, w, h } = l.bbox;
          line++;
          if (keep)
            boxes.push({ text: l.text, page: i + 1, line, size: l.font.size, box: { x: x - x0, y: y - y0, w, h } });
          addText(l.text, i + 1);
        }
      }
    }
    st.destroy();
    page.destroy();
  }
  if (!(pdf instanceof mupdf.Document)) doc.destroy();
  return {
    pages,
    boxes,
    flat: flatParts.join(''),
    pageOf: Uint16Array.from(pageNos),
    glyphs: Boolean(opts.glyphs),
    ...(pdf instanceof Uint8Array ? { source: pdf } : {}),
  };
}

const flatten = (s: string): string => s.replace(/\s+/gu, '');

export interface Found {
  /** Start of the first piece in PdfText.flat, end of the last piece. */
  start: number;
  end: number;
  /** Pages the pieces stand on: more than one when the text continues on a 別紙 page. */
  pages: number[];
  /** How many characters of the string were found, in order (the whole string when it is found). */
  matched: number;
  /** References to 別紙 (offsets in PdfText.flat) that a piece ends at, the next piece continuing the text. */
  refs?: number[];
  /** Those of them that join a piece shorter than MIN_PIECE (see checkPdf: no other text may end there). */
  shortRefs?: number[];
}

/**
 * Shortest continuation piece taken on its own (see findInOrder): a shorter piece on a later page is
 * far more likely a chance match of a few common characters than the text — unless it stands where
 * the layout puts continued text (see `continuation` in findInOrder).
 */
const MIN_PIECE = 6;

/** The reference that ends a box whose text continues on 別紙 page N, without whitespace. */
const REF_RE = /（別紙(\d+)に続く）/gu;
/** The heading of text continued on 別紙 ends with this (「④ … の方針（続き）」, 「推進委員会からの意見①（続き）」). */
const HEAD = '（続き）';
/** The running header of 別紙 page N of M, without whitespace. */
const ANNEX_RE = /別紙(\d+)\/\d+/gu;

/** Where a document's continuations stand: the references to 別紙 pages, the 別紙 number of each page. */
interface Anchors {
  /** Offset in `flat` where a reference starts → the 別紙 page it names. */
  refAt: Map<number, number>;
  /** Offsets in `flat` just after a 「（続き）」 heading. */
  heads: number[];
  /** PDF page → its 別紙 number. */
  annexOf: Map<number, number>;
}
const anchorsMemo = new WeakMap<object, Anchors>();
function anchorsOf(doc: Pick<PdfText, 'flat' | 'pageOf'>): Anchors {
  let a = anchorsMemo.get(doc);
  if (a) return a;
  const { flat, pageOf } = doc;
  const refAt = new Map<number, number>();
  for (const m of flat.matchAll(REF_RE)) refAt.set(m.index, Number(m[1]));
  const heads: number[] = [];
  for (let i = flat.indexOf(HEAD); i >= 0; i = flat.indexOf(HEAD, i + 1)) heads.push(i + HEAD.length);
  const annexOf = new Map<number, number>();
  for (const m of flat.matchAll(ANNEX_RE)) {
    const page = pageOf[m.index]!;
    if (!annexOf.has(page)) annexOf.set(page, Number(m[1]));
  }
  a = { refAt, heads, annexOf };
  anchorsMemo.set(doc, a);
  return a;
}

/**
 * Finds `needle` (already without whitespace) in the document's text at or after `from`: in one
 * piece, or in pieces in reading order where each next piece starts on a later page than the one
 * before it ended (prose continued on 別紙: the continuation note and the 別紙 header stand between).
 * A piece shorter than MIN_PIECE is joined to the pieces beside it only as the layout prints a
 * continuation: the piece before ends at 「（別紙 N に続く）」 and the next starts right after a
 * 「（続き）」 heading on 別紙 page N — so that "入国" after a cut, or an opinion showing "。" with its
 * rest on 別紙, counts, and the same few characters elsewhere do not. Returns how much was found when the string is not found whole.
 */
export function findInOrder(
  doc: Pick<PdfText, 'flat' | 'pageOf'>,
  needle: string,
  from = 0,
  avoid: ReadonlySet<number> = new Set(),
): Found {
  const { flat, pageOf } = doc;
  if (needle === '') return { start: from, end: from, pages: [], matched: 0 };
  const whole = flat.indexOf(needle, from);
  if (whole >= 0) return { start: whole, end: whole + needle.length, pages: [pageOf[whole]!], matched: needle.length };
  // Longest prefix of the rest found at or after `pos` (a shorter prefix is found wherever a longer one is).
  const longest = (rest: string, pos: number): { len: number; at: number } => {
    let lo = 0;
    let hi = rest.length;
    let at = -1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const i = flat.indexOf(rest.slice(0, mid), pos);
      if (i >= 0) {
        lo = mid;
        at = i;
      } else hi = mid - 1;
    }
    return { len: lo, at: lo > 0 ? flat.indexOf(rest.slice(0, lo), pos) : at };
  };
  /** Start of the first page after the one `end - 1` stands on. */
  const nextPage = (end: number): number => {
    const endPage = pageOf[end - 1]!;
    let pos = end;
    while (pos < flat.length && pageOf[pos]! <= endPage) pos++;
    return pos;
  };
  let anchors: Anchors | undefined;
  const anchor = (): Anchors => (anchors ??= anchorsOf(doc));
  /** A piece at `at` that continues a piece ending at `prevEnd`, as the layout prints a continuation. */
  const continuation = (prevEnd: number, at: number): boolean => {
    const n = avoid.has(prevEnd) ? undefined : anchor().refAt.get(prevEnd);
    return n !== undefined && flat.startsWith(HEAD, at - HEAD.length) && anchor().annexOf.get(pageOf[at]!) === n;
  };
  type Piece = { at: number; len: number };
  // The pieces tried at a point: the longest prefix found (the usual case: long pieces), then a first
  // piece ending at a reference to 別紙, then a continuation right after a 「（続き）」 heading.
  const candidates = (matched: number, pos: number, prevEnd: number): Piece[] => {
    const rest = needle.slice(matched);
    const out: Piece[] = [];
    const g = longest(rest, pos);
    if (g.len > 0) out.push(g);
    if (prevEnd < 0)
      for (const r of anchor().refAt.keys()) {
        if (r <= pos) continue;
        // The longest start of the rest that ends right at the reference.
        for (let len = Math.min(rest.length, r - pos); len > 0; len--) {
          if (flat[r - 1] !== rest[len - 1] || flat[r - len] !== rest[0]) continue;
          let k = 1;
          while (k < len - 1 && flat[r - len + k] === rest[k]) k++;
          if (k >= len - 1) {
            out.push({ at: r - len, len });
            break;
          }
        }
      }
    else if (anchor().refAt.has(prevEnd))
      for (const h of anchor().heads) {
        if (h < pos) continue;
        let len = 0;
        while (len < rest.length && h + len < flat.length && flat[h + len] === rest[len]) len++;
        if (len > 0) out.push({ at: h, len });
      }
    return out;
  };
  const seen = new Set<string>();
  // Depth first over the pieces; the first way that finds the whole string wins. A piece shorter
  // than MIN_PIECE is joined to the pieces on either side only as a continuation (`prevShort`: the
  // piece before was short).
  const search = (matched: number, pos: number, prevEnd: number, prevShort: boolean, path: Piece[]): Piece[] | null => {
    const key = `${matched} ${pos} ${prevEnd} ${prevShort}`;
    if (seen.has(key)) return null;
    seen.add(key);
    for (const p of candidates(matched, pos, prevEnd)) {
      const short = p.len < MIN_PIECE;
      if (prevEnd >= 0 && (short || prevShort) && !continuation(prevEnd, p.at)) continue;
      const next = [...path, p];
      if (matched + p.len === needle.length) return next;
      const np = nextPage(p.at + p.len);
      if (np >= flat.length) continue;
      const found = search(matched + p.len, np, p.at + p.len, short, next);
      if (found) return found;
    }
    return null;
  };
  const pieces = search(0, from, -1, false, []);
  if (pieces) {
    const last = pieces[pieces.length - 1]!;
    const refs: number[] = [];
    const shortRefs: number[] = [];
    pieces.slice(0, -1).forEach((p, i) => {
      const end = p.at + p.len;
      if (!anchor().refAt.has(end)) return;
      refs.push(end);
      if (p.len < MIN_PIECE || pieces[i + 1]!.len < MIN_PIECE) shortRefs.push(end);
    });
    return {
      start: Math.max(pieces[0]!.at, from),
      end: last.at + last.len,
      pages: pieces.map((p) => pageOf[p.at]!),
      matched: needle.length,
      ...(refs.length > 0 ? { refs } : {}),
      ...(shortRefs.length > 0 ? { shortRefs } : {}),
    };
  }
  // Not found whole: how far the longest pieces go, for the report.
  let matched = 0;
  let pos = from;
  let start = -1;
  let end = from;
  const pages: number[] = [];
  let prevLen = 0;
  while (matched < needle.length) {
    const { len, at } = longest(needle.slice(matched), pos);
    // The rule of the search: a piece shorter than MIN_PIECE, or one after it, only as a continuation.
    if (len === 0 || (start >= 0 && (len < MIN_PIECE || prevLen < MIN_PIECE) && !continuation(end, at))) break;
    prevLen = len;
    if (start < 0) start = at;
    pages.push(pageOf[at]!);
    matched += len;
    end = at + len;
    pos = nextPage(end);
    if (pos >= flat.length) break;
  }
  // The search above found no way through the whole string: nor does this (never reported as found).
  return { start: Math.max(start, from), end, pages, matched: Math.min(matched, needle.length - 1) };
}

export interface PdfCheckOptions extends ReadOptions {
  floor?: number;
  tolerance?: number;
}

/** Level b: the invariants on the PDF read back with mupdf. */
export function checkPdf(
  pdf: Uint8Array | PdfText,
  expected: readonly ExpectedText[],
  ordered: readonly ExpectedText[][] = [],
  opts: PdfCheckOptions = {},
): Violation[] {
  const floor = opts.floor ?? FLOOR_PT;
  const tol = opts.tolerance ?? TOLERANCE_PT;
  const doc = pdf instanceof Uint8Array ? readPdf(pdf, opts) : pdf;
  const out: Violation[] = [];
  // Reported once per line of text (glyphs below the floor, off the page) and per pair of lines (overlaps).
  const perLine = new Map<string, { kind: ViolationKind; page: number; text: string; box: Rect; detail: string }>();
  const note = (key: string, kind: ViolationKind, g: TextBox, detail: string): void => {
    const v = perLine.get(key);
    if (!v) perLine.set(key, { kind, page: g.page, text: g.text, box: { ...g.box }, detail });
    else {
      if (v.text.length < 60) v.text += g.text;
      const x1 = Math.max(v.box.x + v.box.w, g.box.x + g.box.w);
      const y1 = Math.max(v.box.y + v.box.h, g.box.y + g.box.h);
      v.box.x = Math.min(v.box.x, g.box.x);
      v.box.y = Math.min(v.box.y, g.box.y);
      v.box.w = x1 - v.box.x;
      v.box.h = y1 - v.box.y;
    }
  };
  const byPage = new Map<number, TextBox[]>();
  for (const g of doc.boxes) {
    if (g.text.trim() === '') continue;
    const page = doc.pages[g.page - 1]!;
    if (g.size < floor - 1e-6)
      note(`small:${g.line}`, 'too-small', g, `${round(g.size)} pt, below the ${floor} pt floor`);
    if (!inside(g.box, { x: 0, y: 0, w: page.width, h: page.height }, tol))
      note(`off:${g.line}`, 'outside-page', g, `outside the page ${round(page.width)}×${round(page.height)}`);
    let list = byPage.get(g.page);
    if (!list) byPage.set(g.page, (list = []));
    list.push(g);
  }
  const overlaps = new Map<
    string,
    { a: TextBox; b: TextBox; textA: string; textB: string; most: { dx: number; dy: number } }
  >();
  // mupdf joins runs on one baseline into one line across the gap between cells, so an overlap of
  // lines is looked at again glyph by glyph on its page before it is reported.
  let pairs = [...byPage.values()].flatMap((list) => overlappingPairs(list, tol));
  if (!doc.glyphs && doc.source && pairs.length > 0) {
    const suspect = [...new Set(pairs.map(([a]) => a.page))];
    const again = readPdf(doc.source, { glyphs: true, boxPages: suspect });
    const glyphsByPage = new Map<number, TextBox[]>();
    for (const g of again.boxes) {
      if (g.text.trim() === '') continue;
      let list = glyphsByPage.get(g.page);
      if (!list) glyphsByPage.set(g.page, (list = []));
      list.push(g);
    }
    pairs = [...glyphsByPage.values()].flatMap((list) => overlappingPairs(list, tol));
  }
  for (const [x, y, o] of pairs) {
    const [a, b] = x.line <= y.line ? [x, y] : [y, x];
    const key = `${a.line}:${b.line}`;
    const v = overlaps.get(key);
    if (!v) overlaps.set(key, { a, b, textA: a.text, textB: b.text, most: o });
    else {
      if (!v.textA.endsWith(a.text) && v.textA.length < 30) v.textA += a.text;
      if (!v.textB.endsWith(b.text) && v.textB.length < 30) v.textB += b.text;
      if (o.dx * o.dy > v.most.dx * v.most.dy) v.most = o;
    }
  }
  for (const v of overlaps.values()) {
    out.push({
      level: 'pdf',
      kind: 'overlap',
      page: v.a.page,
      text: `${short(v.textA, 20)} × ${short(v.textB, 20)}`,
      at: v.a.box,
      detail: `overlaps text at ${boxStr(v.b.box)} by up to ${round(v.most.dx)}×${round(v.most.dy)} pt`,
    });
  }
  for (const v of perLine.values())
    out.push({ level: 'pdf', kind: v.kind, page: v.page, text: v.text, at: v.box, detail: v.detail });
  // Each reference to 別紙 ends one piece of one text: a short piece is matched to its own reference,
  // each reference consumed once. A text found through a short piece at a reference that another
  // text's piece also ends at — an opinion's "。" gone and the policy's "。" taken for it, or two texts
  // of the same words, one of them cut short — is looked for again without the references taken:
  // first every text whose references no other text uses takes them, then the contested texts in the
  // sheet's order take theirs. One piece gone is then one text reported (when two texts could own the
  // piece left, the text does not say whose it is: the first takes it, and the other is named).
  const found = expected.map((e) => findInOrder(doc, flatten(e.text)));
  const users = new Map<number, number>();
  for (const f of found) for (const r of f.refs ?? []) users.set(r, (users.get(r) ?? 0) + 1);
  const taken = new Set<number>();
  const contested: number[] = [];
  found.forEach((f, i) => {
    if ((f.shortRefs ?? []).some((r) => users.get(r)! > 1)) contested.push(i);
    else for (const r of f.refs ?? []) taken.add(r);
  });
  for (const i of contested) {
    const again = findInOrder(doc, flatten(expected[i]!.text), 0, taken);
    for (const r of again.refs ?? []) taken.add(r);
    // Found that way, or reported below with how much was found.
    found[i] = again;
  }
  for (const [i, e] of expected.entries()) {
    const needle = flatten(e.text);
    const f = found[i]!;
    if (f.matched < needle.length) {
      const missing = short(needle.slice(f.matched), 30);
      out.push({
        level: 'pdf',
        kind: 'missing-text',
        page: f.pages[0] ?? 0,
        text: short(e.text),
        detail:
          f.matched === 0
            ? `${e.kind} not found in the text`
            : `found ${f.matched} of ${needle.length} characters in order; not found from "${missing}"`,
        path: e.path,
      });
    }
  }
  for (const seq of ordered) {
    let pos = 0;
    for (const e of seq) {
      const needle = flatten(e.text);
      const f = findInOrder(doc, needle, pos);
      if (f.matched < needle.length) {
        // Only an order problem if the string is there at all (missing ones are reported above).
        if (findInOrder(doc, needle).matched === needle.length)
          out.push({
            level: 'pdf',
            kind: 'out-of-order',
            page: 0,
            text: short(e.text),
            detail: 'found only before the entry that precedes it',
            path: e.path,
          });
        break;
      }
      pos = f.start + 1;
    }
  }
  return out;
}

/** The sheet's own texts, for LayoutCheckOptions.sources. */
export function sourceTexts(graded: GradedSheet): string[] {
  return sheetTexts(graded).map((t) => t.text);
}

/** Both levels on one built sheet. */
export function checkSheet(
  graded: GradedSheet,
  pages: readonly Page[],
  pdf: Uint8Array,
  fonts: FontPair,
  opts: PdfCheckOptions & Pick<LayoutCheckOptions, 'requireCells'> = {},
): Violation[] {
  const expected = expectedTexts(graded);
  const numbers = expected.filter((e) => e.kind === 'number').map((e) => e.text);
  const layout = checkLayout(pages, fonts, {
    sources: sourceTexts(graded),
    numbers,
    ...(opts.requireCells ? { requireCells: true } : {}),
  });
  return [...layout, ...checkPdf(pdf, expected, orderedTexts(graded), opts)];
}

export interface BuiltSheet {
  pages: Page[];
  pdf: Uint8Array;
  warnings: Diagnostic[];
  /**
   * The layout's errors: a sheet it cannot hold even at the floor (a number too wide for any
   * column), named by field. `sheetgen build` writes no PDF then, so the invariants do not apply.
   */
  errors: Diagnostic[];
}

/** Lays out and renders a graded sheet in-process, as `sheetgen build` does (fonts parsed once by the caller). */
export async function buildSheet(graded: GradedSheet, fonts: FontSet): Promise<BuiltSheet> {
  const layout = layoutSheet(graded, fonts, { lang: 'ja' });
  const pdf = await renderPdf(layout.pages, fonts, pdfMeta(graded, 0));
  return {
    pages: layout.pages,
    pdf,
    warnings: layout.warnings,
    errors: layout.warnings.filter((d) => d.severity === 'error'),
  };
}

/** Loads and grades a sheet from YAML text; throws with the diagnostics when it is not valid. */
export function gradeText(file: string, yaml: string): GradedSheet {
  const loaded = gradeLoaded(loadSheetText(file, yaml, 'en'), { lang: 'en' });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.graded || errors.length > 0)
    throw new Error(
      `${file} is not a valid sheet:\n${errors.map((d) => `${d.line ?? '?'}:${d.column ?? '?'} ${d.code} ${d.message}`).join('\n')}`,
    );
  return loaded.graded;
}
