//! fast-check arbitraries of whole valid sheets for the no-loss property tests (issue 8 §3): a shape
//! (counts, lengths, number mode, seed) drawn by fast-check, turned into YAML text by
//! scripts/gen-sheets.mjs sheetFromShape. Shrinking works on the shape: fewer projects, shorter prose.

import fc from 'fast-check';
import { LIMITS, sheetFromShape, type SheetShape } from '../../scripts/gen-sheets.mjs';

export interface ShapeLimits {
  /** Longest prose field drawn (default: the format's 10,000). */
  maxProse?: number;
  /** Most committee entries drawn (default 60: the "0 to 60"; the format sets no limit). */
  maxCommittee?: number;
  /** Most KPIs drawn (default 20). */
  maxKpis?: number;
  /**
   * Budget of prose characters in one sheet (all prose fields and committee texts together): keeps
   * one sheet's build to about a second in `npm test`; the fuzz run raises it.
   */
  maxTotalProse?: number;
  /**
   * Rows taller than a page (SheetShape.tallRow): 'sometimes' (default: about one sheet in three),
   * 'always', or 'never'.
   */
  tallRows?: 'sometimes' | 'always' | 'never';
}

/**
 * A row taller than a 別紙 page: a committee entry of 3,500 characters up to the limit (some 70 lines
 * of paragraphs in its half of the page at least, past the page's 540 pt), or a project of 60 to 120 outcomes (at the 6 pt
 * floor some 9 pt each: past the page) with a 備考 of up to the limit, or none.
 */
const tallRow = (maxProse: number): fc.Arbitrary<NonNullable<SheetShape['tallRow']>> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('committee' as const),
      at: fc.nat(60),
      chars: fc.integer({ min: Math.min(3500, maxProse), max: maxProse }),
    }),
    fc.record({
      kind: fc.constant('project' as const),
      at: fc.nat(14),
      chars: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: maxProse })),
      outcomes: fc.integer({ min: 60, max: 120 }),
    }),
  );

/** A prose length: mostly short, sometimes empty, sometimes the very limit. */
const proseLength = (max: number): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 6, arbitrary: fc.integer({ min: 1, max: Math.min(400, max) }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max }) },
    { weight: 1, arbitrary: fc.constant(max) },
  );

export function arbShape(limits: ShapeLimits = {}): fc.Arbitrary<SheetShape> {
  const maxProse = limits.maxProse ?? LIMITS.prose;
  const maxCommittee = limits.maxCommittee ?? 60;
  const budget = limits.maxTotalProse ?? 4 * LIMITS.prose;
  return fc
    .record({
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      planYears: fc.integer({ min: 1, max: LIMITS.planYears }),
      planFrom: fc.integer({ min: 2015, max: 2035 }),
      fiscalYearIndex: fc.integer({ min: 0, max: LIMITS.planYears - 1 }),
      referenceYears: fc.integer({ min: 0, max: 2 }),
      prose: fc.record({
        reasons: proseLength(maxProse),
        situation: proseLength(maxProse),
        policy: proseLength(maxProse),
        item5: fc.oneof(fc.constant(-1), proseLength(maxProse)),
        remarks: fc.integer({ min: 0, max: Math.min(maxProse, 600) }),
      }),
      kpis: fc.integer({ min: 0, max: limits.maxKpis ?? 20 }),
      committee: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: maxCommittee })),
      committeeChars: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: maxProse })),
      projects: fc.oneof(
        fc.array(fc.integer({ min: 0, max: LIMITS.outcomes }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: LIMITS.outcomes }), { minLength: 1, maxLength: LIMITS.projects }),
        fc.array(fc.integer({ min: 0, max: LIMITS.outcomes }), {
          minLength: LIMITS.projects,
          maxLength: LIMITS.projects,
        }),
      ),
      nameChars: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: LIMITS.label })),
      numbers: fc.constantFrom('plain' as const, 'mixed' as const, 'extreme' as const),
      relatedDivisions: fc.integer({ min: 0, max: 4 }),
      relatedPolicyProjects: fc.integer({ min: 0, max: 6 }),
      // Used only where the format has ② per indicator (scripts/gen-sheets.mjs REASONS_BY_INDICATOR).
      reasonsByIndicator: fc.boolean(),
      tallRow:
        (limits.tallRows ?? 'sometimes') === 'never'
          ? fc.constant(undefined)
          : limits.tallRows === 'always'
            ? tallRow(maxProse)
            : fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: tallRow(maxProse) }),
    })
    .map((s) => {
      // Keep within the budget: a tall row's text first (half the budget at most, still past a page at
      // the budget of npm test), then the committee's texts, then the prose fields, scaled down.
      const { tallRow: tall, ...rest } = s;
      const shape: SheetShape & typeof rest = {
        ...rest,
        fiscalYearIndex: s.fiscalYearIndex % s.planYears,
        prose: { ...s.prose },
        ...(tall ? { tallRow: { ...tall, chars: Math.min(tall.chars ?? 0, Math.floor(budget / 3)) } } : {}),
      };
      const tallChars = tall ? 2 * (shape.tallRow!.chars ?? 0) : 0;
      const committeeTotal = 2 * shape.committee * shape.committeeChars;
      if (committeeTotal > budget / 2)
        shape.committeeChars = Math.max(1, Math.floor(budget / 2 / Math.max(1, 2 * shape.committee)));
      const p = shape.prose;
      const proseTotal = p.reasons + p.situation + p.policy + Math.max(0, p.item5);
      const room = Math.max(0, budget - 2 * shape.committee * shape.committeeChars - tallChars);
      if (proseTotal > room) {
        const k = room / proseTotal;
        p.reasons = Math.floor(p.reasons * k);
        p.situation = Math.floor(p.situation * k);
        p.policy = Math.floor(p.policy * k);
        if (p.item5 > 0) p.item5 = Math.floor(p.item5 * k);
      }
      return shape;
    });
}

/** A whole valid sheet as YAML text, with the shape it was made from (for the failure message). */
export function arbSheet(limits: ShapeLimits = {}): fc.Arbitrary<{ shape: SheetShape; yaml: string }> {
  return arbShape(limits).map((shape) => ({ shape, yaml: sheetFromShape(shape) }));
}
