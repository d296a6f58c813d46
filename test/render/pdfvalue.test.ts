import fc from 'fast-check';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { pdfValue } from '../../src/render/pdf.js';

// The renderer writes objects without a stream (structure elements, pages, widths) with its own
// value converter in place of pdfkit's PDFObject.convert. Every value it converts must come out with
// the same characters as pdfkit's; anything else it must leave to pdfkit (undefined). pdfkit is not
// patched in this file (nothing here renders a sheet), so its own finalize is the reference.

interface Refs {
  ref(data?: unknown): unknown;
}

interface RefInternals {
  data: unknown;
  finalize(): void;
}

/** pdfkit's own text for a value: the body line its finalize writes for an object holding it. */
function pdfkitText(doc: PDFKit.PDFDocument, value: Record<string, unknown>): string {
  const d = doc as unknown as { _write(s: unknown): void; _refEnd(): void };
  const written: unknown[] = [];
  const write = d._write;
  const refEnd = d._refEnd;
  d._write = (s) => written.push(s);
  d._refEnd = () => {};
  try {
    const ref = (doc as unknown as Refs).ref(value) as RefInternals;
    ref.finalize();
  } finally {
    d._write = write;
    d._refEnd = refEnd;
  }
  // `n 0 obj`, the value, `endobj`.
  expect(written).toHaveLength(3);
  return written[1] as string;
}

describe('pdfValue', () => {
  const doc = new PDFDocument({ autoFirstPage: false });
  const mint = () => (doc as unknown as Refs).ref();
  const someRef = mint() as object;
  const abstractRef = Object.getPrototypeOf(Object.getPrototypeOf(someRef)) as object;
  const refs = [someRef, mint(), mint()];

  const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/);
  const number = fc.oneof(
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.double({ min: -1e9, max: 1e9, noNaN: true }),
    fc.constantFrom(0, -0, 0.1, 1 / 3, 1e-7, 123456.0000005, 1e20, -1e20),
  );
  const leaf = fc.oneof(name, number, fc.boolean(), fc.constant(null), fc.constantFrom(...refs));
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('arr'), tie('dict')),
    arr: fc.array(fc.oneof(tie('v'), fc.constant(undefined)), { maxLength: 6 }),
    dict: fc.dictionary(name, fc.oneof(tie('v'), fc.constant(undefined)), { maxKeys: 6 }),
  }));

  it('writes every value of the kinds it handles with the characters pdfkit writes', () => {
    fc.assert(
      fc.property(fc.dictionary(name, value.v, { maxKeys: 8 }), (dict) => {
        expect(pdfValue(dict, abstractRef)).toBe(pdfkitText(doc, dict));
      }),
      { numRuns: 500 },
    );
  });

  it('writes a structure element as pdfkit does', () => {
    const el = {
      S: 'TD',
      P: refs[0],
      K: [3, { Type: 'MCR', Pg: refs[1], MCID: 4 }],
      Pg: refs[2],
      A: { O: 'Table', RowSpan: 2 },
    };
    expect(pdfValue(el, abstractRef)).toBe(pdfkitText(doc, el));
    expect(pdfValue(el, abstractRef)).toBe(
      `<<\n/S /TD\n/P ${refs[0]}\n/K [3 <<\n/Type /MCR\n/Pg ${refs[1]}\n/MCID 4\n>>]\n/Pg ${refs[2]}\n/A <<\n/O /Table\n/RowSpan 2\n>>\n>>`,
    );
  });

  it('leaves to pdfkit what it does not handle: text strings, dates, byte strings, huge numbers', () => {
    for (const v of [new String('題名'), new Date(0), new Uint8Array([1, 2]), 1e22, Number.NaN, [1, new String('x')]]) {
      expect(pdfValue({ V: v }, abstractRef)).toBeUndefined();
    }
  });
});
