//! Validated YAML data (SheetFile, generated from the schema) → the domain model (Sheet). Pure:
//! applies defaults, turns year keys into numbers and shorthand values into Measured.

import type * as Raw from './sheet.generated.js';
import type { Criterion, Indicator, Measured, Outcome, Project, Sheet, Target, YamlPath } from './types.js';

function measured(cell: Raw.OptionalValueCell | undefined, path: YamlPath, defaultCalendar = false): Measured | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'number') return { value: cell, calendar: defaultCalendar, path };
  return {
    value: cell.value,
    ...(cell.year !== undefined ? { year: cell.year } : {}),
    calendar: cell.calendar ?? defaultCalendar,
    ...(cell.note !== undefined ? { note: cell.note } : {}),
    path,
  };
}

function yearMap<T, U>(map: Record<string, T> | undefined, convert: (v: T, year: number) => U | undefined): Map<number, U> {
  const out = new Map<number, U>();
  if (!map) return out;
  for (const key of Object.keys(map).sort()) {
    const v = convert(map[key] as T, Number(key));
    if (v !== undefined && v !== null) out.set(Number(key), v);
  }
  return out;
}

function criterion(c: Raw.Criterion | undefined): Criterion | undefined {
  if (!c) return undefined;
  for (const op of ['above', 'at_least', 'below', 'at_most'] as const) {
    const v = c[op];
    if (v !== undefined) return { op, value: v };
  }
  return undefined;
}

function target(raw: Raw.Target | undefined, planTo: number, path: YamlPath): Target | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'number') return { value: raw, year: planTo, path };
  const metWhen = criterion(raw.met_when);
  return {
    ...(raw.value !== undefined ? { value: raw.value } : {}),
    ...(raw.label !== undefined ? { label: raw.label } : {}),
    ...(metWhen ? { metWhen } : {}),
    year: raw.year ?? planTo,
    path,
  };
}

function indicator(raw: Raw.GoalIndicator | Raw.KpiIndicator, kind: Indicator['kind'], planTo: number, path: YamlPath): Indicator {
  const baseline = measured(raw.baseline, [...path, 'baseline']);
  const tgt = target(raw.target, planTo, [...path, 'target']);
  return {
    kind,
    number: 'number' in raw ? raw.number : null,
    name: raw.name,
    ...(raw.note !== undefined ? { note: raw.note } : {}),
    unit: raw.unit,
    better: raw.better ?? 'higher',
    ...(baseline ? { baseline } : {}),
    ...(tgt ? { target: tgt } : {}),
    actuals: yearMap(raw.actuals, (v, y) => measured(v, [...path, 'actuals', String(y)])),
    ...(raw.grade_override ? { override: { grade: raw.grade_override.grade, reason: raw.grade_override.reason, path: [...path, 'grade_override'] } } : {}),
    path,
  };
}

function project(raw: Raw.Project, index: number): Project {
  const path: YamlPath = ['projects', index];
  const outcomes: Outcome[] = (raw.outcomes ?? []).map((o, j) => ({
    name: o.name,
    unit: o.unit,
    values: yearMap(o.values, (v, y) => measured(v, [...path, 'outcomes', j, 'values', String(y)])),
    path: [...path, 'outcomes', j],
  }));
  return {
    number: raw.number,
    main: raw.main ?? false,
    ...(raw.code !== undefined ? { code: raw.code } : {}),
    name: raw.name,
    cost: yearMap(raw.cost, (v) => v),
    generalFund: yearMap(raw.general_fund, (v) => v),
    outcomes,
    ...(raw.remarks !== undefined ? { remarks: text(raw.remarks) } : {}),
    path,
  };
}

/** Free text without the final newline a YAML block scalar (|) adds. */
const text = (s: string): string => s.replace(/\s+$/u, '');

/** The domain model of a sheet whose data passed validation. */
export function buildSheet(file: string, raw: Raw.SheetFile): Sheet {
  const planTo = raw.plan_period.to;
  return {
    file,
    municipality: raw.municipality,
    fiscalYear: raw.fiscal_year,
    stage: raw.stage,
    asOf: raw.as_of ?? null,
    planPeriod: { from: raw.plan_period.from, to: planTo },
    referenceYears: [...(raw.reference_years ?? [])].sort((a, b) => a - b),
    basicGoal: raw.basic_goal,
    measure: { number: raw.measure.number, title: raw.measure.title },
    leadDivision: raw.lead_division,
    team: raw.team ?? null,
    relatedDivisions: raw.related_divisions ?? [],
    goal: indicator(raw.goal, 'goal', planTo, ['goal']),
    kpis: raw.kpis.map((k, i) => indicator(k, 'kpi', planTo, ['kpis', i])),
    progress: raw.progress,
    reasons: text(raw.reasons),
    situation: text(raw.situation),
    policy: text(raw.policy),
    ...(raw.item5 ? { item5: { title: raw.item5.title, text: text(raw.item5.text) } } : {}),
    relatedPolicyProjects: raw.related_policy_projects ?? [],
    committee: (raw.committee ?? []).map((c, i) => ({ number: c.number, opinion: text(c.opinion), response: text(c.response), path: ['committee', i] })),
    projects: (raw.projects ?? []).map(project).sort((a, b) => a.number - b.number),
    ...(raw.grading !== undefined ? { grading: raw.grading } : {}),
  };
}
