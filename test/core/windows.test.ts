// What a Windows PC does differently, tested without Windows: names Windows refuses never come out of
// the data, `grading:` paths written with `\`, drive letters or UNC prefixes are resolved or refused on
// purpose (checked with path.win32 as well as path.posix), and files saved by Windows tools (BOM, CRLF,
// Shift_JIS) load as they do today. CI runs this on Node 20 and Node 24.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join, posix, win32 } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { outputName } from '../../src/core/build-name.js';
import { buildFile } from '../../src/core/build.js';
import { gradeLoaded } from '../../src/core/grade.js';
import { loadSheet } from '../../src/core/load.js';
import { schemePathFromSheet } from '../../src/core/scheme-path.js';
import { windowsNameProblem } from '../../src/validate/portable-name.js';
import { schemeFileInFolder, windowsUnsafeSegment } from '../../src/validate/semantic.js';

const seedFile = 'examples/asahi-2020-09.yaml';
const seed = readFileSync(seedFile, 'utf8');
const work = mkdtempSync(join(tmpdir(), 'sheetgen-windows-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('names Windows refuses', () => {
  it('knows the reserved device names, with or without an extension, in any case', () => {
    for (const n of [
      'CON',
      'con',
      'PRN',
      'AUX',
      'NUL',
      'nul.txt',
      'NUL.tar.gz',
      'NUL .txt',
      'COM1',
      'com9.pdf',
      'COM0',
      'LPT1',
      'lpt9.json',
      'COM¹',
      'CONIN$',
      'conout$.json',
    ]) {
      expect(windowsNameProblem(n), n).toBe('reserved');
    }
    // Names that only start like a device are ordinary names.
    for (const n of [
      'CONSOLE.pdf',
      'con-1.pdf',
      'nul_.json',
      'COM10',
      'LPT',
      'aux1.json',
      '2020-09.pdf',
      '評価基準.json',
    ]) {
      expect(windowsNameProblem(n), n).toBeUndefined();
    }
  });

  it('refuses the characters < > : " / \\ | ? *, control characters, a trailing dot or space, dot names, empty and over-long names', () => {
    for (const c of ['<', '>', ':', '"', '/', '\\', '|', '?', '*', '\u0000', '\u0001', '\t', '\n', '\u001f'])
      expect(windowsNameProblem(`a${c}b.json`), JSON.stringify(c)).toBe('character');
    expect(windowsNameProblem('a.json.')).toBe('trailing');
    expect(windowsNameProblem('a.json ')).toBe('trailing');
    expect(windowsNameProblem('.')).toBe('dot-name');
    expect(windowsNameProblem('..')).toBe('dot-name');
    expect(windowsNameProblem('')).toBe('empty');
    expect(windowsNameProblem(`${'a'.repeat(252)}.pdf`)).toBe('too-long');
    expect(windowsNameProblem(`${'a'.repeat(251)}.pdf`)).toBeUndefined();
  });

  it('a PDF name made from any fiscal year and measure number the schema allows is a portable name, on win32 and posix alike', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1989, max: 2200 }), fc.integer({ min: 1, max: 1e12 }), (fy, n) => {
        const name = outputName({ fiscalYear: fy, measure: { number: n } });
        expect(name).toMatch(/^\d{4}-\d{2,}\.pdf$/);
        expect(windowsNameProblem(name)).toBeUndefined();
        // Joined to an output folder it stays one name inside that folder.
        expect(win32.basename(win32.join('C:\\出力', name))).toBe(name);
        expect(win32.dirname(win32.join('\\\\server\\share\\出力', name))).toBe('\\\\server\\share\\出力');
        expect(posix.basename(posix.join('/out', name))).toBe(name);
      }),
      { numRuns: 300 },
    );
  });

  it('a name that is not digits cannot come out of outputName (a bug would stop there, not reach the disk)', () => {
    expect(() => outputName({ fiscalYear: 2020, measure: { number: 1e21 } })).toThrow(/not portable/);
    expect(() => outputName({ fiscalYear: 2020, measure: { number: 1.5 } })).toThrow(/not portable/);
  });
});

