//! Where a scheme file named by a sheet's `grading:` is: next to the sheet, whichever way its path is written.

import path, { type PlatformPath } from 'node:path';

/**
 * The path of the scheme file a sheet names, taken from the sheet's folder, like any path a document
 * names. `ref` has passed validation (schemeFileInFolder in src/validate/semantic.ts): relative, inside
 * the sheet's folder, no drive letter, no UNC or rooted path, no name Windows refuses. Both `\` and `/`
 * separate folders, so a sheet written on a Windows PC (`schemes\city.json`) finds its scheme on any
 * system, and one written with `/` works on Windows. Joined, not resolved, so messages show the path
 * as the user would write it. `api` is node:path; tests pass path.win32 or path.posix.
 */
export function schemePathFromSheet(sheetFile: string, ref: string, api: PlatformPath = path): string {
  return api.join(api.dirname(sheetFile), ...ref.split(/[\\/]/));
}
