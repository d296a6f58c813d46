//! Watching one file for saves: fs.watch on the file, re-armed when an editor replaces it (save by
//! rename), debounced, with a slow stat poll as a safety net for file systems that send no events.

import { statSync, watch, watchFile, unwatchFile, type FSWatcher, type Stats } from 'node:fs';

export interface WatchOptions {
  /** Quiet time after the last event before `onChange` runs: editors write a save in several steps. */
  debounceMs?: number;
  /** How often to look again for a file that is missing (deleted, or between an editor's unlink and rename). */
  retryMs?: number;
  /** Interval of the stat poll that catches changes fs.watch did not report (network drives). */
  pollMs?: number;
  /** Called at once on every event, before the debounce (a build running now may have read a half-written file). */
  onEvent?: () => void;
}

export interface FileWatcher {
  close(): void;
}

/**
 * Calls `onChange` after the file at `path` changes, however the editor saves it: written in place
 * (a 'change' event), or a new file renamed over it (a 'rename' event; the watch then follows the
 * path to the new file, as chokidar does for marp-cli's watch mode). The caller checks whether the
 * text really changed.
 */
export function watchPath(path: string, onChange: () => void, opts: WatchOptions = {}): FileWatcher {
  const debounceMs = opts.debounceMs ?? 10;
  const retryMs = opts.retryMs ?? 50;
  const pollMs = opts.pollMs ?? 1000;
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;

  /** What the file looked like at the last event: the poll reports only changes no event told of. */
  let seen = signature();
  function signature(): string {
    try {
      const st = statSync(path);
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }

  const fire = () => {
    if (closed) return;
    seen = signature();
    opts.onEvent?.();
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      if (!closed) onChange();
    }, debounceMs);
  };

  const arm = (): boolean => {
    try {
      const w = watch(path, { persistent: true }, (event) => {
        fire();
        // The watched file was replaced, moved or deleted: the path now names another file (or none).
        if (event === 'rename') rearm(0);
      });
      w.on('error', () => rearm(retryMs));
      watcher = w;
      return true;
    } catch {
      return false;
    }
  };

  function rearm(delay: number): void {
    watcher?.close();
    watcher = undefined;
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      if (closed) return;
      if (arm()) fire();
      else rearm(retryMs);
    }, delay);
  }

  if (!arm()) rearm(retryMs);
  const poll = (cur: Stats) => {
    const now = cur.ino === 0 && cur.mtimeMs === 0 ? 'missing' : `${cur.ino}:${cur.size}:${cur.mtimeMs}`;
    if (now === seen) return;
    // A replaced file the events missed: watch the new one.
    if (seen.split(':')[0] !== now.split(':')[0]) rearm(0);
    fire();
  };
  watchFile(path, { interval: pollMs, persistent: false }, poll);

  return {
    close() {
      closed = true;
      watcher?.close();
      watcher = undefined;
      if (debounce) clearTimeout(debounce);
      if (retry) clearTimeout(retry);
      unwatchFile(path, poll);
    },
  };
}
