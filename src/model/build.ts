//! Validated YAML data (SheetFile, generated from the schema) → the domain model (Sheet). Pure:
//! applies defaults, turns year keys into numbers and shorthand values into Measured, keeps each
//! number's written digits for display, and puts ② written per indicator in the sheet's order.

import type * as Raw from './sheet.generated.js';
import type {
  Criterion,
  Indicator,
  Measured,
  Outcome,
  Project,
  ReasonParagraph,
  Sheet,
  Target,
  YamlPath,
} from './types.js';

/** The written text of the number at a YAML path (see src/load/written.ts); the model stays free of YAML. */
export type WrittenLookup = (path: YamlPath) => string | undefined;

const none: WrittenLookup = () => undefined;

/** The written digits, when they stand for the value (a lookup from another text must not change a number). */
function writtenAt(written: WrittenLookup, path: YamlPath, value: number): { written: string } | Record<string, never> {
  const w = written(path);
  return w !== undefined && Number(w) === value ? { written: w } : {};
}

function measured(
  cell: Raw.OptionalValueCell | undefined,
  path: YamlPath,
  written: WrittenLookup,
  defaultCalendar = false,
): Measured | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'number')
    return { value: cell, calendar: defaultCalendar, ...writtenAt(written, path, cell), path };
  return {
    value: cell.value,
    ...(cell.year !== undefined ? { year: cell.year } : {}),
    calendar: cell.calendar ?? defaultCalendar,
    ...(cell.note !== undefined ? { note: cell.note } : {}),
    ...writtenAt(written, [...path, 'value'], cell.value),
    path,
  };
}

function yearMap<T, U>(
  map: Record<string, T> | undefined,
  convert: (v: T, year: number) => U | undefined,
): Map<number, U> {
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

function target(
  raw: Raw.Target | undefined,
  planTo: number,
  path: YamlPath,
  written: WrittenLookup,
): Target | undefined {
  if (raw === undefined) return undefined;
  const w = (p: YamlPath, v: number): { valueWritten: string } | Record<string, never> => {
    const x = writtenAt(written, p, v);
    return 'written' in x ? { valueWritten: x.written } : {};
  };
  if (typeof raw === 'number') return { value: raw, ...w(path, raw), year: planTo, path };
  const metWhen = criterion(raw.met_when);
  return {
    ...(raw.value !== undefined ? { value: raw.value, ...w([...path, 'value'], raw.value) } : {}),
    ...(raw.label !== undefined ? { label: raw.label } : {}),
    ...(metWhen ? { metWhen } : {}),
    year: raw.year ?? planTo,
    path,
  };
}

function indicator(
  raw: Raw.GoalIndicator | Raw.KpiIndicator,
  kind: Indicator['kind'],
  planTo: number,
  path: YamlPath,
  written: WrittenLookup,
): Indicator {
  const baseline = measured(raw.baseline, [...path, 'baseline'], written);
  const tgt = target(raw.target, planTo, [...path, 'target'], written);
  return {
    kind,
    number: 'number' in raw ? raw.number : null,
    name: raw.name,
    ...(raw.note !== undefined ? { note: raw.note } : {}),
    unit: raw.unit,
    better: raw.better ?? 'higher',
    ...(baseline ? { baseline } : {}),
    ...(tgt ? { target: tgt } : {}),
    actuals: yearMap(raw.actuals, (v, y) => measured(v, [...path, 'actuals', String(y)], written)),
    ...(raw.grade_override
      ? {
          override: {
            grade: raw.grade_override.grade,
            reason: raw.grade_override.reason,
            path: [...path, 'grade_override'],
          },
        }
      : {}),
    path,
  };
}

function project(raw: Raw.Project, index: number, written: WrittenLookup): Project {
  const path: YamlPath = ['projects', index];
  const outcomes: Outcome[] = (raw.outcomes ?? []).map((o, j) => ({
    name: o.name,
    unit: o.unit,
    values: yearMap(o.values, (v, y) => measured(v, [...path, 'outcomes', j, 'values', String(y)], written)),
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

/**
 * ② as free text, or its paragraphs per indicator: the 数値目標 first, then every KPI in the order of
 * the sheet's `kpis` list (the order of (1)), whatever order the file wrote them in. An indicator the
 * file gives no paragraph (a validation warning) still gets one, with empty text: with no grade
 * column, ②'s mark is where the sheet states its grade. A paragraph for a KPI the sheet does not
 * have is a validation error, so it never reaches here.
 */
function reasons(raw: Raw.SheetFile['reasons'], kpis: readonly Raw.KpiIndicator[]): string | ReasonParagraph[] {
  if (typeof raw === 'string') return text(raw);
  const byKpi = raw.kpis ?? {};
  const out: ReasonParagraph[] = [{ indicator: 'goal', text: text(raw.goal ?? ''), path: ['reasons', 'goal'] }];
  for (const k of kpis) {
    const key = Object.keys(byKpi).find((x) => /^\d+$/.test(x) && Number(x) === k.number) ?? String(k.number);
    out.push({ indicator: k.number, text: text(byKpi[key] ?? ''), path: ['reasons', 'kpis', key] });
  }
  return out;
}

/**
 * The domain model of a sheet whose data passed validation. `written` gives each number's digits as
 * the file wrote them (src/load/written.ts); without it the numbers print from their values.
 */
export function buildSheet(file: string, raw: Raw.SheetFile, written: WrittenLookup = none): Sheet {
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
    goal: indicator(raw.goal, 'goal', planTo, ['goal'], written),
    kpis: raw.kpis.map((k, i) => indicator(k, 'kpi', planTo, ['kpis', i], written)),
    progress: raw.progress,
    reasons: reasons(raw.reasons, raw.kpis),
    situation: text(raw.situation),
    policy: text(raw.policy),
    ...(raw.item5 ? { item5: { title: raw.item5.title, text: text(raw.item5.text) } } : {}),
    relatedPolicyProjects: raw.related_policy_projects ?? [],
    committee: (raw.committee ?? []).map((c, i) => ({
      number: c.number,
      opinion: text(c.opinion),
      response: text(c.response),
      path: ['committee', i],
    })),
    projects: (raw.projects ?? []).map((p, i) => project(p, i, written)).sort((a, b) => a.number - b.number),
    ...(raw.grading !== undefined ? { grading: raw.grading } : {}),
  };
}
