//! Finds where a data path (kpis[1].actuals.2020) stands in the user's own YAML text, so every
//! diagnostic points at file:line:col of what the user typed, not at re-serialized data.

import { isMap, isNode, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { YamlPath } from '../model/types.js';
import type { ParsedSheet } from './parse.js';

export interface Span {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/**
 * Position of the node at `path`; with `key: true`, of the key that names it (for unknown keys).
 * When the path goes deeper than the document (a missing field), the deepest existing node is used.
 */
export function locate(
  parsed: Pick<ParsedSheet, 'doc' | 'lineCounter'>,
  path: YamlPath,
  opts: { key?: boolean } = {},
): Span | undefined {
  const doc = parsed.doc;
  if (!doc?.contents) return undefined;
  let node: Node = doc.contents as Node;
  let keyNode: Node | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyMatches(p.key, seg));
      if (!pair) break;
      keyNode = isNode(pair.key) ? pair.key : undefined;
      if (!isNode(pair.value)) {
        // `key:` with no value: point at the key.
        node = keyNode ?? node;
        break;
      }
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(String(seg))) {
      const item = node.items[Number(seg)];
      if (!isNode(item)) break;
      keyNode = undefined;
      node = item;
    } else {
      break;
    }
  }
  const target = opts.key && keyNode ? keyNode : node;
  const range = target.range;
  if (!range) return undefined;
  const start = parsed.lineCounter.linePos(range[0]);
  const end = parsed.lineCounter.linePos(Math.max(range[0], range[1]));
  return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
}

function keyMatches(key: unknown, seg: string | number): boolean {
  if (isScalar(key)) return String(key.value) === String(seg);
  return String(key) === String(seg);
}

/** Position of the first `needle` inside the source of the node at `path` (e.g. a character in a block of text). */
export function locateWithin(
  parsed: Pick<ParsedSheet, 'doc' | 'lineCounter' | 'text'>,
  path: YamlPath,
  needle: string,
): Span | undefined {
  const doc = parsed.doc;
  const node = doc?.getIn(
    path.map((s) => (typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : s)),
    true,
  ) as Node | undefined;
  const range = isNode(node) ? node.range : undefined;
  if (!range) return undefined;
  const at = parsed.text.slice(range[0], range[1]).indexOf(needle);
  if (at < 0) return undefined;
  const p = parsed.lineCounter.linePos(range[0] + at);
  const q = parsed.lineCounter.linePos(range[0] + at + needle.length);
  return { line: p.line, column: p.col, endLine: q.line, endColumn: q.col };
}
