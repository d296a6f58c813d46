//! 和暦: which era and year a Western fiscal year, calendar year or date falls in. Shared by the layout
//! (headers, notes, dates) and the open data (和暦 columns beside the Western years).

/** 令和 begins on 2019-05-01; everything before (back to 1989-01-08) is 平成. */
const REIWA_START = '2019-05-01';
const HEISEI_START = '1989-01-08';

export interface EraYear {
  era: '令和' | '平成' | '昭和';
  year: number;
}

/** Era of a fiscal year: the era in force when the year starts (FY2019 starts 2019-04-01 but is counted 令和1, as the sheet does). */
export function fiscalEra(fy: number): EraYear {
  if (fy >= 2019) return { era: '令和', year: fy - 2018 };
  if (fy >= 1989) return { era: '平成', year: fy - 1988 };
  return { era: '昭和', year: fy - 1925 };
}

/** Era of a calendar year: 2019 is written 元年 (the new era is the one people use for that year). */
export function calendarEra(year: number): EraYear {
  return fiscalEra(year);
}

/** Era of an ISO date (YYYY-MM-DD), exact to the day. */
export function dateEra(iso: string): EraYear & { month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  const y = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const key = iso.slice(0, 10);
  if (key >= REIWA_START) return { era: '令和', year: y - 2018, month, day };
  if (key >= HEISEI_START) return { era: '平成', year: y - 1988, month, day };
  return { era: '昭和', year: y - 1925, month, day };
}
