// The catalogue of broken and hostile inputs (test/hostile/cases): each case runs through the real
// CLI (`sheetgen validate`, and `build` where it says so) in a private temp folder; exit code,
// file:line:col, the gist of the message, Japanese output under LANG=ja_JP.UTF-8 and the absence of
// stack traces are checked, and the diagnostic codes are checked in-process against the same case.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeLoaded } from '../../src/core/grade.js';
import { loadSheet } from '../../src/core/load.js';
import { buildLoaded } from '../../src/core/build.js';
import { readCaseExpectations, type CaseExpectations } from './expect.js';
import { removeSnapshot, runCli, snapshotCli, stackLines, type CliResult } from './cli.js';

const casesDir = join(import.meta.dirname, 'cases');
const names = readdirSync(casesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const isRoot = process.getuid?.() === 0;
const hasSetpriv = isRoot && existsSync('/usr/bin/setpriv');

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

function expectationsOf(name: string): CaseExpectations {
  const sidecar = join(casesDir, name.replace(/\.yaml$/, '.expect'));
  const source = existsSync(sidecar) ? readFileSync(sidecar, 'utf8') : readFileSync(join(casesDir, name), 'utf8');
  return readCaseExpectations(source);
}

function noStack(r: CliResult): void {
  expect(stackLines(r.stderr + r.stdout), 'no stack trace for bad input').toEqual([]);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.timedOut, 'finished before the timeout').toBe(false);
}

