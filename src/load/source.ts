//! Reads a sheet file as text: size limit, encoding (UTF-8, BOM stripped; UTF-16 and invalid bytes
//! refused with a clear message) and line endings. YAML parsing is ./parse.ts.

import type { Diagnostic, Lang } from '../diagnostics.js';
import { readRegularFile } from '../fs-errors.js';
import { t } from '../messages.js';

/** Largest sheet file accepted; a real sheet is 5–20 KB. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Decodes the bytes of a sheet file, or returns the diagnostic saying why it can't be read as UTF-8. */
export function decodeSheetBytes(
  file: string,
  bytes: Uint8Array,
  lang: Lang,
): { text: string } | { error: Diagnostic } {
  const err = (message: string, hint?: string): { error: Diagnostic } => ({
    error: { severity: 'error', code: 'file.encoding', file, line: 1, column: 1, message, ...(hint ? { hint } : {}) },
  });
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      error: {
        severity: 'error',
        code: 'file.too-large',
        file,
        message: t(lang, 'fileTooLarge', { size: bytes.length, max: MAX_FILE_BYTES }),
      },
    };
  }
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    return err(t(lang, 'utf16'), t(lang, 'saveAsUtf8'));
  }
  // UTF-16 without a BOM: every other byte of ASCII text is NUL.
  if (
    bytes.length >= 4 &&
    (bytes[1] === 0 || bytes[0] === 0) &&
    bytes.subarray(0, 64).filter((b) => b === 0).length >= 8
  ) {
    return err(t(lang, 'utf16'), t(lang, 'saveAsUtf8'));
  }
  // A NUL byte never occurs in a UTF-8 text file: this is a PDF, an image, an Excel book…
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return { error: { severity: 'error', code: 'file.binary', file, message: t(lang, 'binaryFile', { offset: nul }) } };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return {
      error: {
        severity: 'error',
        code: 'file.encoding',
        file,
        line,
        column,
        message: t(lang, 'invalidUtf8', { offset: at }),
        hint: t(lang, 'saveAsUtf8'),
      },
    };
  }
  return { text };
}

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    if (len > 1) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + len));
      } catch {
        return i;
      }
    }
    i += len;
  }
  return bytes.length;
}

/**
 * Reads a sheet file: only an ordinary file (a FIFO, a device or a /proc file is refused before it
 * can hang or flood the reader, also behind a link), at most MAX_FILE_BYTES + 1 bytes of it. A missing
 * or unreadable file is a usage error (exit 2) saying why in plain words.
 */
export async function readSheetFile(file: string, lang: Lang): Promise<{ text: string } | { error: Diagnostic }> {
  const bytes = await readRegularFile(file, MAX_FILE_BYTES, lang);
  if (bytes.size !== undefined) {
    return {
      error: {
        severity: 'error',
        code: 'file.too-large',
        file,
        message: t(lang, 'fileTooLarge', { size: bytes.size, max: MAX_FILE_BYTES }),
      },
    };
  }
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      error: {
        severity: 'error',
        code: 'file.too-large',
        file,
        message: t(lang, 'fileTooLargeStream', { max: MAX_FILE_BYTES }),
      },
    };
  }
  return decodeSheetBytes(file, bytes, lang);
}
