//! The seed sheet (旭市 令和2年度 事後・決算 重点施策9) as a GradedSheet built by hand, so layout and
//! render tests do not depend on the loader or grader; values from SHEET.md and the seed text.

import type { GradeResult, GradedSheet, Indicator, Measured, Sheet, YamlPath } from '../../src/model/types.js';

const m = (value: number, path: YamlPath, extra: Partial<Measured> = {}): Measured => ({ value, calendar: false, path, ...extra });

export const SEED_TEXT = {
  reasons: [
    '【達成状況：Ｄ】令和２年は▲74人の社会減となった。要因としては外国人の国外からの転入が新型コロナウイルス感染拡大防止による入国制限により大きく減少している。また日本人は10代～20代の若年層が転出超過になっている。',
    '',
    'ＫＰＩ15【達成状況：-】生涯活躍のまちへの移住者数は、商業施設が先行して整備され、住宅は商業施設完成後順次開発される予定のため、ＫＰＩの実績はカウントできないが、事業者側グループで住宅整備に関する検討が進められている。',
    '',
    'ＫＰＩ16【達成状況：Ａ】】移住相談件数は、専用サイトの開設や事業者グループとの共同実施によるオンラインセミナーの開催などにより前年度実績を上回ることができた。内訳は、49件が定住促進奨励金の制度説明を含めた移住に関する相談件数、32件が専用サイトや広報などを通じてあった相談件数、33件が移住セミナーの参加人数である。',
  ].join('\n'),
  situation: [
    '【現状】',
    '・令和2年7月に事業協定書を締結、また、令和3年2月末に農転・開発に関する許可を受け、同年3月に造成工事を着工させた。ハード面では、令和4年春のまちびらき（多世代交流施設を含む商業施設完成）に向け、目途がついた。',
    '・市が開設する多世代交流施設（おひさまテラス）についても、施設運営の指定管理委託に関する準備や設置管理条例の制定等を行い、開設に向け、着実に進捗させることができた。',
    '【課題】',
    '・多世代交流施設開設に向けた準備のほか、まちの機能を活用した生涯活躍プログラムや移住者等の地域への溶け込みを図る体制の構築など、まちの魅力を向上させるソフト面の充実を図る必要がある。',
    '・市域全体の活性化につなげるための拠点として育てていくため、市民参画によるまちづくり組織の組成を検討していく必要がある。',
    '・機会を捉えた事業の効果的な情報発信を行う必要がある。',
  ].join('\n'),
  policy: [
    '・商業施設のオープンと同時に開設される多世代交流施設を円滑に運営する。',
    '・本市の強み、地域資源を最大限に活用した生涯活躍のまち「みらいあさひ」を官民連携事業として高い事業性と公益性を兼ね備えた形で実現するために、事業者グループや旭中央病院などとの連携・協働により、生涯活躍プログラムの企画・実施や情報発信による移住見込者の獲得及び関係人口の創出に取り組む。',
  ].join('\n'),
  opinion:
    '生涯活躍のまちにおいて旭市の商工事業者とコラボレーションできるような形で運営していただければと思う。コロナ禍で特にサービス業は泣いている。そのような部分で盛り上げていけたらと思っている。地域の発展に繋がるよう、商工業でからめていければうれしい。',
  response:
    'まちができて終わりということではなく、賑わいの創出や市域全体への波及等のため、本事業の事業者が主体となり、エリアマネジメント組織を立ち上げる予定です。また、このエリアマネジメント組織に対して、市や旭中央病院のほか、地域住民や商工会等、多様な方々の参画を得ながら、協力・助言を行うサポート組織を別に立ち上げる予定です。旭市の発展のため、「生涯活躍のまち　みらいあさひ」を拠点とした持続可能なまちづくりを公民連携で検討していきたいと考えております。',
  remarks: '2年度決算のうち、生涯活躍のまちインフラ整備費補助金500,000千円については、3年度に繰越',
};

function result(grade: string, rule: GradeResult['rule'], actual: Measured | null, change: number | null): GradeResult {
  return { grade, computed: grade, overridden: false, actual, change, rule };
}

