// Issue 9: a finished PDF is never lost. A batch is stopped by a second Ctrl-C, by SIGTERM twice and
// by kill -9 once some sheets are done; every PDF the progress reported "ok → X" for must exist whole,
// and the next run in that folder removes the temp files the killed one left.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { genSheets } from '../../scripts/gen-sheets.mjs';
import { sweepStaleTemps } from '../../src/core/write.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sheetgen.js');
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** Runs a batch of `count` sheets and sends `signals` (in order, each after the previous one) once `after` sheets are reported ok. */
async function stopped(
  count: number,
  after: number,
  signals: NodeJS.Signals[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ok: string[]; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sheetgen-signals-'));
  made.push(dir);
  mkdirSync(join(dir, 'in'));
  genSheets(count, join(dir, 'in'));
  const out = join(dir, 'out');
  const child = spawn(process.execPath, [bin, 'build', join(dir, 'in'), '-o', out, '--jobs', '2'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LANG: 'C', CI: 'true' },
  });
  let stderr = '';
  let sent = 0;
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
    const oks = stderr.split('\n').filter((l) => / ok +.* → /.test(l)).length;
    if (sent === 0 && oks >= after) {
      for (const s of signals) {
        child.kill(s);
        sent++;
      }
    }
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  const ok = stderr
    .split('\n')
    .map((l) => / ok +.* → (.+)$/.exec(l)?.[1])
    .filter((x): x is string => x !== undefined);
  return { code, signal, ok, out };
}

function lost(ok: string[]): string[] {
  return ok.filter((f) => !existsSync(f) || !readFileSync(f).subarray(-8).toString().includes('%%EOF'));
}

describe('finished PDFs under signals', () => {
  it('second Ctrl-C: stops at once, every PDF reported ok is there and whole, no temp file left', async () => {
    const r = await stopped(24, 2, ['SIGINT', 'SIGINT']);
    expect(r.code).toBe(130);
    expect(r.ok.length).toBeGreaterThanOrEqual(2);
    expect(lost(r.ok), 'finished PDFs lost').toEqual([]);
    expect(readdirSync(r.out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 180_000);

  it('SIGTERM twice: the same', async () => {
    const r = await stopped(24, 2, ['SIGTERM', 'SIGTERM']);
    expect(r.code).toBe(130);
    expect(lost(r.ok), 'finished PDFs lost').toEqual([]);
    expect(readdirSync(r.out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 180_000);

  it('kill -9: every PDF reported ok is there; the next run sweeps the temp files it left', async () => {
    const r = await stopped(24, 2, ['SIGKILL']);
    expect(r.signal).toBe('SIGKILL');
    expect(lost(r.ok), 'finished PDFs lost').toEqual([]);
    await sweepStaleTemps(r.out);
    expect(readdirSync(r.out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Every PDF in the folder is whole: a rename is all or nothing.
    for (const f of readdirSync(r.out).filter((x) => x.endsWith('.pdf')))
      expect(readFileSync(join(r.out, f)).subarray(-8).toString()).toContain('%%EOF');
  }, 180_000);
});
