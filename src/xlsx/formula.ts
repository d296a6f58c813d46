//! Spreadsheet formulas that preview sheetgen's grading rules (src/grade/grade.ts) and the (3) totals
//! from the cells of the workbook, generated from the grading scheme's data.
//!
//! Exactness: sheetgen compares exact decimals; a spreadsheet has binary doubles. Comparisons of a
//! value with a target or a criterion are plain comparisons of the typed numbers, which keep the
//! order of decimals as written. The band test r ≥ min (r = gain / |baseline|) is done as
//! ROUND((gain − min·|baseline|) / |baseline|, 12) compared with 0: float error in the subtraction
//! (−9.9 − (−11) = 1.0999999999999996) is far below 10⁻¹², while two decimals that really differ
//! give r − min ≥ 10^−(d+k) / |baseline| (d decimals in the values, k in the bound), which is at
//! least 10⁻¹² unless |baseline| is very large for its precision (e.g. 123456789.0001). Such a
//! case, where r lies within 5·10⁻¹³ of a bound without being on it, is the one a formula cannot
//! match, and so is a value of more than 15 significant digits (0.1 + 0.2 = 0.30000000000000004,
//! which a spreadsheet holds as 0.3). test/xlsx/libreoffice.test.ts computes these formulas in
//! LibreOffice for every case of the grading test table. The grade cells say they are a preview
//! and the YAML build remains the authority.

import { bandsOf, type GradingScheme } from '../grade/scheme.js';
import { toString as decimalString } from '../grade/decimal.js';
import { BETTER_LABEL, OP_LABEL } from './names.js';

/** Cell references of one indicator (A1 style, same sheet). */
export interface IndicatorRefs {
  actual: string;
  baseline: string;
  target: string;
  targetLabel: string;
  op: string;
  opValue: string;
  better: string;
}

const q = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** The live grade formula of one indicator (no leading =). */
export function gradeFormula(r: IndicatorRefs, scheme: GradingScheme): string {
  const hi = `${r.better}<>${q(BETTER_LABEL.lower)}`;
  const num = (c: string) => `ISNUMBER(${c})`;
  const noData = q(scheme.noData);
  const gain = `IF(${hi},${r.actual}-${r.baseline},${r.baseline}-${r.actual})`;
  const opMet = `OR(AND(${r.op}=${q(OP_LABEL.above)},${r.actual}>${r.opValue}),AND(${r.op}=${q(OP_LABEL.at_least)},${r.actual}>=${r.opValue}),AND(${r.op}=${q(OP_LABEL.below)},${r.actual}<${r.opValue}),AND(${r.op}=${q(OP_LABEL.at_most)},${r.actual}<=${r.opValue}))`;
  // A numeric target decides when there is one; a word target only through its criterion.
  const met = `IF(${num(r.target)},IF(${hi},${r.actual}>=${r.target},${r.actual}<=${r.target}),IF(AND(${r.targetLabel}<>"",${num(r.opValue)}),${opMet},FALSE))`;
  const zero = `IF(${gain}>0,${q(scheme.zeroBaseline.improved)},IF(${gain}<0,${q(scheme.zeroBaseline.worsened)},${q(scheme.zeroBaseline.equal)}))`;
  // Bands from the last (open) one inwards, so the first band is tested first.
  const bands = bandsOf(scheme);
  let expr = '';
  for (let i = bands.length - 1; i >= 0; i--) {
    const b = bands[i]!;
    if (b.min === null) {
      expr = q(b.grade);
      continue;
    }
    const m = decimalString(b.min);
    const diff = `ROUND((${gain}-(${m})*ABS(${r.baseline}))/ABS(${r.baseline}),12)`;
    expr = `IF(${diff}${b.inclusive ? '>=' : '>'}0,${q(b.grade)},${expr})`;
  }
  return (
    `IF(NOT(${num(r.actual)}),${noData},` +
    `IF(AND(NOT(${num(r.baseline)}),NOT(${num(r.target)}),${r.targetLabel}=""),${noData},` +
    `IF(${met},${q(scheme.targetMet)},` +
    `IF(NOT(${num(r.baseline)}),${noData},` +
    `IF(${r.baseline}=0,${zero},${expr})))))`
  );
}

/** Sum of the numbers in the given cells, empty when none holds a number (the form shows "-"). */
export function sumFormula(cells: readonly string[]): string {
  if (cells.length === 0) return '""';
  const list = cells.join(',');
  return `IF(COUNT(${list})=0,"",SUM(${list}))`;
}
