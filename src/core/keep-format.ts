//! Keeps a file's own formatting after it was edited through yaml's Document (which re-prints the whole
//! file): every printed line that says the same as a line of the source, apart from spacing, becomes the
//! source's line again ([2019] stays [2019], aligned trailing comments stay aligned). Checked: the data
//! must come out the same, else the re-printed text is kept.

import { parse } from 'yaml';
import { isDeepStrictEqual } from 'node:util';

/** A line as compared: runs of spaces as one, no space inside brackets, no trailing space. */
function norm(line: string): string {
  return line
    .replace(/\s+/g, ' ')
    .replace(/([[{]) /g, '$1')
    .replace(/ ([\]}])/g, '$1')
    .replace(/ ,/g, ',')
    .trim();
}

/** Largest source × printed line product compared (the table is that many cells). */
const MAX_CELLS = 4_000_000;

/**
 * `printed` with its lines replaced by the matching lines of `source` wherever they say the same
 * (matched in order, longest common subsequence). A key followed by its comment on the next line
 * (`goal:` / `  # ①`) matches a source line holding both (`goal:   # ①`).
 */
export function keepSourceFormatting(source: string, printed: string): string {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const src = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const raw = printed.split(/\r?\n/);
  const srcNorms = src.map(norm);
  const srcSet = new Set(srcNorms);
  // Join "key:" + "  # comment" when the source has them on one line.
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const a = raw[i]!;
    const b = raw[i + 1];
    if (b !== undefined && /:\s*$/.test(a) && /^\s*#/.test(b) && srcSet.has(norm(`${a} ${b.trim()}`))) {
      out.push(`${a} ${b.trim()}`);
      i++;
    } else {
      out.push(a);
    }
  }
  const n = src.length;
  const m = out.length;
  if (n * m > MAX_CELLS) return printed;
  const outNorms = out.map(norm);
  // LCS table, from the end.
  const w = m + 1;
  const L = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      L[i * w + j] =
        srcNorms[i] === outNorms[j] && outNorms[j] !== ''
          ? L[(i + 1) * w + j + 1]! + 1
          : Math.max(L[(i + 1) * w + j]!, L[i * w + j + 1]!);
    }
  }
  const result = [...out];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (srcNorms[i] === outNorms[j] && outNorms[j] !== '') {
      result[j] = src[i]!;
      i++;
      j++;
    } else if (L[(i + 1) * w + j]! >= L[i * w + j + 1]!) i++;
    else j++;
  }
  const kept = result.join(eol);
  try {
    const same = isDeepStrictEqual(parse(kept, { version: '1.2' }), parse(printed, { version: '1.2' }));
    return same ? kept : printed;
  } catch {
    return printed;
  }
}
