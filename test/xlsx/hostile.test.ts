// The catalogue of hostile and damaged workbooks, each generated here (no binary fixtures): not a
// zip, encrypted, zip bombs (lying and honest), huge sheets, macros, foreign workbooks, deleted and
// moved cells, merged cells, formulas and dates where numbers belong, numbers typed as text. Each
// gives a clear message naming book!sheet!cell where there is a cell; the CLI runs them with a
// small heap and no stack trace.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { importWorkbook } from '../../src/xlsx/import.js';
import { MAX_CELLS } from '../../src/xlsx/zipcheck.js';
import { removeSnapshot, runCli, stackLines } from '../hostile/cli.js';
import { exportText } from './helpers.js';

const root = new URL('../../', import.meta.url).pathname;
const seedText = readFileSync(join(root, 'examples/asahi-2020-09.yaml'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'sheetgen-xlsx-hostile-'));
let seed: Uint8Array;
beforeAll(async () => {
  seed = await exportText('asahi-2020-09.yaml', seedText);
}, 60_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  removeSnapshot();
});

/** A zip archive of the given entries; `declared` lets an entry lie about its unpacked size. */
function zip(entries: { name: string; data: Uint8Array; declared?: number; store?: boolean }[]): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const body = e.store ? Buffer.from(e.data) : deflateRawSync(e.data);
    const size = e.declared ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.store ? 0 : 8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(e.store ? 0 : 8, 10);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(cd, name);
    offset += 30 + name.length + body.length;
  }
  const cdBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, cdBuf, end]));
}

