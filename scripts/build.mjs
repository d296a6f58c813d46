// Bundles the CLI (and the batch worker) into dist/ with esbuild: one file each, so a cold
// `sheetgen` start loads one module instead of hundreds (start-up time is a product target).
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { pdfkitPlugin } from './esbuild-pdfkit.mjs';
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
  // pdfkit and fontkit are bundled (into the chunk only `build` loads, so `validate` and `grade`
  // never pay for them); pdfkit still reads its data files from the installed package, see the plugin.
  external: ['mupdf'],
  plugins: [pdfkitPlugin()],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __sheetgenCreateRequire } from 'node:module'; const require = __sheetgenCreateRequire(import.meta.url);" },
});
