//! Grading a loaded sheet: picks the grading scheme (command line, then the sheet's own `grading`,
//! then the city's default), grades every indicator and computes the totals.

import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, sep } from 'node:path';
import { EXIT, SheetgenError, type Diagnostic, type Lang } from '../diagnostics.js';
import { readRegularFileSync } from '../fs-errors.js';
import {
  BUILTIN_SCHEMES,
  gradeSheet,
  legendGrades,
  loadScheme,
  parseScheme,
  schemeInfo,
  type GradingScheme,
} from '../grade/index.js';
import { computeTotals } from '../model/totals.js';
import type { GradedSheet, Sheet } from '../model/types.js';
import { t } from '../messages.js';
import { place } from '../validate/index.js';
import { checkReasonMarks } from '../validate/marks.js';
import { loadSheet, type LoadedSheet } from './load.js';
import { schemePathFromSheet } from './scheme-path.js';

export interface GradeOptions {
  lang: Lang;
  /** A built-in scheme name or a scheme file: overrides the sheet's own choice. */
  scheme?: string;
  /**
   * How a free-text ② mark that disagrees with the computed grade is reported: an error (validate,
   * build: the sheet would print a wrong grade) or a warning (`sheetgen grade`, which answers what the
   * grades are, e.g. under another --scheme, and still shows them).
   */
  markMismatch?: 'error' | 'warning';
}

export interface GradedOutcome extends LoadedSheet {
  graded?: GradedSheet;
}

/** Schemes by the name or resolved path they were asked for: a batch loads each once. */
const schemeCache = new Map<string, GradingScheme>();

/** Largest grading scheme file read: the built-in schemes are about 2 KB. */
export const MAX_SCHEME_BYTES = 256 * 1024;

const inside = (child: string, parent: string): boolean =>
  child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/**
 * A scheme file, read safely: only an ordinary file of at most MAX_SCHEME_BYTES (a FIFO or device is
 * refused, not read), and — for a file a sheet names — only one whose real path lies in the sheet's
 * folder, so that a link in that folder cannot lead the grader out of it. A scheme a sheet names is
 * invalid without echoing any key or value of the file (it could be any JSON file there); the details
 * come with --scheme, where the user named the file themselves.
 */
function readSchemeFile(key: string, sheetFile: string | undefined, lang: Lang): GradingScheme {
  if (sheetFile !== undefined) {
    const folder = safeRealpath(dirname(sheetFile));
    const real = safeRealpath(key);
    if (folder !== undefined && real !== undefined && !inside(real, folder))
      throw new SheetgenError(t(lang, 'gradingOutside', { file: key }), { exitCode: EXIT.invalid });
  }
  let bytes: Uint8Array;
  try {
    bytes = readRegularFileSync(key, MAX_SCHEME_BYTES, lang);
  } catch (e) {
    // A missing file: the grader's own message (it lists the built-in schemes).
    if (e instanceof SheetgenError && !existsSync(key)) return loadScheme(key);
    throw e;
  }
  if (bytes.length > MAX_SCHEME_BYTES)
    throw new SheetgenError(
      t(lang, 'schemeTooLarge', { file: key, size: `${MAX_SCHEME_BYTES}+`, max: MAX_SCHEME_BYTES }),
      { exitCode: EXIT.usage },
    );
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\uFEFF/, ''));
  } catch (err) {
    // Only the position: JSON.parse's message quotes the file's first bytes, which could be any file's.
    const pos = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new SheetgenError(
      `grading scheme ${key} is not valid:\n  not valid JSON${pos ? ` (at character ${pos})` : ''}`,
      { exitCode: EXIT.invalid },
    );
  }
  try {
    return parseScheme(data, key);
  } catch (e) {
    if (e instanceof SheetgenError && sheetFile !== undefined) {
      throw new SheetgenError(t(lang, 'schemeInvalidQuiet', { file: key, count: Math.max(1, e.diagnostics.length) }), {
        exitCode: e.exitCode,
      });
    }
    throw e;
  }
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The scheme given on the command line (--scheme), read and checked: a batch calls this before it starts any sheet. */
export function commandLineScheme(key: string, lang: Lang): GradingScheme {
  return Object.hasOwn(BUILTIN_SCHEMES, key) ? loadScheme(key) : readSchemeFile(key, undefined, lang);
}

