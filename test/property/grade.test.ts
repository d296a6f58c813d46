// Properties of the grader on random decimals: a better actual never gets a worse grade; higher-
// and lower-is-better are mirror images; and every grade agrees with an exact rational reference
// written here from the grading rules (README "Grading", docs/format.md) alone (BigInt fractions from the decimal strings), boundaries included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradeIndicator, loadScheme } from '../../src/grade/index.js';
import type { Better, Criterion, Indicator } from '../../src/model/types.js';

const FY = 2020;
const RANK: Record<string, number> = { S: 5, A: 4, B: 3, C: 2, D: 1 };
const schemes = { asahi: loadScheme('asahi'), 'five-level': loadScheme('five-level') } as const;

/** A decimal as a person writes it: up to 7 integer digits and 4 decimals (exact as a double). */
const decimalString = fc
  .tuple(
    fc.boolean(),
    fc.integer({ min: 0, max: 9_999_999 }),
    fc.option(fc.integer({ min: 0, max: 9999 }), { nil: undefined }),
    fc.integer({ min: 1, max: 4 }),
  )
  .map(([neg, int, frac, digits]) => {
    const f = frac === undefined ? '' : `.${String(frac).padStart(4, '0').slice(0, digits)}`;
    const s = `${int}${f}`.replace(/\.?0+$/, (m) => (m.startsWith('.') || f ? '' : m));
    return neg && Number(s) !== 0 ? `-${s}` : s;
  })
  .filter((s) => s !== '' && !s.endsWith('.'));

// ---- the reference: exact fractions p/q (q > 0) from decimal strings, rules from the grading rules (README "Grading", docs/format.md)

