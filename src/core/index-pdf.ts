//! The index sheet's PDF: lays out the set's rows with the sheets' fonts and renders them with the
//! sheets' renderer; the date is fixed by the data, so the same set gives the same bytes.

import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { GradeRow } from '../export/rows.js';
import { layoutIndex, type FailedSheet } from '../layout/index-sheet.js';
import { fiscalYearHeader } from '../layout/format.js';
import { loadFonts } from '../render/fonts.js';
import { renderPdf } from '../render/pdf.js';
import { envEpoch } from './build.js';
import type { JobOptions } from './sheetjob.js';

export async function buildIndexPdf(
  rows: readonly GradeRow[],
  failed: readonly FailedSheet[],
  opts: Pick<JobOptions, 'font' | 'boldFont' | 'sourceDateEpoch'>,
): Promise<Uint8Array> {
  const fonts = loadFonts({
    ...(opts.font ? { regular: opts.font } : {}),
    ...(opts.boldFont ? { bold: opts.boldFont } : {}),
  });
  const pages = layoutIndex(rows, fonts, { failed });
  const years = [...new Set(rows.map((r) => r.fiscal_year))].sort((a, b) => a - b);
  const stages = [...new Set(rows.map((r) => r.stage))].join('・');
  const municipality = [...new Set(rows.map((r) => r.municipality))].join('・');
  const last = years[years.length - 1] ?? 1970;
  const epoch = opts.sourceDateEpoch ?? envEpoch();
  // Like the sheets: SOURCE_DATE_EPOCH, else the end of the evaluated fiscal year (31 March).
  const creationDate = epoch !== undefined ? new Date(epoch * 1000) : new Date(Date.UTC(last + 1, 2, 31));
  const yearText = years.map((y) => fiscalYearHeader(y, true)).join('・');
  return renderPdf(pages, fonts, {
    title: `重点施策 数値目標・ＫＰＩ達成状況一覧表 ${yearText}${stages}`,
    author: municipality,
    subject: `${municipality} 重点施策マネジメントシート 一覧表（${yearText}${stages}）`,
    creationDate,
    lang: 'ja-JP',
  });
}

/**
 * How the index names the sheets that failed: each file relative to the folder that holds all the
 * inputs (so the same set gives the same bytes wherever it is built from), with the line of its first
 * error, and that error's message.
 */
export function failedSheets(
  sheets: readonly { file: string; status: string; diagnostics: readonly Diagnostic[] }[],
): FailedSheet[] {
  const dirs = sheets.map((s) => dirname(resolve(s.file)));
  let common = dirs[0] ?? '';
  const outside = (rel: string) => rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  for (const d of dirs)
    while (common !== '' && outside(relative(common, d))) {
      const up = dirname(common);
      common = up === common ? '' : up;
    }
  const shown = (f: string) => {
    const rel = common ? relative(common, resolve(f)) : f;
    return (rel === '' || outside(rel) ? f : rel).split(sep).join('/');
  };
  // A message may name another sheet of the set as it was given (an output name two sheets share):
  // every sheet's file is rewritten as the index names it, in one pass, longest first, and only where
  // it is not the tail of a longer path.
  const files = [...new Set(sheets.map((s) => s.file))].filter((f) => f !== '').sort((a, b) => b.length - a.length);
  const anyFile = files.length
    ? new RegExp(`(?<![\\w./\\\\-])(?:${files.map((f) => f.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')).join('|')})`, 'gu')
    : undefined;
  const quoted = (message: string) => (anyFile ? message.replace(anyFile, (f) => shown(f)) : message);
  return sheets
    .filter((s) => s.status === 'failed')
    .map((s) => {
      const d = s.diagnostics.find((x) => x.severity === 'error') ?? s.diagnostics[0];
      const line = d?.line !== undefined ? `:${d.line}` : '';
      // An error in another file (the sheet's grading scheme) is named after the sheet it stopped.
      const where =
        d?.file !== undefined && resolve(d.file) !== resolve(s.file)
          ? `${shown(s.file)}（${shown(d.file)}${line}）`
          : `${shown(s.file)}${line}`;
      return { where, reason: quoted(d?.message ?? '') };
    });
}
