//! The file name a sheet's PDF gets from its data, for single builds and batches alike.

import { windowsNameProblem } from '../validate/portable-name.js';

/**
 * `2020-09.pdf`: fiscal year and measure number, nothing else from the data. Both are whole numbers
 * (the schema says so, and a batch checks again in safeOutputName), so the name is digits, one hyphen
 * and `.pdf`: it cannot leave the output folder and is never a name Windows refuses (CON, NUL, COM1,
 * a trailing dot or space, `<>:"|?*`). That is asserted here rather than assumed, so that a future
 * name made from text (a measure title, say) cannot slip past it.
 */
export function outputName(sheet: { fiscalYear: number; measure: { number: number } }): string {
  const name = `${sheet.fiscalYear}-${String(sheet.measure.number).padStart(2, '0')}.pdf`;
  const problem = windowsNameProblem(name);
  // Only reachable by calling this with data the schema refuses: a sheetgen bug, not bad input.
  if (problem !== undefined || !/^\d+-\d+\.pdf$/.test(name))
    throw new Error(`output name ${JSON.stringify(name)} is not portable (${problem ?? 'not digits'})`);
  return name;
}
