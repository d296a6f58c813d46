//! Damaged variants of a TrueType font for the font fuzz (test/hostile/font-fuzz.test.ts, scripts/fuzz.mjs):
//! truncations, a damaged table directory, garbage in the tables that metrics and outlines come from,
//! fake collections and broken glyph data, from a seeded generator so every run meets the same fonts.

import { rng } from '../../scripts/gen-sheets.mjs';

export interface FontMutant {
  what: string;
  bytes: Uint8Array;
}

interface Table {
  tag: string;
  record: number;
  offset: number;
  length: number;
}

function tables(b: Uint8Array): Table[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = v.getUint16(4);
  const out: Table[] = [];
  for (let i = 0; i < n; i++) {
    const r = 12 + i * 16;
    out.push({
      tag: String.fromCharCode(...b.subarray(r, r + 4)),
      record: r,
      offset: v.getUint32(r + 8),
      length: v.getUint32(r + 12),
    });
  }
  return out;
}

export function* fontMutants(original: Uint8Array, count: number, seed: number): Generator<FontMutant> {
  const rand = rng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const dir = tables(original);
  const pick = (tags?: string[]) => {
    const list = tags ? dir.filter((t) => tags.includes(t.tag)) : dir;
    return list[int(list.length)]!;
  };
  const kinds = [
    'truncate',
    'truncate-early',
    'dir-offset',
    'dir-length',
    'num-tables',
    'table-garbage',
    'key-field',
    'fake-ttcf',
    'glyf-garbage',
    'loca-garbage',
    'drop-table',
    'zero-table',
  ];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length]!;
    const b = original.slice();
    const v = new DataView(b.buffer);
    let what = kind;
    switch (kind) {
      case 'truncate': {
        const at = int(b.length);
        yield { what: `${kind} at ${at}`, bytes: b.subarray(0, at) };
        continue;
      }
      case 'truncate-early': {
        const at = int(4096);
        yield { what: `${kind} at ${at}`, bytes: b.subarray(0, at) };
        continue;
      }
      case 'dir-offset': {
        const t = pick();
        v.setUint32(t.record + 8, int(2 ** 32));
        what += ` ${t.tag}`;
        break;
      }
      case 'dir-length': {
        const t = pick();
        v.setUint32(t.record + 12, rand() < 0.5 ? int(2 ** 32) : int(t.length + 1));
        what += ` ${t.tag}`;
        break;
      }
      case 'num-tables':
        v.setUint16(4, int(65536));
        break;
      case 'table-garbage': {
        const t = pick(['head', 'hhea', 'maxp', 'cmap', 'hmtx', 'OS/2', 'post', 'name', 'GSUB', 'vhea', 'vmtx']);
        const n = 1 + int(16);
        for (let k = 0; k < n; k++) b[t.offset + int(Math.min(t.length, 512))] = int(256);
        what += ` ${t.tag} x${n}`;
        break;
      }
      case 'key-field': {
        // The fields the layout trusts: unitsPerEm, indexToLocFormat, numGlyphs, numberOfHMetrics.
        const head = pick(['head']);
        const maxp = pick(['maxp']);
        const hhea = pick(['hhea']);
        const fields: [number, string][] = [
          [head.offset + 18, 'unitsPerEm'],
          [head.offset + 50, 'indexToLocFormat'],
          [maxp.offset + 4, 'numGlyphs'],
          [hhea.offset + 34, 'numberOfHMetrics'],
        ];
        const [at, name] = fields[int(fields.length)]!;
        v.setUint16(at, [0, 1, 2, 0xffff, int(65536)][int(5)]!);
        what += ` ${name}`;
        break;
      }
      case 'fake-ttcf': {
        const head = new Uint8Array(16);
        const hv = new DataView(head.buffer);
        head.set([0x74, 0x74, 0x63, 0x66]); // ttcf
        hv.setUint32(4, 0x00010000);
        hv.setUint32(8, [0, 1, 2, 0xffffffff][int(4)]!);
        hv.setUint32(12, [16, int(b.length * 2), 0][int(3)]!);
        const out = new Uint8Array(16 + b.length);
        out.set(head);
        out.set(b, 16);
        yield { what: `${kind} count ${hv.getUint32(8)} offset ${hv.getUint32(12)}`, bytes: out };
        continue;
      }
      case 'glyf-garbage': {
        const glyf = pick(['glyf']);
        const n = 64 + int(512);
        const start = glyf.offset + int(Math.max(1, glyf.length - n));
        for (let k = 0; k < n; k++) b[start + k] = int(256);
        what += ` at ${start}`;
        break;
      }
      case 'loca-garbage': {
        const loca = pick(['loca']);
        const n = 1 + int(8);
        for (let k = 0; k < n; k++) b[loca.offset + int(loca.length)] = int(256);
        what += ` x${n}`;
        break;
      }
      case 'drop-table': {
        const t = pick(['cmap', 'head', 'hhea', 'hmtx', 'maxp', 'glyf', 'loca']);
        b.set([0x78, 0x78, 0x78, 0x78], t.record); // renamed to 'xxxx'
        what += ` ${t.tag}`;
        break;
      }
      case 'zero-table': {
        const t = pick(['cmap', 'hmtx', 'GSUB', 'OS/2', 'post']);
        b.fill(0, t.offset, t.offset + Math.min(t.length, 4096));
        what += ` ${t.tag}`;
        break;
      }
    }
    yield { what, bytes: b };
  }
}
