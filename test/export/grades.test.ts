// grades.csv and grades.json of a built set, read back and checked row by row against the grades
// gradeFile gives each sheet; and the CSV rules (BOM, CRLF, RFC 4180 quoting, formula guard, plain numbers).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBatch } from '../../src/core/batch.js';
import { gradeFile } from '../../src/core/grade.js';
import { gradesCsv, guardFormula, plainNumber, quoteField } from '../../src/export/csv.js';
import type { gradesJson } from '../../src/export/json.js';
import { GRADE_COLUMNS, gradeRows, type GradeRow } from '../../src/export/rows.js';
import { parseCsv } from '../helpers/csv.js';

const examples = ['examples/asahi-2020-03.yaml', 'examples/asahi-2020-05.yaml', 'examples/asahi-2020-09.yaml'];

describe('grades.csv and grades.json of the examples', () => {
  let csvBytes: Buffer;
  let csv: string[][];
  let json: ReturnType<typeof gradesJson>;
  let jsonText: string;
  const expected: {
    file: string;
    kind: string;
    number: number | null;
    name: string;
    grade: string;
    computed: string;
    actual: number | null;
    baseline: number | null;
    target: number | null;
    measure: number;
    written: { actual?: string | undefined; baseline?: string | undefined; target?: string | undefined };
  }[] = [];

  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), 'sheetgen-export-'));
    const r = await buildBatch(examples, { lang: 'en', outDir: out, jobs: 1 });
    expect(r.sheets.every((s) => s.status === 'built')).toBe(true);
    csvBytes = readFileSync(join(out, 'grades.csv'));
    csv = parseCsv(csvBytes.toString('utf8').replace(/^\uFEFF/, ''));
    jsonText = readFileSync(join(out, 'grades.json'), 'utf8');
    json = JSON.parse(jsonText) as ReturnType<typeof gradesJson>;
    const graded = await Promise.all(examples.map((f) => gradeFile(f, { lang: 'en' })));
    // Publication order: 基本目標, then measure number.
    graded.sort(
      (a, b) =>
        a.graded!.sheet.basicGoal - b.graded!.sheet.basicGoal ||
        a.graded!.sheet.measure.number - b.graded!.sheet.measure.number,
    );
    for (const g of graded) {
      const s = g.graded!;
      for (const gi of [s.goal, ...s.kpis]) {
        expected.push({
          file: g.file,
          kind: gi.indicator.kind === 'goal' ? '数値目標' : 'KPI',
          number: gi.indicator.number,
          name: gi.indicator.name,
          grade: gi.result.grade,
          computed: gi.result.computed,
          actual: gi.result.actual?.value ?? null,
          baseline: gi.indicator.baseline?.value ?? null,
          target: gi.indicator.target?.value ?? null,
          measure: s.sheet.measure.number,
          written: {
            actual: gi.result.actual?.written,
            baseline: gi.indicator.baseline?.written,
            target: gi.indicator.target?.valueWritten,
          },
        });
      }
    }
  }, 60_000);

  it('the CSV opens in Excel on a Japanese PC: UTF-8 with BOM, CRLF after every record, a header row', () => {
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csvBytes.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '').replace(/"[^"]*"/g, '')).not.toMatch(/[\r\n]/);
    expect(csv[0]).toEqual(GRADE_COLUMNS.map((c) => c.label));
    expect(new TextDecoder('utf-8', { fatal: true }).decode(csvBytes)).toContain('達成状況');
  });

  it('has one row per indicator, each with the grade gradeFile gives', () => {
    const col = (label: string) => csv[0]!.indexOf(label);
    const body = csv.slice(1);
    expect(body.length).toBe(expected.length);
    body.forEach((row, i) => {
      const e = expected[i]!;
      expect(row.length).toBe(GRADE_COLUMNS.length);
      expect(row[col('重点施策番号')]).toBe(String(e.measure));
      expect(row[col('指標区分')]).toBe(e.kind);
      expect(row[col('KPI番号')]).toBe(e.number === null ? '' : String(e.number));
      expect(row[col('指標名')]).toBe(e.name);
      expect(row[col('達成状況')]).toBe(e.grade);
      expect(row[col('評価基準による達成状況')]).toBe(e.computed);
      // Numbers with the digits the file wrote (85.0 stays 85.0), the same values.
      expect(row[col('実績値')]).toBe(e.actual === null ? '' : (e.written.actual ?? String(e.actual)));
      expect(row[col('基準値')]).toBe(e.baseline === null ? '' : (e.written.baseline ?? String(e.baseline)));
      expect(row[col('目標値')]).toBe(e.target === null ? '' : (e.written.target ?? String(e.target)));
      expect(row[col('年度')]).toBe('2020');
      expect(row[col('年度（和暦）')]).toBe('令和2年度');
    });
  });

  it('writes numbers as plain numbers: no ▲, no separators, no units', () => {
    const numeric = [
      '基準値',
      '目標値',
      '実績値',
      '年度',
      '基本目標',
      '重点施策番号',
      'KPI番号',
      '基準値の年',
      '目標年度',
      '実績値の年',
    ].map((l) => csv[0]!.indexOf(l));
    for (const row of csv.slice(1)) for (const c of numeric) expect(row[c]).toMatch(/^(-?\d+(\.\d+)?)?$/);
    // The seed's goal: ▲11 → ▲74 in the sheet, -11 and -74 here, with the calendar year beside.
    const seedGoal = csv.find((r) => r[csv[0]!.indexOf('指標名')] === '人口の社会増減（転入・転出の差）')!;
    const at = (l: string) => seedGoal[csv[0]!.indexOf(l)];
    expect([
      at('基準値'),
      at('基準値の年'),
      at('基準値の年の区分'),
      at('基準値の年（和暦）'),
      at('実績値'),
      at('単位'),
      at('達成状況'),
    ]).toEqual(['-11', '2018', '年', '平成30年', '-74', '人', 'D']);
    expect(at('目標値')).toBe('');
    expect(at('目標値（文言）')).toBe('増加');
  });

  it('numbers keep the digits the sheet wrote: 24.0 stays 24.0 in grades.csv and grades.json', () => {
    const row = csv.find((r) => r[csv[0]!.indexOf('指標名')] === '子育てしやすいまちだと思う市民の割合')!;
    const at = (l: string) => row[csv[0]!.indexOf(l)];
    expect([at('基準値'), at('目標値'), at('実績値')]).toEqual(['24.0', '35.0', '26.4']);
    const goal = csv.find((r) => r[csv[0]!.indexOf('指標名')] === '合計特殊出生率')!;
    expect(goal[csv[0]!.indexOf('基準値')]).toBe('1.34');
    // In JSON they are numbers (24 to a program) written with the sheet's digits.
    const i = jsonText.indexOf('"indicator_name": "子育てしやすいまちだと思う市民の割合"');
    const block = jsonText.slice(i, jsonText.indexOf('}', i));
    expect(block).toContain('"baseline": 24.0,');
    expect(block).toContain('"target": 35.0,');
    expect(block).toContain('"actual": 26.4,');
    const parsed = json.rows.find((r) => r.indicator_name === '子育てしやすいまちだと思う市民の割合')!;
    expect([parsed.baseline, parsed.target, parsed.actual]).toEqual([24, 35, 26.4]);
  });

  it('grades.json holds the same rows, numbers as numbers and null for empty cells', () => {
    expect(json.fields.map((f) => f.label)).toEqual(csv[0]);
    expect(json.rows.length).toBe(csv.length - 1);
    json.rows.forEach((r, i) => {
      const e = expected[i]!;
      expect([r.measure_number, r.kpi_number, r.indicator_name, r.grade, r.actual, r.baseline, r.target]).toEqual([
        e.measure,
        e.number,
        e.name,
        e.grade,
        e.actual,
        e.baseline,
        e.target,
      ]);
      // Same keys in the same order as the CSV's columns.
      expect(Object.keys(r)).toEqual(GRADE_COLUMNS.map((c) => c.key));
      GRADE_COLUMNS.forEach((c, j) => {
        const v = r[c.key];
        const cell = csv[i + 1]![j]!;
        if (v === null) expect(cell).toBe('');
        else if (typeof v === 'number') expect(Number(cell)).toBe(v);
        else if (typeof v === 'boolean') expect(cell).toBe(String(v));
        // The CSV's headings are Japanese, so is its direction; the JSON keeps higher/lower.
        else if (c.key === 'better') expect(cell).toBe({ higher: '高いほど良い', lower: '低いほど良い' }[v as string]);
        else expect(cell.replace(/^'/, '')).toBe(v);
      });
    });
    expect(json.fiscal_years).toEqual([2020]);
  });

  it("has the actual's 和暦 beside its year, like the baseline's", () => {
    const h = csv[0]!;
    const [y, p, w] = ['実績値の年', '実績値の年の区分', '実績値の年（和暦）'].map((l) => h.indexOf(l));
    expect(w).toBeGreaterThan(0);
    let seen = 0;
    for (const row of csv.slice(1)) {
      if (row[y!] === '') {
        expect(row[w!]).toBe('');
        continue;
      }
      seen++;
      const year = Number(row[y!]);
      const era = year >= 2019 ? `令和${year - 2018}` : `平成${year - 1988}`;
      expect(row[w!]).toBe(`${era}${row[p!]}`);
    }
    expect(seen).toBeGreaterThan(0);
    expect(csv.slice(1).every((r) => ['高いほど良い', '低いほど良い'].includes(r[h.indexOf('望ましい方向')]!))).toBe(
      true,
    );
  });
});

