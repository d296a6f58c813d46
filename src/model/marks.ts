//! The grade marks that ② writes at the head of each indicator's paragraph (【達成状況：Ｄ】,
//! ＫＰＩ16【達成状況：Ａ】), and ②'s printed paragraphs in either of the format's two forms.

import type { GradedIndicator, GradedSheet, YamlPath } from './types.js';

/** ASCII letters and digits as their full-width forms (A → Ａ, 1 → １), as the form writes grades. */
export function fullWidth(s: string): string {
  return s.replace(/[!-~]/gu, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0));
}

/** The grade as ② states it: full-width letter, ※ after an overridden grade (Ｓ※). */
export function gradeLetter(g: GradedIndicator): string {
  return fullWidth(g.result.grade) + (g.result.overridden ? '※' : '');
}

/** 【達成状況：Ｄ】 for the 数値目標; ＫＰＩ16【達成状況：Ａ】 for a KPI. */
export function gradeMark(g: GradedIndicator): string {
  const head = g.indicator.kind === 'kpi' ? `ＫＰＩ${g.indicator.number}` : '';
  return `${head}【達成状況：${gradeLetter(g)}】`;
}

/** One printed paragraph of ②: the mark sheetgen writes (empty for free text) and the file's text. */
export interface PrintedReason {
  mark: string;
  text: string;
  path: YamlPath;
}

/**
 * ②'s paragraphs as printed. Free text is one paragraph with no mark (its marks are the writer's,
 * checked by validation). Per-indicator paragraphs get their mark from the computed grade, in the
 * order the file gives them.
 */
export function reasonParagraphs(graded: GradedSheet): PrintedReason[] {
  const r = graded.sheet.reasons;
  if (typeof r === 'string') return [{ mark: '', text: r, path: ['reasons'] }];
  return r.map((p) => {
    const g = p.indicator === 'goal' ? graded.goal : graded.kpis.find((k) => k.indicator.number === p.indicator);
    return { mark: g ? gradeMark(g) : '', text: p.text, path: p.path };
  });
}
