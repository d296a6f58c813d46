//! File-system errors in words a clerk can act on: every errno sheetgen can meet on a sheet, folder,
//! scheme, font, output or rollover target becomes a plain sentence naming the path, with the
//! right exit code (2 for what cannot be read, 1 for what cannot be written) — never a stack trace.

import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { EXIT, SheetgenError, type Lang } from './diagnostics.js';
import { t } from './messages.js';

/** An error thrown by node:fs (it carries an errno code such as "EACCES"). */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return (
    e instanceof Error &&
    typeof (e as NodeJS.ErrnoException).code === 'string' &&
    /^E[A-Z0-9]+$/.test((e as NodeJS.ErrnoException).code!)
  );
}

/** The errno of a failed file operation as the reason a user reads ("the disk is full", not "ENOSPC"). */
export function fsReason(e: unknown, lang: Lang): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return t(lang, 'fsNoEntry');
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return t(lang, 'diskFull');
    case 'EACCES':
      return t(lang, 'fsDenied');
    case 'EPERM':
      return t(lang, 'fsNotPermitted');
    case 'EBUSY':
    case 'ETXTBSY':
      return t(lang, 'fsBusy');
    case 'EROFS':
      return t(lang, 'readOnlyFs');
    case 'ENOTDIR':
      return t(lang, 'parentNotFolder');
    case 'EISDIR':
      return t(lang, 'fsIsDir');
    case 'EIO':
      return t(lang, 'fsIo');
    case 'ENXIO':
    case 'ENODEV':
    case 'EOPNOTSUPP':
    case 'ENOTSUP':
      return t(lang, 'fsNoDevice');
    case 'EINVAL':
    case 'EILSEQ':
      return t(lang, 'fsInvalid');
    case 'ELOOP':
      return t(lang, 'fsLoop');
    case 'ENAMETOOLONG':
      return t(lang, 'fsNameTooLong');
    case 'EMFILE':
    case 'ENFILE':
    case 'ENOMEM':
      return t(lang, 'fsTooManyOpen');
    case 'ETIMEDOUT':
    case 'EHOSTDOWN':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
    case 'ENETUNREACH':
    case 'ECONNRESET':
    case 'ESTALE':
    case 'ENOTCONN':
      return t(lang, 'fsNetwork');
    case 'EEXIST':
    case 'ENOTEMPTY':
      return t(lang, 'fsExists');
    default:
      return t(lang, 'fsOther', { code: code ?? (e instanceof Error ? e.message : String(e)) });
  }
}

/** Replacing a file failed because another program holds it open (Windows locks a PDF its viewer shows). */
export function isLocked(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  // Windows answers a rename over a file another program holds open with EPERM, EACCES or EBUSY.
  return (
    code === 'EBUSY' || code === 'ETXTBSY' || (process.platform === 'win32' && (code === 'EPERM' || code === 'EACCES'))
  );
}

/** A file that could not be read (a sheet, scheme, font or folder): exit 2, the path and the reason. */
export function readFailure(file: string, e: unknown, lang: Lang, folder = false): SheetgenError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' && !folder) return new SheetgenError(t(lang, 'noSuchFile', { file }), { exitCode: EXIT.usage });
  return new SheetgenError(
    t(lang, folder ? 'cannotListFolder' : 'cannotReadBecause', { file, reason: fsReason(e, lang) }),
    { exitCode: EXIT.usage },
  );
}

/** A file that could not be written: exit 1, the path and the reason; a locked file says to close the viewer. */
export function writeFailure(file: string, e: unknown, lang: Lang, replacing = false): SheetgenError {
  if (replacing && isLocked(e))
    return new SheetgenError(t(lang, 'outLocked', { file }), { exitCode: EXIT.invalid, cause: e });
  return new SheetgenError(t(lang, 'cannotWrite', { file, reason: fsReason(e, lang) }), {
    exitCode: EXIT.invalid,
    cause: e,
  });
}

/** Runs a file operation; a file-system error becomes the user's SheetgenError made by `fail`. */
export async function guardFs<T>(op: () => Promise<T>, fail: (e: NodeJS.ErrnoException) => SheetgenError): Promise<T> {
  try {
    return await op();
  } catch (e) {
    if (isFsError(e)) throw fail(e);
    throw e;
  }
}

/** Where the system keeps files that are not data (endless, blocking or changing on every read). */
const SYSTEM_DIRS = ['/proc/', '/sys/', '/dev/'];

/** What kind of non-ordinary file `st` is, as the message names it. */
function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'kind.fifo';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'kind.device';
  if (st.isSocket()) return 'kind.socket';
  if (st.isDirectory()) return 'fsIsDir';
  return 'kind.other';
}

/**
 * Reads an input file (sheet, scheme, font) of at most `max` bytes, refusing up front anything that
 * is not an ordinary file — a FIFO, a device, a socket, a file under /proc, /sys or /dev — also when
 * a symbolic link points there. The file is opened without blocking (O_NONBLOCK: a FIFO never hangs
 * the open) and checked on the open descriptor (fstat), so it cannot be swapped between check and read.
 * Returns the bytes read, at most max + 1 (the caller tells "too large" by the length); nothing is read
 * of a file whose size is known to be over the limit (`size` says how large it is).
 */
export function readRegularFileSync(file: string, max: number, lang: Lang): Uint8Array & { size?: number } {
  let real: string;
  try {
    real = realpathSync(file);
  } catch (e) {
    throw readFailure(file, e, lang);
  }
  if (process.platform !== 'win32' && SYSTEM_DIRS.some((d) => real.startsWith(d))) {
    throw new SheetgenError(t(lang, 'notRegularFile', { file, kind: t(lang, 'kind.system') }), {
      exitCode: EXIT.usage,
    });
  }
  let fd: number;
  try {
    fd = openSync(real, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw readFailure(file, e, lang);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = kindOf(st);
      if (kind === 'fsIsDir') throw new SheetgenError(t(lang, 'isDirectory', { file }), { exitCode: EXIT.usage });
      throw new SheetgenError(t(lang, 'notRegularFile', { file, kind: t(lang, kind) }), { exitCode: EXIT.usage });
    }
    if (st.size > max) return Object.assign(new Uint8Array(max + 1), { size: st.size });
    // Sized by stat, grown if the file is longer than it said (a file being written), never past max + 1.
    let buf = new Uint8Array(Math.min(max + 1, st.size + 1));
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        if (buf.length > max) break;
        const bigger = new Uint8Array(Math.min(max + 1, buf.length * 2 + 4096));
        bigger.set(buf);
        buf = bigger;
      }
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
    }
    return buf.subarray(0, len);
  } catch (e) {
    if (e instanceof SheetgenError) throw e;
    throw readFailure(file, e, lang);
  } finally {
    closeSync(fd);
  }
}

/** The same, for async callers (the sheet loader): the work is small and bounded, so it runs synchronously. */
export async function readRegularFile(file: string, max: number, lang: Lang): Promise<Uint8Array & { size?: number }> {
  return readRegularFileSync(file, max, lang);
}
