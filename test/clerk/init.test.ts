// sheetgen init (blank, --from, --vscode), the editor line written for the folder a file goes to, and
// rollover's editor line, progress and kept formatting.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 60_000 });
import { parse } from 'yaml';
import { blankText, initSheet, writeVscodeSettings } from '../../src/core/init.js';
import { keepSourceFormatting } from '../../src/core/keep-format.js';
import { loadSheetText } from '../../src/core/load.js';
import { checkSchemaRef, findModeline, packageRoot, schemaRefFor, withModeline } from '../../src/core/modeline.js';
import { rollText, rollover } from '../../src/core/rollover.js';
import { sheetText } from '../../scripts/gen-sheets.mjs';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sheetgen.js');
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sheetgen-clerk-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function run(args: string[], cwd = root, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', LANG: 'C', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every key line of a block mapping has a comment line right above it (or is a list item's first key after "- #"). */
function uncommentedKeys(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  lines.forEach((l, i) => {
    const m = /^(\s*)(- )?([a-z_0-9]+):/.exec(l);
    if (!m || /^\s*"?\d{4}"?:/.test(l)) return; // year keys are data, not fields
    const prev = lines[i - 1] ?? '';
    if (m[2] === '- ') {
      if (!/^\s*- #/.test(l)) out.push(l);
    } else if (!/^\s*(- )?#/.test(prev)) out.push(l);
  });
  return out;
}

describe('sheetgen init: a blank sheet', () => {
  it('writes a sheet that validates, a Japanese comment on every field, the editor line resolving from its folder', () => {
    const dir = tmp();
    const file = join(dir, 'sheets', '2021', 'new.yaml');
    const r = run(['init', file, '--year', '2021']);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(loadSheetText(file, text, 'ja').diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(uncommentedKeys(text)).toEqual([]);
    expect(text).toMatch(/# 自治体名 — /);
    expect(text).toMatch(/# ① 施策の進捗状況/);
    const ml = findModeline(text)!;
    expect(ml.line).toBe(1);
    expect(ml.ref).not.toContain('\\');
    expect(checkSchemaRef(file, ml.ref)).toBe('ok');
    expect(run(['validate', file]).code).toBe(0);
    expect(parse(text).fiscal_year).toBe(2021);
  });

  it('never replaces an existing file without --force; --force replaces it', () => {
    const dir = tmp();
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, 'my work\n');
    const r = run(['init', file], root, { LANG: 'ja_JP.UTF-8' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('すでにあります');
    expect(readFileSync(file, 'utf8')).toBe('my work\n');
    expect(run(['init', file, '--force']).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('municipality:');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a folder and a bad --year', () => {
    const dir = tmp();
    expect(run(['init', dir]).code).toBe(2);
    expect(run(['init', join(dir, 'a.yaml'), '--year', '21']).code).toBe(2);
    expect(existsSync(join(dir, 'a.yaml'))).toBe(false);
  });

  it('blank sheets of any year from 1990 to 2195 validate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2195 }), (y) => {
        const text = blankText(tmpdir(), { fiscalYear: y });
        return loadSheetText('x.yaml', text, 'en').diagnostics.filter((d) => d.severity === 'error').length === 0;
      }),
      { numRuns: 40 },
    );
  });
});

describe('sheetgen init --from', () => {
  it('copies the data of an existing sheet, adds comments where fields have none, and rewrites the editor line', async () => {
    const dir = tmp();
    const out = join(dir, 'copy.yaml');
    const r = await initSheet({ lang: 'en', out, from: join(root, 'examples', 'asahi-2020-09.yaml') });
    expect(r.diagnostics).toEqual([]);
    const text = readFileSync(out, 'utf8');
    const source = readFileSync(join(root, 'examples', 'asahi-2020-09.yaml'), 'utf8');
    expect(parse(text)).toEqual(parse(source));
    expect(text).toContain('# 自治体名 — ');
    expect(text).toContain('# ① 目標指標（数値目標）'); // the user's own comment stays
    expect(checkSchemaRef(out, findModeline(text)!.ref)).toBe('ok');
  });

  it('refuses a source with errors and writes nothing', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.yaml'), 'municipality: 旭市\n');
    const r = await initSheet({ lang: 'ja', out: join(dir, 'new.yaml'), from: join(dir, 'bad.yaml') });
    expect(r.diagnostics[0]!.code).toBe('init.source');
    expect(existsSync(join(dir, 'new.yaml'))).toBe(false);
  });
});

describe('sheetgen init --vscode', () => {
  it('writes yaml.schemas for the folder; merges into existing settings; refuses settings that are not JSON', async () => {
    const dir = tmp();
    const r = run(['init', '--vscode', dir]);
    expect(r.code, r.stderr).toBe(0);
    const file = join(dir, '.vscode', 'settings.json');
    const s = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
    const [key, glob] = Object.entries(s['yaml.schemas']!)[0]!;
    expect(glob).toBe('**/*.yaml');
    expect(existsSync(key.startsWith('/') ? key : join(dir, key))).toBe(true);

    writeFileSync(file, JSON.stringify({ 'editor.fontSize': 14, 'yaml.schemas': { 'other.json': 'x/*.yaml' } }));
    await writeVscodeSettings({ lang: 'en', folder: dir });
    const merged = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(merged['editor.fontSize']).toBe(14);
    expect(Object.keys(merged['yaml.schemas'] as object)).toHaveLength(2);

    const broken = '{ // my settings\n "editor.fontSize": 14, }';
    writeFileSync(file, broken);
    const b = run(['init', '--vscode', dir], root, { LANG: 'ja_JP.UTF-8' });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('正しい JSON ではありません');
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });
});

describe('the editor line', () => {
  it('points at node_modules/sheetgen when a node_modules above the folder has it', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'node_modules', 'sheetgen', 'schemas'), { recursive: true });
    writeFileSync(
      join(dir, 'node_modules', 'sheetgen', 'schemas', 'sheet.schema.json'),
      readFileSync(join(root, 'schemas', 'sheet.schema.json')),
    );
    expect(schemaRefFor(join(dir, 'sheets', '2021'))).toBe('../../node_modules/sheetgen/schemas/sheet.schema.json');
    expect(schemaRefFor(dir)).toBe('node_modules/sheetgen/schemas/sheet.schema.json');
  });
  it('is relative inside this package, absolute outside it', () => {
    expect(schemaRefFor(join(root, 'examples'))).toBe('../schemas/sheet.schema.json');
    const dir = tmp();
    expect(schemaRefFor(dir)).toBe(join(packageRoot(), 'schemas', 'sheet.schema.json').split('\\').join('/'));
    expect(relative(packageRoot(), root)).toBe('');
  });
  it('is rewritten in place, or added as the first line', () => {
    expect(withModeline('# yaml-language-server: $schema=old.json\n# note\na: 1\n', 'new.json')).toBe(
      '# yaml-language-server: $schema=new.json\n# note\na: 1\n',
    );
    expect(withModeline('a: 1\n', 'n.json')).toBe('# yaml-language-server: $schema=n.json\na: 1\n');
    expect(withModeline('\uFEFFa: 1\r\nb: 2\r\n', 'n.json')).toBe(
      '\uFEFF# yaml-language-server: $schema=n.json\r\na: 1\r\nb: 2\r\n',
    );
  });
});

