// Which Node binaries the benchmarks run their processes under: the one running `npm run bench`,
// and, when NODE24 names another binary (scripts/node24.sh --run npm run bench sets it), that one
// too, so one run prints the figures of both Node versions side by side.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';

/** [{ label: 'Node v20.20.2', path }, …]: this process's Node first; a NODE24 that does not run is reported and left out. */
export function benchNodes() {
  const nodes = [{ label: `Node ${process.version}`, path: process.execPath }];
  const extra = process.env.NODE24;
  if (!extra) return nodes;
  try {
    const version = execFileSync(extra, ['--version'], { encoding: 'utf8' }).trim();
    if (realpathSync(extra) !== realpathSync(process.execPath)) nodes.push({ label: `Node ${version}`, path: extra });
  } catch (e) {
    console.log(`NODE24=${extra} does not run (${e.code ?? e.message}); figures for ${nodes[0].label} only`);
  }
  return nodes;
}
