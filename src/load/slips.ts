//! Typing slips of a Japanese input method that break YAML in ways the parser names badly: a full-width
//! colon after a field name (name：値) and full-width spaces used as indentation. Found line by line,
//! outside block and quoted text (where both are ordinary Japanese), each with the corrected line.

import { isMap, isPair, isScalar, isSeq, Scalar, type Document } from 'yaml';

export interface Slip {
  kind: 'full-width-colon' | 'full-width-space';
  /** 1-based line and column of the offending character. */
  line: number;
  column: number;
  key?: string;
  /** The line as it should be written. */
  fixed: string;
}

/** 1-based lines that are inside text (block scalars' bodies, quoted scalars' later lines), where slips are not slips. */
function textLines(doc: Document | null, lineOf: (offset: number) => number): Set<number> {
  const lines = new Set<number>();
  // Iterative: a hostile file may nest thousands deep.
  const stack: unknown[] = [doc?.contents];
  while (stack.length > 0) {
    const n = stack.pop();
    if (isMap(n)) {
      for (const p of n.items) if (isPair(p)) stack.push(p.key, p.value);
    } else if (isSeq(n)) for (const item of n.items) stack.push(item);
    else if (isScalar(n) && n.range) {
      const block = n.type === Scalar.BLOCK_LITERAL || n.type === Scalar.BLOCK_FOLDED;
      const quoted = n.type === Scalar.QUOTE_DOUBLE || n.type === Scalar.QUOTE_SINGLE;
      if (!block && !quoted) continue;
      const first = lineOf(n.range[0]);
      const last = lineOf(Math.max(n.range[0], n.range[1] - 1));
      for (let l = first + 1; l <= last; l++) lines.add(l);
    }
  }
  return lines;
}

export function findSlips(text: string, doc: Document | null, lineOf: (offset: number) => number): Slip[] {
  // Most files have neither character: nothing to walk (a hostile file may hold 100,000 nodes).
  if (!/[：\u3000]/.test(text)) return [];
  const inText = textLines(doc, lineOf);
  const lines = text.split(/\r?\n/);
  const out: Slip[] = [];
  lines.forEach((raw, i) => {
    const line = i === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    const n = i + 1;
    if (inText.has(n) || /^\s*#/.test(line)) return;
    const lead = /^[ \u3000]*/.exec(line)![0];
    if (lead.includes('\u3000') && line.trim() !== '') {
      const indent = guessIndent(lines, i);
      out.push({
        kind: 'full-width-space',
        line: n,
        column: lead.indexOf('\u3000') + 1,
        fixed: `${' '.repeat(indent)}${line.slice(lead.length).replace(/：\s*/, ': ')}`,
      });
      return;
    }
    const colon = /^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*)[ \u3000]*：[ \u3000]*(.*)$/.exec(line);
    if (colon) {
      out.push({
        kind: 'full-width-colon',
        line: n,
        column: line.indexOf('：') + 1,
        key: colon[2]!,
        fixed: `${colon[1]}${colon[2]}: ${colon[3]}`.trimEnd(),
      });
    }
  });
  return out;
}

/** The indentation a line most likely meant: its previous sibling's, or one step inside a parent ending with ":". */
function guessIndent(lines: string[], i: number): number {
  for (let j = i - 1; j >= 0; j--) {
    const l = lines[j]!;
    if (l.trim() === '' || /^\s*#/.test(l) || l.includes('\u3000')) continue;
    const ind = /^ */.exec(l)![0].length;
    const body = l.replace(/\s+#.*$/, '').trimEnd();
    if (/:$/.test(body)) return ind + 2;
    if (/^\s*- /.test(l)) return ind + 2;
    return ind;
  }
  return 0;
}