/** The seed workbook changed through exceljs, as a clerk's Excel would save it. */
async function edited(change: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(seed.slice().buffer as ArrayBuffer);
  change(wb.getWorksheet('様式')!, wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** The A1 address of a defined name in a workbook. */
function cellOf(wb: ExcelJS.Workbook, name: string): string {
  const range = wb.definedNames.model.find((d) => d.name === name)!.ranges[0]!;
  return range.split('!')[1]!.replaceAll('$', '');
}

const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === 'error');

interface Case {
  name: string;
  make: () => Promise<Uint8Array> | Uint8Array;
  file?: string;
  code: string;
  /** The diagnostic names a cell (book!様式!A1). */
  cell?: boolean;
  message: RegExp;
}

const big = new Uint8Array(80 * 1024 * 1024); // 80 MiB of zeros deflates to about 80 KiB
const CASES: Case[] = [
  {
    name: 'not a zip (a text file named .xlsx)',
    make: () => new TextEncoder().encode('municipality: 旭市\n'),
    code: 'xlsx.notZip',
    message: /not a zip/,
  },
  { name: 'empty file', make: () => new Uint8Array(0), code: 'xlsx.notZip', message: /not a zip/ },
  {
    name: 'encrypted or old .xls (OLE2 file)',
    make: () => new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]),
    code: 'xlsx.encrypted',
    message: /encrypted/,
  },
  { name: 'truncated zip', make: () => seed.slice(0, 4000), code: 'xlsx.corrupt', message: /damaged/ },
  {
    name: 'zip bomb that lies about its size',
    make: () => zip([{ name: '[Content_Types].xml', data: big, declared: 1000 }]),
    code: 'xlsx.bomb',
    message: /zip bomb/,
  },
  {
    name: 'zip bomb that declares its size',
    make: () => zip([{ name: 'xl/a.xml', data: big }]),
    code: 'xlsx.bomb',
    message: /zip bomb/,
  },
  {
    name: 'huge sheet (a quarter of a million cells)',
    make: () =>
      zip([
        {
          name: 'xl/worksheets/sheet1.xml',
          data: new TextEncoder().encode(
            `<worksheet><sheetData><row r="1">${'<c r="A1"><v>1</v></c>'.repeat(MAX_CELLS + 50_000)}</row></sheetData></worksheet>`,
          ),
        },
      ]),
    code: 'xlsx.tooManyCells',
    message: /cells/,
  },
  { name: 'macros by name (.xlsm)', make: () => seed, file: 'book.xlsm', code: 'xlsx.macros', message: /macros/ },
  {
    name: 'macros inside a .xlsx (vbaProject.bin)',
    make: () => zip([{ name: 'xl/vbaProject.bin', data: new Uint8Array(100) }]),
    code: 'xlsx.macros',
    message: /macros/,
  },
  {
    name: 'a workbook not made by sheetgen',
    make: async () => {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('Sheet1').getCell('A1').value = 'hello';
      return new Uint8Array(await wb.xlsx.writeBuffer());
    },
    code: 'xlsx.not-sheetgen',
    message: /not made by/,
  },
  {
    name: 'a formula without a computed value where a number belongs',
    make: () =>
      edited(
        (ws, wb) => (ws.getCell(cellOf(wb, 'sg.k1.a2020')).value = { formula: 'B1*2' } as ExcelJS.CellFormulaValue),
      ),
    code: 'xlsx.cell',
    cell: true,
    message: /formula/,
  },
  {
    name: 'merged cells moved over an input cell',
    make: () =>
      edited((ws, wb) => {
        const a = cellOf(wb, 'sg.k1.a2020');
        const col = a.replace(/\d+/, '');
        const row = Number(a.replace(/[A-Z]+/, ''));
        ws.mergeCells(`${col}${row - 2}:${a}`);
      }),
    code: 'xlsx.merged',
    cell: true,
    message: /merged/,
  },
  {
    name: 'a deleted input cell (its defined name gone)',
    make: () =>
      edited((_ws, wb) =>
        wb.definedNames.remove(wb.definedNames.model.find((d) => d.name === 'sg.k1.a2020')!.ranges[0]!, 'sg.k1.a2020'),
      ),
    code: 'xlsx.name',
    message: /gone/,
  },
  {
    // Excel turns a typed 1/2 into a date and gives the cell a date format.
    name: 'a date where a number belongs',
    make: () =>
      edited((ws, wb) => {
        const c = ws.getCell(cellOf(wb, 'sg.k1.a2020'));
        c.value = new Date(Date.UTC(2021, 0, 2));
        c.numFmt = 'yyyy/m/d';
      }),
    code: 'xlsx.date',
    cell: true,
    message: /date/,
  },
  {
    name: 'an error value (#DIV/0!)',
    make: () =>
      edited(
        (ws, wb) => (ws.getCell(cellOf(wb, 'sg.k1.a2020')).value = { error: '#DIV/0!' } as ExcelJS.CellErrorValue),
      ),
    code: 'xlsx.cell',
    cell: true,
    message: /error/,
  },
  {
    name: 'a word that is not a choice',
    make: () => edited((ws, wb) => (ws.getCell(cellOf(wb, 'sg.k1.better')).value = 'どちらでもない')),
    code: 'xlsx.choice',
    cell: true,
    message: /not one of the choices/,
  },
  {
    name: 'an opinion typed in a spare row without its number',
    make: () => edited((ws, wb) => (ws.getCell(cellOf(wb, 'sg.c1.opinion')).value = '新しい意見')),
    code: 'schema.required',
    cell: true,
    message: /missing/,
  },
  {
    name: 'a progress that is not in the format',
    make: () => edited((ws, wb) => (ws.getCell(cellOf(wb, 'sg.progress')).value = 'まあまあ')),
    code: 'schema.enum',
    cell: true,
    message: /one of/,
  },
];

describe('hostile workbooks (in-process)', () => {
  it.each(CASES)(
    '$name',
    async (c) => {
      const r = await importWorkbook(c.file ?? 'book.xlsx', await c.make(), 'en');
      expect(r.yaml).toBeUndefined();
      const errs = errors(r.diagnostics);
      expect(errs.length).toBeGreaterThan(0);
      const hit = errs.find((d) => d.code === c.code);
      expect(hit, JSON.stringify(errs)).toBeDefined();
      expect(hit!.message).toMatch(c.message);
      if (c.cell) expect(hit!.file).toMatch(/^book\.xlsx!様式![A-Z]+\d+$/);
    },
    60_000,
  );
});

