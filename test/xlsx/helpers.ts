// Shared by the xlsx tests: export a sheet text to workbook bytes, import bytes back, and compare
// sheets as data (paths and file names aside: they name places in a file, not the sheet's content).

import { hasErrors } from '../../src/diagnostics.js';
import { gradeLoaded } from '../../src/core/grade.js';
import { loadSheetText } from '../../src/core/load.js';
import { loadScheme } from '../../src/grade/index.js';
import { sheetToWorkbook, workbookBytes } from '../../src/xlsx/export.js';
import { headerComments } from '../../src/xlsx/index.js';
import { importWorkbook } from '../../src/xlsx/import.js';

export async function exportText(file: string, text: string): Promise<Uint8Array> {
  const loaded = loadSheetText(file, text, 'en');
  if (!loaded.sheet || hasErrors(loaded.diagnostics))
    throw new Error(`${file} does not load: ${JSON.stringify(loaded.diagnostics)}`);
  const scheme = loadScheme(loaded.sheet.grading);
  const wb = await sheetToWorkbook({
    sheet: loaded.sheet,
    scheme,
    header: headerComments(text),
    version: /^version\s*:/m.test(text),
    date: new Date(Date.UTC(2021, 2, 31)),
  });
  return workbookBytes(wb);
}

/** Plain data of a sheet or grade result: Maps as entries, without paths and file names. */
export function plain(x: unknown): unknown {
  return JSON.parse(
    JSON.stringify(x, (k, v: unknown) => {
      if (k === 'path' || k === 'file') return undefined;
      if (v instanceof Map) return [...v.entries()];
      return v;
    }),
  );
}

export function graded(file: string, text: string) {
  const loaded = loadSheetText(file, text, 'en');
  const g = gradeLoaded(loaded, { lang: 'en' });
  return { loaded, graded: g.graded, diagnostics: g.diagnostics };
}

export async function roundTrip(file: string, text: string) {
  const bytes = await exportText(file, text);
  const back = await importWorkbook('book.xlsx', bytes, 'en');
  return { bytes, back };
}
