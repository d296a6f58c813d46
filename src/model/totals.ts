//! （３）合計事業費: sums of the projects' 事業費 and 一般財源, computed, never typed.

import { sheetYears, type Sheet, type Totals } from './types.js';

/** Integer-exact sums per year; 合計 adds the plan years only (the 参考 years are shown but not added). */
export function computeTotals(sheet: Sheet): Totals {
  const years = sheetYears(sheet);
  const sum = (pick: (p: Sheet['projects'][number]) => ReadonlyMap<number, number>): Map<number, number> => {
    const out = new Map<number, number>();
    for (const y of years) {
      let total = 0;
      let any = false;
      for (const p of sheet.projects) {
        const v = pick(p).get(y);
        if (v !== undefined) {
          total += v;
          any = true;
        }
      }
      if (any) out.set(y, total);
    }
    return out;
  };
  const cost = sum((p) => p.cost);
  const generalFund = sum((p) => p.generalFund);
  const planTotal = (m: Map<number, number>): number => {
    let t = 0;
    for (const [y, v] of m)
      if (y >= sheet.planPeriod.from && y <= sheet.planPeriod.to && !sheet.referenceYears.includes(y)) t += v;
    return t;
  };
  return { cost, generalFund, costTotal: planTotal(cost), generalFundTotal: planTotal(generalFund) };
}
