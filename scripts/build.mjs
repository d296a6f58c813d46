// Bundles the CLI (and the batch worker) into dist/ with esbuild: one file each, so a cold
// `sheetgen` start loads one module instead of hundreds (start-up time is a product target).
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { generateValidator } from './gen-validator.mjs';

const entries = { cli: 'src/cli/main.ts', worker: 'src/core/worker.ts' };
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, f]) => existsSync(f)));

generateValidator();
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
  // pdfkit stays external: it reads its own data files relative to its package, and loading it
  // lazily keeps `validate` and `grade` from paying its import cost.
  external: ['pdfkit', 'fontkit', 'mupdf'],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __sheetgenCreateRequire } from 'node:module'; const require = __sheetgenCreateRequire(import.meta.url);" },
});
