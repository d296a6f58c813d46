//! The numbers of a sheet as the user wrote them ("24.0", "-11", "0.0000001"), by their YAML path,
//! so that the sheet prints a decimal with the digits it was given (24.0 stays 24.0, never 24).

import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { YamlPath } from '../model/types.js';
import type { ParsedSheet } from './parse.js';

/** The written text of the number at a path, or undefined when no number stands there. */
export type WrittenNumbers = (path: YamlPath) => string | undefined;

/** Most alias hops followed for one value (the parser already refuses alias bombs). */
const MAX_HOPS = 8;

/**
 * The number's source text as a plain decimal with its written digits: an explicit + dropped, an
 * exponent moved into the digits (1.50e2 → 150, 2.5e-7 → 0.00000025), ".5" as "0.5" and "5." as
 * "5", a minus only for a value below zero ("-0.0" → "0.0", as the value is 0). Hexadecimal and
 * octal integers (0x1F, 0o17) have no decimal digits to keep: their value's digits are used.
 * Undefined when the text does not stand for exactly `value` (then the value's own digits print).
 */
export function plainDecimal(source: string, value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const s = source.trim();
  if (/^[-+]?0[xo][0-9a-f]+$/i.test(s)) return Number.isInteger(value) ? String(value) : undefined;
  const m = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0);
  // A written exponent beyond what fits the limits (|value| < 10^12, a few dozen decimals) is not expanded.
  if (Math.abs(exp) > 64) return undefined;
  const digits = int + frac;
  const point = int.length + exp;
  let body: string;
  if (point <= 0) body = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) body = digits + '0'.repeat(point - digits.length);
  else body = `${digits.slice(0, point)}.${digits.slice(point)}`;
  body = body.replace(/^0+(?=\d)/, '');
  if (body.startsWith('.')) body = `0${body}`;
  const out = (value < 0 ? '-' : '') + body;
  return Number(out) === value || (value === 0 && Number(out) === 0) ? out : undefined;
}

function segKey(seg: string | number): string {
  return String(seg);
}

/**
 * Every number of the document by path (map keys as text, list items by index), its written text
 * taken from the user's file through the node's source range. Aliases are followed to the node
 * they name, so a value written once and reused keeps its digits.
 */
export function writtenNumbers(parsed: Pick<ParsedSheet, 'doc' | 'text'>): WrittenNumbers {
  const found = new Map<string, string>();
  const doc = parsed.doc as Document.Parsed | null;
  const root = doc?.contents;
  if (doc && root) {
    const stack: [unknown, string[]][] = [[root, []]];
    while (stack.length > 0) {
      const [start, path] = stack.pop()!;
      let node: unknown = start;
      for (let hop = 0; hop < MAX_HOPS && isAlias(node); hop++) node = node.resolve(doc);
      if (isMap(node)) {
        for (const pair of node.items) {
          const k = pair.key;
          const key = isScalar(k) ? String(k.value) : String(k);
          stack.push([pair.value, [...path, key]]);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => stack.push([item, [...path, String(i)]]));
      } else if (isScalar(node) && typeof node.value === 'number' && (node as Node).range) {
        const [from, to] = (node as Node).range!;
        const text = plainDecimal(parsed.text.slice(from, to), node.value);
        if (text !== undefined) found.set(path.join('\u0000'), text);
      }
    }
  }
  return (path) => found.get(path.map(segKey).join('\u0000'));
}
