//! Stress sheets for the layout and the image references: the seed pushed where a city's sheets go
//! (long prose, 15 projects with long names and five outcomes each, a 10-year plan, many committee
//! opinions, extreme numbers), built on the model so each stays within the format's limits.

import type { CommitteeEntry, GradedSheet, Measured, Outcome, Project } from '../../src/model/types.js';
import { seedSheet } from './seed-fixture.js';

const SENTENCE = '市民参画によるまちづくり組織の組成を検討し、機会を捉えた事業の効果的な情報発信を行う必要がある。';

function measured(value: number, path: (string | number)[], extra: Partial<Measured> = {}): Measured {
  return { value, calendar: false, path, ...extra };
}

export function longProse(): GradedSheet {
  const g = seedSheet();
  const s = g.sheet;
  s.situation = Array.from({ length: 40 }, (_, i) => `【段落${i + 1}】${SENTENCE}${SENTENCE}`).join('\n');
  s.policy = Array.from({ length: 12 }, (_, i) => `・方針${i + 1}：${SENTENCE}`).join('\n');
  s.reasons = `${s.reasons as string}\n${SENTENCE.repeat(10)}`;
  return g;
}

export function fifteenProjects(): GradedSheet {
  const g = seedSheet();
  const seedP = g.sheet.projects[0]!;
  const projects: Project[] = Array.from({ length: 15 }, (_, i) => {
    const path = ['projects', i];
    const outcomes: Outcome[] = Array.from({ length: 5 }, (_, j) => ({
      name: `成果指標${j + 1}：地域資源を活用した生涯活躍プログラムへの延べ参加者数（多世代交流施設を含む）`,
      unit: '人',
      values: new Map([
        [2019, measured(1234 * (j + 1), [...path, 'outcomes', j, 'values', '2019'])],
        [2020, measured(98765 + j, [...path, 'outcomes', j, 'values', '2020'], { note: '見込み' })],
      ]),
      path: [...path, 'outcomes', j],
    }));
    return {
      ...seedP,
      number: i + 1,
      main: i % 3 === 0,
      code: String(3670 + i),
      name: `生涯活躍のまち・あさひ形成事業（多世代交流施設の整備と官民連携による運営支援）第${i + 1}期`,
      cost: new Map([
        [2019, 8636 * (i + 1)],
        [2020, 537409 + i],
      ]),
      generalFund: new Map([
        [2019, 4533],
        [2020, 16091 * (i + 1)],
      ]),
      outcomes,
      remarks: `${i + 1}年度決算のうち、生涯活躍のまちインフラ整備費補助金500,000千円については、翌年度に繰越。${SENTENCE}`,
      path,
    };
  });
  g.sheet.projects = projects;
  return g;
}

export function tenYearPlan(): GradedSheet {
  const g = seedSheet({ fiscalYear: 2029, planPeriod: { from: 2020, to: 2029 }, referenceYears: [2018, 2019] });
  for (const gi of [g.goal, ...g.kpis]) {
    const m = new Map(gi.indicator.actuals);
    for (let y = 2021; y <= 2029; y++) m.set(y, measured(100 + y - 2021, [...gi.indicator.path, 'actuals', String(y)]));
    gi.indicator = { ...gi.indicator, actuals: m };
  }
  return g;
}

export function manyOpinions(n = 60): GradedSheet {
  const g = seedSheet();
  const base = g.sheet.committee[0]!;
  g.sheet.committee = Array.from(
    { length: n },
    (_, i): CommitteeEntry => ({
      number: i + 1,
      opinion: `${base.opinion.slice(0, 40 + (i % 5) * 20)}。`,
      response: `${base.response.slice(0, 60 + (i % 7) * 25)}。`,
      path: ['committee', i],
    }),
  );
  return g;
}

export function extremeNumbers(): GradedSheet {
  const g = seedSheet();
  const k = g.kpis[1]!;
  k.indicator = {
    ...k.indicator,
    baseline: measured(-999_999_999_999.5, [...k.indicator.path, 'baseline'], { year: 2018 }),
    actuals: new Map([
      [2019, measured(123_456_789_012.25, [...k.indicator.path, 'actuals', '2019'], { note: '概数' })],
      [2020, measured(0.0000001, [...k.indicator.path, 'actuals', '2020'])],
    ]),
  };
  const p = g.sheet.projects[0]!;
  g.sheet.projects[0] = {
    ...p,
    cost: new Map([
      [2019, 999_999_999_999],
      [2020, -123_456_789_012],
    ]),
    generalFund: new Map([
      [2019, 0],
      [2020, 987_654_321_098],
    ]),
  };
  g.totals = {
    ...g.totals,
    cost: new Map([
      [2019, 999_999_999_999],
      [2020, -123_456_789_012],
    ]),
    generalFund: new Map([
      [2019, 0],
      [2020, 987_654_321_098],
    ]),
    costTotal: -123_456_789_012,
    generalFundTotal: 987_654_321_098,
  };
  return g;
}

/**
 * One project row taller than a page: the seed's project with 64 outcomes and a long 備考. Page 2
 * holds what fits of it; the rest continues on 別紙 with its No., 〇, name and 成果指標 repeated.
 */
export function tallProject(): GradedSheet {
  const g = seedSheet();
  const p = g.sheet.projects[0]!;
  const outcomes: Outcome[] = Array.from({ length: 64 }, (_, j) => ({
    name: `成果指標${j + 1}：移住相談件数（${j % 2 === 0 ? '窓口' : 'オンライン'}）`,
    unit: '件',
    values: new Map([
      [2019, measured(80 + j, [...p.path, 'outcomes', j, 'values', '2019'])],
      [2020, measured(110 + 2 * j, [...p.path, 'outcomes', j, 'values', '2020'])],
    ]),
    path: [...p.path, 'outcomes', j],
  }));
  const remarks = [p.remarks!, ...Array.from({ length: 12 }, (_, i) => `【補足${i + 1}】${SENTENCE}${SENTENCE}`)].join(
    '\n',
  );
  g.sheet.projects[0] = { ...p, outcomes, remarks };
  return g;
}

export const STRESS = { longProse, fifteenProjects, tenYearPlan, manyOpinions, extremeNumbers, tallProject } as const;
