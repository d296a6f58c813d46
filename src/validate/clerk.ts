//! One message per slip, with the corrected text: folds the follow-on problems a slip causes into the
//! message about the slip itself (a misspelt key is also "missing"; 4,820 inside { } is also a key with
//! no value), says how to keep a code's leading zero, and notes a 進捗状況 not chosen yet.

import { isScalar, type Node } from 'yaml';
import type { Lang } from '../diagnostics.js';
import type { ParsedSheet } from '../load/parse.js';
import type { YamlPath } from '../model/types.js';
import { t } from '../messages.js';
import type { SchemaProblem } from './schema.js';

const samePath = (a: YamlPath, b: YamlPath): boolean =>
  a.length === b.length && a.every((s, i) => String(s) === String(b[i]));
const startsWith = (a: YamlPath, prefix: YamlPath): boolean =>
  a.length >= prefix.length && prefix.every((s, i) => String(s) === String(a[i]));

function nodeAt(parsed: ParsedSheet, path: YamlPath): Node | undefined {
  return parsed.doc?.getIn(
    path.map((s) => (typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : s)),
    true,
  ) as Node | undefined;
}

/** The problems of a sheet with each slip's follow-on problems folded into the slip's own message. */
export function foldSlips<P extends SchemaProblem>(problems: P[], parsed: ParsedSheet, lang: Lang): P[] {
  const drop = new Set<P>();
  for (const p of problems) {
    // A misspelt key: the field it meant is "missing" too. One message: the did-you-mean, saying so.
    if (p.code === 'schema.unknown-key' && p.suggestion) {
      const parent = p.path.slice(0, -1);
      const missing = problems.find(
        (q) => q.code === 'schema.required' && samePath(q.path, [...parent, p.suggestion!]),
      );
      if (missing) {
        drop.add(missing);
        p.hint = t(lang, 'didYouMeanMissing', { suggestion: p.suggestion });
      }
    }
    // { 2019: 4,820 } reads as 2019: 4 and a key "820" with no value: one message, with the number as meant.
    if (p.code === 'schema.year-key' && /^\d{3}$/.test(String(p.path[p.path.length - 1]))) {
      for (const q of problems) if (q !== p && startsWith(q.path, p.path)) drop.add(q);
      const map = nodeAt(parsed, p.path.slice(0, -1));
      const text = parsed.text;
      const range = map?.range;
      if (range) {
        const src = text.slice(range[0], range[1]);
        const key = String(p.path[p.path.length - 1]);
        const m = new RegExp(`(\\d{4})\\s*:\\s*(-?\\d{1,3}(?:\\s*,\\s*\\d{3})*?)\\s*,\\s*${key}(?!\\d)`).exec(src);
        if (m) {
          const typed = `${m[2]!.replace(/\s/g, '')},${key}`;
          p.hint = t(lang, 'yearKeyCommaFixed', { typed, fixed: `${m[1]}: ${typed.replace(/,/g, '')}` });
        }
      }
    }
    // A code typed as 0450 is the number 450: say how to keep it as written.
    if (p.code === 'schema.type' && !p.hint) {
      const node = nodeAt(parsed, p.path);
      if (isScalar(node) && typeof node.value === 'number' && node.range) {
        const typed = parsed.text.slice(node.range[0], node.range[1]).trim();
        if (/^0\d+$/.test(typed))
          p.hint = t(lang, 'leadingZero', { typed, value: String(node.value), fixed: `"${typed}"` });
      }
    }
  }
  return problems.filter((p) => !drop.has(p));
}

/** Warnings for what is valid but not finished: 進捗状況 not chosen yet (a rolled-over file). */
export function clerkWarnings(data: unknown, lang: Lang): SchemaProblem[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  const o = data as Record<string, unknown>;
  if (Object.hasOwn(o, 'progress') && o.progress === null) {
    return [
      {
        path: ['progress'],
        atKey: false,
        code: 'progress.empty',
        message: t(lang, 'progressEmpty'),
        hint: t(lang, 'progressEmptyHint'),
      },
    ];
  }
  return [];
}
