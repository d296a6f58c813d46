// Batch build benchmark (npm run bench, after scripts/bench.mjs): 300 generated sheets built through
// the real bin with --jobs 1 and --jobs 2 — seconds, per-sheet ms, speed-up, peak memory of the whole
// run (the process and its worker threads), and the peak at 100 vs 300 sheets (it should stay flat).
// Target (issue 13): 300 sheets in at most 3.6 s with --jobs 1 (12 ms a sheet all in), printed beside
// the `node -e 0` floor of the same run and the CPU time (user+sys: the machine may be shared).
// Records its figures for scripts/bench-report.mjs. Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchNodes } from './bench-nodes.mjs';
import { genSheets } from './gen-sheets.mjs';
import { ISSUE13, nodeFloorMs, record } from './bench-report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// SHEETGEN_BIN: another copy of the bin (e.g. a snapshot of dist/ that a concurrent rebuild cannot change mid-run).
const bin = process.env.SHEETGEN_BIN ?? join(root, 'bin', 'sheetgen.js');
const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);

const threadCpu = join(root, 'scripts', 'thread-cpu.mjs');

/**
 * Runs one build; returns wall seconds, CPU seconds (user+sys, with /usr/bin/time), peak RSS in MB
 * (worker threads share the process, so this is their sum), and (Linux) the CPU seconds of the main
 * thread alone, from scripts/thread-cpu.mjs.
 */
function run(node, dir, out, jobs) {
  const cpuFile = join(work, `cpu-${jobs}.json`);
  rmSync(cpuFile, { force: true });
  return new Promise((resolve, reject) => {
    const args = [
      '--import',
      pathToFileURL(threadCpu).href,
      bin,
      'build',
      dir,
      '-o',
      out,
      '--jobs',
      String(jobs),
      '--quiet',
    ];
    const started = performance.now();
    const child = hasTime
      ? spawn(TIME, ['-v', node, ...args], {
          cwd: root,
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, CI: 'true', SHEETGEN_THREAD_CPU: cpuFile },
        })
      : spawn(node, args, {
          cwd: root,
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, CI: 'true', SHEETGEN_THREAD_CPU: cpuFile },
        });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    // Without /usr/bin/time: poll the high-water mark the kernel keeps for the process.
    let peakKb = 0;
    const poll = hasTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) peakKb = Math.max(peakKb, Number(m[1]));
          } catch {
            // The process has ended between two polls.
          }
        }, 10);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (poll) clearInterval(poll);
      const seconds = (performance.now() - started) / 1000;
      let cpuSeconds;
      if (hasTime) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        if (m) peakKb = Number(m[1]);
        const u = /User time \(seconds\): ([\d.]+)/.exec(stderr);
        const k = /System time \(seconds\): ([\d.]+)/.exec(stderr);
        if (u && k) cpuSeconds = Number(u[1]) + Number(k[1]);
      }
      if (code !== 0) return reject(new Error(`build exited ${code}:\n${stderr.slice(-2000)}`));
      let mainSeconds;
      try {
        mainSeconds = JSON.parse(readFileSync(cpuFile, 'utf8')).mainSeconds;
      } catch {
        // No /proc: no main-thread figure.
      }
      resolve({ seconds, cpuSeconds, mainSeconds, peakMb: peakKb / 1024 });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'sheetgen-bench-batch-'));
