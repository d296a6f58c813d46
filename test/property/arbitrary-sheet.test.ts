// The sheet generator of the no-loss property tests: every sheet it makes must validate (an invalid
// one is a generator bug, and would test nothing), and it must reach the limits the issue names.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  REASONS_BY_INDICATOR,
  numberText,
  prose,
  rng,
  sheetFromShape,
  stressSheets,
} from '../../scripts/gen-sheets.mjs';
import { gradeText } from '../helpers/invariants.js';
import { arbShape, arbSheet } from './arbitrary-sheet.js';

const SEED = Number(process.env.SHEETGEN_PROPERTY_SEED ?? 8_2026);

describe('generated sheets', () => {
  it('all validate, grade and use only characters the font has', () => {
    fc.assert(
      fc.property(arbSheet(), ({ yaml }) => {
        const g = gradeText('generated.yaml', yaml);
        expect(g.sheet.projects.length).toBeGreaterThanOrEqual(1);
      }),
      { seed: SEED, numRuns: 25 },
    );
  }, 60_000);

  it('every stress sheet validates and reaches its limit', { timeout: 30_000 }, () => {
    const sheets = Object.fromEntries(stressSheets().map((s) => [s.name, gradeText(`${s.name}.yaml`, s.text)]));
    expect([...sheets['long-prose']!.sheet.situation].length).toBe(LIMITS.prose);
    expect([...(sheets['long-prose']!.sheet.reasons as string)].length).toBe(LIMITS.prose);
    expect(sheets['fifteen-projects']!.sheet.projects).toHaveLength(15);
    expect(sheets['fifteen-projects']!.sheet.projects.every((p) => p.outcomes.length === 5)).toBe(true);
    const plan = sheets['ten-year-plan']!.sheet.planPeriod;
    expect(plan.to - plan.from + 1).toBe(10);
    expect(sheets['sixty-opinions']!.sheet.committee).toHaveLength(60);
    expect(sheets['no-prose']!.sheet.committee).toHaveLength(0);
  });

  it('draws the edges: empty and 10,000-character prose, 60 opinions, 15 projects, 10 years, 999,999,999,999', () => {
    const seen = {
      emptyProse: false,
      maxProse: false,
      committee60: false,
      projects15: false,
      years10: false,
      tallEntry: false,
      tallProject: false,
    };
    fc.assert(
      fc.property(arbShape({ maxTotalProse: 1e9 }), (shape) => {
        const p = shape.prose!;
        if ([p.reasons, p.situation, p.policy].includes(0)) seen.emptyProse = true;
        if ([p.reasons, p.situation, p.policy].includes(LIMITS.prose)) seen.maxProse = true;
        if (shape.committee! >= 50) seen.committee60 = true;
        if (shape.projects!.length >= 14) seen.projects15 = true;
        if (shape.planYears === 10) seen.years10 = true;
        // A row taller than a page: an entry past 3,500 characters, a project past 60 outcomes.
        if (shape.tallRow?.kind === 'committee' && shape.tallRow.chars! >= 3500) seen.tallEntry = true;
        if (shape.tallRow?.kind === 'project' && shape.tallRow.outcomes! >= 60) seen.tallProject = true;
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(seen).toEqual({
      emptyProse: true,
      maxProse: true,
      committee60: true,
      projects15: true,
      years10: true,
      tallEntry: true,
      tallProject: true,
    });
    const r = rng(7);
    const nums = Array.from({ length: 2000 }, () => numberText(r, 'extreme'));
    expect(nums).toContain('999999999999');
    expect(nums).toContain('-0.0000001');
    expect(nums.some((n) => n.replace(/[-.]/g, '').length === 15)).toBe(true);
    expect(nums.every((n) => Math.abs(Number(n)) < LIMITS.maxAbs)).toBe(true);
  });

  it('writes prose of exactly the length asked, with lines, brackets and ASCII', () => {
    const text = prose(rng(3), 10_000);
    expect([...text].length).toBe(10_000);
    expect(text).toMatch(/\n/);
    for (const c of ['（', '）', '「', '」', '、', '。', '・']) expect(text).toContain(c);
    expect(text).toMatch(/[A-Za-z]/);
    expect(text).not.toContain('達成状況');
    expect(prose(rng(3), 0)).toBe('');
  });

  // ② per indicator (reasons.goal, reasons.kpis.16) is prose: each paragraph takes up to the prose limit.
  it.runIf(REASONS_BY_INDICATOR)('takes ② per indicator paragraphs up to the prose limit', () => {
    gradeText(
      'per-indicator.yaml',
      sheetFromShape({ seed: 5, kpis: 2, reasonsByIndicator: true, prose: { reasons: 3 * 1000 } }),
    );
  });

  it('writes the tall row a shape asks for, and nothing else changes for shapes without one', () => {
    const base = { seed: 11, committee: 3, projects: [2, 1] };
    const entry = gradeText(
      'tall-entry.yaml',
      sheetFromShape({ ...base, tallRow: { kind: 'committee', at: 4, chars: 5000 } }),
    );
    expect([...entry.sheet.committee[1]!.opinion].length).toBe(5000);
    const project = gradeText(
      'tall-project.yaml',
      sheetFromShape({ ...base, tallRow: { kind: 'project', at: 1, chars: 2000, outcomes: 90 } }),
    );
    expect(project.sheet.projects[1]!.outcomes).toHaveLength(90);
    expect([...project.sheet.projects[1]!.remarks!].length).toBe(2000);
    expect(sheetFromShape(base)).toBe(sheetFromShape({ ...base, tallRow: undefined }));
  });

  it('gives the same text for the same shape', () => {
    expect(sheetFromShape({ seed: 9, committee: 5 })).toBe(sheetFromShape({ seed: 9, committee: 5 }));
    expect(sheetFromShape({ seed: 9 })).not.toBe(sheetFromShape({ seed: 10 }));
  });
});
