//! The 期間・注記 cell under a value: the period of a value when it is not the column's (2018年度,
//! 2018年 for a calendar year, 暦年) and its free note (見込み), written and read as one short text.

export interface Period {
  year?: number;
  calendar: boolean;
  note?: string;
}

const FULL_DIGITS = /[０-９]/g;
const half = (s: string): string => s.replace(FULL_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** The cell text of a period: '' for the default (the column's fiscal year, no note). */
export function periodText(p: Period): string {
  const token =
    p.year !== undefined
      ? `${p.year}${p.calendar ? '年' : '年度'}`
      : p.calendar
        ? '暦年'
        : p.note !== undefined
          ? '年度'
          : '';
  return p.note !== undefined ? `${token} ${p.note}` : token;
}

/** Reads a period cell back; a text that does not start with a period is all note. */
export function parsePeriod(text: string): Period {
  const s = text.replace(/\r\n?/g, '\n').trim();
  if (s === '') return { calendar: false };
  const m = /^(\S+)(?:[ \u3000\t]+([\s\S]*))?$/u.exec(s);
  const head = half(m?.[1] ?? '');
  const rest = m?.[2]?.trim();
  const withNote = (p: Period): Period => (rest !== undefined && rest !== '' ? { ...p, note: rest } : p);
  const y = /^(\d{4})(年度|年)$/.exec(head);
  if (y) return withNote({ year: Number(y[1]), calendar: y[2] === '年' });
  if (head === '暦年') return withNote({ calendar: true });
  if (head === '年度') return withNote({ calendar: false });
  return { calendar: false, note: s };
}
