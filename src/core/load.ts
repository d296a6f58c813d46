//! One sheet file from disk (or text) to a validated domain model, with every diagnostic on the way:
//! read → parse → schema + semantic checks → model. The first step of validate, grade and build.

import { SheetgenError, hasErrors, type Diagnostic, type Lang } from '../diagnostics.js';
import { configFor, withSheetDefaults, type CityConfig } from './config.js';
import { parseSheetText, type ParsedSheet } from '../load/parse.js';
import { readSheetFile } from '../load/source.js';
import { buildSheet } from '../model/build.js';
import type { SheetFile } from '../model/sheet.generated.js';
import type { Sheet } from '../model/types.js';
import { validateParsed } from '../validate/index.js';

export interface LoadedSheet {
  file: string;
  /** The user's text, for code frames; undefined when the file could not be decoded. */
  text?: string;
  parsed?: ParsedSheet;
  /** The model, when there was no error. */
  sheet?: Sheet;
  diagnostics: Diagnostic[];
}

/** Parses and validates sheet text that is already in memory; `city` fills in municipality, stage and grading the sheet lacks. */
export function loadSheetText(file: string, text: string, lang: Lang, city?: CityConfig): LoadedSheet {
  const parsed = parseSheetText(file, text, lang);
  if (city) parsed.data = withSheetDefaults(parsed.data, city);
  const diagnostics = [...parsed.diagnostics, ...validateParsed(parsed, lang)];
  const loaded: LoadedSheet = { file, text, parsed, diagnostics };
  if (!hasErrors(diagnostics)) loaded.sheet = buildSheet(file, parsed.data as SheetFile);
  return loaded;
}

/** Reads, parses and validates a sheet file. A missing file throws SheetgenError (exit 2). */
export async function loadSheet(file: string, lang: Lang): Promise<LoadedSheet> {
  const read = await readSheetFile(file, lang);
  if ('error' in read) return { file, diagnostics: [read.error] };
  // The city's defaults file above the sheet (sheetgen.config.yaml); its own problems are this sheet's errors.
  let city: CityConfig | undefined;
  try {
    city = configFor(file, lang);
  } catch (e) {
    if (!(e instanceof SheetgenError)) throw e;
    return { file, diagnostics: [{ severity: 'error', code: 'config.invalid', file, message: e.message }, ...e.diagnostics] };
  }
  return loadSheetText(file, read.text, lang, city);
}
