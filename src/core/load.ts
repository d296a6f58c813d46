//! One sheet file from disk (or text) to a validated domain model, with every diagnostic on the way:
//! read → parse → schema + semantic checks → model. The first step of validate, grade and build.

import { SheetgenError, hasErrors, type Diagnostic, type Lang } from '../diagnostics.js';
import { configFor, withSheetDefaults, type CityConfig } from './config.js';
import { parseSheetText, type ParsedSheet } from '../load/parse.js';
import { readSheetFile } from '../load/source.js';
import { writtenNumbers } from '../load/written.js';
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

/**
 * Text in Unicode NFC, so that decomposed kana (カ + U+3099 from a Mac or a PDF copy) print and
 * compare as the one character ガ. CJK compatibility ideographs (U+F900–FAFF, U+2F800–2FA1F: 神, 﨑
 * variants chosen on purpose in names) are kept as written: NFC would replace them by the unified form.
 */
export function normalizeText(text: string): string {
  return text.replace(/[^\uf900-\ufaff\u{2f800}-\u{2fa1f}]+/gu, (run) => run.normalize('NFC'));
}

/**
 * Parses and validates sheet text that is already in memory (normalized to NFC first); `city` fills in
 * municipality, stage and grading the sheet lacks.
 */
export function loadSheetText(file: string, input: string, lang: Lang, city?: CityConfig): LoadedSheet {
  const text = normalizeText(input);
  const parsed = parseSheetText(file, text, lang);
  if (city) parsed.data = withSheetDefaults(parsed.data, city);
  const diagnostics = [...parsed.diagnostics, ...validateParsed(parsed, lang)];
  const loaded: LoadedSheet = { file, text, parsed, diagnostics };
  if (!hasErrors(diagnostics)) loaded.sheet = buildSheet(file, parsed.data as SheetFile, writtenNumbers(parsed));
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
    return {
      file,
      diagnostics: [{ severity: 'error', code: 'config.invalid', file, message: e.message }, ...e.diagnostics],
    };
  }
  return loadSheetText(file, read.text, lang, city);
}
