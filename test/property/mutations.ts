//! Random mutations of a valid sheet, driven by one integer seed so that any failure is replayable:
//! on the parsed data (delete a key, change a type, insert unicode, swap numbers, duplicate a list
//! item, nest deeply, rename a key) re-serialised with yaml's stringify, or on the raw text.
//! Shared by the property tests and scripts/fuzz.mjs (which bundles this file with esbuild).

import { parse, stringify } from 'yaml';
import { rng } from '../../scripts/gen-sheets.mjs';

/** mulberry32, shared with the sheet generator: a seedable generator (Math.random cannot be replayed). */
export { rng };

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** Text that tends to break things: controls, surrogates, RTL, huge digits, YAML syntax, CJK, emoji. */
const NASTY = [
  '',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  '\u0007',
  '\u000b',
  '\u007f',
  '\u0085',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  '𠮷',
  '☑',
  '👨‍👩‍👧',
  'é',
  '①',
  '㊿',
  '▲',
  '△',
  '―',
  '〇',
  '１２３',
  '1,234',
  '114件',
  '▲74',
  '-0',
  '1e309',
  '.nan',
  '.inf',
  '0x1F',
  '0o17',
  '2020-01-01',
  'null',
  '~',
  'true',
  'no',
  ': ',
  ' #',
  '- ',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '&a',
  '*a',
  '!!str',
  '!tag',
  '%YAML 1.1',
  '---',
  '...',
  '<<',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '${PATH}',
  '../../etc/passwd',
  '/etc/passwd',
  'x'.repeat(250),
  'あ'.repeat(3000),
];

function randomScalar(r: Rand): unknown {
  switch (int(r, 0, 11)) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return int(r, -1_000_000, 1_000_000);
    case 3:
      return Number((r() * 2000 - 1000).toFixed(int(r, 0, 6)));
    case 4:
      return pick(r, [
        0,
        -0,
        1e21,
        -1e-7,
        2 ** 53 + 2,
        Number.MAX_VALUE,
        Number.MIN_VALUE,
        1e12,
        999_999_999_999,
        0.1 + 0.2,
      ]);
    case 5:
      return pick(r, [NaN, Infinity, -Infinity]);
    case 6:
      return pick(r, NASTY);
    case 7:
      return pick(r, NASTY) + pick(r, NASTY);
    case 8:
      return String(int(r, 1900, 2100));
    case 9:
      return int(r, 1900, 2100);
    case 10:
      return [];
    default:
      return {};
  }
}

function randomValue(r: Rand, depth = 0): unknown {
  const k = r();
  if (depth < 3 && k < 0.1) return Array.from({ length: int(r, 0, 3) }, () => randomValue(r, depth + 1));
  if (depth < 3 && k < 0.2) {
    const o: Record<string, unknown> = {};
    for (let i = int(r, 0, 3); i > 0; i--)
      o[String(pick(r, ['value', 'year', 'name', 'unit', '2020', '2019', 'number', pick(r, NASTY)]))] = randomValue(
        r,
        depth + 1,
      );
    return o;
  }
  return randomScalar(r);
}

type Container = Record<string, unknown> | unknown[];
interface Slot {
  parent: Container;
  key: string | number;
  value: unknown;
}

/** Every (parent, key) in the data, so that a mutation can hit any level. */
function slots(data: unknown): Slot[] {
  const out: Slot[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v))
      v.forEach((x, i) => {
        out.push({ parent: v, key: i, value: x });
        walk(x);
      });
    else if (v !== null && typeof v === 'object')
      for (const k of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[k];
        out.push({ parent: v as Container, key: k, value: x });
        walk(x);
      }
  };
  walk(data);
  return out;
}

function set(s: Slot, value: unknown): void {
  if (Array.isArray(s.parent)) s.parent[s.key as number] = value;
  else Object.defineProperty(s.parent, s.key, { value, enumerable: true, writable: true, configurable: true });
}

const DATA_MUTATIONS = [
  'delete',
  'retype',
  'unicode',
  'swap-numbers',
  'duplicate-item',
  'nest',
  'rename-key',
  'add-key',
  'number-edge',
  'empty-container',
] as const;

