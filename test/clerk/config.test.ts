// The city's defaults file (sheetgen.config.yaml): found by walking up from a sheet, the nearest wins,
// a sheet's own value wins, command-line options win, its problems are located; init --config writes one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { configFor, readConfig } from '../../src/core/config.js';
import { loadSheet } from '../../src/core/load.js';
import { withCityDefaults } from '../../src/cli/city.js';
import { checkSchemaRef, findModeline } from '../../src/core/modeline.js';
import { SheetgenError } from '../../src/diagnostics.js';

vi.setConfig({ testTimeout: 60_000 });

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sheetgen.js');
const seed = readFileSync(join(root, 'examples', 'asahi-2020-09.yaml'), 'utf8');
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sheetgen-config-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const run = (args: string[], cwd: string, env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', LANG: 'C', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const without = (text: string, ...keys: string[]) =>
  text
    .split('\n')
    .filter((l) => !keys.some((k) => l.startsWith(`${k}:`)))
    .join('\n');

describe('sheetgen.config.yaml', () => {
  it("fills in what a sheet lacks; the sheet's own value wins; the nearest file wins", async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'sheetgen.config.yaml'), 'municipality: 銚子市\nstage: 事前\ngrading: five-level\n');
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'a', 'b', 'lacking.yaml'), without(seed, 'municipality', 'stage'));
    writeFileSync(join(dir, 'a', 'b', 'own.yaml'), seed);
    const lacking = await loadSheet(join(dir, 'a', 'b', 'lacking.yaml'), 'en');
    expect(lacking.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect([lacking.sheet!.municipality, lacking.sheet!.stage, lacking.sheet!.grading]).toEqual([
      '銚子市',
      '事前',
      'five-level',
    ]);
    const own = await loadSheet(join(dir, 'a', 'b', 'own.yaml'), 'en');
    expect([own.sheet!.municipality, own.sheet!.stage]).toEqual(['旭市', '事後・決算']);
    // A nearer file takes over.
    writeFileSync(join(dir, 'a', 'sheetgen.config.yaml'), 'municipality: 匝瑳市\n');
    const nearer = await loadSheet(join(dir, 'a', 'b', 'lacking.yaml'), 'en');
    // …and only it: its lacking stage is not taken from the farther file.
    expect(nearer.diagnostics.filter((d) => d.code === 'schema.required').map((d) => d.message)).toEqual([
      'The field "stage" is missing',
    ]);
    writeFileSync(join(dir, 'a', 'sheetgen.config.yaml'), 'municipality: 匝瑳市\nstage: 事前\n');
    expect((await loadSheet(join(dir, 'a', 'b', 'lacking.yaml'), 'en')).sheet?.municipality).toBe('匝瑳市');
  });

  it('locates its problems (file:line:col), in both languages, and the sheet fails', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'sheetgen.config.yaml'), 'municipality: 旭市\nlang: jp\nfonts:\n  reguler: a.ttf\n');
    writeFileSync(join(dir, 's.yaml'), seed);
    const r = run(['validate', 's.yaml'], dir);
    expect(r.code).toBe(1);
    const cfg = join(dir, 'sheetgen.config.yaml');
    expect(r.stderr).toContain(`${cfg}:2:7: error: Must be one of: ja, en [lang]`);
    expect(r.stderr).toContain(`${cfg}:4:3: error: Unknown field "reguler" [fonts.reguler]`);
    expect(r.stderr).toContain('Did you mean "regular"?');
    const ja = run(['validate', 's.yaml'], dir, { LANG: 'ja_JP.UTF-8' });
    expect(ja.stderr).toContain('市の既定値のファイル');
    expect(ja.stderr).toContain(`${cfg}:2:7: エラー: 次のいずれかを指定してください: ja、en [lang]`);
    expect(() => readConfig(cfg, 'en')).toThrow(SheetgenError);
  });

  it('gives fonts, output folder and form options to build, below the command line', () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'sheetgen.config.yaml'),
      'output: ../public\nfonts: { regular: f/r.ttf, bold: f/b.ttf }\nform: { grade_column: true }\n',
    );
    const city = configFor(join(dir, 's.yaml'), 'en')!;
    expect(city.fonts).toEqual({ regular: join(dir, 'f', 'r.ttf'), bold: join(dir, 'f', 'b.ttf') });
    const o = withCityDefaults({}, join(dir, 's.yaml'), 'en');
    expect(o).toEqual({
      output: join(dir, '..', 'public') + sep,
      font: join(dir, 'f', 'r.ttf'),
      boldFont: join(dir, 'f', 'b.ttf'),
      gradeColumn: true,
    });
    expect(withCityDefaults({ output: 'x', font: 'y.ttf', gradeColumn: false }, join(dir, 's.yaml'), 'en')).toEqual({
      output: 'x',
      font: 'y.ttf',
      boldFont: join(dir, 'f', 'b.ttf'),
      gradeColumn: false,
    });
  });

  it("build writes into its output folder; its language is the messages' language unless --lang", () => {
    const dir = tmp();
    writeFileSync(join(dir, 'sheetgen.config.yaml'), 'output: public\nlang: ja\n');
    writeFileSync(join(dir, 's.yaml'), seed);
    const r = run(['build', 's.yaml'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('を書き出しました');
    expect(
      readFileSync(join(dir, 'public', '2020-09.pdf'))
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect(run(['--lang', 'en', 'validate', 's.yaml'], dir).stdout).toContain('s.yaml: ok');
    expect(run(['--help'], dir).stdout).toContain('使い方:');
  });

  it('init --config writes one that is valid, with its editor line; never over an existing one', () => {
    const dir = tmp();
    expect(run(['init', '--config', dir], root).code).toBe(0);
    const file = join(dir, 'sheetgen.config.yaml');
    const text = readFileSync(file, 'utf8');
    expect(readConfig(file, 'en').municipality).toBe('〇〇市');
    expect(checkSchemaRef(file, findModeline(text)!.ref)).toBe('foreign'); // it is the config schema, not the sheet schema
    expect(existsSync(findModeline(text)!.ref)).toBe(true);
    writeFileSync(file, 'municipality: 旭市\n');
    expect(run(['init', '--config', dir], root).code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('municipality: 旭市\n');
  });
});
