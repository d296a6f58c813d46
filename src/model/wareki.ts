//! 和暦: which era and year a Western fiscal year, calendar year or date falls in, from 明治 to 令和.
//! Shared by the layout (headers, notes, dates) and the open data (和暦 columns beside the Western years).

/**
 * The first day of each era (Gregorian), latest first. 元号法 and the era decrees: 令和 from
 * 2019-05-01, 平成 from 1989-01-08 (昭和64年 ended on 1989-01-07), 昭和 from 1926-12-25 (大正15年
 * ended on 1926-12-24), 大正 from 1912-07-30, 明治 from 慶応4年1月1日 = 1868-01-25 (the 1868 decree
 * counted 明治 from the start of that year). Before 明治 no era is written: the year stays Western.
 */
export const ERAS = [
  { era: '令和', start: '2019-05-01', year: 2019 },
  { era: '平成', start: '1989-01-08', year: 1989 },
  { era: '昭和', start: '1926-12-25', year: 1926 },
  { era: '大正', start: '1912-07-30', year: 1912 },
  { era: '明治', start: '1868-01-25', year: 1868 },
] as const;

export type EraName = (typeof ERAS)[number]['era'];

export interface EraYear {
  /** '西暦' only for a year before 明治 (1868), which the schema refuses in the sheet's years. */
  era: EraName | '西暦';
  year: number;
}

/** The first year sheetgen writes in 和暦: the schema's year minimum. */
export const FIRST_ERA_YEAR = 1868;

function byDay(key: string, y: number): EraYear {
  for (const e of ERAS) if (key >= e.start) return { era: e.era, year: y - e.year + 1 };
  return { era: '西暦', year: y };
}

/**
 * Era of a fiscal year (April to March): the era in force on its first day, 1 April — FY1926 is
 * 大正15年度, FY1989 平成元年度, FY1912 明治45年度. The one exception is FY2019, counted 令和元年度
 * as the government counts it (令和 began a month into the year; the sheet itself writes it so).
 */
export function fiscalEra(fy: number): EraYear {
  if (fy === 2019) return { era: '令和', year: 1 };
  return byDay(`${String(fy).padStart(4, '0')}-04-01`, fy);
}

/**
 * Era of a calendar year: the era of most of that year — 1926 is 大正15年 (昭和元年 lasted seven
 * days), 1989 is 平成元年, 2019 is 令和元年 (the new era is the one people use for that year),
 * 1912 is 明治45年 (大正 began on 30 July).
 */
export function calendarEra(year: number): EraYear {
  return byDay(`${String(year).padStart(4, '0')}-07-01`, year);
}

/** Era of an ISO date (YYYY-MM-DD), exact to the day: 1926-12-24 is 大正15年, 1926-12-25 昭和元年. */
export function dateEra(iso: string): EraYear & { month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  const y = Number(m[1]);
  return { ...byDay(iso.slice(0, 10), y), month: Number(m[2]), day: Number(m[3]) };
}
