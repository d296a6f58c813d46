//! `npm run fuzz [-- --seconds N] [--start SEED] [--fonts N]`: random mutations of the example sheets through the whole
//! build (load, validate, grade, layout, render, atomic write), for a bounded time. Any input that
//! throws anything but a user-facing SheetgenError, or takes more than 10 s, is saved into fuzz-crashes/.
//!
//! The core functions are not exported by dist/cli.js, so this script bundles src/core (and the
//! mutation engine of the property tests) with esbuild's API into a temp folder and imports that.

import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : dflt;
};
const seconds = opt('--seconds', 60);
const startSeed = opt('--start', Date.now() % 2 ** 31);
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error('--seconds must be a positive number');
  process.exit(2);
}

// The bundle lives under the project (gitignored test/**/__output__) so that pdfkit and the font
// package resolve from node_modules as they do for the CLI.
const outBase = join(root, 'test', 'hostile', '__output__');
mkdirSync(outBase, { recursive: true });
const work = mkdtempSync(join(outBase, 'fuzz-'));
const entry = join(work, 'entry.ts');
writeFileSync(
  entry,
  [
    `export { loadSheetText } from ${JSON.stringify(join(root, 'src/core/load.ts'))};`,
    `export { buildLoaded } from ${JSON.stringify(join(root, 'src/core/build.ts'))};`,
    `export { SheetgenError } from ${JSON.stringify(join(root, 'src/diagnostics.ts'))};`,
    `export { mutateSheet } from ${JSON.stringify(join(root, 'test/property/mutations.ts'))};`,
    `export { fontProblem } from ${JSON.stringify(join(root, 'src/render/fontfile.ts'))};`,
    `export { fontMutants } from ${JSON.stringify(join(root, 'test/hostile/font-mutants.ts'))};`,
  ].join('\n'),
);
await build({
  entryPoints: [entry],
  outfile: join(work, 'core.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['pdfkit', 'fontkit', 'mupdf'],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __fuzzCreateRequire } from 'node:module'; const require = __fuzzCreateRequire(import.meta.url);" },
});
const { loadSheetText, buildLoaded, SheetgenError, mutateSheet, fontProblem, fontMutants } = await import(pathToFileURL(join(work, 'core.mjs')).href);

// --fonts N: N seeded mutants of the bundled font through the font check (issue 9); a crash is any
// throw from the check (a damaged font must come back as a reason, never as an exception).
const fontCount = opt('--fonts', 0);
if (fontCount > 0) {
  const { createRequire } = await import('node:module');
  const fontFile = createRequire(import.meta.url).resolve('@expo-google-fonts/biz-udpgothic/400Regular/BIZUDPGothic_400Regular.ttf');
  const original = new Uint8Array(readFileSync(fontFile));
  const t = { refused: 0, accepted: 0, crashes: 0 };
  for (const m of fontMutants(original, fontCount, startSeed)) {
    try {
      const p = fontProblem(m.bytes);
      if (p.font) t.accepted++;
      else t.refused++;
    } catch (e) {
      t.crashes++;
      console.log(`crash: ${m.what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  console.log(`font fuzz: ${fontCount} mutants (seed ${startSeed}): ${t.refused} refused with a reason, ${t.accepted} accepted, ${t.crashes} crashes`);
  rmSync(work, { recursive: true, force: true });
  process.exit(t.crashes > 0 ? 1 : 0);
}

const examplesDir = join(root, 'examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: join(examplesDir, f), text: readFileSync(join(examplesDir, f), 'utf8') }));
const crashDir = join(root, 'fuzz-crashes');
const outDir = join(work, 'out');
mkdirSync(outDir);

const stats = { inputs: 0, built: 0, diagnosed: 0, userErrors: 0, crashes: 0, slow: 0, maxMs: 0 };
const codes = new Map();
const seen = new Set();
const deadline = Date.now() + seconds * 1000;

function save(kind, seed, src, text, detail) {
  mkdirSync(crashDir, { recursive: true });
  const sig = `${kind}:${String(detail).split('\n').slice(0, 2).join(' ')}`;
  const first = !seen.has(sig);
  seen.add(sig);
  const base = join(crashDir, `${kind}-seed${seed}`);
  writeFileSync(`${base}.yaml`, text);
  writeFileSync(`${base}.txt`, `example: ${src}\nseed: ${seed}\n\n${detail}\n`);
  if (first) console.log(`\n${kind} (seed ${seed}, ${src}): ${String(detail).split('\n')[0]}\n  saved ${base}.yaml`);
}

let seed = startSeed;
while (Date.now() < deadline) {
  seed = (seed + 1) % 2 ** 31;
  const src = examples[seed % examples.length];
  const { text } = mutateSheet(src.text, seed, 1 + (seed % 6));
  const lang = seed % 2 ? 'ja' : 'en';
  const started = Date.now();
  stats.inputs++;
  try {
    const loaded = loadSheetText(src.file, text, lang);
    const r = await buildLoaded(loaded, { lang, out: join(outDir, 'out.pdf') });
    if (r.output) stats.built++;
    else {
      stats.diagnosed++;
      for (const d of r.diagnostics) if (d.severity === 'error') codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
      if (!r.diagnostics.some((d) => d.severity === 'error')) save('no-output-no-error', seed, src.file, text, 'build wrote nothing and reported no error');
    }
  } catch (e) {
    if (e instanceof SheetgenError) stats.userErrors++;
    else {
      stats.crashes++;
      save('crash', seed, src.file, text, e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
  }
  const ms = Date.now() - started;
  stats.maxMs = Math.max(stats.maxMs, ms);
  if (ms > 10_000) {
    stats.slow++;
    save('slow', seed, src.file, text, `took ${ms} ms`);
  }
  if (stats.inputs % 500 === 0) process.stdout.write(`\r${stats.inputs} inputs, ${stats.crashes} crashes, ${Math.round((deadline - Date.now()) / 1000)} s left   `);
}

rmSync(work, { recursive: true, force: true });
const top = [...codes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([c, n]) => `${c} ${n}`).join(', ');
console.log(`\nfuzz: ${stats.inputs} inputs in ${seconds} s (seeds ${startSeed + 1}…${seed}): ${stats.built} built, ${stats.diagnosed} refused with diagnostics, ${stats.userErrors} user-facing errors, ${stats.crashes} crashes, ${stats.slow} slow (>10 s); slowest ${stats.maxMs} ms`);
console.log(`most frequent error codes: ${top}`);
console.log(stats.crashes + stats.slow > 0 ? `found problems: see ${crashDir}/ (${seen.size} distinct)` : 'found nothing');
process.exitCode = stats.crashes + stats.slow > 0 ? 1 : 0;
