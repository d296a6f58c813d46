//! Recognises numbers, years and dates a clerk typed as text ("1,234", "１２３", "▲74", "114件", "⑫",
//! "令和2", "R2", "2021/7/30") and says how to write them.

import type { Lang } from '../diagnostics.js';
import { t } from '../messages.js';

const FULL_WIDTH = /[０-９．，－＋]/g;

function toHalfWidth(s: string): string {
  return s.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** The number of a circled digit (①–⑳, ㉑–㉟, ㊱–㊿), or undefined. */
export function circledNumber(s: string): number | undefined {
  if (s.length !== 1) return undefined;
  const c = s.codePointAt(0)!;
  if (c >= 0x2460 && c <= 0x2473) return c - 0x2460 + 1;
  if (c >= 0x3251 && c <= 0x325f) return c - 0x3251 + 21;
  if (c >= 0x32b1 && c <= 0x32bf) return c - 0x32b1 + 36;
  return undefined;
}

const ERAS: Record<string, number> = {
  令和: 2018,
  R: 2018,
  r: 2018,
  平成: 1988,
  H: 1988,
  h: 1988,
  昭和: 1925,
  S: 1925,
  s: 1925,
};

/** The Western year of an era year (令和2, R2, 令和元, 平成30年, H30, 令和２年度), or undefined. */
export function eraYear(raw: string): number | undefined {
  const m = /^(令和|平成|昭和|[RHSrhs])\.?\s*(元|[0-9０-９]{1,2})\s*(?:年度?)?$/.exec(raw.trim());
  if (!m) return undefined;
  const n = m[2] === '元' ? 1 : Number(toHalfWidth(m[2]!));
  if (n < 1) return undefined;
  return ERAS[m[1]!]! + n;
}

/** "2021/7/30", "2021.7.30", "2021年7月30日", "R3/7/30" → "2021-07-30", or undefined. */
export function isoDate(raw: string): string | undefined {
  const s = toHalfWidth(raw.trim());
  let y: number | undefined;
  let rest: string;
  const west = /^(\d{4})[/.年-](.*)$/.exec(s);
  const era = /^(令和|平成|昭和|[RHSrhs])\.?\s*(元|\d{1,2})[/.年](.*)$/.exec(s);
  if (west) {
    y = Number(west[1]);
    rest = west[2]!;
  } else if (era) {
    y = eraYear(`${era[1]}${era[2]}`);
    rest = era[3]!;
  } else return undefined;
  const md = /^(\d{1,2})[/.月-](\d{1,2})日?$/.exec(rest);
  if (y === undefined || !md) return undefined;
  const month = Number(md[1]);
  const day = Number(md[2]);
  const d = new Date(Date.UTC(y, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A hint for a date written another way, or undefined. */
export function dateHint(raw: unknown, lang: Lang): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const fixed = isoDate(raw);
  return fixed ? t(lang, 'dateFixed', { fixed: `"${fixed}"` }) : undefined;
}

/** A hint for a year key or year written in 和暦 (令和2: → 2020:), or undefined. */
export function yearHint(raw: string, lang: Lang): string | undefined {
  const y = eraYear(raw);
  return y !== undefined ? t(lang, 'eraYearFixed', { typed: raw.trim(), fixed: y }) : undefined;
}

/** A hint showing the number a string most likely meant, or undefined when it does not look like one. */
export function numberHint(raw: string, lang: Lang): string | undefined {
  const s = raw.trim();
  const circled = circledNumber(s);
  if (circled !== undefined) return t(lang, 'circledNumber', { typed: s, fixed: circled });
  const era = yearHint(s, lang);
  if (era) return era;
  const half = toHalfWidth(s);
  const plain = /^-?\d+(\.\d+)?$/;
  if (plain.test(s)) return t(lang, 'quotedNumber', { fixed: s });
  if (half !== s && plain.test(half.replace(/,/g, '')))
    return t(lang, 'numberFullWidth', { fixed: half.replace(/,/g, '') });
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(half)) return t(lang, 'numberWithComma', { fixed: half.replace(/,/g, '') });
  if (/^-?\d+(_\d+)+(\.\d+)?$/.test(half)) return t(lang, 'numberWithComma', { fixed: half.replace(/_/g, '') });
  const tri = /^[▲△](.+)$/.exec(half);
  if (tri && /^\d+(\.\d+)?$/.test((tri[1] ?? '').replace(/,/g, '')))
    return t(lang, 'numberTriangle', { fixed: `-${(tri[1] ?? '').replace(/,/g, '')}` });
  const unit = /^([▲△-]?[\d,]+(?:\.\d+)?)\s*([^\d\s,.]+)$/.exec(half);
  if (unit) {
    const num = (unit[1] ?? '').replace(/,/g, '').replace(/^[▲△]/, '-');
    return t(lang, 'numberWithUnit', { fixed: num });
  }
  return undefined;
}
