// sheetgen as others install it: the packed tarball (npm pack) installed into a project outside the
// clone and globally, with no build step and no dev dependencies. A TypeScript consumer type-checks
// against the published declarations and builds the seed through the API; the global `sheetgen`
// and `npx sheetgen` build it through the CLI — byte for byte the PDF this checkout builds.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const seed = join(root, 'examples', 'asahi-2020-09.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'sheetgen-pack-'));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
const env = { PATH: process.env.PATH ?? '', HOME: tmp, LANG: 'C', SOURCE_DATE_EPOCH: '1600000000' };

let tarball: string;
let expected: Buffer;
const project = join(tmp, 'consumer');

beforeAll(() => {
  // dist/ is built by `npm test` before vitest runs; packing must not build again.
  npm(['pack', '--ignore-scripts', '--pack-destination', tmp], root);
  tarball = join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz'))!);
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }),
  );
  npm(['install', '--omit=dev', tarball], project);
  const ref = join(tmp, 'reference.pdf');
  execFileSync(process.execPath, [join(root, 'bin', 'sheetgen.js'), 'build', seed, '-o', ref], { env });
  expected = readFileSync(ref);
}, 300_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }), 60_000);

describe('the packed package', () => {
  it('holds the bundle, the declarations, schemas and grading schemes, and no sources or tests', () => {
    const list = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const f of [
      'package/dist/index.js',
      'package/dist/cli.js',
      'package/dist/worker.js',
      'package/dist/types/index.d.ts',
      'package/bin/sheetgen.js',
      'package/schemas/sheet.schema.json',
      'package/grading/asahi.json',
    ]) {
      expect(list).toContain(f);
    }
    expect(list.some((f) => f.startsWith('package/src/') || f.startsWith('package/test/'))).toBe(false);
  });

  it('installs without dev dependencies or a build step', () => {
    const installed = join(project, 'node_modules');
    expect(existsSync(join(installed, 'sheetgen', 'dist', 'index.js'))).toBe(true);
    for (const dev of ['esbuild', 'typescript', 'vitest', 'mupdf'])
      expect(existsSync(join(installed, dev))).toBe(false);
  });

  it('type-checks a TypeScript consumer strictly against the declarations, without skipLibCheck', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        "import { buildPdf, validate, type Diagnostic, type GradedSheet } from 'sheetgen';",
        'export async function check(file: string): Promise<string[]> {',
        "  const v = await validate(file, { lang: 'ja' });",
        '  const lines = v.diagnostics.map((d: Diagnostic) => `${d.file}:${d.line}:${d.column} ${d.message}`);',
        '  const g: GradedSheet | undefined = v.graded;',
        "  const r = await buildPdf(file, { lang: 'ja' });",
        '  return [...lines, String(g?.goal.result.grade), String(r.pdf?.length)];',
        '}',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
      { cwd: project, encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    // A wrong call is caught by the declarations.
    writeFileSync(
      join(project, 'wrong.ts'),
      "import { buildPdf } from 'sheetgen';\nvoid buildPdf(42, { lang: 'fr' });\n",
    );
    const bad = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--strict',
        '--module',
        'NodeNext',
        '--moduleResolution',
        'NodeNext',
        '--noEmit',
        '--skipLibCheck',
        '--types',
        'node',
        '--typeRoots',
        join(root, 'node_modules', '@types'),
        'wrong.ts',
      ],
      { cwd: project, encoding: 'utf8', timeout: 120_000 },
    );
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/wrong\.ts\(2,/);
  }, 300_000);

  it('builds the seed through the API: the same bytes as the CLI of this checkout', () => {
    writeFileSync(
      join(project, 'run.mjs'),
      "import { buildPdf } from 'sheetgen';\nimport { writeFileSync } from 'node:fs';\nconst r = await buildPdf(process.argv[2], { lang: 'en' });\nif (!r.ok) { console.error(JSON.stringify(r.diagnostics)); process.exit(1); }\nwriteFileSync(process.argv[3], r.pdf);\n",
    );
    const out = join(tmp, 'api.pdf');
    execFileSync(process.execPath, ['run.mjs', seed, out], { cwd: project, env });
    expect(readFileSync(out).equals(expected)).toBe(true);
  }, 60_000);

  it('npx sheetgen in the project and a global install both build the seed', () => {
    const viaNpx = join(tmp, 'npx.pdf');
    execFileSync('npx', ['--no-install', 'sheetgen', 'build', seed, '-o', viaNpx], {
      cwd: project,
      env: { ...env, npm_config_update_notifier: 'false' },
    });
    expect(readFileSync(viaNpx).equals(expected)).toBe(true);
    const prefix = join(tmp, 'global');
    npm(['install', '-g', '--prefix', prefix, tarball], tmp);
    const viaGlobal = join(tmp, 'global.pdf');
    execFileSync(join(prefix, 'bin', 'sheetgen'), ['build', seed, '-o', viaGlobal], { cwd: tmp, env });
    expect(readFileSync(viaGlobal).equals(expected)).toBe(true);
  }, 300_000);
});
