// The real command line (bin/sheetgen.js over the bundle that `npm test` builds first):
// output, exit codes and language, as a user or a script sees them.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sheetgen.js');
const seed = 'examples/asahi-2020-09.yaml';

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', LANG: 'C', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (s: string): void => expect(s).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);

describe('sheetgen validate', () => {
  it('says ok for every valid example and exits 0', () => {
    const r = run([
      'validate',
      'examples/asahi-2020-09.yaml',
      'examples/asahi-2020-03.yaml',
      'examples/asahi-2020-05.yaml',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'examples/asahi-2020-09.yaml: ok',
      'examples/asahi-2020-03.yaml: ok',
      'examples/asahi-2020-05.yaml: ok',
    ]);
  });

  it('reports every problem with file:line:col, field, code frame and hint, and exits 1', () => {
    const r = run(['validate', 'test/fixtures/invalid/unknown-keys.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'test/fixtures/invalid/unknown-keys.yaml:10:1: error: Unknown field "lead_divison" [lead_divison]',
    );
    expect(r.stderr).toContain('> 10 | lead_divison: 企画政策課');
    expect(r.stderr).toContain('hint: Did you mean "lead_division"?');
    expect(r.stderr).toContain('2 error(s), 0 warning(s)');
    noStack(r.stderr);
  });

  it('still checks the other files when one is invalid', () => {
    const r = run(['validate', 'test/fixtures/invalid/years.yaml', seed]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${seed}: ok`);
    expect(r.stderr).toContain('years.yaml:20:14');
  });

  it('speaks Japanese when LANG starts with ja, and --lang overrides', () => {
    const ja = run(['validate', 'test/fixtures/invalid/unknown-keys.yaml'], { LANG: 'ja_JP.UTF-8' });
    expect(ja.stderr).toContain('エラー: 項目「lead_divison」は使えません');
    expect(ja.stderr).toContain('ヒント: 「lead_division」の誤りではありませんか？');
    const en = run(['--lang', 'en', 'validate', 'test/fixtures/invalid/unknown-keys.yaml'], { LANG: 'ja_JP.UTF-8' });
    expect(en.stderr).toContain('Unknown field "lead_divison"');
    const ja2 = run(['--lang', 'ja', 'validate', seed]);
    expect(ja2.stdout).toContain(`${seed}: OK`);
  });

  it('exits 2 for a missing file, without a stack trace, and still checks the other files', () => {
    const r = run(['validate', 'no/such/file.yaml', seed]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no/such/file.yaml: error: No such file: no/such/file.yaml');
    expect(r.stdout).toContain(`${seed}: ok`);
    noStack(r.stderr);
    const j = run(['grade', '--json', 'no/such/file.yaml', seed]);
    expect(j.code).toBe(2);
    const doc = JSON.parse(j.stdout) as {
      sheets: { file: string; errors?: { code: string }[]; indicators?: unknown[] }[];
    };
    expect(doc.sheets[0]).toMatchObject({ file: 'no/such/file.yaml', errors: [{ code: 'file.unreadable' }] });
    expect(doc.sheets[1]!.indicators).toHaveLength(3);
  });
});

describe('usage', () => {
  it('exits 2 for an unknown flag or command and shows help', () => {
    const a = run(['validate', '--frobnicate', seed]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("unknown option '--frobnicate'");
    const b = run(['frobnicate']);
    expect(b.code).toBe(2);
    const c = run(['--lang', 'fr', 'validate', seed]);
    expect(c.code).toBe(2);
  });

  it('prints help with an example for every command, and the version', () => {
    for (const cmd of ['validate', 'grade', 'build']) {
      const r = run([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: sheetgen ${cmd}`);
      expect(r.stdout).toMatch(/Examples?:\n\s+\$ sheetgen /);
    }
    const v = run(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('sheetgen grade', () => {
  it('prints a table with the seed grades D, ―, A', () => {
    const r = run(['grade', seed]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('goal 人口の社会増減'))).toMatch(/-11人\s+増加\s+-74人\s+-572\.7%\s+D$/);
    expect(lines.find((l) => l.startsWith('KPI15 '))).toMatch(/―$/);
    expect(lines.find((l) => l.startsWith('KPI16 '))).toMatch(/91件\s+200件\s+114件\s+\+25\.3%\s+A$/);
  });

  it('prints one JSON document with numbers as numbers and null where absent', () => {
    const r = run(['grade', '--json', seed]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { sheets: { file: string; indicators: Record<string, unknown>[] }[] };
    expect(doc.sheets).toHaveLength(1);
    const [goal, k15, k16] = doc.sheets[0]!.indicators;
    expect(doc.sheets[0]!.file).toBe(seed);
    expect(goal).toMatchObject({
      kind: 'goal',
      number: null,
      baseline: -11,
      target: null,
      target_label: '増加',
      actual: -74,
      grade: 'D',
    });
    expect(k15).toMatchObject({
      kind: 'kpi',
      number: 15,
      baseline: null,
      target: null,
      actual: null,
      change: null,
      grade: '―',
    });
    expect(k16).toMatchObject({
      kind: 'kpi',
      number: 16,
      name: '移住相談件数',
      baseline: 91,
      target: 200,
      actual: 114,
      grade: 'A',
    });
    expect(k16!.change).toBeCloseTo(23 / 91, 12);
  });

  it('selects another grading scheme from the command line', () => {
    const r = run(['grade', '--json', '--scheme', 'five-level', seed]);
    const doc = JSON.parse(r.stdout) as { sheets: { scheme: string; indicators: { grade: string }[] }[] };
    expect(doc.sheets[0]!.scheme).toBe('five-level');
    // -74 against -11 is a fall of more than 10%: D in the city's legend, C in five levels.
    expect(doc.sheets[0]!.indicators.map((i) => i.grade)).toEqual(['C', '―', 'A']);
  });

  it('shows an override and the grade the rules give', () => {
    const r = run(['grade', 'examples/asahi-2020-05.yaml']);
    expect(r.stdout).toMatch(/KPI23 新規就農者数.*S \(override; A\)/);
  });

  it('reports invalid files in the JSON too, and exits 1', () => {
    const r = run(['grade', '--json', 'test/fixtures/invalid/years.yaml', seed]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { sheets: { file: string; errors?: { line: number; code: string }[] }[] };
    expect(doc.sheets[0]!.errors?.map((e) => `${e.line} ${e.code}`)).toContain('20 semantic.fiscal-year');
    expect(doc.sheets[1]!.errors).toBeUndefined();
  });
});
