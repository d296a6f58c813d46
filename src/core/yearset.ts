//! Checks that span a year's set of sheets: KPI and committee-opinion numbers unique across all
//! sheets, one fiscal year and one stage for all. Each problem names every place involved.

import type { Diagnostic, Lang } from '../diagnostics.js';
import { t } from '../messages.js';
import type { Fact, SetFacts } from './sheetjob.js';

export interface SetMember {
  file: string;
  facts: SetFacts;
}

const where = (file: string, f: Fact<unknown>): string =>
  `${file}${f.line !== undefined ? `:${f.line}` : ''}${f.line !== undefined && f.column !== undefined ? `:${f.column}` : ''}`;

function at(
  file: string,
  f: Fact<unknown>,
  path: Diagnostic['path'],
): Pick<Diagnostic, 'file' | 'line' | 'column' | 'path'> {
  return {
    file,
    ...(f.line !== undefined ? { line: f.line } : {}),
    ...(f.column !== undefined ? { column: f.column } : {}),
    ...(path ? { path } : {}),
  };
}

/** Numbers that must be unique across the set (KPI numbers, committee numbers): one error at every use, listing the others. */
function uniqueAcross(
  members: readonly SetMember[],
  pick: (f: SetFacts) => Fact<number>[],
  code: string,
  key: string,
  field: string,
  lang: Lang,
): Diagnostic[] {
  const uses = new Map<number, { file: string; fact: Fact<number>; index: number }[]>();
  for (const m of members) {
    pick(m.facts).forEach((fact, index) => {
      const list = uses.get(fact.value) ?? [];
      list.push({ file: m.file, fact, index });
      uses.set(fact.value, list);
    });
  }
  const out: Diagnostic[] = [];
  for (const [number, list] of [...uses].sort((a, b) => a[0] - b[0])) {
    // Twice in one sheet is the sheet's own (semantic) error; here only sheets that share a number.
    if (new Set(list.map((u) => u.file)).size < 2) continue;
    for (const u of list) {
      const others = list.filter((o) => o !== u).map((o) => where(o.file, o.fact));
      out.push({
        severity: 'error',
        code,
        ...at(u.file, u.fact, [field, u.index, 'number']),
        message: t(lang, key, { number, others: others.join(', ') }),
      });
    }
  }
  return out;
}

/** One value for the whole set (fiscal year, stage): the most common one wins; every other sheet is reported. */
function oneValue<T extends string | number>(
  members: readonly SetMember[],
  pick: (f: SetFacts) => Fact<T>,
  code: string,
  key: string,
  field: string,
  lang: Lang,
): Diagnostic[] {
  const counts = new Map<T, { n: number; first: SetMember }>();
  for (const m of members) {
    const v = pick(m.facts).value;
    const c = counts.get(v);
    if (c) c.n++;
    else counts.set(v, { n: 1, first: m });
  }
  if (counts.size < 2) return [];
  // Ties go to the value met first, so the report does not depend on hash order.
  let best: [T, { n: number; first: SetMember }] | undefined;
  for (const e of counts) if (!best || e[1].n > best[1].n) best = e;
  const [expected, info] = best!;
  return members
    .filter((m) => pick(m.facts).value !== expected)
    .map((m) => {
      const f = pick(m.facts);
      return {
        severity: 'error' as const,
        code,
        ...at(m.file, f, [field]),
        message: t(lang, key, {
          value: f.value,
          expected,
          count: info.n,
          example: where(info.first.file, pick(info.first.facts)),
        }),
      };
    });
}

/** Every set-level problem, in a stable order (by check, then as the sheets were given). */
export function checkYearSet(members: readonly SetMember[], lang: Lang): Diagnostic[] {
  return [
    ...oneValue(members, (f) => f.fiscalYear, 'set.fiscal-year', 'setFiscalYear', 'fiscal_year', lang),
    ...oneValue(members, (f) => f.stage, 'set.stage', 'setStage', 'stage', lang),
    ...uniqueAcross(members, (f) => f.kpis, 'set.kpi-number', 'setKpiNumber', 'kpis', lang),
    ...uniqueAcross(members, (f) => f.committee, 'set.committee-number', 'setCommitteeNumber', 'committee', lang),
  ];
}