describe('rollover: editor line, progress, formatting', () => {
  it('writes an editor line that resolves from the new folder', async () => {
    const dir = tmp();
    const rs = await rollover([join(root, 'examples')], { lang: 'en', to: 2021, outDir: join(dir, 'sheets', '2021') });
    for (const r of rs) {
      const text = readFileSync(r.output, 'utf8');
      expect(checkSchemaRef(r.output, findModeline(text)!.ref)).toBe('ok');
    }
  });

  it('clears progress, keeping the old choice as a Japanese comment; [2019] stays [2019]', () => {
    const source = readFileSync(join(root, 'examples', 'asahi-2020-09.yaml'), 'utf8');
    const out = rollText(source, 2021, 'en');
    expect(out).toMatch(/# 2020年度の記載（参考）:\n# progress: 概ね順調\nprogress: null/);
    expect(out).toContain('reference_years: [2019]        # shown as 参考, not added into 合計');
    expect(out).toContain('  baseline: { value: -11, year: 2018, calendar: true }    # ▲11人（30年）');
    expect(out).toContain('goal:                          # ① 目標指標（数値目標）');
  });

  it("keeps the file's own spacing on generated sheets, and the data is what yaml printed", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.constantFrom(' ', '  ', '   '), { minLength: 8, maxLength: 8 }),
        (i, pads) => {
          // Vary the spacing the way people type: around flow brackets and before trailing comments.
          let k = 0;
          const source = sheetText(i)
            .replace(/\[(\d)/g, (_, d: string) => `[${pads[k++ % 8]}${d}`)
            .replace(/(\S) +#/g, (_, c: string) => `${c}${pads[k++ % 8]}#`);
          const printed = rollText(source, 2021, 'en');
          expect(parse(printed)).toEqual(parse(keepSourceFormatting(source, printed)));
          const refLine = source.split('\n').find((l) => l.startsWith('reference_years:'))!;
          expect(printed.split('\n')).toContain(refLine);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('falls back to the printed text when a source line would change the data', () => {
    // The same line after spacing, but a different value inside quotes: never restored.
    const source = 'a: "x  y"\nb: 1\n';
    const printed = 'a: "x y"\nb: 2\n';
    expect(parse(keepSourceFormatting(source, printed))).toEqual(parse(printed));
  });
});

describe('validate: the editor line', () => {
  it("warns at its line when the schema it names does not exist or is not sheetgen's, with the line to write", () => {
    const dir = tmp();
    const file = join(dir, 'asahi.yaml');
    const seed = readFileSync(join(root, 'examples', 'asahi-2020-09.yaml'), 'utf8');
    writeFileSync(file, seed); // ../schemas/… does not resolve from a folder of the user's own
    const r = run(['validate', file]);
    expect(r.code).toBe(0);
    const want = `# yaml-language-server: $schema=${schemaRefFor(dir)}`;
    expect(r.stderr).toContain(
      `${file}:1:33: warning: The editor line names a schema that does not exist: ../schemas/sheet.schema.json`,
    );
    expect(r.stderr).toContain(`hint: Write this line instead: ${want}`);

    writeFileSync(join(dir, 'other.json'), '{"$id": "https://example.com/other"}');
    writeFileSync(file, withModeline(seed, 'other.json'));
    const ja = run(['validate', file], root, { LANG: 'ja_JP.UTF-8' });
    expect(ja.stderr).toContain(
      `${file}:1:33: 警告: エディタ用の行が sheetgen のシートのスキーマではないものを指しています: other.json`,
    );
    expect(ja.stderr).toContain(`代わりに次の行を書いてください: ${want}`);

    writeFileSync(file, withModeline(seed, schemaRefFor(dir)));
    const ok = run(['validate', file]);
    expect(ok.stderr).not.toContain('editor line');
    // The suggested line works: writing it silences the warning.
    writeFileSync(file, seed.replace(/^# yaml-language-server.*$/m, want));
    expect(run(['validate', file]).stderr).toBe('');
    expect(run(['validate', join(root, 'examples', 'asahi-2020-09.yaml')]).stderr).toBe('');
  });
});
