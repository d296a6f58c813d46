//! The layout stage's public API: a graded sheet → pages of positioned boxes (plus the warnings of
//! shrunk or overflowing text), and the check for characters the font cannot draw.

import type { Diagnostic, Lang } from '../diagnostics.js';
import type { GradedSheet, YamlPath } from '../model/types.js';
import { reasonParagraphs } from '../model/marks.js';
import { layoutAnnex } from './annex.js';
import { fiscalYearHeader } from './format.js';
import { LayoutContext } from './fit.js';
import type { FontPair, GlyphMetrics } from './metrics.js';
import { layoutPage1 } from './page1.js';
import { layoutPage2 } from './page2.js';
import type { Page } from './types.js';

export type { Page, LayoutNode, TextRun, Shape, FontKey, Rect, Scope } from './types.js';
export type { FontPair, GlyphMetrics } from './metrics.js';

export interface LayoutOptions {
  lang: Lang;
  /** Add a 達成状況 column to （１） (off by default: the form states grades in ② by their marks). */
  gradeColumn?: boolean;
}

export interface LayoutResult {
  pages: Page[];
  warnings: Diagnostic[];
}

export function layoutSheet(graded: GradedSheet, fonts: FontPair, opts: LayoutOptions): LayoutResult {
  const ctx = new LayoutContext(fonts, opts.lang);
  const p1 = layoutPage1(ctx, graded, { gradeColumn: opts.gradeColumn ?? false });
  const p2 = layoutPage2(ctx, graded);
  const s = graded.sheet;
  const ident = `重点施策マネジメントシート　${fiscalYearHeader(s.fiscalYear, true)}${s.stage}　${s.municipality}　重点施策 ${s.measure.number}　${s.measure.title}`;
  const annex = layoutAnnex(ctx, ident);
  return { pages: [p1, ...p2, ...annex], warnings: ctx.warnings };
}

/** Every piece of the sheet's own text, with the YAML path it came from. */
export function sheetTexts(graded: GradedSheet): { text: string; path: YamlPath }[] {
  const s = graded.sheet;
  const out: { text: string; path: YamlPath }[] = [
    { text: s.municipality, path: ['municipality'] },
    { text: s.stage, path: ['stage'] },
    { text: s.measure.title, path: ['measure', 'title'] },
    { text: s.leadDivision, path: ['lead_division'] },
    { text: s.team ?? '', path: ['team'] },
    ...s.relatedDivisions.map((d, i) => ({ text: d, path: ['related_divisions', i] })),
    ...reasonParagraphs(graded).map((p) => ({ text: p.mark + p.text, path: p.path })),
    { text: s.situation, path: ['situation'] },
    { text: s.policy, path: ['policy'] },
    ...s.relatedPolicyProjects.map((d, i) => ({ text: d, path: ['related_policy_projects', i] })),
  ];
  if (s.item5)
    out.push({ text: s.item5.title, path: ['item5', 'title'] }, { text: s.item5.text, path: ['item5', 'text'] });
  for (const ind of [s.goal, ...s.kpis]) {
    out.push({ text: ind.name, path: [...ind.path, 'name'] }, { text: ind.unit, path: [...ind.path, 'unit'] });
    if (ind.note) out.push({ text: ind.note, path: [...ind.path, 'note'] });
    if (ind.target?.label) out.push({ text: ind.target.label, path: ind.target.path });
    if (ind.baseline?.note) out.push({ text: ind.baseline.note, path: ind.baseline.path });
    for (const m of ind.actuals.values()) if (m.note) out.push({ text: m.note, path: m.path });
    if (ind.override)
      out.push(
        { text: ind.override.grade, path: ind.override.path },
        { text: ind.override.reason, path: ind.override.path },
      );
  }
  for (const c of s.committee)
    out.push({ text: c.opinion, path: [...c.path, 'opinion'] }, { text: c.response, path: [...c.path, 'response'] });
  for (const p of s.projects) {
    out.push({ text: p.name, path: [...p.path, 'name'] });
    if (p.code) out.push({ text: p.code, path: [...p.path, 'code'] });
    if (p.remarks) out.push({ text: p.remarks, path: [...p.path, 'remarks'] });
    for (const o of p.outcomes) {
      out.push({ text: o.name, path: [...o.path, 'name'] }, { text: o.unit, path: [...o.path, 'unit'] });
      for (const m of o.values.values()) if (m.note) out.push({ text: m.note, path: m.path });
    }
  }
  out.push({ text: graded.scheme.title, path: ['grading'] });
  for (const e of graded.scheme.legend) out.push({ text: e.grade + e.text, path: ['grading'] });
  return out;
}

/**
 * Which code points a font covers, remembered per font (the font's own lookup walks its cmap each
 * time; a batch asks about the same few thousand characters on every sheet). Bounded: past
 * COVERAGE_MAX code points it starts afresh.
 */
const coverage = new WeakMap<GlyphMetrics, Map<number, boolean>>();
const COVERAGE_MAX = 100_000;
function covers(m: GlyphMetrics, cp: number): boolean {
  let known = coverage.get(m);
  if (!known) coverage.set(m, (known = new Map()));
  let has = known.get(cp);
  if (has === undefined) {
    has = m.has(cp);
    if (known.size >= COVERAGE_MAX) known.clear();
    known.set(cp, has);
  }
  return has;
}

/** Every character of the sheet's text that the regular font lacks (each character once per field). */
export function missingGlyphs(graded: GradedSheet, fonts: FontPair): { char: string; path: YamlPath }[] {
  const out: { char: string; path: YamlPath }[] = [];
  for (const { text, path } of sheetTexts(graded)) {
    let seen: Set<string> | undefined;
    for (const ch of text) {
      if (ch === '\n' || ch === '\r' || ch === '\t') continue;
      const cp = ch.codePointAt(0)!;
      if (covers(fonts.regular, cp)) continue;
      // Only characters the font lacks are reported, each once per field.
      seen ??= new Set<string>();
      if (seen.has(ch)) continue;
      seen.add(ch);
      out.push({ char: ch, path });
    }
  }
  return out;
}
