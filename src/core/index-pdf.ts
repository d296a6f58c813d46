//! The index sheet's PDF: lays out the set's rows with the sheets' fonts and renders them with the
//! sheets' renderer; the date is fixed by the data, so the same set gives the same bytes.

import type { GradeRow } from '../export/rows.js';
import { layoutIndex } from '../layout/index-sheet.js';
import { fiscalYearHeader } from '../layout/format.js';
import { loadFonts } from '../render/fonts.js';
import { renderPdf } from '../render/pdf.js';
import { envEpoch } from './build.js';
import type { JobOptions } from './sheetjob.js';

export async function buildIndexPdf(
  rows: readonly GradeRow[],
  omitted: number,
  opts: Pick<JobOptions, 'font' | 'boldFont' | 'sourceDateEpoch'>,
): Promise<Uint8Array> {
  const fonts = loadFonts({
    ...(opts.font ? { regular: opts.font } : {}),
    ...(opts.boldFont ? { bold: opts.boldFont } : {}),
  });
  const pages = layoutIndex(rows, fonts, { omitted });
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
