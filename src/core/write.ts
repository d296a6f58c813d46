//! Writing output files safely: a temp file beside the target renamed over it (atomic), never over
//! the input, a link, a folder, a read-only file or a file that is not a PDF; device files in place.

import { lstat, mkdir, open, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT, SheetgenError, type Lang } from '../diagnostics.js';
import { isFsError, writeFailure } from '../fs-errors.js';
import { t } from '../messages.js';

/** One input of a run as it lies on disk: its real path and, while it exists, its device and inode. */
interface InputId {
  shown: string;
  real: string;
  dev?: number;
  ino?: number;
}

/**
 * Every input of a run (sheets, the scheme, the fonts), known by real path and inode, so that no
 * output — a sheet's PDF, index.pdf, grades.csv, grades.json, a rolled-over file — is ever written
 * over one, whatever path, link or hard link names it.
 */
export class InputGuard {
  private constructor(private readonly ids: InputId[]) {}

  static async of(paths: readonly string[]): Promise<InputGuard> {
    const ids = await Promise.all(
      [...new Set(paths)].map(async (p): Promise<InputId> => {
        const real = await realpath(p).catch(() => resolve(p));
        const st = await stat(p).catch(() => undefined);
        return { shown: p, real, ...(st ? { dev: st.dev, ino: st.ino } : {}) };
      }),
    );
    return new InputGuard(ids);
  }

  /** Adds inputs met during the run (a scheme file a sheet names). */
  async add(paths: readonly string[]): Promise<void> {
    const more = await InputGuard.of(paths.filter((p) => !this.ids.some((i) => i.shown === p)));
    this.ids.push(...more.ids);
  }

  /** The input that `target` is (same real path, or same inode), if any. */
  async inputAt(target: string): Promise<string | undefined> {
    const abs = resolve(target);
    const st = await stat(abs).catch(() => undefined);
    // A target that does not exist yet: its folder's real path and its name.
    const real = await realpath(abs).catch(async () =>
      join(await realpath(dirname(abs)).catch(() => dirname(abs)), basename(abs)),
    );
    for (const i of this.ids) {
      if (i.real === real || resolve(i.shown) === abs) return i.shown;
      if (st && i.dev === st.dev && i.ino === st.ino) return i.shown;
    }
    return undefined;
  }

  /** Throws (exit 2) when `target` is one of the inputs. */
  async check(target: string, lang: Lang): Promise<void> {
    const input = await this.inputAt(target);
    if (input === undefined) return;
    const same = resolve(input) === resolve(target);
    throw new SheetgenError(
      same ? t(lang, 'outIsInput', { file: target }) : t(lang, 'outIsInputOf', { file: target, input }),
      { exitCode: EXIT.usage },
    );
  }
}

/** A temp file of ours: `.NAME.<pid>.<random>.tmp` beside the file it will become. */
const TEMP = /^\..+\.(\d+)\.[0-9a-z]+\.tmp$/;

export function tempPath(abs: string): string {
  return join(dirname(abs), `.${basename(abs)}.${process.pid}.${Math.floor(Math.random() * 1e9).toString(36)}.tmp`);
}

/** Whether process `pid` still runs (signal 0 tests without sending; EPERM means it runs as another user). */
function running(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temp files older than this are removed whatever their pid says (the pid may have been reused). */
const STALE_MS = 24 * 3600 * 1000;

/**
 * Removes the temp files that runs killed mid-write (kill -9, a power cut) left in `dir`: those of a
 * process that no longer runs, or older than a day. A running sheetgen's temp files are left alone.
 * Returns how many were removed.
 */
export async function sweepStaleTemps(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const n of names) {
    const m = TEMP.exec(n);
    if (!m) continue;
    const p = join(dir, n);
    const st = await lstat(p).catch(() => undefined);
    if (!st?.isFile()) continue;
    if (running(Number(m[1])) && Date.now() - st.mtimeMs < STALE_MS) continue;
    await rm(p, { force: true }).then(
      () => removed++,
      () => undefined,
    );
  }
  return removed;
}

/** Same file on disk (the same inode), whatever the path or links used to name it. */
async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const [sa, sb] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

/**
 * The last step of every write: the bytes go to a temp file beside `abs` and are renamed over it, so
 * a reader never sees half a file and a failure (a full disk) leaves nothing behind. `shown` is the
 * path as the user wrote it, for the message.
 */
