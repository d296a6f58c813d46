// `sheetgen export` through the real bin: open data without PDFs, written atomically into a folder
// or printed as one table; bad sheets reported while the others are exported; inputs never replaced.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../helpers/csv.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sheetgen.js');
const tmp = mkdtempSync(join(tmpdir(), 'sheetgen-export-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], lang = 'C') {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', LANG: lang },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('sheetgen export', () => {
  it('writes grades.csv and projects.csv for a folder, and nothing else', () => {
    const out = join(tmp, 'csv');
    const r = run(['export', 'examples', '-o', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['grades.csv', 'projects.csv']);
    const projects = parseCsv(readFileSync(join(out, 'projects.csv'), 'utf8').replace(/^\uFEFF/, ''));
    const col = (l: string) => projects[0]!.indexOf(l);
    const seedTotal = projects.find(
      (row) =>
        row[col('重点施策番号')] === '9' && row[col('区分')] === '事業費合計' && row[col('計画期間の合計')] === 'true',
    );
    expect(seedTotal?.[col('値')]).toBe('537409');
    const grades = parseCsv(readFileSync(join(out, 'grades.csv'), 'utf8').replace(/^\uFEFF/, ''));
    expect(grades.length).toBeGreaterThan(5);
  });

  it('prints one table as JSON on standard output', () => {
    const r = run(['export', 'examples/asahi-2020-09.yaml', '--format', 'json', '--table', 'projects']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      format: string;
      rows: { item: string; value: number; plan_total: boolean }[];
    };
    expect(doc.format).toBe('sheetgen-projects');
    expect(doc.rows.find((x) => x.item === 'general_fund_total' && x.plan_total)?.value).toBe(16091);
  });

  it('reports a bad sheet with its place, exports the others, and exits 1', () => {
    const dir = join(tmp, 'mixed');
    mkdirSync(dir);
    copyFileSync(join(root, 'examples/asahi-2020-09.yaml'), join(dir, 'a.yaml'));
    writeFileSync(join(dir, 'b.yaml'), 'municipality: 旭市\nfiscal_year: twenty\n');
    const r = run(['export', dir, '--table', 'grades']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/b\.yaml:\d+:\d+/);
    expect(parseCsv(r.stdout.replace(/^\uFEFF/, '')).length).toBe(1 + 3);
  });

  it('needs exactly one of -o and --table (usage error, exit 2), in Japanese on a Japanese system', () => {
    const r = run(['export', 'examples'], 'ja_JP.UTF-8');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--table');
    expect(r.stderr).toContain('どちらか一方');
  });

  it('never writes over one of its inputs', () => {
    const dir = join(tmp, 'self');
    mkdirSync(dir);
    const input = join(dir, 'projects.csv');
    // A sheet saved under the name the export would write: YAML does not care about the extension.
    copyFileSync(join(root, 'examples/asahi-2020-09.yaml'), input);
    const before = readFileSync(input);
    const r = run(['export', input, '-o', dir]);
    expect(r.code).toBe(2);
    expect(readFileSync(input)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['projects.csv']);
  });
});