try {
  genSheets(300, join(work, 's300'));
  genSheets(100, join(work, 's100'));
  console.log(
    `batch build: ${availableParallelism()} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at start; peak memory by ${hasTime ? '/usr/bin/time -v' : 'polling /proc/<pid>/status VmHWM'}`,
  );
  // Each Node of benchNodes() in turn (NODE24: Node 24 as well), each with its own warm-up.
  const nodes = benchNodes();
  for (const node of nodes) {
    const tag = nodes.length > 1 ? `[${node.label}] ` : '';
    // One warm-up run so that the first measured run does not pay for a cold disk cache.
    await run(node.path, join(work, 's100'), join(work, 'warm'), 2);
    const results = {};
    for (const count of [100, 300]) {
      for (const jobs of [1, 2]) {
        const out = join(work, `out-${count}-${jobs}`);
        const r = await run(node.path, join(work, `s${count}`), out, jobs);
        results[`${count}/${jobs}`] = r;
        const mainText = r.mainSeconds !== undefined ? `, main thread ${r.mainSeconds.toFixed(2)} s` : '';
        const cpuText = r.cpuSeconds !== undefined ? ` (CPU ${r.cpuSeconds.toFixed(2)} s${mainText})` : '';
        console.log(
          `  ${tag}${String(count).padStart(3)} sheets, --jobs ${jobs}: ${r.seconds.toFixed(2)} s${cpuText}, ${((r.seconds * 1000) / count).toFixed(1)} ms/sheet, peak ${r.peakMb.toFixed(0)} MB`,
        );
        rmSync(out, { recursive: true, force: true });
      }
    }
    const s1 = results['300/1'];
    const s2 = results['300/2'];
    const h1 = results['100/1'];
    if (s1.mainSeconds !== undefined && h1.mainSeconds !== undefined && s1.cpuSeconds !== undefined) {
      // What one more sheet costs once the process is warm (the JIT has compiled the hot code), and
      // where the rest of the CPU goes: V8's background compiler and GC threads and the zlib pool.
      const marginal = ((s1.mainSeconds - h1.mainSeconds) * 1000) / 200;
      console.log(
        `  --jobs 1, main thread: ${((s1.mainSeconds * 1000) / 300).toFixed(1)} ms/sheet CPU over 300 sheets, ${marginal.toFixed(1)} ms for each sheet from the 101st to the 300th; other threads (V8's compiler and GC, zlib): ${(s1.cpuSeconds - s1.mainSeconds).toFixed(2)} s CPU`,
      );
    }
    console.log(`  speed-up at 300 sheets, 2 jobs over 1: ${(s1.seconds / s2.seconds).toFixed(2)}×`);
    console.log(
      `  peak memory 100 → 300 sheets: --jobs 1 ${results['100/1'].peakMb.toFixed(0)} → ${s1.peakMb.toFixed(0)} MB, --jobs 2 ${results['100/2'].peakMb.toFixed(0)} → ${s2.peakMb.toFixed(0)} MB`,
    );
    const floorMs = nodeFloorMs(node.path);
    const target = ISSUE13.batch300JobsOneS;
    console.log(
      `  target (issue 13): 300 sheets with --jobs 1 in ≤ ${target} s — ${s1.seconds <= target ? 'met' : 'not met'} (${s1.seconds.toFixed(2)} s; \`node -e 0\` ${floorMs.toFixed(0)} ms)`,
    );
    const cpu = (r) => (r.cpuSeconds !== undefined ? `; CPU ${r.cpuSeconds.toFixed(2)} s` : '');
    record('2 batch a', {
      node: node.label,
      figure: 'batch, 300 sheets, --jobs 1, all in',
      measured: `${s1.seconds.toFixed(2)} s = ${((s1.seconds * 1000) / 300).toFixed(1)} ms/sheet${cpu(s1)}`,
      target: `≤ ${target} s (${((target * 1000) / 300).toFixed(0)} ms/sheet)`,
      met: s1.seconds <= target,
      floorMs,
    });
    record('2 batch b', {
      node: node.label,
      figure: 'batch, 300 sheets, --jobs 2',
      measured: `${s2.seconds.toFixed(2)} s${cpu(s2)}; ${(s1.seconds / s2.seconds).toFixed(2)}× --jobs 1`,
      floorMs,
    });
    // Flat: 300 sheets need no more than 100 do, give or take 10% (the heap's own growth).
    const flat = (a, b) => b.peakMb <= a.peakMb * 1.1;
    record('2 batch c', {
      node: node.label,
      figure: 'batch peak memory, 100 → 300 sheets',
      measured: `--jobs 1 ${results['100/1'].peakMb.toFixed(0)} → ${s1.peakMb.toFixed(0)} MB; --jobs 2 ${results['100/2'].peakMb.toFixed(0)} → ${s2.peakMb.toFixed(0)} MB`,
      target: 'flat (≤ +10%)',
      met: flat(results['100/1'], s1) && flat(results['100/2'], s2),
      floorMs,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