/** Prepares the output of a build case inside `dir`; returns the -o argument and a check to run afterwards. */
function prepareOutput(
  kind: string | undefined,
  dir: string,
  input: string,
): { out: string; after: (r: CliResult) => void } {
  const other = join(dir, 'keep.txt');
  const unchanged = (file: string, content: string | Buffer) => () =>
    expect(readFileSync(file)).toEqual(Buffer.from(content));
  const inputBytes = readFileSync(input);
  const noLeftovers = (folder: string) => () =>
    expect(
      readdirSync(folder).filter((f) => f.endsWith('.tmp')),
      'no temp file left',
    ).toEqual([]);
  switch (kind) {
    case undefined:
      return {
        out: join(dir, 'out.pdf'),
        after: (r) =>
          r.code === 0 && expect(readFileSync(join(dir, 'out.pdf')).subarray(0, 5).toString()).toBe('%PDF-'),
      };
    case 'input':
      return { out: input, after: unchanged(input, inputBytes) };
    case 'hardlink-to-input': {
      const link = join(dir, 'same.pdf');
      linkSync(input, link);
      return { out: link, after: unchanged(input, inputBytes) };
    }
    case 'symlink-to-other-file': {
      writeFileSync(other, 'keep me');
      symlinkSync(other, join(dir, 'link.pdf'));
      return { out: join(dir, 'link.pdf'), after: unchanged(other, 'keep me') };
    }
    case 'read-only-file': {
      const f = join(dir, 'old.pdf');
      writeFileSync(f, '%PDF-1.7 old');
      chmodSync(f, 0o444);
      return { out: f, after: unchanged(f, '%PDF-1.7 old') };
    }
    case 'read-only-dir': {
      const ro = join(dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      return { out: join(ro, 'x.pdf'), after: () => expect(readdirSync(ro)).toEqual([]) };
    }
    case 'dir-with-dir-named-like-output': {
      mkdirSync(join(dir, 'outdir', '2020-09.pdf'), { recursive: true });
      return {
        out: join(dir, 'outdir'),
        after: () => expect(statSync(join(dir, 'outdir', '2020-09.pdf')).isDirectory()).toBe(true),
      };
    }
    case 'existing-dir': {
      mkdirSync(join(dir, 'outdir'));
      return {
        out: join(dir, 'outdir'),
        after: () =>
          expect(
            readFileSync(join(dir, 'outdir', '2020-09.pdf'))
              .subarray(0, 5)
              .toString(),
          ).toBe('%PDF-'),
      };
    }
    case 'full-device': {
      // A private character device like /dev/full (1,7): writes fail with ENOSPC. Never the real
      // /dev/full: a sheetgen that renamed over a device would destroy it.
      const dev = join(dir, 'full.pdf');
      execFileSync('mknod', ['-m', '666', dev, 'c', '1', '7']);
      return {
        out: dev,
        after: () => {
          expect(statSync(dev).isCharacterDevice(), 'the device node is still a device').toBe(true);
          noLeftovers(dir)();
        },
      };
    }
    case 'existing-non-pdf':
      writeFileSync(other, 'notes, not a PDF');
      return { out: other, after: unchanged(other, 'notes, not a PDF') };
    case 'parent-is-file':
      writeFileSync(other, 'a file');
      return { out: join(other, 'x.pdf'), after: unchanged(other, 'a file') };
    case 'existing-pdf': {
      const f = join(dir, 'old.pdf');
      writeFileSync(f, '%PDF-1.7 an earlier build');
      return { out: f, after: () => expect(readFileSync(f).length).toBeGreaterThan(1000) };
    }
    default:
      throw new Error(`unknown build-out kind ${kind}`);
  }
}

beforeAll(() => {
  snapshotCli();
});
afterAll(() => {
  removeSnapshot();
});

describe('hostile input catalogue', () => {
  it('has at least 40 cases, each with expectations', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
    for (const n of names) {
      const x = expectationsOf(n);
      expect(x.exit, `${n} declares its exit code`).toBeDefined();
    }
  });

  describe.concurrent.each(names)('%s', (name) => {
    const x = expectationsOf(name);
    const needsMknod = x.buildOut === 'full-device' && !isRoot;
    const needsUser = x.buildOut === 'read-only-dir' && isRoot && !hasSetpriv;

    // Each test carries its fixture's name, so a failure names the file to look at even in a flat report.
    it.skipIf(needsMknod || needsUser)(
      `${name}: CLI: exit code, location, message, no stack; ja; build`,
      { timeout: 60_000 },
      async () => {
        const dir = mkdtempSync(join(tmpdir(), 'sheetgen-hostile-'));
        try {
          chmodSync(dir, 0o755);
          const input = join(dir, name);
          copyFileSync(join(casesDir, name), input);
          chmodSync(input, 0o644);
          copyFileSync(join(casesDir, 'not-a-scheme.json'), join(dir, 'not-a-scheme.json'));

          const v = await runCli(['validate', name], {
            cwd: dir,
            ...(x.maxHeapMb !== undefined ? { nodeFlags: [`--max-old-space-size=${x.maxHeapMb}`] } : {}),
          });
          noStack(v);
          const out = v.stdout + v.stderr;
          expect(v.code, out).toBe(x.exit);
          for (const e of x.errors) {
            const line = out.split('\n').find((l) => l.startsWith(`${name}:${e.line}:${e.column}: error:`));
            expect(line, `${name}:${e.line}:${e.column} reported\n${out}`).toBeDefined();
            if (e.gist) expect(out).toContain(e.gist);
          }
          for (const s of x.says) expect(out).toContain(s);
          for (const s of x.notSays) expect(out).not.toContain(s);
          if (x.exit === 0) expect(v.stdout).toContain(`${name}: ok`);

          const vja = await runCli(['validate', name], { cwd: dir, lang: 'ja' });
          noStack(vja);
          expect(vja.code).toBe(x.exit);
          let jaOut = vja.stdout + vja.stderr;
          if (x.exit !== 0) {
            expect(vja.stderr).toContain('エラー');
            const head = vja.stderr.split('\n').find((l) => /エラー: /.test(l)) ?? '';
            expect(head, 'the message is in Japanese').toMatch(JAPANESE);
          }

          if (x.buildExit !== undefined) {
            const { out: target, after } = prepareOutput(x.buildOut, dir, input);
            const wrapper =
              x.buildOut === 'read-only-dir' && isRoot
                ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']
                : undefined;
            const b = await runCli(['build', name, '-o', target], { cwd: dir, ...(wrapper ? { wrapper } : {}) });
            noStack(b);
            const bout = b.stdout + b.stderr;
            expect(b.code, bout).toBe(x.buildExit);
            for (const e of x.buildErrors) {
              expect(
                bout.split('\n').some((l) => l.startsWith(`${name}:${e.line}:${e.column}: error:`)),
                bout,
              ).toBe(true);
              if (e.gist) expect(bout).toContain(e.gist);
            }
            for (const s of x.buildSays) expect(bout).toContain(s);
            after(b);
            if (x.buildExit !== 0 && x.buildOut !== 'read-only-dir') {
              const bja = await runCli(['build', name, '-o', target], { cwd: dir, lang: 'ja' });
              noStack(bja);
              expect(bja.code).toBe(x.buildExit);
              jaOut += bja.stdout + bja.stderr;
            }
          }
          for (const s of x.ja) expect(jaOut).toContain(s);
          for (const f of x.noFiles) expect(existsSync(f), `${f} must not exist`).toBe(false);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );

    it(`${name}: in-process: the diagnostic codes`, async () => {
      const file = join(casesDir, name);
      const r = gradeLoaded(await loadSheet(file, 'en'), { lang: 'en' });
      const got = r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`);
      for (const e of x.errors) expect(got).toContain(`${e.line}:${e.column} ${e.code}`);
      if (x.exit === 0) expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      if (x.buildErrors.length > 0) {
        const dir = mkdtempSync(join(tmpdir(), 'sheetgen-hostile-'));
        try {
          const b = await buildLoaded(await loadSheet(file, 'en'), { lang: 'en', out: join(dir, 'x.pdf') });
          const bgot = b.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`);
          for (const e of x.buildErrors) expect(bgot).toContain(`${e.line}:${e.column} ${e.code}`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    });
  });
});
