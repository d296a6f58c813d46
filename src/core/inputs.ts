//! Expanding the build's inputs (files, directories, `*`/`**` globs) into a sorted, de-duplicated
//! list of sheet files. Node 20 has no fs.glob, so the small glob dialect is matched here.

import type { Dirent, Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { EXIT, SheetgenError, type Lang } from '../diagnostics.js';
import { fsReason, isFsError, readFailure } from '../fs-errors.js';
import { t } from '../messages.js';

const SHEET_EXT = /\.ya?ml$/i;

/** True when the argument holds a wildcard the shell did not expand (quoted, or on Windows). */
export function isGlob(arg: string): boolean {
  return /[*?]/.test(arg);
}

/** One path segment pattern (`*` any run of characters but `/`, `?` one character) as a RegExp. */
function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (const ch of seg) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Matches a relative path (segments split on `/`) against a glob's segments: `**` stands for zero
 * or more directories. Dot-files and dot-directories are matched only by a pattern that names the dot.
 */
export function globMatch(pattern: string, path: string): boolean {
  const pats = pattern.split('/').filter((s) => s !== '' && s !== '.');
  const parts = path.split('/').filter((s) => s !== '');
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const k = `${i},${j}`;
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === pats.length) r = j === parts.length;
    else if (pats[i] === '**') r = go(i + 1, j) || (j < parts.length && !parts[j]!.startsWith('.') && go(i, j + 1));
    else if (j === parts.length) r = false;
    else {
      const p = pats[i]!;
      const part = parts[j]!;
      r = (!part.startsWith('.') || p.startsWith('.')) && segmentRegExp(p).test(part) && go(i + 1, j + 1);
    }
    memo.set(k, r);
    return r;
  };
  return go(0, 0);
}

/** An entry of an input folder that looked like a sheet but could not be taken, and why. */
export interface SkippedEntry {
  file: string;
  reason: string;
}

/**
 * Every file under `dir` (recursively), skipping dot-directories and node_modules, not following
 * directory links (no cycles). What is left out that a user would miss — a sheet-named FIFO, device
 * or dangling link, a sub-folder that cannot be read — goes to `skipped`, never silently.
 */
async function walk(dir: string, out: string[], skipped: SkippedEntry[], lang: Lang, top = true): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (!isFsError(e)) throw e;
    if (top) throw readFailure(dir, e, lang, true);
    skipped.push({ file: dir, reason: fsReason(e, lang) });
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      await walk(p, out, skipped, lang, false);
    } else if (e.isFile()) out.push(p);
    else if (e.isSymbolicLink()) {
      // A link to a file counts; a link to a directory is not followed.
      const s = await stat(p).catch(() => undefined);
      if (s?.isFile()) out.push(p);
      else if (!s && SHEET_EXT.test(e.name)) skipped.push({ file: p, reason: t(lang, 'skippedDangling') });
      else if (s && !s.isDirectory() && SHEET_EXT.test(e.name))
        skipped.push({ file: p, reason: t(lang, 'skippedSpecial') });
    } else if (SHEET_EXT.test(e.name)) skipped.push({ file: p, reason: t(lang, 'skippedSpecial') });
  }
}

/** The directory a glob can start walking from: its segments before the first wildcard. */
function globBase(pattern: string): { base: string; rest: string } {
  const segs = pattern.split(/[\\/]/);
  const i = segs.findIndex(isGlob);
  const baseSegs = segs.slice(0, i);
  const base = baseSegs.length === 0 ? '.' : baseSegs.join('/') || '/';
  return { base, rest: segs.slice(i).join('/') };
}

const toPosix = (p: string): string => p.split(sep).join('/');

/** Most sheets one batch takes: a city has tens of measures; thousands means the wrong folder was named. */
export const MAX_BATCH_SHEETS = 2000;

/**
 * Sheet files named by the arguments, in a stable order: each argument's files sorted by path,
 * arguments in the order given, the same file once. A directory contributes every *.yaml / *.yml
 * inside it; a glob every file it matches. Nothing found for an argument is a usage error.
 */
export async function expandInputs(
  args: readonly string[],
  lang: Lang,
  skipped: SkippedEntry[] = [],
): Promise<string[]> {
  const seen = new Set<string>();
  const files: string[] = [];
  const add = (f: string) => {
    const key = resolve(f);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(f);
  };
  for (const arg of args) {
    let st: Stats | undefined;
    try {
      st = await stat(arg);
    } catch (e) {
      // Missing is said below (it may be a glob); anything else (no permission on the way, a loop) is said now.
      if (isFsError(e) && e.code !== 'ENOENT' && e.code !== 'ENOTDIR') throw readFailure(arg, e, lang);
    }
    let found: string[];
    if (st?.isDirectory()) {
      const all: string[] = [];
      await walk(arg, all, skipped, lang);
      found = all.filter((f) => SHEET_EXT.test(f));
    } else if (st?.isFile()) {
      found = [arg];
    } else if (st) {
      throw new SheetgenError(
        t(lang, 'notRegularFile', {
          file: arg,
          kind: t(lang, st.isFIFO() ? 'kind.fifo' : st.isSocket() ? 'kind.socket' : 'kind.device'),
        }),
        { exitCode: EXIT.usage },
      );
    } else if (isGlob(arg)) {
      const { base, rest } = globBase(arg);
      const all: string[] = [];
      if (
        await stat(base).then(
          (s) => s.isDirectory(),
          () => false,
        )
      )
        await walk(base, all, skipped, lang);
      found = all.filter((f) => SHEET_EXT.test(f) && globMatch(rest, toPosix(relative(base, f))));
    } else {
      throw new SheetgenError(t(lang, 'noSuchFile', { file: arg }), { exitCode: EXIT.usage });
    }
    if (found.length === 0) throw new SheetgenError(t(lang, 'noSheetsFound', { arg }), { exitCode: EXIT.usage });
    found.sort((a, b) => (toPosix(a) < toPosix(b) ? -1 : toPosix(a) > toPosix(b) ? 1 : 0));
    for (const f of found) add(f);
    // Checked as files are added, so that a mistaken input (a whole disk) stops early.
    if (files.length > MAX_BATCH_SHEETS) {
      throw new SheetgenError(t(lang, 'tooManySheets', { count: `${files.length}+`, max: MAX_BATCH_SHEETS }), {
        exitCode: EXIT.usage,
      });
    }
  }
  return files;
}
