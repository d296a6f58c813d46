//! Writing output files safely: a temp file beside the target renamed over it (atomic), never over
//! the input, a link, a folder, a read-only file or a file that is not a PDF; device files in place.

import { lstat, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT, SheetgenError, type Lang } from '../diagnostics.js';
import { t } from '../messages.js';

/** The errno of a failed write in words the user can act on. */
function writeReason(e: unknown, lang: Lang): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return t(lang, 'diskFull');
    case 'EACCES':
    case 'EPERM':
      return t(lang, 'permissionDenied');
    case 'EROFS':
      return t(lang, 'readOnlyFs');
    case 'ENOTDIR':
    case 'EEXIST':
      return t(lang, 'parentNotFolder');
    default:
      return code ?? (e as Error).message;
  }
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
export async function renameIntoPlace(abs: string, bytes: Uint8Array, shown: string, lang: Lang): Promise<void> {
  const tmp = join(dirname(abs), `.${basename(abs)}.${process.pid}.${Math.floor(Math.random() * 1e9).toString(36)}.tmp`);
  try {
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, abs);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new SheetgenError(t(lang, 'cannotWrite', { file: shown, reason: writeReason(e, lang) }), { exitCode: EXIT.invalid });
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
export async function writeAtomic(target: string, bytes: Uint8Array, protect: readonly string[], lang: Lang): Promise<void> {
  const abs = resolve(target);
  for (const p of protect) {
    if (await sameFile(p, abs)) throw new SheetgenError(t(lang, 'outIsInput', { file: target }), { exitCode: EXIT.usage });
  }
  const existing = await lstat(abs).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw new SheetgenError(t(lang, 'outIsSymlink', { file: target }), { exitCode: EXIT.usage });
  if (existing?.isDirectory()) throw new SheetgenError(t(lang, 'outIsDirectory', { file: target }), { exitCode: EXIT.usage });
  if (existing && (existing.isCharacterDevice() || existing.isFIFO())) {
    try {
      await writeFile(abs, bytes);
      return;
    } catch (e) {
      throw new SheetgenError(t(lang, 'cannotWrite', { file: target, reason: writeReason(e, lang) }), { exitCode: EXIT.invalid });
    }
  }
  if (existing && !existing.isFile()) throw new SheetgenError(t(lang, 'outIsSpecial', { file: target }), { exitCode: EXIT.usage });
  if (existing) {
    // Mode bits, not access(): root may write anything, but a file marked read-only is kept.
    if ((existing.mode & 0o222) === 0) throw new SheetgenError(t(lang, 'outIsReadOnly', { file: target }), { exitCode: EXIT.usage });
    if (existing.size > 0 && !(await startsWithPdf(abs))) throw new SheetgenError(t(lang, 'outNotPdf', { file: target }), { exitCode: EXIT.usage });
  }
  await mkdir(dirname(abs), { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new SheetgenError(t(lang, 'cannotWrite', { file: target, reason: writeReason(e, lang) }), { exitCode: EXIT.invalid });
  });
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