function schemeFor(sheet: Sheet, opts: GradeOptions): { scheme: GradingScheme; fromSheet: boolean } {
  const fromSheet = opts.scheme === undefined && sheet.grading !== undefined;
  let key = opts.scheme ?? sheet.grading;
  // A scheme file named in a sheet is relative to the sheet (validation refused any other; `\` or `/`
  // both separate folders, see scheme-path.ts); joined, not resolved, so messages show the user's path.
  if (fromSheet && key !== undefined && /[\\/]|\.json$/i.test(key) && !isAbsolute(key))
    key = schemePathFromSheet(sheet.file, key);
  const cacheKey = `${fromSheet ? sheet.file : ''}\u0000${key ?? ''}`;
  let scheme = schemeCache.get(cacheKey) ?? (fromSheet ? undefined : schemeCache.get(`\u0000${key ?? ''}`));
  if (!scheme) {
    const builtin = key === undefined || Object.hasOwn(BUILTIN_SCHEMES, key);
    scheme = builtin ? loadScheme(key) : readSchemeFile(key!, fromSheet ? sheet.file : undefined, opts.lang);
    schemeCache.set(fromSheet && !builtin ? cacheKey : `\u0000${key ?? ''}`, scheme);
  }
  return { scheme, fromSheet };
}

/** Grades a sheet that loaded without errors; problems (unknown override grade, bad scheme) join its diagnostics. */
export function gradeLoaded(loaded: LoadedSheet, opts: GradeOptions): GradedOutcome {
  const sheet = loaded.sheet;
  if (!sheet || !loaded.parsed) return loaded;
  const parsed = loaded.parsed;
  let picked: { scheme: GradingScheme; fromSheet: boolean };
  try {
    picked = schemeFor(sheet, opts);
  } catch (e) {
    // A scheme named by the sheet is the sheet's error, at its `grading` field; one named on the command line is a usage error.
    if (e instanceof SheetgenError && opts.scheme === undefined) {
      return {
        ...loaded,
        diagnostics: [
          ...loaded.diagnostics,
          place(parsed, { path: ['grading'], atKey: false, code: 'grading.scheme', message: e.message }),
        ],
      };
    }
    throw e;
  }
  const { scheme } = picked;
  const allowed = legendGrades(scheme);
  const problems: Diagnostic[] = [];
  for (const ind of [sheet.goal, ...sheet.kpis]) {
    if (ind.override && !allowed.has(ind.override.grade)) {
      problems.push(
        place(parsed, {
          path: [...ind.override.path, 'grade'],
          atKey: false,
          code: 'grading.override-grade',
          message: t(opts.lang, 'overrideUnknownGrade', {
            grade: ind.override.grade,
            scheme: scheme.id,
            list: [...allowed].join(' '),
          }),
        }),
      );
    }
  }
  if (problems.length > 0) return { ...loaded, diagnostics: [...loaded.diagnostics, ...problems] };
  let graded: ReturnType<typeof gradeSheet>;
  try {
    graded = gradeSheet(sheet, scheme);
  } catch (e) {
    if (e instanceof SheetgenError) {
      const diags = e.diagnostics.map((d) =>
        d.path
          ? place(parsed, { path: d.path, atKey: false, code: d.code, message: d.message })
          : { ...d, file: loaded.file },
      );
      return { ...loaded, diagnostics: [...loaded.diagnostics, ...diags] };
    }
    throw e;
  }
  const result: GradedSheet = {
    sheet,
    scheme: schemeInfo(scheme),
    goal: graded.goal,
    kpis: graded.kpis,
    totals: computeTotals(sheet),
  };
  // ②'s free-text marks need the grades: checked here, where validate, grade and build all pass.
  const marks = checkReasonMarks(parsed, result, opts.lang, opts.markMismatch ?? 'error');
  return {
    ...loaded,
    diagnostics: marks.length > 0 ? [...loaded.diagnostics, ...marks] : loaded.diagnostics,
    graded: result,
  };
}

/** Loads, validates and grades one sheet file. */
export async function gradeFile(file: string, opts: GradeOptions): Promise<GradedOutcome> {
  return gradeLoaded(await loadSheet(file, opts.lang), opts);
}
