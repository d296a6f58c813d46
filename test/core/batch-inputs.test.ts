// Expanding build inputs: directories (recursive, sorted, *.yaml/*.yml only), quoted globs with * ? **,
// files in the order given, each file once; nothing found is a usage error.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_SHEETS, expandInputs, globMatch, isGlob } from '../../src/core/inputs.js';
import { jobCount } from '../../src/core/batch.js';
import { SheetgenError } from '../../src/diagnostics.js';

/** Temp folders made here, removed after the file's tests. */
const made: string[] = [];
const track = (d: string): string => {
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('globMatch', () => {
  it.each([
    ['*.yaml', 'a.yaml', true],
    ['*.yaml', 'sub/a.yaml', false],
    ['**/*.yaml', 'a.yaml', true],
    ['**/*.yaml', 'x/y/z/a.yaml', true],
    ['x/**/a.yaml', 'x/a.yaml', true],
    ['x/**/a.yaml', 'x/y/a.yaml', true],
    ['x/**/a.yaml', 'y/x/a.yaml', false],
    ['s?.yaml', 's1.yaml', true],
    ['s?.yaml', 's10.yaml', false],
    ['*.yaml', '.hidden.yaml', false],
    ['**/*.yaml', '.git/a.yaml', false],
    ['a+b(1).yaml', 'a+b(1).yaml', true],
    ['2020/*-09.yaml', '2020/asahi-2020-09.yaml', true],
  ])('%s ~ %s → %s', (pattern, path, expected) => {
    expect(globMatch(pattern, path)).toBe(expected);
  });

  it('knows a glob from a path', () => {
    expect(isGlob('sheets/*.yaml')).toBe(true);
    expect(isGlob('sheets/a.yaml')).toBe(false);
  });
});

describe('expandInputs', () => {
  const dir = track(mkdtempSync(join(tmpdir(), 'sheetgen-inputs-')));
  mkdirSync(join(dir, 'b', 'c'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, 'node_modules'));
  for (const f of [
    'z.yaml',
    'a.yml',
    'b/m.yaml',
    'b/c/d.YAML',
    'b/notes.txt',
    '.git/x.yaml',
    'node_modules/y.yaml',
    'out.pdf',
  ])
    writeFileSync(join(dir, f), '');

  it('a folder gives every sheet file inside, recursively, sorted, skipping dot-folders and node_modules', async () => {
    expect((await expandInputs([dir], 'en')).map((f) => f.slice(dir.length + 1))).toEqual([
      'a.yml',
      'b/c/d.YAML',
      'b/m.yaml',
      'z.yaml',
    ]);
  });

  it('globs: * within a folder, ** across folders', async () => {
    expect((await expandInputs([`${dir}/*.yaml`], 'en')).map((f) => f.slice(dir.length + 1))).toEqual(['z.yaml']);
    expect((await expandInputs([`${dir}/**/*.yaml`], 'en')).map((f) => f.slice(dir.length + 1))).toEqual([
      'b/m.yaml',
      'z.yaml',
    ]);
  });

  it('keeps the order of the arguments and names each file once', async () => {
    const files = await expandInputs([join(dir, 'z.yaml'), dir, join(dir, 'a.yml')], 'en');
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['z.yaml', 'a.yml', 'b/c/d.YAML', 'b/m.yaml']);
  });

  it('a missing path or a glob that finds nothing is a usage error (exit 2)', async () => {
    await expect(expandInputs([join(dir, 'nope.yaml')], 'en')).rejects.toMatchObject({ exitCode: 2 });
    await expect(expandInputs([`${dir}/**/*.yml.bak`], 'en')).rejects.toThrow(SheetgenError);
    const empty = track(mkdtempSync(join(tmpdir(), 'sheetgen-inputs-empty-')));
    await expect(expandInputs([empty], 'ja')).rejects.toThrow('シートのファイル');
  });
});

describe('jobCount', () => {
  it('is what was asked for, at most one per sheet, at least one', () => {
    expect(jobCount(4, 2)).toBe(2);
    expect(jobCount(1, 300)).toBe(1);
    expect(jobCount(2, 300)).toBe(2);
    expect(jobCount(undefined, 1)).toBe(1);
    expect(jobCount(3, 0)).toBe(1);
  });
});

describe('batch size limit', () => {
  it('refuses more than MAX_BATCH_SHEETS sheets with a usage error naming the limit', async () => {
    const dir = track(mkdtempSync(join(tmpdir(), 'sheetgen-many-')));
    for (let i = 0; i <= MAX_BATCH_SHEETS; i++) writeFileSync(join(dir, `s${i}.yaml`), '');
    const err = await expandInputs([dir], 'en').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SheetgenError);
    expect((err as SheetgenError).exitCode).toBe(2);
    expect((err as Error).message).toContain(`at most ${MAX_BATCH_SHEETS}`);
  });
});