describe('CSV rules', () => {
  it('quotes per RFC 4180', () => {
    expect(quoteField('plain')).toBe('plain');
    expect(quoteField('a,b')).toBe('"a,b"');
    expect(quoteField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteField('two\nlines')).toBe('"two\nlines"');
  });

  it('guards user text a spreadsheet would run as a formula, but not numbers', () => {
    for (const s of ['=1+2', '+81', '-x', '@SUM(A1)', '\tx', '=HYPERLINK("http://x")'])
      expect(guardFormula(s)).toBe(`'${s}`);
    expect(guardFormula('移住相談件数')).toBe('移住相談件数');
    expect(plainNumber(-74)).toBe('-74');
    expect(plainNumber(1e-7)).toBe('0.0000001');
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(42.5)).toBe('42.5');
  });

  it('a hostile name is quoted and guarded in the file; a negative actual stays a number', async () => {
    const g = await gradeFile('examples/asahi-2020-09.yaml', { lang: 'en' });
    const rows: GradeRow[] = gradeRows(g.graded!, '2020-09.pdf').map((r, i) =>
      i === 1 ? { ...r, indicator_name: '=cmd|" /C calc"!A0', measure_title: '-2+3, "x"' } : r,
    );
    const text = gradesCsv(rows);
    const parsed = parseCsv(text.slice(1));
    const name = parsed[0]!.indexOf('指標名');
    expect(parsed[2]![name]).toBe(`'=cmd|" /C calc"!A0`);
    expect(parsed[2]![parsed[0]!.indexOf('重点施策名')]).toBe(`'-2+3, "x"`);
    expect(parsed[1]![parsed[0]!.indexOf('実績値')]).toBe('-74');
  });
});
