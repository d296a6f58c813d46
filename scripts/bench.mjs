// Rendering benchmark (`npm run bench`), the figures of issue 3 point 8 against the targets of issue
// 13: the cold `sheetgen build` of the seed as a whole process (median of 7, wall and CPU time) beside
// the `node -e 0` floor of the same run (target: at most 3× the floor), the per-sheet time and memory
// when one process lays out and renders 200 sheets (RSS at sheet 50 vs 200: flat means the fonts
// are parsed once and nothing accumulates; 12 ms is the per-sheet budget of issue 13's batch), and
// the seed PDF's size (target < 110 KB). Starts the run's report (scripts/bench-report.mjs), which
// the last step of `npm run bench` prints. Prints figures; asserts nothing.
// The loop is bundled from the TypeScript sources with esbuild exactly as scripts/build.mjs bundles
// the CLI (pdfkit and fontkit inside, same plugin), so the figures are for the code the CLI runs.
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pdfkitPlugin } from './esbuild-pdfkit.mjs';
import { benchNodes } from './bench-nodes.mjs';
import { ISSUE13, nodeFloorMs, record, startReport } from './bench-report.mjs';
import { genSheets } from './gen-sheets.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = `${root}node_modules/.cache/sheetgen-bench/`;
const seedYaml = `${root}examples/asahi-2020-09.yaml`;
const N = Number(process.env.BENCH_SHEETS ?? 200);
const COLD_RUNS = 7;
const TARGETS = { coldTimesFloor: ISSUE13.coldTimesFloor, perSheetMs: 12, pdfKB: ISSUE13.seedPdfKB };
mkdirSync(cache, { recursive: true });
startReport();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => Math.round(bytes / 1048576);
const verdict = (value, target) => (value < target ? 'meets' : 'MISSES');

// Each process-level figure is taken under every Node of benchNodes() (NODE24: Node 24 as well).
const nodes = benchNodes();
const tag = (node) => (nodes.length > 1 ? `[${node.label}] ` : '');

