//! The batch worker thread: one SheetSession (fonts parsed once, on the first render) answering the
//! main thread's build requests one at a time. Bundled to dist/worker.js.

import { parentPort, workerData } from 'node:worker_threads';
import { SheetSession, type JobOptions } from './sheetjob.js';
import type { WorkerRequest, WorkerReply } from './pool.js';

const port = parentPort;
if (!port) throw new Error('src/core/worker.ts must run as a worker thread');
const session = new SheetSession(workerData as JobOptions);

port.on('message', (req: WorkerRequest) => {
  const run: Promise<WorkerReply> = session
    .build(req.file, req.outDir)
    .then((result) => ({ kind: 'build', id: req.id, result }));
  run.then(
    (reply) => port.postMessage(reply),
    // Anything thrown here is a bug in sheetgen: the main thread shows its stack.
    (e: unknown) =>
      port.postMessage({
        id: req.id,
        kind: 'bug',
        stack: e instanceof Error ? (e.stack ?? e.message) : String(e),
      } satisfies WorkerReply),
  );
});