export async function renameIntoPlace(
  abs: string,
  bytes: Uint8Array | string,
  shown: string,
  lang: Lang,
): Promise<void> {
  const tmp = tempPath(abs);
  try {
    await writeFile(tmp, bytes, { flag: 'wx' });
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    if (isFsError(e)) throw writeFailure(shown, e, lang);
    throw e;
  }
  await moveIntoPlace(tmp, abs, shown, lang);
}

/**
 * Renames a finished temp file over `abs`. When that fails the temp file is removed and the old
 * file kept; a file held open by another program (Windows locks the PDF a viewer shows: EBUSY,
 * EPERM) is said so, with what to do.
 */
export async function moveIntoPlace(tmp: string, abs: string, shown: string, lang: Lang): Promise<void> {
  try {
    await rename(tmp, abs);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    // "Close the viewer" only when there was a file to replace.
    const existed = await lstat(abs).then(
      () => true,
      () => false,
    );
    if (isFsError(e)) throw writeFailure(shown, e, lang, existed);
    throw e;
  }
}

/**
 * Writes bytes to `target` through a temp file in the same folder and a rename, so that a reader
 * never sees a half-written PDF and a failed write leaves nothing behind. Refuses to write over
 * the input (by any path or link), a directory, a symbolic link, a read-only file or a file that
 * is not a PDF (a mistyped -o must not destroy a sheet or a document). A character device or a
 * pipe (/dev/null, /dev/full, a FIFO) is written in place: renaming over it would replace the
 * device node itself, which as root destroys it.
 */
export async function writeAtomic(
  target: string,
  bytes: Uint8Array,
  protect: readonly string[] | InputGuard,
  lang: Lang,
): Promise<void> {
  const abs = resolve(target);
  if (protect instanceof InputGuard) await protect.check(target, lang);
  else {
    for (const p of protect) {
      if (await sameFile(p, abs))
        throw new SheetgenError(t(lang, 'outIsInput', { file: target }), { exitCode: EXIT.usage });
    }
  }
  const existing = await lstat(abs).catch(() => undefined);
  if (existing?.isSymbolicLink())
    throw new SheetgenError(t(lang, 'outIsSymlink', { file: target }), { exitCode: EXIT.usage });
  if (existing?.isDirectory())
    throw new SheetgenError(t(lang, 'outIsDirectory', { file: target }), { exitCode: EXIT.usage });
  if (existing && (existing.isCharacterDevice() || existing.isFIFO())) {
    try {
      await writeFile(abs, bytes);
      return;
    } catch (e) {
      if (isFsError(e)) throw writeFailure(target, e, lang);
      throw e;
    }
  }
  if (existing && !existing.isFile())
    throw new SheetgenError(t(lang, 'outIsSpecial', { file: target }), { exitCode: EXIT.usage });
  if (existing) {
    // Mode bits, not access(): root may write anything, but a file marked read-only is kept.
    if ((existing.mode & 0o222) === 0)
      throw new SheetgenError(t(lang, 'outIsReadOnly', { file: target }), { exitCode: EXIT.usage });
    if (existing.size > 0 && !(await startsWithPdf(abs)))
      throw new SheetgenError(t(lang, 'outNotPdf', { file: target }), { exitCode: EXIT.usage });
  }
  await mkdir(dirname(abs), { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    // mkdir -p meets a file where a folder should be: EEXIST or ENOTDIR.
    if (e.code === 'EEXIST' || e.code === 'ENOTDIR')
      throw new SheetgenError(t(lang, 'cannotWrite', { file: target, reason: t(lang, 'parentNotFolder') }), {
        exitCode: EXIT.invalid,
      });
    throw isFsError(e) ? writeFailure(target, e, lang) : e;
  });
  await sweepStaleTemps(dirname(abs));
  await renameIntoPlace(abs, bytes, target, lang);
}

/** Whether a file begins with the PDF signature (an earlier build's output may be replaced). */
export async function startsWithPdf(file: string): Promise<boolean> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return false;
  try {
    const buf = new Uint8Array(5);
    const { bytesRead } = await fh.read(buf, 0, 5, 0);
    return bytesRead === 5 && new TextDecoder().decode(buf) === '%PDF-';
  } finally {
    await fh.close();
  }
}
