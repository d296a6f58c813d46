// Hostile inputs too large or too odd to keep as files, made here: a file over the size limit,
// /dev/zero as a sheet, a quadratic alias blow-up under a small heap, 100,000-character text,
// a disk that fills up mid-write, and prototype pollution through __proto__ / constructor keys.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadSheet, loadSheetText } from '../../src/core/load.js';
import { gradeLoaded } from '../../src/core/grade.js';
import { MAX_FILE_BYTES } from '../../src/load/source.js';
import { MAX_LABEL_CHARS, MAX_PROSE_CHARS } from '../../src/validate/semantic.js';
import { removeSnapshot, runCli, snapshotCli, stackLines } from './cli.js';

// Each case runs the real CLI: under load that takes seconds, so the limit is a hang check (runCli
// kills a run after 30 s and says so), never a speed target; speed figures come from `npm run bench`.
vi.setConfig({ testTimeout: 60_000 });

const base = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'asahi-2020-09.yaml'), 'utf8');
const isRoot = process.getuid?.() === 0;
let dir: string;

beforeAll(() => {
  snapshotCli();
  dir = mkdtempSync(join(tmpdir(), 'sheetgen-gen-'));
});
afterAll(() => {
  removeSnapshot();
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string | Buffer): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** The example with its ④ policy replaced by `chars` characters of text in paragraphs. */
function withPolicy(chars: number): string {
  const para = 'あいうえお、かきくけこ。'.repeat(40); // 480 characters
  let text = '';
  while (text.length + para.length + 1 <= chars) text += `${para}\n`;
  text += 'ー'.repeat(chars - [...text].length);
  return base.replace(
    /^policy: \|[^\n]*\n(?: {2}[^\n]*\n)+/m,
    `policy: |\n${text
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')}\n`,
  );
}

describe.concurrent('generated hostile inputs (real CLI)', () => {
  it('a file over the size limit is refused before it is read', async () => {
    const name = write('big.yaml', `${base}\n#${'x'.repeat(MAX_FILE_BYTES)}\n`);
    const r = await runCli(['validate', name], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`at most ${MAX_FILE_BYTES} bytes`);
    expect(stackLines(r.stderr)).toEqual([]);
    const ja = await runCli(['validate', name], { cwd: dir, lang: 'ja' });
    expect(ja.stderr).toContain(`${MAX_FILE_BYTES} バイトまで`);
  });

  it('/dev/zero as a sheet: refused up front as a device (issue 9), never read', async () => {
    const r = await runCli(['validate', '/dev/zero'], { timeoutMs: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not an ordinary file');
  });

  it('one alias to a huge list, repeated: refused within a 96 MB heap', async () => {
    const name = write(
      'quadratic.yaml',
      `big: &b [${Array(300_000).fill('1').join(',')}]\nrefs: [${Array(99).fill('*b').join(',')}]\n`,
    );
    const r = await runCli(['validate', name], { cwd: dir, nodeFlags: ['--max-old-space-size=96'] });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/more than \d+ YAML tokens|alias/);
    expect(r.timedOut, 'finished before runCli stops it (a hang, not a slow machine)').toBe(false);
  });

  it('nested aliases below the token limit (billion laughs, wide): refused within a 96 MB heap', async () => {
    const lines = [`a: &a [${Array(50).fill('"lol"').join(',')}]`];
    for (const [p, c] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
    ])
      lines.push(`${c}: &${c} [${Array(50).fill(`*${p}`).join(',')}]`);
    const name = write('laughs-wide.yaml', `${lines.join('\n')}\n`);
    const r = await runCli(['validate', name], { cwd: dir, nodeFlags: ['--max-old-space-size=96'] });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('alias');
    expect(r.timedOut, 'finished before runCli stops it (a hang, not a slow machine)').toBe(false);
  });

  it(`100,000 characters in one text field: refused with the limit (${MAX_PROSE_CHARS}), at its line`, async () => {
    const name = write('long-100k.yaml', withPolicy(100_000));
    const r = await runCli(['validate', name], { cwd: dir });
    expect(r.code).toBe(1);
    const line = r.stderr.split('\n').find((l) => l.includes('error:'))!;
    expect(line).toMatch(
      new RegExp(`^long-100k\\.yaml:\\d+:\\d+: error: The text is 100000 characters long; at most ${MAX_PROSE_CHARS}`),
    );
    const b = await runCli(['build', name, '-o', join(dir, 'long-100k.pdf')], { cwd: dir });
    expect(b.code).toBe(1);
    expect(existsSync(join(dir, 'long-100k.pdf'))).toBe(false);
  });

  // How long it takes is a figure for `npm run bench`, not an assertion: this checks that it ends.
  it(`text at the limit (${MAX_PROSE_CHARS} characters) builds, continuing on 別紙 with a warning`, {
    timeout: 90_000,
  }, async () => {
    const name = write('long-limit.yaml', withPolicy(MAX_PROSE_CHARS));
    const b = await runCli(['build', name, '-o', join(dir, 'long-limit.pdf')], { cwd: dir, timeoutMs: 80_000 });
    expect(b.timedOut, 'finished before runCli stops it').toBe(false);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/warning: .*(別紙|attachment)/);
    expect(readFileSync(join(dir, 'long-limit.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it.skipIf(!isRoot || !existsSync('/usr/bin/unshare'))(
    'the disk fills up during the write (a 64 KB tmpfs): clear error, no partial or temp file',
    async () => {
      const name = write('full.yaml', base);
      const mnt = join(dir, 'tiny');
      const script = `mkdir -p ${mnt} && mount -t tmpfs -o size=64k tmpfs ${mnt} && echo old > ${mnt}/note.txt && "$@"; code=$?; ls -A ${mnt}; exit $code`;
      const r = await runCli(['build', name, '-o', join(mnt, 'out.pdf')], {
        cwd: dir,
        wrapper: ['unshare', '-m', 'sh', '-c', script, 'sh'],
      });
      expect(stackLines(r.stderr)).toEqual([]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('the disk is full');
      // `ls` inside the namespace: only the file that was there before.
      expect(r.stdout.trim().split('\n')).toEqual(['note.txt']);
    },
  );
});

describe('prototype pollution', () => {
  it('__proto__, constructor and prototype keys anywhere leave Object.prototype untouched', async () => {
    const evil = base
      .replace(
        'version: 1\n',
        'version: 1\n__proto__: { polluted: yes, toString: 1 }\nconstructor: { prototype: { polluted: yes } }\n',
      )
      .replace('  unit: 人\n', '  unit: 人\n  __proto__: { polluted: yes }\n  prototype: { polluted: yes }\n')
      .replace('actuals: { 2019: 85, 2020: 114 }', 'actuals: { 2019: 85, 2020: 114, __proto__: { polluted: yes } }');
    const r = gradeLoaded(loadSheetText('evil.yaml', evil, 'en'), { lang: 'en' });
    expect(r.diagnostics.filter((d) => d.code === 'schema.unknown-key').map((d) => d.path?.at(-1))).toEqual(
      expect.arrayContaining(['__proto__', 'constructor', 'prototype']),
    );
    const probe: Record<string, unknown> = {};
    expect(probe.polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(typeof probe.toString).toBe('function');
    // The parsed data keeps the keys as plain own properties, not as prototypes.
    const data = r.parsed?.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toContain('__proto__');
  });

  it('a valid sheet loaded after hostile ones still grades normally', async () => {
    const r = gradeLoaded(
      await loadSheet(join(import.meta.dirname, '..', '..', 'examples', 'asahi-2020-09.yaml'), 'en'),
      { lang: 'en' },
    );
    expect(r.graded?.kpis.map((k) => k.result.grade)).toEqual(['―', 'A']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('label limit', () => {
  it(`a label of ${MAX_LABEL_CHARS} characters is fine, one more is refused`, () => {
    const ok = loadSheetText(
      'a.yaml',
      base.replace('lead_division: 企画政策課', `lead_division: ${'課'.repeat(MAX_LABEL_CHARS)}`),
      'en',
    );
    expect(ok.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const bad = loadSheetText(
      'a.yaml',
      base.replace('lead_division: 企画政策課', `lead_division: ${'課'.repeat(MAX_LABEL_CHARS + 1)}`),
      'en',
    );
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['semantic.text-too-long']);
  });

  it('a 𠮷 counts as one character, not two UTF-16 units', () => {
    const r = loadSheetText(
      'a.yaml',
      base.replace('lead_division: 企画政策課', `lead_division: ${'𠮷'.repeat(MAX_LABEL_CHARS)}`),
      'en',
    );
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('-0 is read as 0', () => {
    const r = loadSheetText('a.yaml', base.replace('value: -11, year: 2018', 'value: -0, year: 2018'), 'en');
    expect(Object.is(r.sheet?.goal.baseline?.value, 0)).toBe(true);
  });

  it('no file is left in the temp folder by the CLI cases', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

it('execFileSync is available for mknod-based cases (documentation of the environment)', () => {
  expect(typeof execFileSync).toBe('function');
});