describe('grading: paths written on Windows', () => {
  it("accepts a relative path inside the sheet's folder with \\ or /, and refuses drive letters, UNC, rooted paths, streams and ..", () => {
    for (const ok of [
      'x.json',
      'schemes\\x.json',
      'schemes/x.json',
      '.\\schemes\\x.json',
      'a\\..\\x.json',
      '評価\\市の基準.json',
    ])
      expect(schemeFileInFolder(ok), ok).toBe(true);
    for (const bad of [
      '..\\schemes\\x.json',
      '../schemes/x.json',
      'a\\..\\..\\x.json',
      'C:\\x.json',
      'c:/x.json',
      'C:x.json',
      '\\\\server\\share\\x.json',
      '//server/share/x.json',
      '\\x.json',
      '/etc/x.json',
      '~/x.json',
      'x.json:stream.json',
      'x:y.json',
      'schemes\\x.txt',
    ]) {
      expect(schemeFileInFolder(bad), bad).toBe(false);
    }
  });

  it('names the folder or file Windows would refuse', () => {
    expect(windowsUnsafeSegment('schemes\\CON.json')).toBe('CON.json');
    expect(windowsUnsafeSegment('nul\\x.json')).toBe('nul');
    expect(windowsUnsafeSegment('schemes. \\x.json')).toBe('schemes. ');
    expect(windowsUnsafeSegment('s?\\x.json')).toBe('s?');
    expect(windowsUnsafeSegment('.\\schemes\\..\\x.json')).toBeUndefined();
    expect(windowsUnsafeSegment('schemes\\x.json')).toBeUndefined();
  });

  it("resolves the path from the sheet's folder on win32 (drive letters, UNC) and posix, whichever separator the sheet used", () => {
    expect(schemePathFromSheet('C:\\Users\\企画\\シート\\a.yaml', 'schemes\\city.json', win32)).toBe(
      'C:\\Users\\企画\\シート\\schemes\\city.json',
    );
    expect(schemePathFromSheet('C:\\Users\\企画\\シート\\a.yaml', 'schemes/city.json', win32)).toBe(
      'C:\\Users\\企画\\シート\\schemes\\city.json',
    );
    expect(schemePathFromSheet('\\\\fileserver\\共有\\2020\\a.yaml', '.\\city.json', win32)).toBe(
      '\\\\fileserver\\共有\\2020\\city.json',
    );
    expect(schemePathFromSheet('sheets\\a.yaml', 'city.json', win32)).toBe('sheets\\city.json');
    expect(schemePathFromSheet('/home/k/sheets/a.yaml', 'schemes\\city.json', posix)).toBe(
      '/home/k/sheets/schemes/city.json',
    );
    expect(schemePathFromSheet('sheets/a.yaml', 'a\\..\\city.json', posix)).toBe('sheets/city.json');
  });

  it("whatever path passes validation stays inside the sheet's folder, on win32 and on posix", () => {
    const seg = fc.constantFrom('..', '.', 'a', 'schemes', '評価', 'CON', 'x y');
    const ref = fc
      .tuple(
        fc.array(fc.tuple(seg, fc.constantFrom('\\', '/')), { maxLength: 5 }),
        fc.constantFrom('x.json', 'CITY.JSON'),
      )
      .map(([parts, file]) => parts.map(([s, sep]) => s + sep).join('') + file);
    const sheets: [typeof win32, string][] = [
      [win32, 'C:\\Users\\k\\sheets\\a.yaml'],
      [win32, '\\\\server\\share\\sheets\\a.yaml'],
      [posix, '/home/k/sheets/a.yaml'],
      [win32, 'sheets\\a.yaml'],
      [posix, 'sheets/a.yaml'],
    ];
    let accepted = 0;
    fc.assert(
      fc.property(ref, (r) => {
        if (!schemeFileInFolder(r)) return;
        accepted++;
        for (const [api, sheet] of sheets) {
          const rel = api.relative(api.dirname(sheet), schemePathFromSheet(sheet, r, api));
          expect(rel.startsWith('..') || api.isAbsolute(rel), `${r} from ${sheet}`).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(20);
  });

  const sheetWith = (dir: string, grading: string): string => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'sheet.yaml');
    writeFileSync(file, seed.replace(/^(fiscal_year: .*\n)/m, `$1grading: '${grading}'\n`));
    return file;
  };
  const gradingLine = seed.split('\n').findIndex((l) => l.startsWith('fiscal_year:')) + 2;

  it('a sheet naming its scheme as schemes\\city.json finds it here too, and grades with it', async () => {
    const dir = join(work, 'backslash');
    mkdirSync(join(dir, 'schemes'), { recursive: true });
    copyFileSync('grading/five-level.json', join(dir, 'schemes', 'city.json'));
    const out = gradeLoaded(await loadSheet(sheetWith(dir, 'schemes\\city.json'), 'en'), { lang: 'en' });
    // The seed's ② states Ｄ, the city legend's grade; five-level gives C: the one error proves the scheme was used.
    expect(out.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message])).toEqual([
      ['reasons.mark-mismatch', '② states the grade Ｄ for the 数値目標 (goal), but its grade is C'],
    ]);
  });

  it('refuses ..\\, drive letters and UNC paths at the grading line with the way out (--scheme), and device names with their own message', async () => {
    const cases: [string, string, RegExp][] = [
      ['..\\schemes\\x.json', 'semantic.grading-path', /--scheme FILE/],
      ['C:\\x.json', 'semantic.grading-path', /--scheme FILE/],
      ['\\\\server\\share\\x.json', 'semantic.grading-path', /--scheme FILE/],
      ['schemes\\CON.json', 'semantic.grading-windows-name', /"CON\.json".*Windows/],
    ];
    for (const [i, [grading, code, text]] of cases.entries()) {
      const loaded = await loadSheet(sheetWith(join(work, `refused-${i}`), grading), 'en');
      const d = loaded.diagnostics.find((x) => x.code === code);
      expect(d, grading).toBeDefined();
      expect(d!.line, grading).toBe(gradingLine);
      expect(`${d!.message} ${d!.hint ?? ''}`, grading).toMatch(text);
      expect(gradeLoaded(loaded, { lang: 'en' }).graded, grading).toBeUndefined();
    }
  });
});

