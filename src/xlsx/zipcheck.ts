//! Checks a workbook's bytes before exceljs sees them (exceljs holds a whole book in memory): a zip
//! at all, not encrypted, no macros, a bounded number of entries, and every entry inflated here
//! under a hard output limit, so a zip bomb or a sheet of millions of cells is refused, not loaded.

import { inflateRawSync } from 'node:zlib';

/** Largest workbook file read: a filled-in form is well under 1 MiB. */
export const MAX_BOOK_BYTES = 20 * 1024 * 1024;
/** Most entries in the zip (a book from Excel has about 15). */
export const MAX_ENTRIES = 1000;
/** Most bytes all entries may inflate to together. */
export const MAX_UNCOMPRESSED = 64 * 1024 * 1024;
/** Most cells (<c> elements) over all worksheets: the form has a few thousand. */
export const MAX_CELLS = 200_000;

export type ZipProblem =
  | { kind: 'notZip' }
  | { kind: 'encrypted' }
  | { kind: 'tooLarge'; size: number; max: number }
  | { kind: 'corrupt'; detail: string }
  | { kind: 'macros' }
  | { kind: 'tooManyEntries'; count: number; max: number }
  | { kind: 'bomb'; entry: string; max: number }
  | { kind: 'tooManyCells'; count: number; max: number };

const u16 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8)) >>> 0;
const u32 = (b: Uint8Array, o: number): number =>
  (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

/** OLE2 compound file: an encrypted OOXML book or an old .xls. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Returns the first problem of the workbook bytes, or null when exceljs may read them. */
export function checkWorkbookBytes(bytes: Uint8Array): ZipProblem | null {
  if (bytes.length > MAX_BOOK_BYTES) return { kind: 'tooLarge', size: bytes.length, max: MAX_BOOK_BYTES };
  if (OLE.every((v, i) => bytes[i] === v)) return { kind: 'encrypted' };
  if (bytes.length < 22 || u32(bytes, 0) !== 0x04034b50) return { kind: 'notZip' };
  // End of central directory: the last 22 bytes, or before a comment of up to 65535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { kind: 'corrupt', detail: 'no end of central directory' };
  const count = u16(bytes, eocd + 10);
  const cdSize = u32(bytes, eocd + 12);
  const cdOffset = u32(bytes, eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) return { kind: 'corrupt', detail: 'ZIP64 archives are not read' };
  if (count > MAX_ENTRIES) return { kind: 'tooManyEntries', count, max: MAX_ENTRIES };
  if (cdOffset + cdSize > eocd) return { kind: 'corrupt', detail: 'central directory out of range' };
  let p = cdOffset;
  let total = 0;
  let cells = 0;
  const decoder = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || u32(bytes, p) !== 0x02014b50)
      return { kind: 'corrupt', detail: `central directory entry ${k}` };
    const flags = u16(bytes, p + 8);
    const method = u16(bytes, p + 10);
    const csize = u32(bytes, p + 20);
    const usize = u32(bytes, p + 24);
    const nlen = u16(bytes, p + 28);
    const elen = u16(bytes, p + 30);
    const clen = u16(bytes, p + 32);
    const local = u32(bytes, p + 42);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nlen));
    p += 46 + nlen + elen + clen;
    if (flags & 1) return { kind: 'encrypted' };
    if (/(^|\/)vba[^/]*\.bin$/i.test(name)) return { kind: 'macros' };
    total += usize;
    if (total > MAX_UNCOMPRESSED) return { kind: 'bomb', entry: name, max: MAX_UNCOMPRESSED };
    if (local + 30 > bytes.length || u32(bytes, local) !== 0x04034b50)
      return { kind: 'corrupt', detail: `local header of ${name}` };
    const start = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
    if (start + csize > bytes.length) return { kind: 'corrupt', detail: `data of ${name} out of range` };
    const data = bytes.subarray(start, start + csize);
    let out: Uint8Array;
    if (method === 0) out = data;
    else if (method === 8) {
      try {
        // The declared size is a claim; the inflater is stopped one byte past it.
        out = inflateRawSync(data, { maxOutputLength: usize + 1 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
          return { kind: 'bomb', entry: name, max: MAX_UNCOMPRESSED };
        return { kind: 'corrupt', detail: `${name}: ${(e as Error).message}` };
      }
    } else return { kind: 'corrupt', detail: `${name}: compression method ${method}` };
    if (out.length !== usize)
      return out.length > usize
        ? { kind: 'bomb', entry: name, max: MAX_UNCOMPRESSED }
        : { kind: 'corrupt', detail: `${name}: size ${out.length}, declared ${usize}` };
    if (name === '[Content_Types].xml' && /macroEnabled/i.test(decoder.decode(out))) return { kind: 'macros' };
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(name)) {
      cells += countCells(out);
      if (cells > MAX_CELLS) return { kind: 'tooManyCells', count: cells, max: MAX_CELLS };
    }
  }
  return null;
}

/** Counts `<c ` and `<c>` element starts (worksheet cells) in XML bytes. */
function countCells(xml: Uint8Array): number {
  let n = 0;
  for (let i = 0; i + 2 < xml.length; i++) {
    if (xml[i] === 0x3c && xml[i + 1] === 0x63 && (xml[i + 2] === 0x20 || xml[i + 2] === 0x3e)) n++;
  }
  return n;
}
