// `sheetgen xlsx export` and `xlsx import` through the real CLI: output names, --force, nothing
// overwritten or half-written, problems at book!sheet!cell in the clerk's language, and a whole
// year: rollover → export → (divisions fill in) → import → build.

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { removeSnapshot, runCli, stackLines } from '../hostile/cli.js';
import { exportText } from './helpers.js';

const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'sheetgen-xlsx-cli-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  removeSnapshot();
});

describe('xlsx export', () => {
  it('writes OUT.xlsx for one sheet, a folder of books for several, and replaces only with --force', async () => {
    const one = join(work, 'one.xlsx');
    let r = await runCli(['xlsx', 'export', join(root, 'examples/asahi-2020-09.yaml'), '-o', one]);
    expect(r.code).toBe(0);
    expect(readFileSync(one).subarray(0, 2).toString()).toBe('PK');
    const before = readFileSync(one);
    r = await runCli(['xlsx', 'export', join(root, 'examples/asahi-2020-09.yaml'), '-o', one]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists.*--force/);
    expect(readFileSync(one).equals(before)).toBe(true);
    r = await runCli(['xlsx', 'export', join(root, 'examples/asahi-2020-09.yaml'), '-o', one, '--force']);
    expect(r.code).toBe(0);
    // The same sheet gives the same bytes.
    expect(readFileSync(one).equals(before)).toBe(true);

    const dir = join(work, 'books');
    r = await runCli(['xlsx', 'export', join(root, 'examples'), '-o', dir]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['asahi-2020-03.xlsx', 'asahi-2020-05.xlsx', 'asahi-2020-09.xlsx']);
    r = await runCli(['xlsx', 'export', join(root, 'examples'), '-o', join(work, 'many.xlsx')]);
    expect(r.code).toBe(2);
    expect(existsSync(join(work, 'many.xlsx'))).toBe(false);
  }, 120_000);

  it('lays the form out with locked labels, unlocked inputs, drop-downs, number formats and protection', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await exportText('a.yaml', readFileSync(join(root, 'examples/asahi-2020-09.yaml'), 'utf8'))).slice()
        .buffer as ArrayBuffer,
    );
    const ws = wb.getWorksheet('様式')!;
    const at = (name: string) =>
      ws.getCell(
        wb.definedNames.model
          .find((d) => d.name === name)!
          .ranges[0]!.split('!')[1]!
          .replaceAll('$', ''),
      );
    const protection = (ws as unknown as { sheetProtection: { sheet?: boolean; hashValue?: string } }).sheetProtection;
    expect(protection).toMatchObject({ sheet: true });
    expect(protection.hashValue).toBeUndefined(); // no password
    expect(at('sg.g.a2020').protection?.locked).toBe(false);
    expect(at('sg.g.a2020').value).toBe(-74);
    expect(at('sg.g.a2020').numFmt).toBe('#,##0;"▲"#,##0');
    expect(at('sg.g.a2020_p').value).toBe('暦年');
    expect(at('sg.g.baseline_p').value).toBe('2018年');
    expect(at('sg.g.grade').protection?.locked).not.toBe(false); // locked is the default
    expect(at('sg.g.grade').fill).toMatchObject({ fgColor: { argb: 'FFDDEBF7' } });
    expect(at('sg.g.grade').value).toMatchObject({ formula: expect.stringContaining('ROUND(') });
    expect(at('sg.progress').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"順調,概ね順調,停滞,実施困難,完了"'],
    });
    expect(at('sg.g.better').dataValidation).toMatchObject({ type: 'list', formulae: ['"高いほど良い,低いほど良い"'] });
    expect(at('sg.k1.a2020').dataValidation).toMatchObject({ type: 'decimal' });
    expect(at('sg.p0.cost2020').dataValidation).toMatchObject({ type: 'whole' });
    expect(at('sg.p0.cost2020').value).toBe(537409);
    expect(at('sg.total.cost').value).toMatchObject({ formula: expect.stringContaining('SUM(') });
    expect(wb.getWorksheet('_sheetgen')!.state).toBe('veryHidden');
  }, 60_000);
});