describe('files saved by Windows tools', () => {
  it('a sheet saved with a BOM and CRLF line ends builds the same PDF, byte for byte, as the same sheet with LF', async () => {
    const dir = join(work, 'crlf');
    mkdirSync(dir, { recursive: true });
    const crlf = join(dir, 'crlf.yaml');
    writeFileSync(crlf, `\ufeff${seed.replace(/\n/g, '\r\n')}`);
    const opts = { lang: 'en' as const, sourceDateEpoch: 1617148800 };
    const a = await buildFile(seedFile, { ...opts, out: join(dir, 'lf.pdf') });
    const b = await buildFile(crlf, { ...opts, out: join(dir, 'crlf.pdf') });
    expect(a.output && b.output).toBeTruthy();
    expect(readFileSync(b.output!).equals(readFileSync(a.output!))).toBe(true);
  }, 120_000);

  it('an error in a BOM + CRLF file is reported at the same line and column as in the LF file', async () => {
    const dir = join(work, 'crlf-error');
    mkdirSync(dir, { recursive: true });
    const bad = seed.replace(/^lead_division: (.*)$/m, 'lead_divison: $1');
    writeFileSync(join(dir, 'lf.yaml'), bad);
    writeFileSync(join(dir, 'crlf.yaml'), `\ufeff${bad.replace(/\n/g, '\r\n')}`);
    const where = async (f: string) =>
      (await loadSheet(join(dir, f), 'en')).diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);
    const lf = await where('lf.yaml');
    expect(lf.length).toBeGreaterThan(0);
    expect(await where('crlf.yaml')).toEqual(lf);
  });

  it('a sheet saved as Shift_JIS is refused with a message that names Shift_JIS (in both languages)', async () => {
    const file = join(import.meta.dirname, '..', 'hostile', 'cases', 'enc-shift-jis.yaml');
    // The case file really is Shift_JIS: not valid UTF-8.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file))).toThrow();
    for (const lang of ['en', 'ja'] as const) {
      const d = (await loadSheet(file, lang)).diagnostics;
      expect(d.map((x) => x.code)).toEqual(['file.encoding']);
      expect(`${d[0]!.message} ${d[0]!.hint ?? ''}`).toContain('Shift_JIS');
    }
  });
});

// path is node:path of this platform; the module under test defaults to it.
it("schemePathFromSheet defaults to this platform's path module", () => {
  expect(schemePathFromSheet(path.join('a', 'b.yaml'), 'c.json')).toBe(path.join('a', 'c.json'));
});
