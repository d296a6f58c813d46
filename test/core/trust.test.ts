// Issue 9, in-process: no input written over (batch set files and PDFs checked against every input by
// real path and inode), file-system errors in plain words, only ordinary files read, skipped folder
// entries reported, --jobs capped, rollover with anchors and aliases, one spelling per year, eras, NFC,
// terminal escaping. Every temp folder made here is removed afterwards.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SheetgenError } from '../../src/diagnostics.js';
import { buildBatch, jobCount } from '../../src/core/batch.js';
import { gradeLoaded } from '../../src/core/grade.js';
import { expandInputs, type SkippedEntry } from '../../src/core/inputs.js';
import { loadSheet, loadSheetText } from '../../src/core/load.js';
import { rollover } from '../../src/core/rollover.js';
import { InputGuard, sweepStaleTemps } from '../../src/core/write.js';
import { fsReason, readRegularFileSync, writeFailure } from '../../src/fs-errors.js';
import { formatDiagnostic } from '../../src/cli/report.js';
import { t } from '../../src/messages.js';
import { calendarEra, dateEra, fiscalEra } from '../../src/model/wareki.js';
import { formatDate } from '../../src/layout/format.js';
import { sheetText } from '../../scripts/gen-sheets.mjs';

const made: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sheetgen-trust-'));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
const seed = readFileSync('examples/asahi-2020-09.yaml', 'utf8');
const isRoot = process.getuid?.() === 0;

describe('file-system errors in plain words', () => {
  const codes = [
    'EACCES',
    'EPERM',
    'EBUSY',
    'EIO',
    'ENXIO',
    'EINVAL',
    'ENOSPC',
    'EDQUOT',
    'EISDIR',
    'EROFS',
    'ELOOP',
    'ENAMETOOLONG',
    'ENOTDIR',
    'EMFILE',
    'ETIMEDOUT',
    'ENOENT',
    'EEXIST',
  ];
  it.each(codes)('%s: a sentence in both languages, never the bare code', (code) => {
    const e = Object.assign(new Error(code), { code });
    for (const lang of ['en', 'ja'] as const) {
      const r = fsReason(e, lang);
      expect(r).not.toContain(code);
      expect(r.length).toBeGreaterThanOrEqual(5);
    }
    const w = writeFailure('out/x.pdf', e, 'en');
    expect(w.message).toContain('out/x.pdf');
    expect(w.exitCode).toBe(1);
  });
  it('EBUSY on replacing a file: close the PDF viewer, the old file is kept', () => {
    const e = writeFailure('out/2020-09.pdf', Object.assign(new Error('busy'), { code: 'EBUSY' }), 'en', true);
    expect(e.message).toMatch(/open in a PDF viewer.*Close it and run again.*old file is kept/);
    expect(writeFailure('o.pdf', Object.assign(new Error('busy'), { code: 'EBUSY' }), 'ja', true).message).toContain(
      'PDF ビューア',
    );
  });
});

describe('only ordinary files are read (sheets, schemes, fonts)', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'ok.yaml'), seed);
  execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
  symlinkSync(join(dir, 'pipe.yaml'), join(dir, 'link-to-pipe.yaml'));
  symlinkSync('/proc/self/status', join(dir, 'proc.yaml'));
  symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
  symlinkSync(join(dir, 'nothing-here.yaml'), join(dir, 'dangling.yaml'));
  const cases: [string, RegExp][] = [
    ['pipe.yaml', /named pipe/],
    ['link-to-pipe.yaml', /named pipe/],
    ['proc.yaml', /system file/],
    ['zero.yaml', /system file|device/],
    ['dangling.yaml', /No such file/],
    ['.', /directory/],
  ];
  it.each(cases)('%s is refused up front with exit 2, without blocking', async (name, msg) => {
    const err = await loadSheet(join(dir, name), 'en').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SheetgenError);
    expect((err as SheetgenError).exitCode).toBe(2);
    expect((err as SheetgenError).message).toMatch(msg);
  });
  it('reads an ordinary file, bounded', () => {
    expect(readRegularFileSync(join(dir, 'ok.yaml'), 1 << 20, 'en').length).toBe(Buffer.byteLength(seed));
    expect(readRegularFileSync(join(dir, 'ok.yaml'), 100, 'en').size).toBe(Buffer.byteLength(seed));
  });
  it('a folder walk reports sheet-named FIFOs and dangling links instead of dropping them', async () => {
    const skipped: SkippedEntry[] = [];
    const files = await expandInputs([dir], 'en', skipped);
    // A link to a /proc file looks ordinary to stat: it is listed, and refused when read (above).
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['ok.yaml', 'proc.yaml']);
    const names = skipped.map((s) => s.file.slice(dir.length + 1)).sort();
    expect(names).toEqual(['dangling.yaml', 'link-to-pipe.yaml', 'pipe.yaml', 'zero.yaml']);
  });
  it.skipIf(isRoot)('an unreadable sub-folder is reported, an unreadable input folder is exit 2', async () => {
    const d = tmp();
    mkdirSync(join(d, 'locked'));
    writeFileSync(join(d, 'a.yaml'), seed);
    execFileSync('chmod', ['000', join(d, 'locked')]);
    const skipped: SkippedEntry[] = [];
    await expandInputs([d], 'en', skipped);
    expect(skipped.map((s) => s.file)).toEqual([join(d, 'locked')]);
    execFileSync('chmod', ['755', join(d, 'locked')]);
  });
});