describe('xlsx import', () => {
  it('reports a problem at book!sheet!cell with the field and a hint in Japanese, and writes nothing', async () => {
    const src = await exportText('a.yaml', readFileSync(join(root, 'examples/asahi-2020-09.yaml'), 'utf8'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(src.slice().buffer as ArrayBuffer);
    const range = wb.definedNames.model.find((d) => d.name === 'sg.k1.a2020')!.ranges[0]!;
    const cell = range.split('!')[1]!.replaceAll('$', '');
    wb.getWorksheet('様式')!.getCell(cell).value = '▲74';
    const book = join(work, '04-防災.xlsx');
    writeFileSync(book, new Uint8Array(await wb.xlsx.writeBuffer()));
    const out = join(work, 'imported-bad');
    const r = await runCli(['xlsx', 'import', book, '-o', out], { lang: 'ja' });
    expect(r.code).toBe(1);
    expect(stackLines(r.stderr)).toEqual([]);
    expect(r.stderr).toContain(`04-防災.xlsx!様式!${cell}`);
    expect(r.stderr).toMatch(/KPI16 実績値 2020年度/);
    expect(r.stderr).toMatch(/ヒント: .*-74/);
    expect(existsSync(join(out, '04-防災.yaml'))).toBe(false);
  }, 60_000);

  it('never replaces an existing YAML without --force', async () => {
    const books = join(work, 'books');
    const out = join(work, 'imported');
    let r = await runCli(['xlsx', 'import', join(books, 'asahi-2020-09.xlsx'), '-o', out]);
    expect(r.code).toBe(0);
    writeFileSync(join(out, 'asahi-2020-09.yaml'), 'my own edits\n');
    r = await runCli(['xlsx', 'import', join(books, 'asahi-2020-09.xlsx'), '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists.*--force/);
    expect(readFileSync(join(out, 'asahi-2020-09.yaml'), 'utf8')).toBe('my own edits\n');
    r = await runCli(['xlsx', 'import', join(books, 'asahi-2020-09.xlsx'), '-o', out, '--force']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'asahi-2020-09.yaml'), 'utf8')).toMatch(/^# yaml-language-server/);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});

describe('a whole year', () => {
  it('rollover → xlsx export → fill in → xlsx import → build', async () => {
    const next = join(work, 'y2021');
    let r = await runCli(['rollover', join(root, 'examples'), '--to', '2021', '-o', next]);
    expect(r.code).toBe(0);
    const books = join(work, 'y2021-books');
    r = await runCli(['xlsx', 'export', next, '-o', books]);
    expect(r.code).toBe(0);
    // A division fills in its workbook: this year's actual and its reasons.
    const f = join(books, 'asahi-2021-09.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(readFileSync(f)).buffer as ArrayBuffer);
    const at = (name: string) =>
      wb.getWorksheet('様式')!.getCell(
        wb.definedNames.model
          .find((d) => d.name === name)!
          .ranges[0]!.split('!')[1]!
          .replaceAll('$', ''),
      );
    at('sg.k1.a2021').value = 150;
    at('sg.reasons').value = 'ＫＰＩ16【達成状況：Ａ】オンライン相談が定着した。\n次の段落。';
    writeFileSync(f, new Uint8Array(await wb.xlsx.writeBuffer()));
    const back = join(work, 'y2021-back');
    r = await runCli(['xlsx', 'import', ...readdirSync(books).map((b) => join(books, b)), '-o', back]);
    expect(r.code, r.stderr).toBe(0);
    const yaml = readFileSync(join(back, 'asahi-2021-09.yaml'), 'utf8');
    expect(yaml).toMatch(/2021: 150/);
    expect(yaml).toMatch(/reasons: \|\n {2}ＫＰＩ16【達成状況：Ａ】オンライン相談が定着した。\n {2}次の段落。\n/);
    r = await runCli(['build', back, '-o', join(work, 'y2021-pdf'), '--quiet'], { timeoutMs: 180_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(work, 'y2021-pdf')).filter((p) => p.endsWith('.pdf')).length).toBe(4); // 3 sheets + index
  }, 300_000);
});
