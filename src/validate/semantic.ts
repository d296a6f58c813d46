//! Checks the schema cannot express: years against the plan and the sheet's columns, unique numbers,
//! finite values, override reasons. Reads raw data defensively: it also runs on data the schema rejected,
//! so that one run reports every problem.

import type { Lang } from '../diagnostics.js';
import { sheetYears, type YamlPath } from '../model/types.js';
import { t } from '../messages.js';
import type { SchemaProblem } from './schema.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const own = (o: Obj, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

export interface SemanticProblem extends SchemaProblem {
  /** Where an earlier occurrence stands (for duplicates): filled into the message by the caller. */
  firstPath?: YamlPath;
}

export function checkSemantics(data: unknown, lang: Lang): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  if (!isObj(data)) return out;
  const push = (path: YamlPath, code: string, message: string, extra: Partial<SemanticProblem> = {}): void => {
    out.push({ path, atKey: false, code, message, ...extra });
  };

  // Every number must be finite (.nan, .inf and 1e309 parse as numbers in YAML).
  walkNumbers(data, [], (v, path) => {
    if (!Number.isFinite(v)) push(path, 'semantic.not-finite', t(lang, 'notFinite', { value: String(v) }));
  });

  const plan = own(data, 'plan_period');
  const fy = own(data, 'fiscal_year');
  let columns: number[] | undefined;
  if (isObj(plan) && isInt(own(plan, 'from')) && isInt(own(plan, 'to'))) {
    const from = own(plan, 'from') as number;
    const to = own(plan, 'to') as number;
    if (from > to) push(['plan_period'], 'semantic.plan-reversed', t(lang, 'planReversed', { from, to }));
    else if (to - from <= 20) {
      if (isInt(fy) && (fy < from || fy > to)) push(['fiscal_year'], 'semantic.fiscal-year', t(lang, 'fiscalYearOutsidePlan', { year: fy, from, to }));
      const refsRaw = own(data, 'reference_years');
      const refs = Array.isArray(refsRaw) ? refsRaw.filter(isInt) : [];
      if (Array.isArray(refsRaw)) {
        refsRaw.forEach((y, i) => {
          if (isInt(y) && y >= from && y <= to) push(['reference_years', i], 'semantic.reference-year', t(lang, 'referenceInPlan', { year: y, from, to }));
        });
      }
      columns = sheetYears({ referenceYears: refs, planPeriod: { from, to } });
    }
  }

  const checkYears = (map: unknown, path: YamlPath): void => {
    if (!columns || !isObj(map)) return;
    for (const key of Object.keys(map)) {
      if (!/^\d{4}$/.test(key)) continue; // the schema reports malformed keys
      if (!columns.includes(Number(key))) {
        out.push({ path: [...path, key], atKey: true, code: 'semantic.year-column', message: t(lang, 'yearOutsideColumns', { year: key, years: columns.join(', ') }) });
      }
    }
  };

  const checkIndicator = (ind: unknown, path: YamlPath): void => {
    if (!isObj(ind)) return;
    checkYears(own(ind, 'actuals'), [...path, 'actuals']);
    const target = own(ind, 'target');
    if (isObj(target) && isInt(own(target, 'year')) && isObj(plan)) {
      const y = own(target, 'year') as number;
      const from = own(plan, 'from');
      const to = own(plan, 'to');
      if (isInt(from) && isInt(to) && (y < from || y > to)) push([...path, 'target', 'year'], 'semantic.target-year', t(lang, 'targetYearOutside', { year: y, from, to }));
    }
    const ov = own(ind, 'grade_override');
    if (isObj(ov)) {
      const reason = own(ov, 'reason');
      if (typeof reason === 'string' && reason.trim() === '') push([...path, 'grade_override', 'reason'], 'semantic.override-reason', t(lang, 'overrideNoReason'));
    }
  };

  checkIndicator(own(data, 'goal'), ['goal']);
  const kpis = own(data, 'kpis');
  if (Array.isArray(kpis)) {
    kpis.forEach((k, i) => checkIndicator(k, ['kpis', i]));
    duplicates(kpis, ['kpis'], 'semantic.duplicate-kpi', 'duplicateKpi', lang, out);
  }
  const projects = own(data, 'projects');
  if (Array.isArray(projects)) {
    projects.forEach((p, i) => {
      if (!isObj(p)) return;
      checkYears(own(p, 'cost'), ['projects', i, 'cost']);
      checkYears(own(p, 'general_fund'), ['projects', i, 'general_fund']);
      const outcomes = own(p, 'outcomes');
      if (Array.isArray(outcomes)) outcomes.forEach((o, j) => isObj(o) && checkYears(own(o, 'values'), ['projects', i, 'outcomes', j, 'values']));
    });
    duplicates(projects, ['projects'], 'semantic.duplicate-project', 'duplicateProject', lang, out);
  }
  const committee = own(data, 'committee');
  if (Array.isArray(committee)) duplicates(committee, ['committee'], 'semantic.duplicate-committee', 'duplicateCommittee', lang, out);
  return out;
}

/** Reports every entry whose `number` repeats an earlier entry's. */
function duplicates(list: unknown[], path: YamlPath, code: string, key: string, lang: Lang, out: SemanticProblem[]): void {
  const first = new Map<number, number>();
  list.forEach((item, i) => {
    if (!isObj(item)) return;
    const n = own(item, 'number');
    if (!isInt(n)) return;
    const prev = first.get(n);
    if (prev === undefined) first.set(n, i);
    else out.push({ path: [...path, i, 'number'], atKey: false, code, message: t(lang, key, { number: n, line: '{line}' }), firstPath: [...path, prev, 'number'] });
  });
}

function walkNumbers(v: unknown, path: YamlPath, visit: (n: number, path: YamlPath) => void): void {
  if (typeof v === 'number') visit(v, path);
  else if (Array.isArray(v)) v.forEach((x, i) => walkNumbers(x, [...path, i], visit));
  else if (isObj(v)) for (const k of Object.keys(v)) walkNumbers(v[k], [...path, k], visit);
}
