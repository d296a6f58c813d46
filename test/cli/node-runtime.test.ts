// The runtime the command runs on: Node 20 and Node 24 both run it (CI runs this file on each), and on
// Node ≥ 22.1 bin/sheetgen.js keeps its compiled code in Node's compile cache, in the folder Node is told
// (NODE_COMPILE_CACHE) or its default under the OS temp folder, never inside the package. Older Nodes
// keep V8's code cache of the CommonJS bundle (bin/code-cache.js) in the same places.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** `sheetgen build` of the seed; the PDF's SHA-256. */
function build(env: Record<string, string>, out: string) {
  const r = spawnSync(process.execPath, [bin, 'build', 'examples/asahi-2020-09.yaml', '-o', out, '--quiet'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', LANG: 'C', SOURCE_DATE_EPOCH: '1617148800', ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return createHash('sha256').update(readFileSync(out)).digest('hex');
}

const cacheFiles = (dir: string) => {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.v8'));
  } catch {
    return [];
  }
};

describe(`bin/sheetgen.js on Node ${process.version}`, () => {
  it('fills the compile cache folder it is given and still works from it', { timeout: 120_000 }, () => {
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
    expect(entries.length).toBeGreaterThan(0);
    // Node 20: sheetgen's own cache, one file per command.
    if (!hasCompileCache) expect(cacheFiles(cache)).toEqual([expect.stringMatching(/-validate\.v8$/)]);
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
    expect(before[0]).toEqual(['code-cache.js', 'sheetgen.js']);
  });

  it.skipIf(hasCompileCache)(
    'Node 20: the same PDF with no cache, a new cache and from the cache',
    { timeout: 180_000 },
    () => {
      const cache = join(work, 'pdf-cache');
      const off = build({ NODE_DISABLE_COMPILE_CACHE: '1' }, join(work, 'off.pdf'));
      expect(cacheFiles(cache)).toEqual([]);
      const first = build({ NODE_COMPILE_CACHE: cache }, join(work, 'first.pdf'));
      expect(cacheFiles(cache)).toEqual([expect.stringMatching(/-build\.v8$/)]);
      const cached = build({ NODE_COMPILE_CACHE: cache }, join(work, 'cached.pdf'));
      expect(first).toBe(off);
      expect(cached).toBe(off);
    },
  );

  it.skipIf(hasCompileCache)('Node 20: a damaged cache file is refused and written anew', { timeout: 120_000 }, () => {
    const cache = join(work, 'damaged');
    expect(validate({ NODE_COMPILE_CACHE: cache }).status).toBe(0);
    const [name] = cacheFiles(cache);
    const good = readFileSync(join(cache, name!));
    writeFileSync(join(cache, name!), Buffer.alloc(good.length, 7));
    const r = validate({ NODE_COMPILE_CACHE: cache });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('examples/asahi-2020-09.yaml: ok');
    // Refused by V8 (its checksum), so written anew from this run.
    expect(readFileSync(join(cache, name!)).equals(Buffer.alloc(good.length, 7))).toBe(false);
    expect(readFileSync(join(cache, name!)).length).toBeGreaterThan(1000);
  });

  it.skipIf(hasCompileCache || process.platform === 'win32')(
    'Node 20: a cache folder others can write to is not used',
    { timeout: 120_000 },
    () => {
      const cache = join(work, 'open');
      mkdirSync(cache);
      chmodSync(cache, 0o777);
      const r = validate({ NODE_COMPILE_CACHE: cache });
      expect(r.status, r.stderr).toBe(0);
      expect(cacheFiles(cache)).toEqual([]);
    },
  );
});
