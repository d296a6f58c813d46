//! A tiny image comparison for visual snapshots: share of pixels whose RGB differs by more than a delta.

import * as mupdf from 'mupdf';

export interface Diff {
  ratio: number;
  sameSize: boolean;
}

function rgb(pix: mupdf.Pixmap): { w: number; h: number; n: number; px: Uint8ClampedArray } {
  return {
    w: pix.getWidth(),
    h: pix.getHeight(),
    n: pix.getNumberOfComponents() + (pix.getAlpha() ? 1 : 0),
    px: pix.getPixels(),
  };
}

export function decodePng(bytes: Uint8Array): mupdf.Pixmap {
  return new mupdf.Image(bytes).toPixmap();
}

/** Fraction of pixels where any channel differs by more than `delta` (0–255). */
export function compare(a: mupdf.Pixmap, b: mupdf.Pixmap, delta = 48): Diff {
  const A = rgb(a);
  const B = rgb(b);
  if (A.w !== B.w || A.h !== B.h) return { ratio: 1, sameSize: false };
  let bad = 0;
  for (let i = 0; i < A.w * A.h; i++) {
    for (let c = 0; c < 3; c++) {
      if (Math.abs(A.px[i * A.n + c]! - B.px[i * B.n + c]!) > delta) {
        bad++;
        break;
      }
    }
  }
  return { ratio: bad / (A.w * A.h), sameSize: true };
}
