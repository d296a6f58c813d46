//! The CLI for Node < 22.1 (no compile cache for ES modules): dist/cli.cjs compiled with V8's code cache.
// A cold start otherwise spends about a third of sheetgen's own time parsing and compiling the
// bundle. Here the bundle's one CommonJS script (scripts/build.mjs) is compiled with vm.Script from
// a code cache kept on disk when there is a sound one, and the cache is written at exit when there
// was none or V8 refused it. Soundness:
// - A cache file is named by the script's SHA-256 (computed at build time, dist/cli.cjs.sha256), the
//   Node version and architecture, and the command (build, validate, …: each keeps what it compiled).
//   V8 itself checks its version, flags and the source length, and refuses anything else
//   (script.cachedDataRejected): a refused or unreadable cache costs only the compile it would have saved.
// - Folder: NODE_COMPILE_CACHE when set (as Node's own compile cache), else a per-user folder in the
//   OS temp folder, never the package (which may be read-only). On POSIX the folder must belong to
//   this user and be writable by no one else, or it is not used: code from it is run.
// - Written to a temporary name and renamed, so a parallel sheetgen never reads half a file;
//   NODE_DISABLE_COMPILE_CACHE=1 turns it off. Nothing here ever throws: on any failure it returns
//   undefined and bin/sheetgen.js imports the ES module bundle instead.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const script = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));

/** The folder for cache files, created if need be; undefined when none can be used safely. */
function cacheFolder() {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir =
    process.env.NODE_COMPILE_CACHE || join(tmpdir(), `sheetgen-v8-cache${uid === undefined ? '' : `-${uid}`}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (uid !== undefined) {
    const st = statSync(dir);
    if (st.uid !== uid || (st.mode & 0o022) !== 0) return undefined;
  }
  return dir;
}

/** The CLI's main() from the cached script, or undefined (then the caller loads dist/cli.js). */
export function loadCachedCli(argv) {
  if (process.env.NODE_DISABLE_COMPILE_CACHE === '1') return undefined;
  try {
    const sha = readFileSync(`${script}.sha256`, 'utf8').trim();
    const source = readFileSync(script, 'utf8');
    const dir = cacheFolder();
    const command = /^[a-z]+$/.test(argv[2] ?? '') ? argv[2] : 'other';
    const file = dir && join(dir, `${sha.slice(0, 32)}-${process.version}-${process.arch}-${command}.v8`);
    let cachedData;
    try {
      cachedData = file ? readFileSync(file) : undefined;
    } catch {
      cachedData = undefined;
    }
    // Node's own CommonJS wrapper, on the first line: line numbers in stack traces stay the file's.
    const compiled = new vm.Script(
      `(function (exports, require, module, __filename, __dirname) { ${source}\n})`,
      cachedData ? { filename: script, cachedData } : { filename: script },
    );
    if (file && (!cachedData || compiled.cachedDataRejected)) {
      // At exit the cache holds every function this command compiled, not only the top level.
      process.once('exit', () => {
        try {
          const tmp = `${file}.${process.pid}.tmp`;
          writeFileSync(tmp, compiled.createCachedData(), { mode: 0o600 });
          renameSync(tmp, file);
        } catch {
          // A cache that cannot be written only costs speed.
        }
      });
    }
    const mod = { exports: {} };
    compiled.runInThisContext().call(mod.exports, mod.exports, createRequire(script), mod, script, dirname(script));
    return typeof mod.exports.main === 'function' ? mod.exports.main : undefined;
  } catch {
    return undefined;
  }
}