/** A fresh copy each call, so a test may change fields without affecting others. */
export function seedSheet(overrides: Partial<Sheet> = {}): GradedSheet {
  const goal: Indicator = {
    kind: 'goal',
    number: null,
    name: '人口の社会増減（転入・転出の差）',
    unit: '人',
    better: 'higher',
    baseline: m(-11, ['goal', 'baseline'], { year: 2018, calendar: true }),
    target: { label: '増加', metWhen: { op: 'above', value: 0 }, year: 2024, path: ['goal', 'target'] },
    actuals: new Map([
      [2019, m(113, ['goal', 'actuals', '2019'], { calendar: true })],
      [2020, m(-74, ['goal', 'actuals', '2020'], { calendar: true })],
    ]),
    path: ['goal'],
  };
  const kpi15: Indicator = {
    kind: 'kpi',
    number: 15,
    name: '生涯活躍のまちへの移住者数',
    note: '定住(1)生涯活躍のまち・あさひ形成事業',
    unit: '人',
    better: 'higher',
    actuals: new Map(),
    path: ['kpis', 0],
  };
  const kpi16: Indicator = {
    kind: 'kpi',
    number: 16,
    name: '移住相談件数',
    unit: '件',
    better: 'higher',
    baseline: m(91, ['kpis', 1, 'baseline'], { year: 2018 }),
    target: { value: 200, year: 2024, path: ['kpis', 1, 'target'] },
    actuals: new Map([
      [2019, m(85, ['kpis', 1, 'actuals', '2019'])],
      [2020, m(114, ['kpis', 1, 'actuals', '2020'])],
    ]),
    path: ['kpis', 1],
  };
  const sheet: Sheet = {
    file: 'examples/asahi-2020-09.yaml',
    municipality: '旭市',
    fiscalYear: 2020,
    stage: '事後・決算',
    asOf: null,
    planPeriod: { from: 2020, to: 2024 },
    referenceYears: [2019],
    basicGoal: 2,
    measure: { number: 9, title: '旭市生涯活躍のまち構想' },
    leadDivision: '企画政策課',
    team: null,
    relatedDivisions: [],
    goal,
    kpis: [kpi15, kpi16],
    progress: '概ね順調',
    reasons: SEED_TEXT.reasons,
    situation: SEED_TEXT.situation,
    policy: SEED_TEXT.policy,
    relatedPolicyProjects: [],
    committee: [{ number: 35, opinion: SEED_TEXT.opinion, response: SEED_TEXT.response, path: ['committee', 0] }],
    projects: [
      {
        number: 1,
        main: true,
        code: '3670',
        name: '生涯活躍のまち形成事業',
        cost: new Map([
          [2019, 8636],
          [2020, 537409],
        ]),
        generalFund: new Map([
          [2019, 4533],
          [2020, 16091],
        ]),
        outcomes: [
          {
            name: '移住相談件数',
            unit: '件',
            values: new Map([
              [2019, m(85, ['projects', 0, 'outcomes', 0, 'values', '2019'])],
              [2020, m(114, ['projects', 0, 'outcomes', 0, 'values', '2020'])],
            ]),
            path: ['projects', 0, 'outcomes', 0],
          },
          { name: '生涯活躍のまちへの移住者数', unit: '人', values: new Map(), path: ['projects', 0, 'outcomes', 1] },
        ],
        remarks: SEED_TEXT.remarks,
        path: ['projects', 0],
      },
    ],
    ...overrides,
  };
  return {
    sheet,
    scheme: {
      id: 'asahi',
      name: '旭市',
      title: 'KPI達成状況の評価（数値目標）',
      legend: [
        { grade: 'S', text: '目標値を達成（見込み）' },
        { grade: 'A', text: '基準値より上昇（10%以上）' },
        { grade: 'B', text: '基準値より上昇（10%未満）' },
        { grade: 'C', text: '基準値と同水準（基準値と同値～△10％未満）' },
        { grade: 'D', text: '基準値より下落（△10％以下）' },
        { grade: '―', text: '評価不能（KPIの実績値が無い状態）' },
      ],
    },
    goal: { indicator: goal, result: result('D', 'change', goal.actuals.get(2020)!, -5.727) },
    kpis: [
      { indicator: kpi15, result: result('―', 'no-actual', null, null) },
      { indicator: kpi16, result: result('A', 'change', kpi16.actuals.get(2020)!, 0.2527) },
    ],
    totals: {
      cost: new Map([
        [2019, 8636],
        [2020, 537409],
      ]),
      generalFund: new Map([
        [2019, 4533],
        [2020, 16091],
      ]),
      costTotal: 537409,
      generalFundTotal: 16091,
    },
  };
}

export const SEED_META = {
  title: '重点施策マネジメントシート 令和2年度事後・決算 重点施策9 旭市生涯活躍のまち構想',
  author: '旭市 企画政策課',
  subject: '旭市 基本目標2 重点施策9 旭市生涯活躍のまち構想（令和2年度事後・決算）',
  creationDate: new Date(Date.UTC(2021, 2, 31)),
  lang: 'ja-JP' as const,
};
