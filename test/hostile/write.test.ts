// writeAtomic under a failing disk, simulated by injection (works without root): a write that
// fails half-way with ENOSPC leaves neither a partial PDF nor a temp file, and the PDF that was
// there before is untouched.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const failing = { on: false };

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    writeFile: async (...args: Parameters<typeof real.writeFile>) => {
      if (!failing.on) return real.writeFile(...args);
      // Half the bytes reach the disk, then it is full: what a real ENOSPC leaves behind.
      const [file, data] = args;
      const bytes = data as Uint8Array;
      await real.writeFile(file, bytes.subarray(0, bytes.length >> 1), { flag: 'wx' });
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
  };
});

const { writeAtomic } = await import('../../src/core/build.js');
const { SheetgenError } = await import('../../src/diagnostics.js');

describe('writeAtomic when the disk fills up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sheetgen-enospc-'));
  afterEach(() => {
    failing.on = false;
  });

  it('a new file: clear error, nothing left behind', async () => {
    failing.on = true;
    const target = join(dir, 'new.pdf');
    const err = await writeAtomic(target, new Uint8Array(4096).fill(65), [], 'en').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SheetgenError);
    expect((err as Error).message).toBe(`Cannot write ${target}: the disk is full`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('over an earlier PDF: the earlier PDF stays as it was', async () => {
    const target = join(dir, 'old.pdf');
    writeFileSync(target, '%PDF-1.7 earlier build');
    failing.on = true;
    const err = await writeAtomic(target, new Uint8Array(4096).fill(66), [], 'ja').catch((e: unknown) => e);
    expect((err as Error).message).toContain('ディスクの空きがありません');
    expect(readFileSync(target, 'utf8')).toBe('%PDF-1.7 earlier build');
    expect(readdirSync(dir)).toEqual(['old.pdf']);
    rmSync(dir, { recursive: true, force: true });
  });
});
