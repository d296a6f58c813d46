//! What every command shares: the global options, the output streams, and printing diagnostics.

import type { Command } from 'commander';
import { SheetgenError, langFromEnv, type Diagnostic, type Lang } from '../diagnostics.js';
import { loadSheet, type LoadedSheet } from '../core/load.js';
import { formatDiagnostic, formatSummary } from './report.js';

export interface GlobalOptions {
  lang: Lang;
  color: boolean;
}

/** The global options as set on the root program (after `--lang`). */
export function globals(cmd: Command): GlobalOptions {
  const root = cmd.parent ?? cmd;
  const o = root.opts<{ lang?: Lang; color?: boolean }>();
  return { lang: o.lang ?? langFromEnv(), color: colorWanted(o.color !== false, process.stderr, process.env) };
}

/**
 * Whether messages on `stream` get ANSI colours. In order: `--no-color` turns them off; FORCE_COLOR
 * set to 1, 2, 3, true or '' turns them on, any other value (0, false) off, as Node itself reads it
 * (Node's docs, "FORCE_COLOR"); NO_COLOR or NODE_DISABLE_COLORS set and not empty turns them off
 * (no-color.org); otherwise only a terminal that is not TERM=dumb gets them. A pipe or a file (a log,
 * a batch job on a Windows PC, `> log.txt`) never receives escape codes; Windows Terminal and the
 * legacy console both show them, Node's libuv translating them for the legacy one.
 */
export function colorWanted(flag: boolean, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (!flag) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return ['', '1', '2', '3', 'true'].includes(force);
  if (env.NO_COLOR || env.NODE_DISABLE_COLORS) return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export const out = (s: string): void => {
  process.stdout.write(`${s}\n`);
};
export const err = (s: string): void => {
  process.stderr.write(`${s}\n`);
};

/** Prints a file's diagnostics on stderr, each with its code frame. */
export function printDiagnostics(diags: readonly Diagnostic[], text: string | undefined, g: GlobalOptions): void {
  for (const d of diags) err(formatDiagnostic(d, text, { color: g.color, lang: g.lang }));
  if (diags.length > 0) err(formatSummary(diags, g.lang));
}

/** The exit code the commands ask for; the highest wins (1 invalid input beats 0). */
export const exit = {
  code: 0,
  raise(code: number): void {
    if (code > this.code) this.code = code;
  },
};

/**
 * Loads one of the files a command was given. A file that cannot be read at all (missing, a folder,
 * no permission) becomes that file's error and raises the exit code to 2; the other files still run.
 */
export async function loadForCommand(file: string, lang: Lang): Promise<LoadedSheet> {
  try {
    return await loadSheet(file, lang);
  } catch (e) {
    if (!(e instanceof SheetgenError)) throw e;
    exit.raise(e.exitCode);
    return { file, diagnostics: [{ severity: 'error', code: 'file.unreadable', file, message: e.message }] };
  }
}
