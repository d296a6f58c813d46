//! `xlsx export` and `xlsx import` as operations on files: which sheets and books, where each output
//! goes, and the safe write (never over an existing file without force, never half a file).

import { lstat, mkdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { EXIT, SheetgenError, hasErrors, type Diagnostic, type Lang } from '../diagnostics.js';
import { gradeLoaded } from '../core/grade.js';
import { expandInputs } from '../core/inputs.js';
import { loadSheet } from '../core/load.js';
import { renameIntoPlace } from '../core/write.js';
import { loadScheme } from '../grade/index.js';
import { t } from '../messages.js';
import { sheetToWorkbook, workbookBytes } from './export.js';
import { importWorkbook } from './import.js';
import { MAX_BOOK_BYTES } from './zipcheck.js';

export interface XlsxOptions {
  lang: Lang;
  out: string;
  force?: boolean;
  scheme?: string;
}

export interface FileResult {
  input: string;
  output?: string;
  written: boolean;
  diagnostics: Diagnostic[];
  /** The input's text, for code frames of YAML diagnostics. */
  text?: string;
}

/** The comment lines at the top of a YAML file (before the first key), without their #. */
export function headerComments(text: string): string[] {
  const out: string[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (/^\s*#/.test(line)) out.push(line.replace(/^\s*#/, ''));
    else if (line.trim() === '') continue;
    else break;
  }
  return out;
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

/** Writes bytes to a new file (or over one with force), atomically; refuses folders and links. */
async function writeNew(target: string, bytes: Uint8Array, force: boolean, lang: Lang): Promise<void> {
  const st = await lstat(target).catch(() => undefined);
  if (st) {
    if (st.isDirectory())
      throw new SheetgenError(t(lang, 'outIsDirectory', { file: target }), { exitCode: EXIT.usage });
    if (st.isSymbolicLink())
      throw new SheetgenError(t(lang, 'outIsSymlink', { file: target }), { exitCode: EXIT.usage });
    if (!force) throw new SheetgenError(t(lang, 'xlsxExists', { file: target }), { exitCode: EXIT.usage });
  }
  await mkdir(dirname(resolve(target)), { recursive: true }).catch(() => undefined);
  await renameIntoPlace(resolve(target), bytes, target, lang);
}

/** Runs one file's write, turning a refused or failed write into that file's diagnostic. */
async function writeOne(r: FileResult, bytes: Uint8Array, force: boolean, lang: Lang): Promise<void> {
  try {
    await writeNew(r.output!, bytes, force, lang);
    r.written = true;
  } catch (e) {
    if (!(e instanceof SheetgenError)) throw e;
    r.diagnostics.push({ severity: 'error', code: 'output.write', file: r.input, message: e.message });
  }
}

/** One workbook per sheet: OUT.xlsx for a single sheet file, else OUT is a folder. */
export async function exportSheets(inputs: readonly string[], opts: XlsxOptions): Promise<FileResult[]> {
  const { lang } = opts;
  const files = await expandInputs(inputs, lang);
  const single = files.length === 1 && inputs.length === 1 && /\.xlsx$/i.test(opts.out);
  if (!single && /\.xlsx$/i.test(opts.out) && files.length > 1)
    throw new SheetgenError(t(lang, 'xlsxNeedsOutDir'), { exitCode: EXIT.usage });
  if (!single) {
    const st = await stat(opts.out).catch(() => undefined);
    if (st && !st.isDirectory())
      throw new SheetgenError(t(lang, 'outDirIsFile', { file: opts.out }), { exitCode: EXIT.usage });
  }
  const results: FileResult[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const r: FileResult = { input: file, written: false, diagnostics: [] };
    results.push(r);
    const loaded = gradeLoaded(await loadSheet(file, lang), { lang, ...(opts.scheme ? { scheme: opts.scheme } : {}) });
    if (loaded.text !== undefined) r.text = loaded.text;
    if (!loaded.graded || hasErrors(loaded.diagnostics)) {
      r.diagnostics = [
        { severity: 'error', code: 'xlsx.source', file, message: t(lang, 'xlsxSourceInvalid', { file }) },
        ...loaded.diagnostics.filter((d) => d.severity === 'error'),
      ];
      continue;
    }
    const sheet = loaded.graded.sheet;
    let key = opts.scheme ?? sheet.grading;
    if (opts.scheme === undefined && key !== undefined && /[\\/]|\.json$/i.test(key) && !isAbsolute(key))
      key = join(dirname(file), key);
    const scheme = loadScheme(key);
    r.output = single ? opts.out : join(opts.out, `${basename(file, extname(file))}.xlsx`);
    const abs = resolve(r.output);
    const twin = seen.get(abs);
    if (twin) {
      r.diagnostics.push({
        severity: 'error',
        code: 'output.collision',
        file,
        message: t(lang, 'outputCollision', { name: r.output, others: twin }),
      });
      continue;
    }
    seen.set(abs, file);
    const text = loaded.text ?? '';
    const date = sheet.asOf ? new Date(`${sheet.asOf}T00:00:00Z`) : new Date(Date.UTC(sheet.fiscalYear + 1, 2, 31));
    const wb = await sheetToWorkbook({
      sheet,
      scheme,
      header: headerComments(text),
      version: /^version\s*:/m.test(text),
      date,
    });
    await writeOne(r, await workbookBytes(wb), opts.force === true, lang);
  }
  return results;
}

/** One YAML sheet per workbook into the folder opts.out. */
export async function importBooks(books: readonly string[], opts: XlsxOptions): Promise<FileResult[]> {
  const { lang } = opts;
  const st = await stat(opts.out).catch(() => undefined);
  if (st && !st.isDirectory())
    throw new SheetgenError(t(lang, 'outDirIsFile', { file: opts.out }), { exitCode: EXIT.usage });
  const results: FileResult[] = [];
  const seen = new Map<string, string>();
  for (const book of books) {
    const r: FileResult = { input: book, written: false, diagnostics: [] };
    results.push(r);
    const bst = await stat(book).catch(() => undefined);
    if (!bst?.isFile()) {
      r.diagnostics.push({
        severity: 'error',
        code: 'file.missing',
        file: book,
        message: t(lang, bst ? 'isDirectory' : 'noSuchFile', { file: book }),
      });
      continue;
    }
    if (bst.size > MAX_BOOK_BYTES) {
      r.diagnostics.push({
        severity: 'error',
        code: 'xlsx.tooLarge',
        file: book,
        message: t(lang, 'xlsxTooLarge', { size: bst.size, max: MAX_BOOK_BYTES }),
      });
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = await readFile(book);
    } catch (e) {
      r.diagnostics.push({
        severity: 'error',
        code: 'file.unreadable',
        file: book,
        message: `${t(lang, 'cannotRead', { file: book })} (${(e as NodeJS.ErrnoException).code ?? ''})`,
      });
      continue;
    }
    const got = await importWorkbook(book, bytes, lang);
    r.diagnostics.push(...got.diagnostics);
    if (got.yaml === undefined) continue;
    r.output = join(opts.out, `${basename(book, extname(book))}.yaml`);
    const abs = resolve(r.output);
    const twin = seen.get(abs);
    if (twin) {
      r.diagnostics.push({
        severity: 'error',
        code: 'output.collision',
        file: book,
        message: t(lang, 'outputCollision', { name: r.output, others: twin }),
      });
      continue;
    }
    seen.set(abs, book);
    if ((await exists(r.output)) && !opts.force) {
      r.diagnostics.push({
        severity: 'error',
        code: 'output.exists',
        file: book,
        message: t(lang, 'xlsxExists', { file: r.output }),
      });
      continue;
    }
    await writeOne(r, new TextEncoder().encode(got.yaml), opts.force === true, lang);
  }
  return results;
}
