// Bundles the CLI (and the batch worker) into dist/ with esbuild: one file each, so a cold
// `sheetgen` start loads one module instead of hundreds (start-up time is a product target).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { pdfkitPlugin, swap } from './esbuild-pdfkit.mjs';
import { generateFontTables } from './gen-font-tables.mjs';
import { generateValidator } from './gen-validator.mjs';

/**
 * commander requires node:child_process at load (~5 ms of a cold start, with net and dgram) for
 * stand-alone executable subcommands, which sheetgen has none of: required on first use instead.
 */
function lazyCommanderPlugin() {
  return {
    name: 'sheetgen-lazy-commander',
    setup(b) {
      b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => ({
        contents: swap(
          await readFile(args.path, 'utf8'),
          "const childProcess = require('node:child_process');",
          "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };",
          args.path,
        ),
        loader: 'js',
      }));
    },
  };
}

// index: the API (import … from 'sheetgen'); cli: the command line; worker: a batch's worker thread.
const entries = { index: 'src/index.ts', cli: 'src/cli/main.ts', worker: 'src/core/worker.ts' };
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, f]) => existsSync(f)));

generateValidator();
generateFontTables();
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  sourcemap: 'linked',
  // pdfkit and fontkit are bundled (into the chunk only `build` loads, so `validate` and `grade`
  // never pay for them); pdfkit still reads its data files from the installed package, see the plugin.
  external: ['mupdf'],
  plugins: [pdfkitPlugin(), lazyCommanderPlugin()],
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __sheetgenCreateRequire } from 'node:module'; const require = __sheetgenCreateRequire(import.meta.url);",
  },
});

// The API's declarations (dist/types) from tsc, when TypeScript is installed (a clone's `npm install`;
// a packed tarball already carries them). fontkit has no types of its own: ours go along, referenced
// from the declarations that use them, so a consumer type-checks without skipLibCheck.
const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  tsc = undefined;
}
if (tsc && existsSync('tsconfig.build.json')) {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  copyFileSync('src/render/fontkit.d.ts', 'dist/types/render/fontkit.d.ts');
  for (const f of ['dist/types/render/fonts.d.ts', 'dist/types/render/ttfsubset.d.ts']) {
    if (existsSync(f)) writeFileSync(f, `/// <reference path="./fontkit.d.ts" />\n${readFileSync(f, 'utf8')}`);
  }
}
