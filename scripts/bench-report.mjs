// The figures of issue 13 side by side (`npm run bench` ends with `node scripts/bench-report.mjs`):
// each benchmark script records its figures here (node_modules/.cache/sheetgen-bench/report.json)
// together with the `node -e 0` floor measured in the same run, and this script prints them as one
// list: figure, measured, target, met or missed. Run alone, it prints what the last run recorded.
// Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = `${root}node_modules/.cache/sheetgen-bench/`;
const file = `${cache}report.json`;

/** The targets of issue 13 (the floor is `node -e 0` of the same run). */
export const ISSUE13 = {
  coldTimesFloor: 3,
  batch300JobsOneS: 3.6,
  previewMs: 50,
  seedPdfKB: 110,
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall time (ms) of `node -e 0` under this Node binary: the floor every process-level figure stands on. */
export function nodeFloorMs(nodePath = process.execPath, runs = 7) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(nodePath, ['-e', '0']);
    times.push(performance.now() - t);
  }
  return median(times);
}

function read() {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { figures: {} };
  }
}

/** Starts a new report (scripts/bench.mjs, the first step of `npm run bench`). */
export function startReport() {
  mkdirSync(cache, { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({
      started: new Date().toISOString(),
      cpus: availableParallelism(),
      load: loadavg()[0],
      figures: {},
    }),
  );
}

/**
 * Records one figure: `key` orders the list; `measured` and `target` are the printed texts, `met`
 * whether the target holds (undefined: no target); `floorMs` the `node -e 0` floor of this run.
 */
export function record(key, { node, figure, measured, target, met, floorMs }) {
  const r = read();
  r.figures[`${key} ${node}`] = { key, node, figure, measured, target, met, floorMs };
  mkdirSync(cache, { recursive: true });
  writeFileSync(file, JSON.stringify(r, null, 2));
}

/** The list, one figure a line: measured beside its target and the floor of the same run. */
export function printReport() {
  const r = read();
  const rows = Object.values(r.figures).sort((a, b) => a.key.localeCompare(b.key) || a.node.localeCompare(b.node));
  if (rows.length === 0) {
    console.log('issue 13 figures: none recorded (run `npm run bench`)');
    return;
  }
  const nodes = new Set(rows.map((x) => x.node));
  const floors = [...nodes].map((n) => {
    const f = rows.find((x) => x.node === n && x.floorMs !== undefined)?.floorMs;
    return `${n}: \`node -e 0\` ${f !== undefined ? `${f.toFixed(0)} ms` : 'not measured'}`;
  });
  console.log('');
  console.log(
    `issue 13 figures (run of ${r.started ?? '?'}; ${r.cpus ?? '?'} CPUs, load average ${r.load?.toFixed(2) ?? '?'} at start; ${floors.join('; ')})`,
  );
  const tag = (x) => (nodes.size > 1 ? `[${x.node}] ` : '');
  const head = ['figure', 'measured', 'target', ''];
  const table = rows.map((x) => [
    `${tag(x)}${x.figure}`,
    x.measured,
    x.target ?? '',
    x.met === undefined ? '' : x.met ? 'met' : 'MISSED',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  console.log(line(head));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of table) console.log(line(row));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(file)) console.log('issue 13 figures: none recorded (run `npm run bench`)');
  else printReport();
}
