// The runtime the command runs on: Node 20 and Node 24 both run it (CI runs this file on each), and on
// Node ≥ 22.1 bin/sheetgen.js keeps its compiled code in Node's compile cache, in the folder Node is told
// (NODE_COMPILE_CACHE) or its default under the OS temp folder, never inside the package.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sheetgen.js');
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const hasCompileCache = major > 22 || (major === 22 && minor >= 1);
const work = mkdtempSync(join(tmpdir(), 'sheetgen-runtime-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function validate(env: Record<string, string>) {
  return spawnSync(process.execPath, [bin, 'validate', 'examples/asahi-2020-09.yaml'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', LANG: 'C', ...env },
  });
}

describe(`bin/sheetgen.js on Node ${process.version}`, () => {
  it(hasCompileCache
    ? 'fills the compile cache folder it is given and still works from it'
    : 'runs without a compile cache (Node 20 has none) and writes none', { timeout: 120_000 }, () => {
    const cache = join(work, 'cache');
    const r1 = validate({ NODE_COMPILE_CACHE: cache });
    expect(r1.status, r1.stderr).toBe(0);
    expect(r1.stdout.trim()).toBe('examples/asahi-2020-09.yaml: ok');
    const entries = (() => {
      try {
        return readdirSync(cache, { recursive: true });
      } catch {
        return [];
      }
    })();
    if (hasCompileCache) expect(entries.length).toBeGreaterThan(0);
    else expect(entries).toEqual([]);
    const r2 = validate({ NODE_COMPILE_CACHE: cache });
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.stdout).toBe(r1.stdout);
  });

  it('works when the cache cannot be written (the folder is a file), and with the cache turned off', {
    timeout: 120_000,
  }, () => {
    const r = validate({ NODE_COMPILE_CACHE: bin });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const off = join(work, 'off');
    const r2 = validate({ NODE_COMPILE_CACHE: off, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(r2.status, r2.stderr).toBe(0);
    expect(() => readdirSync(off)).toThrow();
  });

  it('writes nothing into the package folder', { timeout: 120_000 }, () => {
    const list = () => ['bin', 'dist'].map((d) => readdirSync(join(root, d), { recursive: true }).sort());
    const before = list();
    expect(validate({}).status).toBe(0);
    expect(list()).toEqual(before);
    expect(before[0]).toEqual(['sheetgen.js']);
  });
});
