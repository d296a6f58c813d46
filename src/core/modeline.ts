//! The editor line (`# yaml-language-server: $schema=…`) that turns on completion and hover: where the
//! schema is, seen from a folder; putting the line into a sheet's text; and checking the line a sheet has.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The schema's $id: how a schema file is recognised as sheetgen's sheet schema. */
export const SHEET_SCHEMA_ID = 'https://sheetgen.local/schemas/sheet.schema.json';

const SCHEMA_DIR = 'schemas';

/** This package's own folder (the one whose package.json names sheetgen), from this module's place (src/ or dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'sheetgen') return dir;
      } catch {
        // not ours: keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('sheetgen: cannot find its own package folder');
    dir = up;
  }
}

const slashes = (p: string): string => p.split(sep).join('/').replace(/\\/g, '/');

/**
 * The schema reference for a sheet written into `folder`: relative to node_modules/sheetgen/schemas/…
 * when a node_modules above the folder has sheetgen (a project's own install); relative to this
 * package's schemas/ when the folder is inside this package (its examples); otherwise the absolute
 * path of this package's schema (a global install, or a checkout elsewhere). Forward slashes always:
 * yaml-language-server and VS Code read them on Windows too.
 */
export function schemaRefFor(folder: string, root: string = packageRoot(), schemaFile = 'sheet.schema.json'): string {
  const SCHEMA_REL = [SCHEMA_DIR, schemaFile];
  const abs = resolve(folder);
  for (let dir = abs; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'sheetgen', ...SCHEMA_REL);
    if (existsSync(candidate)) return slashes(relativeRef(abs, candidate));
    if (dirname(dir) === dir) break;
  }
  const own = join(root, ...SCHEMA_REL);
  const rel = relative(root, abs);
  const insidePackage = rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  return slashes(insidePackage ? relativeRef(abs, own) : own);
}

function relativeRef(from: string, to: string): string {
  const r = relative(from, to);
  // Another drive on Windows has no relative path: relative() returns the absolute one.
  return isAbsolute(r) ? to : r;
}

/** The whole editor line for a schema reference. */
export function modelineFor(ref: string): string {
  return `# yaml-language-server: $schema=${ref}`;
}

/** The modeline of a text: its line (1-based), column of the reference (1-based) and the reference. Only the leading comment block counts, as in yaml-language-server. */
export function findModeline(text: string): { line: number; column: number; ref: string } | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '' || l.trim() === '---' || l.startsWith('%')) continue;
    if (!l.startsWith('#')) return undefined;
    if (!/^#\s+(?:yaml-language-server\s*:|\$schema:)/.test(l)) continue;
    const m = /\$schema(?:=|:[^\S\r\n]*)(\S+)/.exec(l);
    if (!m) return undefined;
    return { line: i + 1, column: m.index + m[0].length - m[1]!.length + 1, ref: m[1]! };
  }
  return undefined;
}

/** The text with its modeline pointing at `ref`: the existing line rewritten in place, or a new first line. */
export function withModeline(text: string, ref: string): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const found = findModeline(body);
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  if (!found) return `${bom}${modelineFor(ref)}${eol}${body}`;
  const lines = body.split(/\r?\n/);
  lines[found.line - 1] = modelineFor(ref);
  return bom + lines.join(eol);
}

/** What a modeline's reference points at, seen from the sheet file: missing, another schema, or sheetgen's. */
export function checkSchemaRef(sheetFile: string, ref: string): 'ok' | 'missing' | 'foreign' | 'remote' {
  if (/^https?:/i.test(ref)) return ref === SHEET_SCHEMA_ID ? 'remote' : 'foreign';
  let path: string;
  if (/^file:/i.test(ref)) {
    try {
      path = fileURLToPath(ref);
    } catch {
      return 'missing';
    }
  } else {
    const bare = ref.split('#')[0]!;
    path = isAbsolute(bare) || /^[A-Za-z]:[\\/]/.test(bare) ? bare : resolve(dirname(sheetFile), bare);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 'missing';
  }
  try {
    const id = (JSON.parse(text) as { $id?: unknown }).$id;
    return id === SHEET_SCHEMA_ID ? 'ok' : 'foreign';
  } catch {
    return 'foreign';
  }
}

/** Messages of the editor-line check, in the caller's language. */
export interface EditorLineWords {
  missing: (ref: string) => string;
  foreign: (ref: string) => string;
  hint: (line: string) => string;
}

/**
 * A warning at the editor line when it names a schema that does not exist (seen from the sheet's
 * folder, as the editor resolves it) or that is not sheetgen's, with the line to write instead.
 * Nothing when the sheet has no editor line (a yaml.schemas setting may serve it).
 */
export function checkEditorLine(
  file: string,
  text: string,
  words: EditorLineWords,
):
  | { line: number; column: number; endColumn: number; kind: 'missing' | 'foreign'; message: string; hint: string }
  | undefined {
  const ml = findModeline(text);
  if (!ml) return undefined;
  const state = checkSchemaRef(file, ml.ref);
  if (state === 'ok') return undefined;
  const kind = state === 'foreign' ? 'foreign' : 'missing';
  const line = modelineFor(schemaRefFor(dirname(resolve(file))));
  return {
    line: ml.line,
    column: ml.column,
    endColumn: ml.column + ml.ref.length,
    kind,
    message: kind === 'foreign' ? words.foreign(ml.ref) : words.missing(ml.ref),
    hint: words.hint(line),
  };
}
