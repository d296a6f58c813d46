// `sheetgen build DIR|GLOB... -o OUTDIR` through the real bin over the bundle (worker threads,
// --jobs 2): exit codes, the per-sheet lines and summary, --json, --quiet, globs, and Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { genSheets, sheetText } from '../../scripts/gen-sheets.mjs';
import { Progress, clock, progressMode } from '../../src/cli/progress.js';
import type { SheetReport } from '../../src/core/batch.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sheetgen.js');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'sheetgen-cli-batch-'));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH ?? '', LANG: 'C', CI: 'true', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  // The worker is dist/worker.js: build the bundle when it is not there yet (npm test builds it first).
  if (!existsSync(join(root, 'dist', 'worker.js')))
    spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}, 60_000);

describe('sheetgen build DIR -o OUTDIR with 2 worker threads', () => {
  let dir: string;
  let out: string;
  let r: ReturnType<typeof run>;
  beforeAll(() => {
    dir = tmp();
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `s${i}.yaml`), sheetText(i));
    writeFileSync(join(dir, 'bad.yaml'), sheetText(5).replace(/^basic_goal: \d+/m, 'basic_goal: two'));
    out = join(dir, 'out');
    r = run(['build', dir, '-o', out, '--jobs', '2']);
  }, 120_000);

  it('builds the good sheets, reports the bad one with its code frame, and exits 1', () => {
    expect(r.code).toBe(1);
    expect(readdirSync(out).sort()).toEqual([
      '2020-01.pdf',
      '2020-02.pdf',
      '2020-03.pdf',
      '2020-04.pdf',
      '2020-05.pdf',
      'grades.csv',
      'grades.json',
      'index.pdf',
      'projects.csv',
      'projects.json',
    ]);
    expect(r.stderr).toMatch(/bad\.yaml:12:\d+: error: /);
    expect(r.stderr).toContain('> 12 | basic_goal: two');
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('prints one plain line per sheet when not on a terminal, then the summary', () => {
    const lines = r.stderr.split('\n').filter((l) => /^\[\d\/6\]/.test(l));
    expect(lines.length).toBe(6);
    expect(lines.filter((l) => l.includes('FAILED')).length).toBe(1);
    expect(lines.some((l) => l.endsWith(`FAILED ${join(dir, 'bad.yaml')}`))).toBe(true);
    expect(lines.some((l) => l.endsWith(`s0.yaml → ${join(out, '2020-01.pdf')}`))).toBe(true);
    expect(r.stderr).toMatch(/5 built, 1 failed, 0 warning\(s\) in [\d.]+ s \(2 job\(s\)\)/);
    expect(r.stderr).toContain(`wrote ${join(out, 'index.pdf')}`);
  });

  it('--json prints one report of every sheet on stdout; --quiet prints no progress', () => {
    const j = run(['build', dir, '-o', join(dir, 'out2'), '--jobs', '2', '--json', '--quiet']);
    expect(j.code).toBe(1);
    expect(j.stderr).not.toMatch(/^\[\d\/6\]/m);
    expect(j.stderr).not.toContain('built,');
    const rep = JSON.parse(j.stdout) as {
      sheets: {
        file: string;
        status: string;
        output: string | null;
        indicators?: { grade: string }[];
        errors: { line: number }[];
      }[];
      summary: { built: number; failed: number };
    };
    expect(rep.summary).toMatchObject({ built: 5, failed: 1 });
    const bad = rep.sheets.find((s) => s.file.endsWith('bad.yaml'))!;
    expect(bad.status).toBe('failed');
    expect(bad.output).toBeNull();
    expect(bad.errors[0]!.line).toBe(12);
    const good = rep.sheets.find((s) => s.file.endsWith('s0.yaml'))!;
    expect(good.output).toBe(join(dir, 'out2', '2020-01.pdf'));
    expect(good.indicators!.length).toBe(3);
  }, 120_000);

  it('takes a quoted glob and a list of files, and needs -o', () => {
    const g = run(['build', `${dir}/s[0-1]*.yaml`.replace('[0-1]', '?'), '-o', join(dir, 'out3'), '--jobs', '2', '-q']);
    expect(g.code).toBe(0);
    expect(readdirSync(join(dir, 'out3')).filter((f) => f.startsWith('2020-')).length).toBe(5);
    const two = run(['build', join(dir, 's0.yaml'), join(dir, 's1.yaml'), '-o', join(dir, 'out4'), '-q']);
    expect(two.code).toBe(0);
    expect(readdirSync(join(dir, 'out4')).sort()).toEqual([
      '2020-01.pdf',
      '2020-02.pdf',
      'grades.csv',
      'grades.json',
      'index.pdf',
      'projects.csv',
      'projects.json',
    ]);
    const noOut = run(['build', dir]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('needs an output folder');
    const none = run(['build', join(dir, 'nothing', '*.yaml'), '-o', join(dir, 'o5')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No sheet files');
  }, 120_000);
});

describe('Ctrl-C', () => {
  it('stops scheduling, leaves only finished PDFs and no temp files, and exits 130', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    genSheets(60, join(dir, 'in'));
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [bin, 'build', join(dir, 'in'), '-o', out, '--jobs', '2'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', LANG: 'C', CI: 'true' },
    });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      if (!sent && /\[\s*3\/60\]/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toContain('Stopping');
    const files = readdirSync(out);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files).not.toContain('index.pdf');
    const pdfs = files.filter((f) => f.endsWith('.pdf'));
    expect(pdfs.length).toBeGreaterThanOrEqual(3);
    expect(pdfs.length).toBeLessThan(60);
    // Every PDF left is whole.
    const { readFileSync } = await import('node:fs');
    for (const f of pdfs) expect(readFileSync(join(out, f)).subarray(-6).toString()).toContain('%%EOF');
  }, 120_000);
});

describe('progress', () => {
  const report = (status: SheetReport['status'], file: string): SheetReport => ({
    file,
    status,
    diagnostics: [],
    ...(status === 'built' ? { output: `out/${file}.pdf` } : {}),
  });

  it('a bar on a terminal, lines when piped or in CI, nothing with --quiet', () => {
    expect(progressMode(false, { isTTY: true }, {})).toBe('bar');
    expect(progressMode(false, { isTTY: true }, { CI: 'true' })).toBe('lines');
    expect(progressMode(false, { isTTY: true }, { CI: 'false' })).toBe('bar');
    expect(progressMode(false, { isTTY: false }, {})).toBe('lines');
    expect(progressMode(true, { isTTY: true }, {})).toBe('off');
  });

  it('the bar is one line redrawn in place with counts and an ETA', () => {
    let out = '';
    const p = new Progress(
      'bar',
      4,
      'en',
      (s) => (out += s),
      () => 80,
    );
    p.update({ done: 4, total: 4, report: report('failed', 'd') });
    expect(out).toMatch(/^\r\[#+\] 4\/4 {2}0 built, 1 failed {2}ETA 0:00\u001b\[K$/);
    expect(out).not.toContain('\n');
    p.clear();
    expect(out.endsWith('\r\u001b[K')).toBe(true);
  });

  it('the bar says at once, on a line above it, that a PDF it counted as built was replaced, and is drawn again below', () => {
    let out = '';
    const p = new Progress(
      'bar',
      3,
      'en',
      (s) => (out += s),
      () => 80,
    );
    const later: SheetReport = { file: 'b.yaml', status: 'built', diagnostics: [], output: 'out/2020-09.pdf' };
    p.update({ done: 1, total: 3, report: later });
    const first = out;
    expect(first).toMatch(/^\r\[#+-+\] 1\/3 {2}1 built, 0 failed {2}ETA \S+\u001b\[K$/);
    // Within the same few milliseconds (no redraw is due): the replacement is shown all the same.
    const earlier: SheetReport = { file: 'a.yaml', status: 'built', diagnostics: [], output: 'out/2020-09.pdf' };
    p.update({ done: 2, total: 3, report: earlier, replaced: { ...later, status: 'failed' } });
    const after = out.slice(first.length);
    expect(after.split('\n')).toEqual([
      '\r\u001b[KFAILED b.yaml no longer counts as built: out/2020-09.pdf now holds the PDF of a.yaml, which names the same file and comes first in the batch',
      expect.stringMatching(/^\r\[#+-+\] 2\/3 {2}1 built, 1 failed {2}ETA \S+\u001b\[K$/),
    ]);
  });

  it('lines name each sheet and its PDF; nothing at all when off', () => {
    let out = '';
    const p = new Progress('lines', 12, 'en', (s) => (out += s));
    p.update({ done: 1, total: 12, report: report('built', 'a') });
    p.update({ done: 2, total: 12, report: report('failed', 'b') });
    expect(out).toBe('[ 1/12] ok     a → out/a.pdf\n[ 2/12] FAILED b\n');
    let none = '';
    new Progress('off', 1, 'en', (s) => (none += s)).update({ done: 1, total: 1, report: report('built', 'a') });
    expect(none).toBe('');
    expect(clock(75)).toBe('1:15');
  });
});

describe('sheetgen rollover', () => {
  it("writes next year's files and refuses its own input folder", () => {
    const dir = tmp();
    for (let i = 0; i < 2; i++) writeFileSync(join(dir, `m${i}-2020.yaml`), sheetText(i));
    const r = run(['rollover', dir, '--to', '2021', '-o', join(dir, '..', `${dir.split('/').pop()}-2021`)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${join(dir, 'm0-2020.yaml')} → ${join(`${dir}-2021`, 'm0-2021.yaml')}`);
    expect(r.stderr).toContain('2 file(s) rolled over to fiscal year 2021, 0 failed');
    const v = run(['validate', join(`${dir}-2021`, 'm0-2021.yaml'), join(`${dir}-2021`, 'm1-2021.yaml')]);
    expect(v.code).toBe(0);
    const same = run(['rollover', dir, '--to', '2021', '-o', dir]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('never writes beside or over its input');
    const again = run(['rollover', dir, '--to', '2021', '-o', `${dir}-2021`]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(run(['rollover', dir, '--to', 'next', '-o', `${dir}-x`]).code).toBe(2);
  }, 60_000);
});
