// Preloaded by scripts/bench-batch.mjs (`node --import`): when the process exits, writes the CPU
// time of its main thread and of the whole process (every thread: V8's compiler and GC helpers,
// the zlib thread pool, the batch's worker threads) to the file named by SHEETGEN_THREAD_CPU.
// Linux only (/proc/self/task); elsewhere it writes nothing. Measures; changes nothing.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.SHEETGEN_THREAD_CPU;
if (file) {
  process.on('exit', () => {
    try {
      const raw = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
      // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (USER_HZ, 100 on Linux).
      const f = raw.slice(raw.lastIndexOf(') ') + 2).split(' ');
      const mainSeconds = (Number(f[11]) + Number(f[12])) / 100;
      const all = process.cpuUsage();
      writeFileSync(file, JSON.stringify({ mainSeconds, processSeconds: (all.user + all.system) / 1e6 }));
    } catch {
      // Not Linux, or /proc is not mounted: no figure.
    }
  });
}