function mutateData(data: unknown, r: Rand): string {
  const all = slots(data);
  if (all.length === 0) return 'none';
  const s = pick(r, all);
  const kind = pick(r, DATA_MUTATIONS);
  switch (kind) {
    case 'delete':
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete (s.parent as Record<string, unknown>)[s.key as string];
      break;
    case 'retype':
      set(s, randomValue(r));
      break;
    case 'unicode': {
      const str = typeof s.value === 'string' ? s.value : String(s.value);
      const at = int(r, 0, str.length);
      set(s, str.slice(0, at) + pick(r, NASTY) + str.slice(at));
      break;
    }
    case 'swap-numbers': {
      const nums = all.filter((x) => typeof x.value === 'number');
      if (nums.length >= 2) {
        const a = pick(r, nums);
        const b = pick(r, nums);
        const va = a.value;
        set(a, b.value);
        set(b, va);
      }
      break;
    }
    case 'duplicate-item': {
      const lists = all.filter((x) => Array.isArray(x.value) && (x.value as unknown[]).length > 0);
      if (lists.length > 0) {
        const l = pick(r, lists).value as unknown[];
        const times = pick(r, [1, 1, 2, 15]);
        for (let i = 0; i < times; i++) l.push(structuredClone(pick(r, l)));
      }
      break;
    }
    case 'nest': {
      let v: unknown = s.value;
      for (let i = int(r, 1, 40); i > 0; i--) v = r() < 0.5 ? [v] : { value: v };
      set(s, v);
      break;
    }
    case 'rename-key':
      if (!Array.isArray(s.parent)) {
        const k = s.key as string;
        const renamed = pick(r, [
          k.toUpperCase(),
          k.slice(1),
          `${k}s`,
          k.replace(/_/g, ''),
          `${k[1] ?? ''}${k[0] ?? ''}${k.slice(2)}`,
          pick(r, NASTY),
        ]);
        delete (s.parent as Record<string, unknown>)[k];
        set({ ...s, key: renamed }, s.value);
      }
      break;
    case 'add-key':
      if (s.value !== null && typeof s.value === 'object' && !Array.isArray(s.value)) {
        set(
          {
            parent: s.value as Container,
            key: String(pick(r, [...NASTY, '2030', '2019', 'note', 'grade_override', 'met_when'])),
            value: undefined,
          },
          randomValue(r),
        );
      }
      break;
    case 'number-edge':
      set(s, pick(r, [0, -0, -1, 1.5, 1e15, -1e15, 2 ** 31, NaN, Infinity, 0.30000000000000004, 33, 30, -33, 1e-10]));
      break;
    case 'empty-container':
      set(s, Array.isArray(s.value) ? [] : typeof s.value === 'object' ? {} : null);
      break;
  }
  return kind;
}

const TEXT_MUTATIONS = [
  'delete-char',
  'insert',
  'duplicate-line',
  'swap-lines',
  'truncate',
  'indent',
  'dedent',
  'replace-digit',
] as const;

function mutateText(text: string, r: Rand): string {
  const lines = text.split('\n');
  const li = int(r, 0, lines.length - 1);
  const line = lines[li] ?? '';
  switch (pick(r, TEXT_MUTATIONS)) {
    case 'delete-char': {
      const at = int(r, 0, Math.max(0, text.length - 1));
      return text.slice(0, at) + text.slice(at + 1);
    }
    case 'insert': {
      const at = int(r, 0, text.length);
      return (
        text.slice(0, at) +
        pick(r, [...NASTY, ':', '-', '#', '|', '>', '\t', '  ', '&x ', '*x', '!!binary ']) +
        text.slice(at)
      );
    }
    case 'duplicate-line':
      lines.splice(li, 0, line);
      return lines.join('\n');
    case 'swap-lines': {
      const lj = int(r, 0, lines.length - 1);
      [lines[li], lines[lj]] = [lines[lj] ?? '', line];
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, int(r, 0, text.length));
    case 'indent':
      lines[li] = `${pick(r, [' ', '  ', '\t', '    '])}${line}`;
      return lines.join('\n');
    case 'dedent':
      lines[li] = line.replace(/^\s{1,2}/, '');
      return lines.join('\n');
    case 'replace-digit':
      return text.replace(/\d/g, (d) => (r() < 0.05 ? pick(r, ['０', '9', '', ',', '.', '-', 'e9', '▲']) : d));
  }
}

/**
 * `steps` mutations of a sheet's text. Mostly on the parsed data (the text stays valid YAML and the
 * schema and semantics get exercised), then sometimes on the raw text (the YAML layer gets exercised).
 * The text is parsed and re-serialised once, whatever the number of steps: that is most of the cost.
 */
export function mutateSheet(text: string, seed: number, steps = 1 + (seed % 4)): { text: string; applied: string[] } {
  const r = rng(seed);
  const applied: string[] = [];
  const onText = Array.from({ length: steps }, () => r() >= 0.7);
  const dataSteps = onText.filter((x) => !x).length;
  let cur = text;
  if (dataSteps > 0) {
    let data: unknown;
    try {
      data = parse(cur, { version: '1.2', maxAliasCount: 100 });
    } catch {
      data = undefined;
    }
    if (data !== null && typeof data === 'object') {
      for (let i = 0; i < dataSteps; i++) applied.push(mutateData(data, r));
      cur = stringify(data, { aliasDuplicateObjects: false, lineWidth: 0 });
    }
  }
  for (const t of onText) {
    if (!t) continue;
    cur = mutateText(cur, r);
    applied.push('text');
  }
  return { text: cur, applied };
}
