// Colour in messages only where the terminal shows it: --no-color, FORCE_COLOR, NO_COLOR, TERM=dumb and
// TTY detection decide (src/cli/io.ts colorWanted), and the real command line never writes an escape
// code into a pipe or a file unless FORCE_COLOR asks (a log on a Windows PC stays plain text).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { colorWanted } from '../../src/cli/io.js';
import { formatDiagnostic } from '../../src/cli/report.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sheetgen.js');
const invalid = 'test/fixtures/invalid/unknown-keys.yaml';
const ESC = '\u001b';

/** The CLI with a clean environment (only PATH and LANG, plus `env`); stdout and stderr are pipes. */
function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', LANG: 'C', ...env },
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('colorWanted', () => {
  it('colours a terminal by default and never a pipe or a file', () => {
    expect(colorWanted(true, tty, {})).toBe(true);
    expect(colorWanted(true, pipe, {})).toBe(false);
    expect(colorWanted(true, {}, {})).toBe(false);
  });

  it('is plain on a TERM=dumb terminal and whenever NO_COLOR or NODE_DISABLE_COLORS is set and not empty', () => {
    expect(colorWanted(true, tty, { TERM: 'dumb' })).toBe(false);
    expect(colorWanted(true, tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted(true, tty, { NO_COLOR: 'anything' })).toBe(false);
    expect(colorWanted(true, tty, { NODE_DISABLE_COLORS: '1' })).toBe(false);
    // no-color.org: an empty NO_COLOR does not count.
    expect(colorWanted(true, tty, { NO_COLOR: '' })).toBe(true);
  });

  it('follows FORCE_COLOR as Node does: 1, 2, 3, true or empty force colour (over NO_COLOR), anything else turns it off', () => {
    for (const v of ['1', '2', '3', 'true', '']) {
      expect(colorWanted(true, pipe, { FORCE_COLOR: v }), v).toBe(true);
      expect(colorWanted(true, pipe, { FORCE_COLOR: v, NO_COLOR: '1' }), v).toBe(true);
    }
    for (const v of ['0', 'false', 'no']) expect(colorWanted(true, tty, { FORCE_COLOR: v }), v).toBe(false);
  });

  it('never colours with --no-color, whatever the environment and stream', () => {
    const env = fc.record(
      {
        FORCE_COLOR: fc.option(fc.constantFrom('', '0', '1', '2', '3', 'true', 'false'), { nil: undefined }),
        NO_COLOR: fc.option(fc.constantFrom('', '1'), { nil: undefined }),
        TERM: fc.option(fc.constantFrom('dumb', 'xterm-256color'), { nil: undefined }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(env, fc.boolean(), (e, isTTY) => {
        const clean = Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined));
        expect(colorWanted(false, { isTTY }, clean)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('escape codes in messages', () => {
  it('formatDiagnostic writes none without colour: every byte of a plain report is printable text or a line break', () => {
    const d = {
      severity: 'error' as const,
      code: 'x',
      file: 'C:\\Users\\企画政策課\\シート.yaml',
      line: 2,
      column: 3,
      message: 'bad',
      hint: 'fix it',
    };
    const plain = formatDiagnostic(d, 'a: 1\nbb: 2\n', { color: false, lang: 'ja' });
    expect(plain).not.toContain(ESC);
    // A Windows path in a message stays as the user wrote it: drive letter, backslashes, Japanese names.
    expect(plain.split('\n')[0]).toBe('C:\\Users\\企画政策課\\シート.yaml:2:3: エラー: bad');
    expect(formatDiagnostic(d, 'a: 1\nbb: 2\n', { color: true, lang: 'ja' })).toContain(`${ESC}[31;1m`);
  });

  it('the real CLI writes none into a pipe, with NO_COLOR, FORCE_COLOR=0 or --no-color; FORCE_COLOR=1 forces them', {
    timeout: 120_000,
  }, () => {
    for (const [args, env] of [
      [[], {}],
      [[], { NO_COLOR: '1' }],
      [[], { FORCE_COLOR: '0' }],
      [['--no-color'], { FORCE_COLOR: '1' }],
    ] as const) {
      const r = run([...args, 'validate', invalid], env);
      expect(r.code, JSON.stringify(env)).toBe(1);
      expect(r.out, JSON.stringify(env)).toContain('unknown-keys.yaml:10:1: error: Unknown field "lead_divison"');
      expect(r.out, JSON.stringify(env)).not.toContain(ESC);
    }
    const forced = run(['validate', invalid], { FORCE_COLOR: '1' });
    expect(forced.code).toBe(1);
    expect(forced.out).toContain(`${ESC}[31;1merror${ESC}[0m`);
  });

  it('a batch build piped to a log gets plain lines, no progress bar, no escape codes', { timeout: 120_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), 'sheetgen-color-'));
    try {
      const r = run(['build', 'examples/asahi-2020-09.yaml', invalid, '-o', `${out}/`]);
      expect(r.code).toBe(1);
      expect(r.out).toContain('unknown-keys.yaml:10:1: error');
      expect(r.out).not.toContain(ESC);
      expect(r.out).not.toContain('\r');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
