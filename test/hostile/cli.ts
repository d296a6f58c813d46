//! Runs the real sheetgen CLI (the bundle `npm run build` makes) as a child process, from a private
//! snapshot of dist/ so that a rebuild running at the same time cannot pull files from under it.

import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock seconds the process ran. */
  seconds: number;
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  lang?: 'en' | 'ja';
  timeoutMs?: number;
  /** Extra node flags, e.g. --max-old-space-size=96 to prove memory stays bounded. */
  nodeFlags?: string[];
  /** Run through a wrapper command (setpriv to drop root, unshare for a private tmpfs). */
  wrapper?: string[];
}

let snapshot: string | undefined;

/** Copies bin/ and dist/ under test/hostile/__output__ (gitignored; node_modules still resolves upward). */
export function snapshotCli(): string {
  if (snapshot) return snapshot;
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const base = join(root, 'test', 'hostile', '__output__');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'cli-'));
  // Readable by everyone: one case drops root (setpriv) to meet a read-only folder as a clerk would.
  chmodSync(dir, 0o755);
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
  snapshot = dir;
  return dir;
}

export function removeSnapshot(): void {
  if (snapshot) rmSync(snapshot, { recursive: true, force: true });
  snapshot = undefined;
}

/** The environment of a clerk's terminal in the given language (LC_ALL and LC_MESSAGES cleared so LANG decides). */
function envFor(lang: 'en' | 'ja'): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: lang === 'ja' ? 'ja_JP.UTF-8' : 'C.UTF-8', NO_COLOR: '1' };
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  delete env.SOURCE_DATE_EPOCH;
  return env;
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const bin = join(snapshotCli(), 'bin', 'sheetgen.js');
  const argv = [...(opts.nodeFlags ?? []), bin, ...args];
  const [cmd, ...rest] = opts.wrapper ? [...opts.wrapper, process.execPath, ...argv] : [process.execPath, ...argv];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, rest, {
      cwd: opts.cwd ?? root,
      env: envFor(opts.lang ?? 'en'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000, timedOut });
    });
  });
}

/** Lines of a stack trace ("    at fn (file:1:2)"): a user must never see one for bad input. */
export function stackLines(s: string): string[] {
  return s.split('\n').filter((l) => /^\s{4}at /.test(l));
}
