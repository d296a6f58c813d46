//! ②'s grade marks (【達成状況：Ｄ】, ＫＰＩ16【達成状況：Ａ】) against the grades sheetgen computes: the
//! shape of ② written per indicator (before grading), and every mark of free text (after grading).

import type { Diagnostic, Lang, Severity } from '../diagnostics.js';
import type { ParsedSheet } from '../load/parse.js';
import { gradeMark } from '../model/marks.js';
import type { GradedIndicator, GradedSheet, YamlPath } from '../model/types.js';
import { t } from '../messages.js';
import { closest } from './schema.js';
import type { SemanticProblem } from './semantic.js';
import { isNode, type Node } from 'yaml';

/** A problem of ②'s shape; unlike schema problems, some are warnings. */
export interface ReasonsProblem extends SemanticProblem {
  severity?: Severity;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** ASCII letters, digits and signs typed full-width (Ｋ, １, ：, －) as half-width: one character for one, so offsets stay. */
function halfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

const SPACE = '[ \\t\\u3000]*';
/**
 * A grade mark on half-width text: an optional KPI prefix (KPI16, ＫＰＩ１６, kpi 16), 【達成状況：X】, and
 * any further 】 typed by mistake. The seed has ＫＰＩ16【達成状況：Ａ】】: the real sheet was published
 * so, it prints as written, and it is not worth a warning on every build of it. The grade X may be empty.
 */
const MARK = new RegExp(
  `(?:KPI${SPACE}(\\d+)${SPACE})?【${SPACE}達成状況${SPACE}:${SPACE}([^】\\n]*?)${SPACE}】+`,
  'giu',
);

/** The dashes a writer may use for 評価不能: -, －, ー, ―, ‐ (and the other common dash characters). */
const DASHES = /^[-\u2010-\u2015\u2212\u30fc\uff0d]$/u;

/** A grade as comparable text: half-width, upper case, no spaces, no ※ (an override's sign), every dash as ―. */
export function normalGrade(s: string): string {
  const g = halfWidth(s.normalize('NFKC'))
    .replace(/[\s\u3000※]/gu, '')
    .toUpperCase();
  return DASHES.test(g) ? '―' : g;
}

/** Where a mark written at the head of a paragraph (or its KPI prefix) begins, if the text starts with one. */
function leadingMark(text: string): string | undefined {
  const half = halfWidth(text);
  MARK.lastIndex = 0;
  const m = MARK.exec(half);
  if (!m || half.slice(0, m.index).trim() !== '') return undefined;
  return text.slice(m.index, m.index + m[0].length);
}

function indicatorName(lang: Lang, n: number | 'goal'): string {
  return n === 'goal' ? t(lang, 'indicatorGoal') : t(lang, 'indicatorKpi', { number: n });
}

/**
 * ② written per indicator (`reasons: { goal, kpis: { 16: … } }`), before grading: every KPI key names
 * a KPI of the sheet; a paragraph does not write the mark sheetgen writes; an indicator without a
 * paragraph is a warning. Free text is checked after grading (checkReasonMarks). Reads raw data
 * defensively, as the semantic checks do.
 */
export function checkReasons(data: unknown, lang: Lang): ReasonsProblem[] {
  const out: ReasonsProblem[] = [];
  if (!isObj(data) || !isObj(data.reasons)) return out;
  const reasons = data.reasons;
  const numbers = (Array.isArray(data.kpis) ? data.kpis : [])
    .map((k) => (isObj(k) && typeof k.number === 'number' ? k.number : undefined))
    .filter((n): n is number => n !== undefined);
  const byKpi = isObj(reasons.kpis) ? reasons.kpis : {};
  const list = numbers.join(', ') || '-';

  const paragraph = (v: unknown, path: YamlPath, mark: string): void => {
    if (typeof v !== 'string') return; // the schema reports a wrong type
    const written = leadingMark(v);
    if (written)
      out.push({
        path,
        atKey: false,
        code: 'reasons.mark-written',
        message: t(lang, 'reasonsMarkWritten', { mark: written }),
        hint: t(lang, 'reasonsMarkWrittenHint', { mark: written, indicator: mark }),
      });
  };
  const missing = (who: number | 'goal', path: YamlPath): void => {
    out.push({
      severity: 'warning',
      path,
      atKey: true,
      code: 'reasons.missing-paragraph',
      message: t(lang, 'reasonsMissingParagraph', { indicator: indicatorName(lang, who) }),
      hint: t(lang, 'reasonsMissingParagraphHint', { key: who === 'goal' ? 'goal' : `kpis: { ${who}: … }` }),
    });
  };

  if (typeof reasons.goal === 'string' && reasons.goal.trim() !== '')
    paragraph(reasons.goal, ['reasons', 'goal'], '【達成状況：…】');
  else if (reasons.goal === undefined || typeof reasons.goal === 'string')
    missing('goal', typeof reasons.goal === 'string' ? ['reasons', 'goal'] : ['reasons']);

  const seen = new Set<number>();
  for (const key of Object.keys(byKpi)) {
    const n = /^\d+$/.test(key) ? Number(key) : undefined;
    if (n === undefined || !numbers.includes(n)) {
      const suggestion = closest(key, numbers.map(String));
      out.push({
        path: ['reasons', 'kpis', key],
        atKey: true,
        code: 'reasons.unknown-kpi',
        message: t(lang, 'reasonsUnknownKpi', { key, list }),
        hint: suggestion !== undefined ? t(lang, 'didYouMean', { suggestion }) : t(lang, 'reasonsKpiKeys', { list }),
      });
      continue;
    }
    seen.add(n);
    const v = byKpi[key];
    if (typeof v === 'string' && v.trim() === '') missing(n, ['reasons', 'kpis', key]);
    else paragraph(v, ['reasons', 'kpis', key], `ＫＰＩ${n}【達成状況：…】`);
  }
  for (const n of numbers) if (!seen.has(n)) missing(n, isObj(reasons.kpis) ? ['reasons', 'kpis'] : ['reasons']);
  return out;
}

/** Where a piece of ②'s text stands in the user's file: start and end offsets. */
interface Found {
  at: number;
  end: number;
}

/**
 * The marks of ② written as free text, checked against the computed grades: each mark's grade must
 * be the grade of the indicator it names (the 数値目標 when it has no ＫＰＩn prefix); an indicator
 * whose grade the text never states and an empty ② are warnings; a doubled 】 (the seed's typo) is
 * fine. Each diagnostic points at the mark in the user's file (file:line:col), or at `reasons` when
 * the text cannot be matched to its source (escapes in a quoted string). `mismatch`: the severity
 * of a wrong or unknown mark.
 */
export function checkReasonMarks(
  parsed: ParsedSheet,
  graded: GradedSheet,
  lang: Lang,
  mismatch: Severity = 'error',
): Diagnostic[] {
  const text = graded.sheet.reasons;
  if (typeof text !== 'string') return [];
  const out: Diagnostic[] = [];
  const node = parsed.doc?.get('reasons', true) as Node | undefined;
  const range = isNode(node) ? node.range : undefined;
  const source = range ? parsed.text.slice(range[0], range[1]) : '';
  let cursor = 0;
  /** Finds the next occurrence of `s` in the source (marks are found in order, so each finds its own). */
  const find = (s: string, advance: boolean): Found | undefined => {
    if (!range) return undefined;
    const i = source.indexOf(s, cursor);
    if (i < 0) return undefined;
    if (advance) cursor = i + s.length;
    return { at: range[0] + i, end: range[0] + i + s.length };
  };
  const whole = (): Pick<Diagnostic, 'line' | 'column'> => {
    const p = parsed.lineCounter.linePos(range?.[0] ?? 0);
    return { line: p.line, column: p.col };
  };
  const diag = (severity: Severity, code: string, where: Found | undefined, message: string, hint?: string): void => {
    let span: Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'> = whole();
    if (where) {
      const p = parsed.lineCounter.linePos(where.at);
      const q = parsed.lineCounter.linePos(where.end);
      span = { line: p.line, column: p.col, endLine: q.line, endColumn: q.col };
    }
    out.push({ severity, code, file: parsed.file, path: ['reasons'], ...span, message, ...(hint ? { hint } : {}) });
  };

  if (text.trim() === '') {
    diag('warning', 'reasons.empty', undefined, t(lang, 'reasonsEmpty'));
    return out;
  }
  const indicators: GradedIndicator[] = [graded.goal, ...graded.kpis];
  const stated = new Set<GradedIndicator>();
  const kpiList = graded.kpis.map((k) => k.indicator.number).join(', ') || '-';
  const half = halfWidth(text);
  for (const m of half.matchAll(MARK)) {
    const written = text.slice(m.index, m.index + m[0].length);
    const where = find(written, true);
    const number = m[1] !== undefined ? Number(m[1]) : undefined;
    const g = number === undefined ? graded.goal : graded.kpis.find((k) => k.indicator.number === number);
    if (!g) {
      diag(
        mismatch,
        'reasons.mark-unknown-kpi',
        where,
        t(lang, 'marksUnknownKpi', { mark: written, number: number ?? '', list: kpiList }),
      );
      continue;
    }
    stated.add(g);
    const gradeText = text
      .slice(m.index, m.index + m[0].length)
      .replace(/^[^【]*【[^:：]*[:：]/u, '')
      .replace(/】+$/u, '')
      .trim();
    if (normalGrade(gradeText) !== normalGrade(g.result.grade)) {
      const who = indicatorName(lang, g.indicator.kind === 'goal' ? 'goal' : g.indicator.number!);
      const grade = g.result.overridden
        ? t(lang, 'marksGradeOverridden', { grade: g.result.grade, computed: g.result.computed })
        : g.result.grade;
      diag(
        mismatch,
        'reasons.mark-mismatch',
        where,
        t(lang, 'marksMismatch', { stated: gradeText === '' ? '（）' : gradeText, indicator: who, grade }),
        t(lang, 'marksMismatchHint', { mark: gradeMark(g) }),
      );
    }
  }
  for (const g of indicators) {
    if (stated.has(g)) continue;
    const who = indicatorName(lang, g.indicator.kind === 'goal' ? 'goal' : g.indicator.number!);
    // Point at the paragraph that names the KPI, when the text names it without a mark.
    let where: Found | undefined;
    if (g.indicator.kind === 'kpi') {
      const named = new RegExp(`KPI${SPACE}${g.indicator.number}(?!\\d)`, 'iu').exec(half);
      if (named) {
        cursor = 0;
        where = find(text.slice(named.index, named.index + named[0].length), false);
      }
    }
    diag(
      'warning',
      'reasons.no-mark',
      where,
      t(lang, 'marksMissing', { indicator: who }),
      t(lang, 'marksMissingHint', { mark: gradeMark(g) }),
    );
  }
  return out;
}