interface Frac {
  p: bigint;
  q: bigint;
}
function frac(s: string): Frac {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal: ${s}`);
  const digits = `${m[2]}${m[3] ?? ''}`;
  const p = BigInt(digits) * (m[1] ? -1n : 1n);
  return { p, q: 10n ** BigInt((m[3] ?? '').length) };
}
const cmp = (a: Frac, b: Frac): number => {
  const d = a.p * b.q - b.p * a.q;
  return d > 0n ? 1 : d < 0n ? -1 : 0;
};
const subF = (a: Frac, b: Frac): Frac => ({ p: a.p * b.q - b.p * a.q, q: a.q * b.q });
const negF = (a: Frac): Frac => ({ p: -a.p, q: a.q });
const absF = (a: Frac): Frac => ({ p: a.p < 0n ? -a.p : a.p, q: a.q });
/** r = gain / |baseline| compared with k/10. */
const ratioVsTenth = (gain: Frac, base: Frac, tenths: bigint): number => {
  const den = absF(base);
  // gain/den vs tenths/10  ⇔  10·gain.p·den.q vs tenths·den.p·gain.q (den > 0)
  const l = 10n * gain.p * den.q;
  const r = tenths * den.p * gain.q;
  return l > r ? 1 : l < r ? -1 : 0;
};

interface Case {
  better: Better;
  baseline?: string;
  target?: string;
  criterion?: { op: Criterion['op']; value: string };
  actual?: string;
}

function reference(c: Case, scheme: 'asahi' | 'five-level'): string {
  if (c.actual === undefined) return '―';
  if (c.baseline === undefined && c.target === undefined && c.criterion === undefined) return '―';
  const a = frac(c.actual);
  if (c.target !== undefined) {
    const t = frac(c.target);
    if (c.better === 'higher' ? cmp(a, t) >= 0 : cmp(a, t) <= 0) return 'S';
  } else if (c.criterion) {
    const v = cmp(a, frac(c.criterion.value));
    const met = { above: v > 0, at_least: v >= 0, below: v < 0, at_most: v <= 0 }[c.criterion.op];
    if (met) return 'S';
  }
  if (c.baseline === undefined) return '―';
  const b = frac(c.baseline);
  const diff = subF(a, b);
  const gain = c.better === 'higher' ? diff : negF(diff);
  const s = Math.sign(Number(gain.p));
  if (b.p === 0n) {
    if (scheme === 'asahi') return s > 0 ? 'A' : s < 0 ? 'D' : 'C';
    return s > 0 ? 'A' : s < 0 ? 'C' : 'B';
  }
  if (scheme === 'asahi') {
    // r ≥ +10% → A; 0 < r < +10% → B; −10% < r ≤ 0 → C; r ≤ −10% → D
    if (ratioVsTenth(gain, b, 1n) >= 0) return 'A';
    if (s > 0) return 'B';
    if (ratioVsTenth(gain, b, -1n) > 0) return 'C';
    return 'D';
  }
  // five-level: r ≥ +10% → A; −10% < r < +10% → B; r ≤ −10% → C
  if (ratioVsTenth(gain, b, 1n) >= 0) return 'A';
  if (ratioVsTenth(gain, b, -1n) > 0) return 'B';
  return 'C';
}

function indicator(c: Case): Indicator {
  const m = (s: string, path: string[]) => ({ value: Number(s), calendar: false, path });
  return {
    kind: 'kpi',
    number: 1,
    name: 'x',
    unit: '件',
    better: c.better,
    ...(c.baseline !== undefined ? { baseline: m(c.baseline, ['baseline']) } : {}),
    ...(c.target !== undefined || c.criterion
      ? {
          target: {
            ...(c.target !== undefined ? { value: Number(c.target) } : { label: '増加' }),
            ...(c.criterion ? { metWhen: { op: c.criterion.op, value: Number(c.criterion.value) } } : {}),
            year: 2024,
            path: ['target'],
          },
        }
      : {}),
    actuals: new Map(c.actual !== undefined ? [[FY, m(c.actual, ['actuals', String(FY)])]] : []),
    path: ['kpis', 0],
  };
}

const grade = (c: Case, scheme: 'asahi' | 'five-level'): string =>
  gradeIndicator(indicator(c), FY, schemes[scheme]).grade;

const OPS = ['above', 'at_least', 'below', 'at_most'] as const;
const flipOp = { above: 'below', below: 'above', at_least: 'at_most', at_most: 'at_least' } as const;
const caseArb: fc.Arbitrary<Case> = fc
  .record(
    {
      better: fc.constantFrom<Better>('higher', 'lower'),
      baseline: fc.option(fc.oneof(decimalString, fc.constant('0')), { nil: undefined }),
      target: fc.option(decimalString, { nil: undefined }),
      criterion: fc.option(fc.record({ op: fc.constantFrom(...OPS), value: decimalString }), { nil: undefined }),
      actual: fc.option(decimalString, { nil: undefined }),
    },
    { requiredKeys: ['better'] },
  )
  .map((c) => {
    if (c.target !== undefined) return { ...c, criterion: undefined } as Case;
    // A word target's criterion points the way `better` does (増加 = above 0 for higher-is-better):
    // the validator refuses the other way round (semantic.criterion-direction).
    if (c.criterion && (c.better === 'higher') !== (c.criterion.op === 'above' || c.criterion.op === 'at_least'))
      return { ...c, criterion: { ...c.criterion, op: flipOp[c.criterion.op] } } as Case;
    return c as Case;
  });

/** Exactly on a ±10% boundary (or at the baseline): actual = b ± |b|·k/10 computed exactly in decimal. */
const boundaryArb: fc.Arbitrary<Case> = fc
  .tuple(
    fc.integer({ min: -99_999, max: 99_999 }).filter((n) => n !== 0),
    fc.integer({ min: 0, max: 3 }),
    fc.constantFrom(-1, 0, 1),
    fc.constantFrom<Better>('higher', 'lower'),
    fc.constantFrom(-1, 0, 1),
  )
  .map(([n, scale, k, better, nudge]) => {
    // baseline = n / 10^scale; actual = baseline + sign·|baseline|/10 (+ a nudge of one unit in the last place)
    const bq = 10n ** BigInt(scale + 1);
    const bp = BigInt(n) * 10n;
    const ap = bp + (BigInt(k) * (bp < 0n ? -bp : bp)) / 10n + BigInt(nudge);
    const str = (p: bigint, q: bigint): string => {
      const neg = p < 0n;
      const abs = neg ? -p : p;
      const digits = String(q).length - 1;
      const s = abs.toString().padStart(digits + 1, '0');
      const out = digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
      return `${neg ? '-' : ''}${out.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`;
    };
    return { better, baseline: str(bp, bq), actual: str(ap, bq) };
  });

const betterActual = (c: Case, a: string, b: string): [string, string] => {
  const x = cmp(frac(a), frac(b));
  const hi = x >= 0 ? a : b;
  const lo = x >= 0 ? b : a;
  return c.better === 'higher' ? [hi, lo] : [lo, hi];
};

const negS = (s: string): string => (s.startsWith('-') ? s.slice(1) : Number(s) === 0 ? s : `-${s}`);

describe.each(['asahi', 'five-level'] as const)('grader properties (%s)', (scheme) => {
  it('agrees with the exact rational reference on random decimals', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(grade(c, scheme)).toBe(reference(c, scheme));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the reference exactly on the ±10% boundaries and one unit either side', () => {
    fc.assert(
      fc.property(boundaryArb, (c) => {
        expect(grade(c, scheme)).toBe(reference(c, scheme));
      }),
      { numRuns: 2000 },
    );
  });

  it('never gives a worse grade for a better actual', () => {
    fc.assert(
      fc.property(caseArb, decimalString, decimalString, (c, a1, a2) => {
        fc.pre(c.baseline !== undefined);
        const [better, worse] = betterActual(c, a1, a2);
        expect(RANK[grade({ ...c, actual: better }, scheme)]!).toBeGreaterThanOrEqual(
          RANK[grade({ ...c, actual: worse }, scheme)]!,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('higher- and lower-is-better are mirror images', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const mirrored: Case = {
          better: c.better === 'higher' ? 'lower' : 'higher',
          ...(c.baseline !== undefined ? { baseline: negS(c.baseline) } : {}),
          ...(c.target !== undefined ? { target: negS(c.target) } : {}),
          ...(c.criterion ? { criterion: { op: flipOp[c.criterion.op], value: negS(c.criterion.value) } } : {}),
          ...(c.actual !== undefined ? { actual: negS(c.actual) } : {}),
        };
        expect(grade(mirrored, scheme)).toBe(grade(c, scheme));
      }),
      { numRuns: 3000 },
    );
  });
});

it('the seed sheet and the examples of the grading rules (README "Grading", docs/format.md) under the reference', () => {
  expect(
    reference({ better: 'higher', baseline: '-11', criterion: { op: 'above', value: '0' }, actual: '-74' }, 'asahi'),
  ).toBe('D');
  expect(reference({ better: 'higher', baseline: '91', target: '200', actual: '114' }, 'asahi')).toBe('A');
  expect(reference({ better: 'higher', baseline: '30', actual: '33' }, 'asahi')).toBe('A');
  expect(grade({ better: 'higher', baseline: '30', actual: '33' }, 'asahi')).toBe('A');
});