describe('--jobs', () => {
  it('never more workers than sheets, nor than twice the CPUs', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 1, max: 256 }), { nil: undefined }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 64 }),
        (req, count, cpus) => {
          const n = jobCount(req, count, cpus);
          expect(n).toBeGreaterThanOrEqual(1);
          expect(n).toBeLessThanOrEqual(Math.min(count, cpus * 2));
          if (req !== undefined) expect(n).toBeLessThanOrEqual(req);
        },
      ),
    );
  });
});

describe('no input is ever written over', () => {
  /** Every input file of a run with its bytes before the run. */
  const snapshot = (files: string[]) => new Map(files.map((f) => [f, readFileSync(f)]));
  const unchanged = (before: Map<string, Buffer>) => {
    for (const [f, bytes] of before) expect(readFileSync(f), `${f} unchanged`).toEqual(bytes);
  };

  it('build a.yaml o/grades.json -o o keeps o/grades.json (JSON is YAML: it is an input)', async () => {
    const dir = tmp();
    const o = join(dir, 'o');
    mkdirSync(o);
    writeFileSync(join(dir, 'a.yaml'), seed);
    writeFileSync(join(o, 'grades.json'), '{"kept": true}\n');
    const before = snapshot([join(dir, 'a.yaml'), join(o, 'grades.json')]);
    await expect(
      buildBatch([join(dir, 'a.yaml'), join(o, 'grades.json')], { lang: 'en', outDir: o, jobs: 1 }),
    ).rejects.toThrow(/is the input file/);
    unchanged(before);
    expect(existsSync(join(o, '2020-09.pdf')), 'the finished PDF stays').toBe(true);
  }, 60_000);

  // Generated layouts: which set file or PDF name an input takes (by name, hard link or symlinked folder),
  // and whether it comes as a sheet, a --scheme or a --font. Whatever the layout, no input changes.
  it('property: any input at any output name, by any path, is never changed', async () => {
    const font = join(
      process.cwd(),
      'node_modules/@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('grades.json', 'grades.csv', 'projects.csv', 'projects.json', 'index.pdf', '2020-09.pdf'),
        fc.constantFrom('sheet', 'scheme', 'font', 'hardlink', 'grading'),
        fc.boolean(),
        async (name, role, viaLink) => {
          const dir = tmp();
          const real = join(dir, 'real-out');
          mkdirSync(real);
          // The output folder named through a symbolic link, or directly.
          const o = viaLink ? join(dir, 'link-out') : real;
          if (viaLink) symlinkSync(real, o);
          const a = join(dir, 'a.yaml');
          writeFileSync(a, sheetText(0));
          const target = join(real, name);
          const inputs = [a];
          const opts: Parameters<typeof buildBatch>[1] = { lang: 'en', outDir: o, jobs: 1 };
          if (role === 'sheet') {
            writeFileSync(target, sheetText(1));
            inputs.push(target);
          } else if (role === 'scheme') {
            copyFileSync('grading/asahi.json', target);
            opts.scheme = target;
          } else if (role === 'font') {
            copyFileSync(font, target);
            opts.font = target;
          } else if (role === 'hardlink') {
            linkSync(a, target);
          } else {
            copyFileSync('grading/asahi.json', target);
            const b = join(real, 'b.yaml');
            writeFileSync(b, `grading: ./${name}\n${sheetText(2)}`);
            inputs.push(b);
          }
          const before = snapshot([...inputs, target]);
          await buildBatch(inputs, opts).catch((e: unknown) => {
            if (!(e instanceof SheetgenError)) throw e;
          });
          unchanged(before);
          expect(readdirSync(real).filter((f) => f.endsWith('.tmp'))).toEqual([]);
        },
      ),
      { numRuns: 4, seed: 9 },
    );
  }, 480_000);

  it('a scheme a sheet names is never written over: also when that sheet fails, when its path is written with \\, and when --scheme is used instead', async () => {
    const cases: { ref: string; extra?: string; scheme?: string; jobs: number }[] = [
      // b.yaml has an error: it is never graded, but the file it names is still the user's scheme.
      { ref: './grades.json', extra: 'bogus_field: 1\n', jobs: 2 },
      // Written on a Windows PC: `\` separates folders on any system, for the guard as for grading.
      { ref: 'o\\grades.json', jobs: 1 },
      // --scheme instead of the sheet's own: the file the sheet names is still not an output.
      { ref: './projects.json', scheme: 'five-level', jobs: 1 },
    ];
    for (const c of cases) {
      const dir = tmp();
      const name = c.ref.replace(/^.*[\\/]/, '');
      const o = c.ref.startsWith('o') ? join(dir, 'o') : dir;
      mkdirSync(o, { recursive: true });
      writeFileSync(join(dir, 'a.yaml'), sheetText(0));
      writeFileSync(join(dir, 'b.yaml'), `grading: '${c.ref}'\n${c.extra ?? ''}${sheetText(2)}`);
      copyFileSync('grading/asahi.json', join(o, name));
      const before = snapshot([join(dir, 'a.yaml'), join(dir, 'b.yaml'), join(o, name)]);
      await expect(
        buildBatch([join(dir, 'a.yaml'), join(dir, 'b.yaml')], {
          lang: 'en',
          outDir: o,
          jobs: c.jobs,
          ...(c.scheme ? { scheme: c.scheme } : {}),
        }),
        c.ref,
      ).rejects.toThrow(`The output ${join(o, name)} is the input file`);
      unchanged(before);
      expect(existsSync(join(o, '2020-01.pdf')), 'the finished PDF stays').toBe(true);
    }
  }, 120_000);

  it('the guard knows an input by real path and by inode', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.yaml'), seed);
    linkSync(join(dir, 'a.yaml'), join(dir, 'hard.pdf'));
    symlinkSync(dir, join(dir, 'via'));
    const g = await InputGuard.of([join(dir, 'a.yaml')]);
    expect(await g.inputAt(join(dir, 'hard.pdf'))).toBe(join(dir, 'a.yaml'));
    expect(await g.inputAt(join(dir, 'via', 'a.yaml'))).toBe(join(dir, 'a.yaml'));
    expect(await g.inputAt(join(dir, 'other.pdf'))).toBeUndefined();
  });
});

