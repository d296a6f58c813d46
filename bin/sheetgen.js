#!/usr/bin/env node
// The sheetgen command: runs the bundled CLI built by `npm install` (scripts/build.mjs).
import module from 'node:module';

// Node ≥ 22.1 can keep V8's compiled code on disk, so a cold `sheetgen` start skips compiling the
// bundle again. Called with no argument, Node picks the folder: NODE_COMPILE_CACHE when set, else
// node-compile-cache under the OS temp folder (never this package, which may be read-only);
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. It never throws: a cache that cannot be written only
// costs speed. The batch's worker threads inherit the folder through NODE_COMPILE_CACHE (Node's
// documented way to share it with workers). Older Nodes (20) have no such function: they run the
// bundle's CommonJS script with a code cache of sheetgen's own (./code-cache.js), or else the ES
// module bundle as it is.
const cache = module.enableCompileCache?.();
if (cache?.directory && process.env.NODE_COMPILE_CACHE === undefined) process.env.NODE_COMPILE_CACHE = cache.directory;

// Imported after the cache is on, so that the bundle itself is compiled from (or into) the cache.
const main =
  (module.enableCompileCache ? undefined : (await import('./code-cache.js')).loadCachedCli(process.argv)) ??
  (await import('../dist/cli.js')).main;
process.exitCode = await main(process.argv);