// 1. Cold CLI as a whole process, as a user runs it: `node bin/sheetgen.js build seed -o out.pdf`.
/** CPU time (user+sys, ms) of this process's waited-for children, from /proc (Linux); undefined elsewhere. */
function childrenCpuMs() {
  try {
    // Fields after the parenthesised command name: cutime and cstime are the 14th and 15th (1-based 16, 17).
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

const bin = `${root}bin/sheetgen.js`;
const coldPdf = `${cache}cold.pdf`;
let cold;
if (!existsSync(bin) || !existsSync(`${root}dist/cli.js`) || !existsSync(seedYaml)) {
  console.log('cold CLI build: skipped (run `npm run build` first; needs examples/asahi-2020-09.yaml)');
} else
  for (const node of nodes) {
    const wall = [];
    const cpu = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      const c0 = childrenCpuMs();
      const t = performance.now();
      const p = spawnSync(node.path, [bin, 'build', seedYaml, '-o', coldPdf], {
        encoding: 'utf8',
        env: { ...process.env, SOURCE_DATE_EPOCH: '1617148800' },
      });
      wall.push(performance.now() - t);
      const c1 = childrenCpuMs();
      if (c0 !== undefined && c1 !== undefined) cpu.push(c1 - c0);
      if (p.status !== 0) {
        console.log(`${tag(node)}cold CLI build: exited ${p.status}: ${(p.stderr || p.stdout).trim().split('\n')[0]}`);
        wall.length = 0;
        break;
      }
    }
    if (wall.length === COLD_RUNS) {
      const c = {
        medianMs: median(wall),
        minMs: Math.min(...wall),
        maxMs: Math.max(...wall),
        cpuMs: cpu.length ? median(cpu) : undefined,
        bytes: statSync(coldPdf).size,
      };
      const floorMs = nodeFloorMs(node.path, COLD_RUNS);
      c.floorMs = floorMs;
      cold ??= c; // the first Node's figures go to last.json, as before
      const limit = TARGETS.coldTimesFloor * floorMs;
      const cpuText = c.cpuMs !== undefined ? `, CPU (user+sys) ${c.cpuMs.toFixed(0)} ms` : '';
      console.log(
        `${tag(node)}cold CLI build (median of ${COLD_RUNS}): ${c.medianMs.toFixed(0)} ms wall${cpuText} (min ${c.minMs.toFixed(0)}, max ${c.maxMs.toFixed(0)}) = ${(c.medianMs / floorMs).toFixed(1)}× \`node -e 0\` (${floorMs.toFixed(0)} ms, median of ${COLD_RUNS}) — target ≤ ${TARGETS.coldTimesFloor}× = ${limit.toFixed(0)} ms: ${verdict(c.medianMs, limit + 1e-9)}`,
      );
      record('1 cold', {
        node: node.label,
        figure: `cold build of the seed (median of ${COLD_RUNS})`,
        measured: `${c.medianMs.toFixed(0)} ms = ${(c.medianMs / floorMs).toFixed(1)}× floor${c.cpuMs !== undefined ? `; CPU ${c.cpuMs.toFixed(0)} ms` : ''}`,
        target: `≤ ${TARGETS.coldTimesFloor}× floor = ${limit.toFixed(0)} ms`,
        met: c.medianMs <= limit,
        floorMs,
      });
    }
  }

// 2. One process, N different sheets (generated from the seed, so that font subsets differ as they do
// in a real year): load, validate, grade, lay out and render each. The loop runs in its own process
// so that its RSS is not this script's.
const sheetsDir = mkdtempSync(join(tmpdir(), 'sheetgen-bench-sheets-'));
genSheets(N + 1, sheetsDir);
const entry = `
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { layoutSheet } from '${root}src/layout/index.ts';
import { loadFonts } from '${root}src/render/fonts.ts';
import { renderPdf } from '${root}src/render/pdf.ts';
import { loadSheet } from '${root}src/core/load.ts';
import { gradeLoaded } from '${root}src/core/grade.ts';
const meta = { title: 'bench', author: 'bench', subject: 'bench', creationDate: new Date(Date.UTC(2021, 2, 31)), lang: 'ja-JP' };
const files = readdirSync(${JSON.stringify(sheetsDir)}).sort().map((f) => join(${JSON.stringify(sheetsDir)}, f));
const fonts = loadFonts();
async function one(file) {
  const out = gradeLoaded(await loadSheet(file, 'en'), { lang: 'en' });
  if (!out.graded) throw new Error(file + ' does not grade');
  return renderPdf(layoutSheet(out.graded, fonts, { lang: 'ja' }).pages, fonts, meta);
}
const seed = gradeLoaded(await loadSheet(${JSON.stringify(seedYaml)}, 'en'), { lang: 'en' });
const t0 = performance.now();
const first = await renderPdf(layoutSheet(seed.graded, fonts, { lang: 'ja' }).pages, fonts, meta);
const firstMs = performance.now() - t0;
const rss = {};
const cpu0 = process.cpuUsage();
const t1 = performance.now();
for (let i = 1; i <= ${N}; i++) {
  await one(files[i]);
  if (i % 50 === 0) rss[i] = process.memoryUsage().rss;
}
const per = (performance.now() - t1) / ${N};
const cpu1 = process.cpuUsage(cpu0);
const perCpu = (cpu1.user + cpu1.system) / 1000 / ${N};
console.log(JSON.stringify({ bytes: first.length, firstMs, perSheetMs: per, perSheetCpuMs: perCpu, peakRss: process.resourceUsage().maxRSS * 1024, rss }));
`;
await build({
  stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'bench-entry.ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: `${cache}batch.mjs`,
  external: ['mupdf'],
  plugins: [pdfkitPlugin()],
  logLevel: 'warning',
  // CommonJS dependencies (yaml, pdfkit) bundled into ESM need a require, as in scripts/build.mjs.
  banner: {
    js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
  },
});
let r;
for (const node of nodes) {
  const raw = execFileSync(node.path, [`${cache}batch.mjs`], { cwd: root, encoding: 'utf8' });
  const rn = JSON.parse(raw.trim().split('\n').pop());
  r ??= rn;
  const marks = Object.entries(rn.rss)
    .map(([i, v]) => `${i}: ${mb(v)}`)
    .join(', ');
  console.log(
    `${tag(node)}one process, ${N} different sheets (load, validate, grade, layout, render; fonts parsed once; no files written): ${rn.perSheetMs.toFixed(1)} ms/sheet wall, ${rn.perSheetCpuMs.toFixed(1)} ms CPU — issue 13's batch budget ≤ ${TARGETS.perSheetMs} ms: ${verdict(rn.perSheetMs, TARGETS.perSheetMs + 1e-9)}`,
  );
  console.log(
    `  first render in that process ${rn.firstMs.toFixed(0)} ms; peak RSS ${mb(rn.peakRss)} MB; RSS (MB) after sheet ${marks}`,
  );
  record('3 in-process', {
    node: node.label,
    figure: `one process, ${N} sheets in memory (no writes)`,
    measured: `${rn.perSheetMs.toFixed(1)} ms/sheet; CPU ${rn.perSheetCpuMs.toFixed(1)} ms; RSS ${marks} MB`,
    target: `≤ ${TARGETS.perSheetMs} ms/sheet`,
    met: rn.perSheetMs <= TARGETS.perSheetMs,
    floorMs: cold?.floorMs,
  });
}
rmSync(sheetsDir, { recursive: true, force: true });
const pdfBytes = cold?.bytes ?? r.bytes;
console.log(
  `seed PDF (tagged, fonts subset): ${(pdfBytes / 1024).toFixed(1)} KB — target < ${TARGETS.pdfKB} KB: ${verdict(pdfBytes / 1024, TARGETS.pdfKB)}`,
);
record('5 size', {
  node: nodes[0].label,
  figure: 'seed PDF (tagged, fonts subset)',
  measured: `${(pdfBytes / 1024).toFixed(1)} KB`,
  target: `< ${TARGETS.pdfKB} KB`,
  met: pdfBytes / 1024 < TARGETS.pdfKB,
  floorMs: cold?.floorMs,
});
writeFileSync(`${cache}last.json`, JSON.stringify({ cold, batch: r }, null, 2));
