//! Recognises numbers a clerk typed as text ("1,234", "１２３", "▲74", "114件") and says how to write them.

import type { Lang } from '../diagnostics.js';
import { t } from '../messages.js';

const FULL_WIDTH = /[０-９．，－＋]/g;

function toHalfWidth(s: string): string {
  return s.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** A hint showing the number a string most likely meant, or undefined when it does not look like one. */
export function numberHint(raw: string, lang: Lang): string | undefined {
  const s = raw.trim();
  const half = toHalfWidth(s);
  const plain = /^-?\d+(\.\d+)?$/;
  if (plain.test(s)) return t(lang, 'quotedNumber', { fixed: s });
  if (half !== s && plain.test(half.replace(/,/g, ''))) return t(lang, 'numberFullWidth', { fixed: half.replace(/,/g, '') });
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(half)) return t(lang, 'numberWithComma', { fixed: half.replace(/,/g, '') });
  if (/^-?\d+(_\d+)+(\.\d+)?$/.test(half)) return t(lang, 'numberWithComma', { fixed: half.replace(/_/g, '') });
  const tri = /^[▲△](.+)$/.exec(half);
  if (tri && /^\d+(\.\d+)?$/.test((tri[1] ?? '').replace(/,/g, ''))) return t(lang, 'numberTriangle', { fixed: `-${(tri[1] ?? '').replace(/,/g, '')}` });
  const unit = /^([▲△-]?[\d,]+(?:\.\d+)?)\s*([^\d\s,.]+)$/.exec(half);
  if (unit) {
    const num = (unit[1] ?? '').replace(/,/g, '').replace(/^[▲△]/, '-');
    return t(lang, 'numberWithUnit', { fixed: num });
  }
  return undefined;
}
