// YAML → xlsx → YAML gives the same sheet and the same grades: every example, every valid fixture,
// and generated sheets with decimals, negative numbers, period notes and multi-line texts.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/diagnostics.js';
import { graded, plain, roundTrip } from './helpers.js';

const root = new URL('../../', import.meta.url).pathname;
const sources = [
  ...readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('examples', f)),
  ...readdirSync(join(root, 'test/fixtures/valid'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('test/fixtures/valid', f)),
];

describe('round trip of the examples and the valid fixtures', () => {
  it('covers at least the three examples and the minimal fixture', () => {
    expect(sources.length).toBeGreaterThanOrEqual(4);
  });
  it.each(sources)(
    '%s',
    async (file) => {
      const text = readFileSync(join(root, file), 'utf8');
      const before = graded(file, text);
      expect(before.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const { back } = await roundTrip(file, text);
      expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const after = graded(file, back.yaml!);
      expect(after.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(plain(after.loaded.sheet)).toEqual(plain(before.loaded.sheet));
      expect(plain(after.graded)).toEqual(plain(before.graded));
      // The same format as the examples: modeline first, the source's header comments, key order.
      const lines = back.yaml!.split('\n');
      expect(lines[0]).toMatch(/^# yaml-language-server: \$schema=/);
      const keys = (s: string) => [...s.matchAll(/^([a-z_0-9]+):/gm)].map((m) => m[1]);
      const srcKeys = keys(text);
      expect(keys(back.yaml!).filter((k) => srcKeys.includes(k))).toEqual(srcKeys);
      const srcLines = text.split('\n');
      const header = srcLines.slice(
        0,
        srcLines.findIndex((l) => !l.startsWith('#')),
      );
      const hasModeline = header.some((l) => l.includes('yaml-language-server'));
      expect(lines.slice(hasModeline ? 0 : 1, header.length + (hasModeline ? 0 : 1))).toEqual(header);
    },
    60_000,
  );
});

// Generated variations of the seed example: the values that carry risk in a workbook.
const decimalArb = fc
  .tuple(fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.integer({ min: 0, max: 4 }))
  .map(([n, d]) => Number((n / 10 ** d).toFixed(d)));
const noteArb = fc.constantFrom(undefined, '見込み', '概数', '年度', '2018年 速報', ' 前後に空白 ', '暦年');
const periodArb = fc.record({
  year: fc.option(fc.integer({ min: 2010, max: 2024 }), { nil: undefined }),
  calendar: fc.boolean(),
  note: noteArb,
});
const textArb = fc
  .array(
    fc.constantFrom(
      '【現状】',
      '・一行目',
      '',
      '２行目。',
      'a: b',
      '# not a comment',
      '"quoted"',
      '  indented',
      '▲11人',
      '- dash',
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((ls) => ls.join('\n'));

function measured(v: number, p: { year?: number | undefined; calendar: boolean; note?: string | undefined }) {
  if (p.year === undefined && !p.calendar && p.note === undefined) return v;
  return {
    value: v,
    ...(p.year !== undefined ? { year: p.year } : {}),
    ...(p.calendar ? { calendar: true } : {}),
    ...(p.note !== undefined ? { note: p.note.trim() || 'x' } : {}),
  };
}

describe('round trip of generated sheets', () => {
  const seed = readFileSync(join(root, 'examples/asahi-2020-09.yaml'), 'utf8');
  it('keeps values, periods, notes and texts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          baseline: decimalArb,
          bp: periodArb,
          a2019: fc.option(decimalArb, { nil: undefined }),
          p2019: periodArb,
          a2020: decimalArb,
          p2020: periodArb,
          target: fc.option(decimalArb, { nil: undefined }),
          better: fc.constantFrom('higher', 'lower'),
          reasons: textArb,
          situation: textArb,
          cost: fc.integer({ min: -9_999_999, max: 99_999_999 }),
          remarks: fc.option(
            textArb.filter((s) => s.trim() !== ''),
            { nil: undefined },
          ),
        }),
        async (g) => {
          const doc = parseDocument(seed);
          const kpi: Record<string, unknown> = {
            number: 16,
            name: '移住相談件数',
            unit: '件',
            better: g.better,
            baseline: measured(g.baseline, g.bp),
            actuals: {
              ...(g.a2019 !== undefined ? { 2019: measured(g.a2019, g.p2019) } : {}),
              2020: measured(g.a2020, g.p2020),
            },
            ...(g.target !== undefined ? { target: g.target } : {}),
          };
          doc.setIn(['kpis', 1], doc.createNode(kpi));
          doc.setIn(['reasons'], g.reasons);
          doc.setIn(['situation'], g.situation);
          doc.setIn(['projects', 0, 'cost', 2020], g.cost);
          if (g.remarks !== undefined) doc.setIn(['projects', 0, 'remarks'], g.remarks);
          const text = doc.toString();
          const before = graded('gen.yaml', text);
          if (hasErrors(before.diagnostics)) return; // a generated combination the format refuses
          const { back } = await roundTrip('gen.yaml', text);
          expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const after = graded('gen.yaml', back.yaml!);
          expect(plain(after.loaded.sheet)).toEqual(plain(before.loaded.sheet));
          expect(plain(after.graded)).toEqual(plain(before.graded));
        },
      ),
      { numRuns: 15, seed: 12 },
    );
  }, 120_000);
});
