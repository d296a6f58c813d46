// Bundles the CLI (and the batch worker) into dist/ with esbuild: one file each, so a cold
// `sheetgen` start loads one module instead of hundreds (start-up time is a product target).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { readFile } from 'node:fs/promises';
import { pdfkitPlugin, swap } from './esbuild-pdfkit.mjs';
import { asciiOutputs } from './ascii-bundle.mjs';
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

/**
 * ajv (with fast-uri, ~260 KB, and its start-up set-up) only checks a user's grading-scheme file or a
 * city's defaults file (src/grade/scheme.ts, src/core/config.ts); the sheet schema is checked by the
 * generated standalone validator. So the sources' `import { Ajv } from 'ajv'` gets a stand-in that
 * loads ajv, bundled on its own as dist/vendor/ajv.cjs, on the first `new Ajv(…)`: a cold `build` or
 * `validate` of a sheet no longer compiles and initialises it.
 */
function lazyAjvPlugin() {
  return {
    name: 'sheetgen-lazy-ajv',
    setup(b) {
      b.onResolve({ filter: /^ajv$/ }, (args) =>
        args.importer.includes(`${sep}src${sep}`) ? { path: 'ajv', namespace: 'sheetgen-lazy-ajv' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'sheetgen-lazy-ajv' }, () => ({
        contents: `import { createRequire } from 'node:module';
let ajv;
export class Ajv {
  constructor(...args) {
    ajv ??= createRequire(import.meta.url)('./vendor/ajv.cjs');
    return new ajv.Ajv(...args);
  }
}
`,
        loader: 'js',
      }));
    },
  };
}

/**
 * The generated sheet validator calls require() for ajv's runtime helpers (ucs2length, equal, the
 * date format): from the installed packages, four CommonJS files resolved and compiled at every
 * start. In the bundle those require() calls are left to esbuild, which bundles the helpers.
 */
function bundledValidatorHelpersPlugin() {
  return {
    name: 'sheetgen-validator-helpers',
    setup(b) {
      b.onLoad({ filter: /[\\/]sheet-validator\.generated\.js$/ }, async (args) => ({
        contents: swap(
          await readFile(args.path, 'utf8'),
          "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);",
          '',
          args.path,
        ),
        loader: 'js',
      }));
    },
  };
}

/**
 * exceljs (~1.5 MB) serves only the workbook commands (src/xlsx, imported there on first use). It is
 * bundled on its own as dist/vendor/exceljs.cjs and required from there, in both bundles: the
 * CommonJS CLI script that Node 20 reads whole at every start (bin/code-cache.js) stays ~1.5 MB
 * smaller, and the heap with it (its text is kept in V8's old generation).
 */
function vendorExceljsPlugin(esm) {
  return {
    name: 'sheetgen-vendor-exceljs',
    setup(b) {
      b.onResolve({ filter: /^exceljs$/ }, (args) =>
        args.importer.includes(`${sep}src${sep}`)
          ? { path: 'exceljs', namespace: 'sheetgen-vendor-exceljs' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'sheetgen-vendor-exceljs' }, () => ({
        contents: esm
          ? "import { createRequire } from 'node:module';\nexport default createRequire(import.meta.url)('./vendor/exceljs.cjs');\n"
          : "module.exports = require('node:module').createRequire(__filename)('./vendor/exceljs.cjs');\n",
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
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // pdfkit and fontkit are bundled (into the chunk only `build` loads, so `validate` and `grade`
  // never pay for them); pdfkit still reads its data files from the installed package, see the plugin.
  external: ['mupdf'],
  plugins: [pdfkitPlugin(), lazyCommanderPlugin(), lazyAjvPlugin(), bundledValidatorHelpersPlugin()],
  logLevel: 'warning',
  charset: 'ascii',
  minifyWhitespace: true,
  minifySyntax: true,
};
await build({
  ...common,
  entryPoints,
  outdir: 'dist',
  format: 'esm',
  splitting: true,
  plugins: [...common.plugins, vendorExceljsPlugin(true)],
  banner: {
    js: "import { createRequire as __sheetgenCreateRequire } from 'node:module'; const require = __sheetgenCreateRequire(import.meta.url);",
  },
});

// The CLI once more as one CommonJS script, for Node < 22.1, which has no compile cache for ES
// modules: bin/sheetgen.js compiles it with vm.Script and keeps V8's code cache (see there). The
// lazily imported parts (layout and PDF, preview, workbooks) are in it too, initialised only when
// used; the worker thread stays dist/worker.js. Its SHA-256 names its cache files.
await build({
  ...common,
  entryPoints: { cli: entries.cli },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  plugins: [...common.plugins, vendorExceljsPlugin(false)],
  define: { 'import.meta.url': '__sheetgenModuleUrl' },
  // pdfkit's and fontkit's require.resolve("pdfkit") (see the plugin) is meant for run time.
  logOverride: { 'require-resolve-not-external': 'silent' },
  banner: { js: "var __sheetgenModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// ajv and exceljs for the stand-ins above: one CommonJS file each, loaded with require() when first needed.
for (const pkg of ['ajv', 'exceljs'])
  await build({
    stdin: { contents: `module.exports = require('${pkg}');`, resolveDir: '.', sourcefile: `vendor-${pkg}.cjs` },
    outfile: `dist/vendor/${pkg}.cjs`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'linked',
    charset: 'ascii',
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
asciiOutputs('dist/vendor');

asciiOutputs('dist');
writeFileSync('dist/cli.cjs.sha256', `${createHash('sha256').update(readFileSync('dist/cli.cjs')).digest('hex')}\n`);

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
