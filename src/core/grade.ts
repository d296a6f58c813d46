//! Grading a loaded sheet: picks the grading scheme (command line, then the sheet's own `grading`,
//! then the city's default), grades every indicator and computes the totals.

import { SheetgenError, type Diagnostic, type Lang } from '../diagnostics.js';
import { gradeSheet, legendGrades, loadScheme, schemeInfo, type GradingScheme } from '../grade/index.js';
import { computeTotals } from '../model/totals.js';
import type { GradedSheet, Sheet } from '../model/types.js';
import { t } from '../messages.js';
import { place } from '../validate/index.js';
import { loadSheet, type LoadedSheet } from './load.js';
import { schemePathFromSheet } from './scheme-path.js';

export interface GradeOptions {
  lang: Lang;
  /** A built-in scheme name or a scheme file: overrides the sheet's own choice. */
  scheme?: string;
}

export interface GradedOutcome extends LoadedSheet {
  graded?: GradedSheet;
}

/** Schemes by the name or resolved path they were asked for: a batch loads each once. */
const schemeCache = new Map<string, GradingScheme>();

function schemeFor(sheet: Sheet, opts: GradeOptions): { scheme: GradingScheme; fromSheet: boolean } {
  const fromSheet = opts.scheme === undefined && sheet.grading !== undefined;
  let key = opts.scheme ?? sheet.grading;
  // A scheme file named in a sheet is relative to the sheet (validation refused any other); see scheme-path.ts.
  if (fromSheet && key !== undefined && /[\\/]|\.json$/i.test(key)) key = schemePathFromSheet(sheet.file, key);
  const cacheKey = key ?? '';
  let scheme = schemeCache.get(cacheKey);
  if (!scheme) {
    scheme = loadScheme(key);
    schemeCache.set(cacheKey, scheme);
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
      return { ...loaded, diagnostics: [...loaded.diagnostics, place(parsed, { path: ['grading'], atKey: false, code: 'grading.scheme', message: e.message })] };
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
          path: [...ind.override.path, 'grade'], atKey: false, code: 'grading.override-grade',
          message: t(opts.lang, 'overrideUnknownGrade', { grade: ind.override.grade, scheme: scheme.id, list: [...allowed].join(' ') }),
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
      const diags = e.diagnostics.map((d) => (d.path ? place(parsed, { path: d.path, atKey: false, code: d.code, message: d.message }) : { ...d, file: loaded.file }));
      return { ...loaded, diagnostics: [...loaded.diagnostics, ...diags] };
    }
    throw e;
  }
  return { ...loaded, graded: { sheet, scheme: schemeInfo(scheme), goal: graded.goal, kpis: graded.kpis, totals: computeTotals(sheet) } };
}

/** Loads, validates and grades one sheet file. */
export async function gradeFile(file: string, opts: GradeOptions): Promise<GradedOutcome> {
  return gradeLoaded(await loadSheet(file, opts.lang), opts);
}
