//! The participants of a batch: worker threads (one SheetSession each) or, for --jobs 1, the
//! main thread itself; both behind one small interface so the scheduler does not care which.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SheetSession, type BuildResult, type JobOptions } from './sheetjob.js';

export type WorkerRequest = { kind: 'build'; id: number; file: string; outDir: string };

export type WorkerReply =
  | { kind: 'build'; id: number; result: BuildResult }
  | { kind: 'bug'; id: number; stack: string };

/** A bug inside a participant (not bad input): carries the stack to show. */
export class ParticipantBug extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

export interface Participant {
  build(id: number, file: string, outDir: string): Promise<BuildResult>;
  /** Ends the participant; a worker in the middle of a job is stopped. */
  terminate(): Promise<void>;
  /** False once its thread has died: it takes no more work. */
  readonly alive: boolean;
}

export class InProcess implements Participant {
  private session: SheetSession;
  readonly alive = true;
  constructor(opts: JobOptions) {
    this.session = new SheetSession(opts);
  }
  build(_id: number, file: string, outDir: string): Promise<BuildResult> {
    return this.session.build(file, outDir);
  }
  async terminate(): Promise<void> {}
}

/**
 * The worker script: dist/worker.js beside the bundle (scripts/build.mjs makes it). Running from
 * the TypeScript sources (vitest), this module is src/core/pool.ts and the bundle's worker is used.
 */
export function workerUrl(): URL {
  const beside = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const bundled = new URL('../../dist/worker.js', import.meta.url);
  if (import.meta.url.endsWith('.ts') && existsSync(fileURLToPath(bundled))) return bundled;
  throw new Error(`the batch worker script is missing (${fileURLToPath(beside)}); run npm run build`);
}

export class ThreadParticipant implements Participant {
  private worker: Worker;
  private pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  alive = true;

  constructor(opts: JobOptions) {
    this.worker = new Worker(workerUrl(), { workerData: opts });
    this.worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.kind === 'bug') p.reject(new ParticipantBug(reply.stack));
      else p.resolve(reply.result as never);
    });
    const die = (why: string) => {
      this.alive = false;
      for (const p of this.pending.values()) p.reject(new ParticipantBug(why));
      this.pending.clear();
    };
    this.worker.on('error', (e) => die(e.stack ?? e.message));
    this.worker.on('exit', (code) => die(`the worker thread exited (code ${code})`));
  }

  private call<T>(req: WorkerRequest): Promise<T> {
    if (!this.alive) return Promise.reject(new ParticipantBug('the worker thread is no longer running'));
    return new Promise<T>((resolve, reject) => {
      this.pending.set(req.id, { resolve: resolve as (v: never) => void, reject });
      this.worker.postMessage(req);
    });
  }

  build(id: number, file: string, outDir: string): Promise<BuildResult> {
    return this.call({ kind: 'build', id, file, outDir });
  }
  async terminate(): Promise<void> {
    this.alive = false;
    await this.worker.terminate();
  }
}
