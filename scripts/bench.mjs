// Rendering benchmark (`npm run bench`): PDF size of the seed, per-sheet time and peak RSS when one
// process lays out and renders 200 sheets, and the cold `sheetgen build` as a whole process.
// Prints figures; asserts nothing. The TypeScript sources are bundled on the fly with esbuild into
// node_modules/.cache so the figures are for the same code the CLI bundle runs.
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = `${root}node_modules/.cache/sheetgen-bench/`;
const seedYaml = `${root}examples/asahi-2020-09.yaml`;
const N = Number(process.env.BENCH_SHEETS ?? 200);
mkdirSync(cache, { recursive: true });

// The batch loop runs in its own process so its RSS is not this script's.
const haveCore = existsSync(`${root}src/core/load.ts`) && existsSync(`${root}src/core/grade.ts`) && existsSync(seedYaml);
const entry = `
import { layoutSheet } from '${root}src/layout/index.ts';
import { loadFonts } from '${root}src/render/fonts.ts';
import { renderPdf } from '${root}src/render/pdf.ts';
${haveCore ? `import { loadSheet } from '${root}src/core/load.ts';\nimport { gradeLoaded } from '${root}src/core/grade.ts';` : `import { seedSheet } from '${root}test/render/seed-fixture.ts';`}
const meta = { title: 'bench', author: 'bench', subject: 'bench', creationDate: new Date(Date.UTC(2021, 2, 31)), lang: 'ja-JP' };
async function graded() {
  ${haveCore ? `const out = gradeLoaded(await loadSheet(${JSON.stringify(seedYaml)}, 'en'), { lang: 'en' }); if (!out.graded) throw new Error('seed does not grade'); return out.graded;` : 'return seedSheet();'}
}
const g = await graded();
const fonts = loadFonts();
const t0 = performance.now();
const first = await renderPdf(layoutSheet(g, fonts, { lang: 'ja' }).pages, fonts, meta);
const firstMs = performance.now() - t0;
const rss = [];
const t1 = performance.now();
for (let i = 0; i < ${N}; i++) {
  const l = layoutSheet(g, fonts, { lang: 'ja' });
  await renderPdf(l.pages, fonts, meta);
  if (i % 20 === 0) rss.push(process.memoryUsage().rss);
}
const per = (performance.now() - t1) / ${N};
console.log(JSON.stringify({ source: ${JSON.stringify(haveCore ? 'examples/asahi-2020-09.yaml' : 'test/render/seed-fixture.ts')}, bytes: first.length, firstMs, perSheetMs: per, peakRssMB: process.resourceUsage().maxRSS / 1024, rssMB: rss.map((r) => Math.round(r / 1048576)) }));
`;
await build({
  stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'bench-entry.ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: `${cache}batch.mjs`,
  external: ['pdfkit', 'fontkit', 'mupdf'],
  logLevel: 'warning',
  // CommonJS dependencies (yaml) bundled into ESM need a require, as in scripts/build.mjs.
  banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
});
const out = execFileSync(process.execPath, [`${cache}batch.mjs`], { cwd: root, encoding: 'utf8' });
const r = JSON.parse(out.trim().split('\n').pop());
console.log(`seed PDF (${r.source}): ${(r.bytes / 1024).toFixed(1)} KB`);
console.log(`first render in a fresh process: ${r.firstMs.toFixed(0)} ms`);
console.log(`one process, ${N} sheets (layout + render): ${r.perSheetMs.toFixed(1)} ms/sheet, peak RSS ${r.peakRssMB.toFixed(0)} MB`);
console.log(`RSS every 20 sheets (MB): ${r.rssMB.join(' ')}`);

// Cold CLI as a whole process.
const bin = `${root}bin/sheetgen.js`;
const help = existsSync(bin) ? spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' }).stdout ?? '' : '';
if (!/\bbuild\b/.test(help) || !existsSync(seedYaml)) {
  console.log('cold CLI: skipped (no `sheetgen build` or no examples/asahi-2020-09.yaml yet)');
} else {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const p = spawnSync(process.execPath, [bin, 'build', seedYaml, '-o', '/tmp/sheetgen-bench.pdf'], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '1617148800' } });
    times.push(performance.now() - t);
    if (p.status !== 0) {
      console.log(`cold CLI: build exited ${p.status}: ${(p.stderr || p.stdout).trim().split('\n')[0]}`);
      break;
    }
  }
  times.sort((a, b) => a - b);
  if (times.length === 7) console.log(`cold CLI build (median of 7): ${times[3].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[6].toFixed(0)})`);
}
writeFileSync(`${cache}last.json`, out);