describe('numbers typed as text are handled as the YAML loader handles them', () => {
  const typed: [string, RegExp | null][] = [
    ['114', null], // a plain number stored as text is that number
    ['１１４', /half-width digits: 114/],
    ['▲74', /minus sign: -74/],
    ['1,234', /without separators: 1234/],
    ['12件', /only the number.*: 12/],
  ];
  it.each(typed)(
    '%s',
    async (text, hint) => {
      let address = '';
      const bytes = await edited((ws, wb) => {
        address = cellOf(wb, 'sg.k1.a2020');
        ws.getCell(address).value = text;
      });
      const r = await importWorkbook('04-防災.xlsx', bytes, 'en');
      if (hint === null) {
        expect(errors(r.diagnostics)).toEqual([]);
        expect(r.yaml).toMatch(/2020: 114\b/);
        return;
      }
      expect(r.yaml).toBeUndefined();
      const e = errors(r.diagnostics)[0]!;
      expect(e.file).toBe(`04-防災.xlsx!様式!${address}`);
      expect(e.path).toEqual(['kpis', 1, 'actuals', '2020']);
      expect(e.message).toMatch(/実績値 2020年度/);
      expect(e.hint).toMatch(hint);
    },
    60_000,
  );

  it('a formula with a computed value is taken, with a warning', async () => {
    const bytes = await edited(
      (ws, wb) =>
        (ws.getCell(cellOf(wb, 'sg.k1.a2020')).value = { formula: '100+14', result: 114 } as ExcelJS.CellFormulaValue),
    );
    const r = await importWorkbook('b.xlsx', bytes, 'en');
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toContain('xlsx.formula');
    expect(r.yaml).toMatch(/2020: 114\b/);
  }, 60_000);

  it('a cell moved by the clerk (cut and paste moves its defined name) is still found', async () => {
    const bytes = await edited((ws, wb) => {
      const from = cellOf(wb, 'sg.k1.a2020');
      ws.getCell(from).value = null;
      // 91 → 132: still A below the target 200, so the seed's ② (ＫＰＩ16【達成状況：Ａ】) stays right.
      ws.getCell('AZ200').value = 132;
      wb.definedNames.remove(`'様式'!$${from.replace(/(\d+)/, '$$$1')}`, 'sg.k1.a2020');
      wb.definedNames.add("'様式'!$AZ$200", 'sg.k1.a2020');
    });
    const r = await importWorkbook('b.xlsx', bytes, 'en');
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.yaml).toMatch(/2020: 132\b/);
  }, 60_000);
});

describe('hostile workbooks through the CLI', () => {
  it('refuses each with exit 1, a message and no stack trace, in a small heap', async () => {
    const dir = join(work, 'cli');
    mkdirSync(dir, { recursive: true });
    const books: string[] = [];
    for (const [i, c] of CASES.entries()) {
      const f = join(dir, `${String(i).padStart(2, '0')}${c.file?.endsWith('.xlsm') ? '.xlsm' : '.xlsx'}`);
      writeFileSync(f, await c.make());
      books.push(f);
    }
    // One good book among them is still imported.
    writeFileSync(join(dir, 'good.xlsx'), seed);
    const r = await runCli(['xlsx', 'import', ...books, join(dir, 'good.xlsx'), '-o', join(dir, 'out')], {
      nodeFlags: ['--max-old-space-size=160'],
      timeoutMs: 120_000,
      lang: 'ja',
    });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    expect(stackLines(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/zip 爆弾/);
    expect(r.stderr).toMatch(/マクロ/);
    expect(r.stderr).toMatch(/様式![A-Z]+\d+/);
    expect(r.stdout).toMatch(/good\.xlsx → .*good\.yaml/);
    expect(readFileSync(join(dir, 'out', 'good.yaml'), 'utf8')).toMatch(/^# yaml-language-server/);
  }, 180_000);
});
