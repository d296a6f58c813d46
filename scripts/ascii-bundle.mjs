// Makes the bundle's files pure ASCII, keeping their source maps right. esbuild (charset: ascii)
// escapes strings, templates and identifiers, but leaves regular-expression literals and kept
// comments (the `//!` headers) as written, so a few Japanese characters remain. One of them makes
// Node decode the whole file as UTF-8 and V8 hold it as a two-byte string: reading dist/cli.cjs
// (3.3 MB) then costs ~25 ms instead of ~9 ms, at every cold start. Here each such character
// becomes a \uXXXX escape (a surrogate pair for one beyond U+FFFF), which means the same UTF-16
// code units in a regular expression (with or without the u flag), a string, an identifier or a
// comment. Only a tagged template's raw text (String.raw) would change: esbuild keeps those as
// written too, so each file is checked by lowering its templates to calls (esbuild writes the raw
// text as an escaped string): if that leaves fewer non-ASCII characters, one was in a template and
// the build fails. The source map's generated columns are moved by the characters each escape adds.
import { transformSync } from 'esbuild';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** The VLQ numbers of one source-map segment. */
function decodeSegment(s) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const c of s) {
    const d = B64_INDEX.get(c);
    if (d === undefined) throw new Error(`ascii-bundle: bad source map character ${c}`);
    value += (d & 31) << shift;
    if (d & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

function encodeNumber(n) {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let s = '';
  do {
    let d = v & 31;
    v >>>= 5;
    if (v > 0) d |= 32;
    s += B64[d];
  } while (v > 0);
  return s;
}

const escapeUnit = (u) => `\\u${u.toString(16).padStart(4, '0')}`;

/**
 * One file's text made ASCII, and per line the escapes' growth: a sorted list of
 * [original column (UTF-16 units) after which the line grew, total growth so far].
 */
function asciiText(text) {
  const lines = text.split('\n');
  const growth = [];
  const out = lines.map((line, li) => {
    if (!/[^\x00-\x7f]/.test(line)) return line;
    const steps = [];
    let added = 0;
    let s = '';
    for (let i = 0; i < line.length; i++) {
      const u = line.charCodeAt(i);
      if (u < 0x80) {
        s += line[i];
        continue;
      }
      s += escapeUnit(u);
      added += 5;
      steps.push([i + 1, added]);
    }
    growth[li] = steps;
    return s;
  });
  return { text: out.join('\n'), growth };
}

/** The source map's mappings with generated columns moved by `growth` (see asciiText). */
function shiftMappings(mappings, growth) {
  return mappings
    .split(';')
    .map((line, li) => {
      const steps = growth[li];
      if (!steps || line === '') return line;
      let prevOld = 0;
      let prevNew = 0;
      return line
        .split(',')
        .map((seg) => {
          const nums = decodeSegment(seg);
          const col = prevOld + nums[0];
          prevOld = col;
          let add = 0;
          for (const [at, total] of steps) {
            if (at <= col) add = total;
            else break;
          }
          const moved = col + add;
          nums[0] = moved - prevNew;
          prevNew = moved;
          return nums.map(encodeNumber).join('');
        })
        .join(',');
    })
    .join(';');
}

/** Every .js and .cjs file in `dir` (not below) made ASCII, with its .map beside it fixed. */
export function asciiOutputs(dir) {
  for (const name of readdirSync(dir)) {
    if (!/\.c?js$/.test(name)) continue;
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    if (!/[^\x00-\x7f]/.test(text)) continue;
    const count = (t) => t.match(/[^\x00-\x7f]/g)?.length ?? 0;
    const lowered = transformSync(text, {
      charset: 'ascii',
      format: name.endsWith('.cjs') ? 'cjs' : 'esm',
      supported: { 'template-literal': false },
      legalComments: 'inline',
    }).code;
    if (count(lowered) !== count(text))
      throw new Error(
        `ascii-bundle: non-ASCII text in a template literal (or in a comment that is not kept) in ${file}; review scripts/ascii-bundle.mjs`,
      );
    const { text: ascii, growth } = asciiText(text);
    writeFileSync(file, ascii);
    let map;
    try {
      map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
    } catch {
      continue;
    }
    map.mappings = shiftMappings(map.mappings, growth);
    writeFileSync(`${file}.map`, JSON.stringify(map));
  }
}
