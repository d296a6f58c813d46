//! The file name a sheet's PDF gets from its data, for single builds and batches alike.

/** `2020-09.pdf`: fiscal year and measure number (digits only: nothing can escape the folder). */
export function outputName(sheet: { fiscalYear: number; measure: { number: number } }): string {
  return `${sheet.fiscalYear}-${String(sheet.measure.number).padStart(2, '0')}.pdf`;
}