describe('temp files of killed runs', () => {
  it("are swept by the next run in that folder: a dead pid's go, a running one's stay", async () => {
    const dir = tmp();
    // A pid that is not running: a child that has exited.
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
    writeFileSync(join(dir, `.2020-09.pdf.${dead}.abc.tmp`), 'half');
    writeFileSync(join(dir, `.2020-09.pdf.${process.pid}.abc.tmp`), 'mine, in the making');
    writeFileSync(join(dir, 'notes.tmp'), 'not ours');
    expect(await sweepStaleTemps(dir)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([`.2020-09.pdf.${process.pid}.abc.tmp`, 'notes.tmp']);
  });
});

describe('rollover with anchors and aliases', () => {
  const setup = (files: Record<string, string>) => {
    const dir = tmp();
    mkdirSync(join(dir, 'in'));
    for (const [n, text] of Object.entries(files)) writeFileSync(join(dir, 'in', n), text);
    return dir;
  };
  it('an anchor on fiscal_year used elsewhere, text reused by *alias: refused at a line, or carried unchanged; the other files still roll over', async () => {
    const fy = seed.replace(/^fiscal_year: 2020/m, 'fiscal_year: &fy 2020').replace(/^(\s+)2020: 114/m, '$12020: 114');
    const withFyAlias = fy
      .replace(/as_of: [^\n]*/, (m) => m)
      .replace(/^plan_period: \{ from: 2020/m, 'plan_period: { from: *fy');
    const reasonsAlias = seed
      .replace(/^reasons: /m, 'reasons: &r ')
      .replace(/^policy: [|>][^\n]*\n(?: {2}[^\n]*\n)+/m, 'policy: *r\n');
    const carriedAnchor = seed
      .replace(/^municipality: (\S+)/m, 'municipality: &m $1')
      .replace(/^situation: [|>][^\n]*\n(?: {2}[^\n]*\n)+/m, 'situation: *m\n');
    const dir = setup({
      'a-2020.yaml': withFyAlias,
      'b-2020.yaml': reasonsAlias,
      'c-2020.yaml': carriedAnchor,
      'd-2020.yaml': seed,
    });
    for (const f of ['a-2020.yaml', 'b-2020.yaml', 'c-2020.yaml']) {
      expect(hasAlias(readFileSync(join(dir, 'in', f), 'utf8')), `${f} uses an alias`).toBe(true);
    }
    const results = await rollover([join(dir, 'in')], { lang: 'en', to: 2021, outDir: join(dir, 'out') });
    expect(results).toHaveLength(4);
    for (const r of results) {
      const loaded = await loadSheet(r.file, 'en');
      if (r.written) {
        // Carried values exactly as they were.
        const rolled = await loadSheet(r.output, 'en');
        expect(rolled.sheet, r.output).toBeDefined();
        const a = loaded.parsed!.data as Record<string, unknown>;
        const b = rolled.parsed!.data as Record<string, unknown>;
        for (const key of ['municipality', 'measure', 'kpis', 'goal', 'projects', 'plan_period']) {
          if (key === 'kpis' || key === 'goal') continue; // grade_override may be removed
          expect(b[key], `${r.file} ${key}`).toEqual(a[key]);
        }
        expect(b.fiscal_year).toBe(2021);
      } else {
        const d = r.diagnostics.find((x) => x.code === 'rollover.alias');
        expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
        expect(d!.line, 'located').toBeGreaterThan(0);
      }
    }
    expect(results.find((r) => r.file.endsWith('d-2020.yaml'))!.written).toBe(true);
  }, 60_000);

  it("an unreadable file is that file's error: the others still roll over", async () => {
    const dir = setup({ 'a-2020.yaml': seed, 'b-2020.yaml': seed.replace('number: 9,', 'number: 8,') });
    execFileSync('mkfifo', [join(dir, 'in', 'c-2020.yaml')]);
    const results = await rollover(
      [join(dir, 'in', 'a-2020.yaml'), join(dir, 'in', 'c-2020.yaml'), join(dir, 'in', 'b-2020.yaml')],
      { lang: 'en', to: 2021, outDir: join(dir, 'out') },
    );
    expect(results.map((r) => r.written)).toEqual([true, false, true]);
    expect(results[1]!.diagnostics[0]!.message).toContain('named pipe');
  });

  it('never writes through a symbolic link inside the output folder, and refuses an output folder that is the input by real path', async () => {
    const dir = setup({ 'a-2020.yaml': seed });
    mkdirSync(join(dir, 'in', 'sub'));
    writeFileSync(join(dir, 'in', 'sub', 'b-2020.yaml'), seed.replace('number: 9,', 'number: 8,'));
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    mkdirSync(join(dir, 'out'));
    symlinkSync(elsewhere, join(dir, 'out', 'sub'));
    const results = await rollover([join(dir, 'in')], { lang: 'en', to: 2021, outDir: join(dir, 'out') });
    expect(readdirSync(elsewhere)).toEqual([]);
    const sub = results.find((r) => r.file.includes('sub'))!;
    expect(sub.written).toBe(false);
    expect(sub.diagnostics.map((d) => d.message).join()).toContain('symbolic link');
    expect(results.find((r) => r.file.endsWith('a-2020.yaml'))!.written).toBe(true);
    symlinkSync(join(dir, 'in'), join(dir, 'in-link'));
    await expect(
      rollover([join(dir, 'in')], { lang: 'en', to: 2021, outDir: join(dir, 'in-link', 'next') }),
    ).rejects.toThrow(/input folder/);
  });
});

const hasAlias = (text: string) => /\*\w+/.test(text);

describe('one spelling per value', () => {
  const diag = (text: string) => loadSheetText('x.yaml', text, 'en').diagnostics;
  it('"2020" and 2020 in one map are a duplicate, said so', () => {
    const text = seed.replace('actuals: { 2019: 85, 2020: 114 }', 'actuals: { 2019: 85, 2020: 114, "2020": 115 }');
    expect(text).not.toBe(seed);
    const d = diag(text).find((x) => x.code === 'yaml.duplicate_key');
    expect(d?.message).toContain('The year 2020 appears twice');
  });
  it.each([
    ['fiscal_year: 0x7E4', /^fiscal_year: 2020/m],
    ['fiscal_year: 2020.0', /^fiscal_year: 2020/m],
    ['fiscal_year: +2020', /^fiscal_year: 2020/m],
    ['fiscal_year: 02020', /^fiscal_year: 2020/m],
    ['version: 1.0', /^version: 1/m],
  ])('%s is refused as a year spelling', (written, where) => {
    const text = seed.replace(where, written);
    expect(text).not.toBe(seed);
    const d = diag(text).find((x) => x.code === 'number.year-form');
    expect(d, JSON.stringify(diag(text).map((x) => x.code))).toBeDefined();
    expect(d!.message).toContain(written.split(': ')[1]!);
  });
  it('a year key written 0x7E4 or 2020.0 is refused at the key', () => {
    for (const k of ['0x7E4', '2020.0', '+2020']) {
      const text = seed.replace('actuals: { 2019: 85, 2020: 114 }', `actuals: { 2019: 85, ${k}: 114 }`);
      expect(
        diag(text).some((x) => x.code === 'number.year-form' && x.message.includes(k)),
        k,
      ).toBe(true);
    }
  });
});

describe('limits', () => {
  const codes = (text: string) =>
    gradeLoaded(loadSheetText('x.yaml', text, 'en'), { lang: 'en' }).diagnostics.map(
      (d) => `${d.code}:${d.path?.join('.')}`,
    );
  it('reference_years: 4 refused (limit 3)', () => {
    const text = seed.replace(/^reference_years: .*$/m, 'reference_years: [2015, 2016, 2017, 2018]');
    expect(text).not.toBe(seed);
    expect(codes(text).some((c) => c.startsWith('schema.max-items') || c.includes('reference_years'))).toBe(true);
  });
  it('a year before 明治 is refused', () => {
    const text = seed.replace(/^reference_years: .*$/m, 'reference_years: [1867]');
    expect(codes(text).some((c) => c.includes('reference_years'))).toBe(true);
  });
});

describe('eras', () => {
  it.each([
    ['1926-12-24', '大正15年12月24日'],
    ['1926-12-25', '昭和元年12月25日'],
    ['1989-01-07', '昭和64年1月7日'],
    ['1989-01-08', '平成元年1月8日'],
    ['2019-04-30', '平成31年4月30日'],
    ['2019-05-01', '令和元年5月1日'],
    ['1912-07-29', '明治45年7月29日'],
    ['1912-07-30', '大正元年7月30日'],
    ['1868-01-25', '明治元年1月25日'],
    ['1900-06-01', '明治33年6月1日'],
  ])('%s is %s', (iso, want) => {
    expect(formatDate(iso)).toBe(want);
  });
  it('fiscal and calendar years', () => {
    expect(fiscalEra(1900)).toEqual({ era: '明治', year: 33 });
    expect(fiscalEra(1926)).toEqual({ era: '大正', year: 15 });
    expect(fiscalEra(1927)).toEqual({ era: '昭和', year: 2 });
    expect(fiscalEra(1989)).toEqual({ era: '平成', year: 1 });
    expect(fiscalEra(2019)).toEqual({ era: '令和', year: 1 });
    expect(calendarEra(1926)).toEqual({ era: '大正', year: 15 });
    expect(calendarEra(1912)).toEqual({ era: '明治', year: 45 });
    expect(dateEra('1850-01-01').era).toBe('西暦');
  });
  it('property: every day from 1868 on has an era whose year is at least 1, and the era never goes back', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1868, 0, 25), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const iso = new Date(ms).toISOString().slice(0, 10);
        const e = dateEra(iso);
        expect(e.era).not.toBe('西暦');
        expect(e.year).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});

describe('text', () => {
  it('decomposed kana are read as one character (NFC); compatibility ideographs stay as written', () => {
    const text = seed.replace(/^municipality: (\S+)/m, 'municipality: "カ\u3099ク\u3099\uFA19"');
    const l = loadSheetText('x.yaml', text, 'en');
    expect(l.sheet?.municipality).toBe('ガグ\uFA19');
  });
  it('file names and values are escaped on the terminal: no forged line, no escape sequence, no bidi override', () => {
    const file = 'evil\n\u001b[2Jok.yaml\u202e';
    const s = formatDiagnostic(
      { severity: 'error', code: 'x', file, message: t('en', 'noSuchFile', { file }) },
      undefined,
      { color: false, lang: 'en' },
    );
    expect(s).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(s).toContain('\\u{001B}');
    expect(s.split('\n')).toHaveLength(1);
  });
});
