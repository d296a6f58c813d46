// Checks schemas/sheet.schema.json: every example validates, the seed transcription holds its key numbers, and invalid sheets are rejected.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('schemas/sheet.schema.json', root), 'utf8')) as object;
const examplesDir = fileURLToPath(new URL('examples/', root));

// strict: true also fails on unknown keywords, union types and required-without-properties in the schema itself.
const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addKeyword('markdownDescription');
// ajv-formats is CommonJS with a default export; under NodeNext its callable may sit on .default.
type AddFormats = (ajv: Ajv) => Ajv;
const formatsModule = formatsPlugin as unknown as { default?: AddFormats } & AddFormats;
(formatsModule.default ?? formatsModule)(ajv);
const validate = ajv.compile(schema);

type Doc = Record<string, any>;

function load(name: string): Doc {
  return parse(readFileSync(examplesDir + name, 'utf8')) as Doc;
}

function errorsOf(data: unknown): string {
  validate(data);
  return ajv.errorsText(validate.errors, { separator: '\n' });
}

const exampleFiles = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('examples validate against the schema', () => {
  it('there are at least three examples, including the seed', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(3);
    expect(exampleFiles).toContain('asahi-2020-09.yaml');
  });

  for (const file of exampleFiles) {
    it(file, () => {
      const text = readFileSync(examplesDir + file, 'utf8');
      expect(text.startsWith('# yaml-language-server: $schema=../schemas/sheet.schema.json')).toBe(true);
      const doc = parse(text);
      const ok = validate(doc);
      expect(ok, errorsOf(doc)).toBe(true);
    });
  }

  it('committee numbers are unique across all examples, and KPI numbers too', () => {
    const committee: number[] = [];
    const kpis: number[] = [];
    for (const file of exampleFiles) {
      const doc = load(file);
      for (const c of doc.committee ?? []) committee.push(c.number);
      for (const k of doc.kpis ?? []) kpis.push(k.number);
    }
    expect(new Set(committee).size).toBe(committee.length);
    expect(new Set(kpis).size).toBe(kpis.length);
  });
});

describe('the seed transcription (asahi-2020-09.yaml)', () => {
  const seed = load('asahi-2020-09.yaml');

  it('header', () => {
    expect(seed.municipality).toBe('旭市');
    expect(seed.fiscal_year).toBe(2020);
    expect(seed.stage).toBe('事後・決算');
    expect(seed.as_of).toBeNull();
    expect(seed.team).toBeNull();
    expect(seed.plan_period).toEqual({ from: 2020, to: 2024 });
    expect(seed.reference_years).toEqual([2019]);
    expect(seed.basic_goal).toBe(2);
    expect(seed.measure).toEqual({ number: 9, title: '旭市生涯活躍のまち構想' });
    expect(seed.lead_division).toBe('企画政策課');
    expect(seed.progress).toBe('概ね順調');
    // ⑥: the seed's lone line "3670 生涯活躍のまち形成事業" on page 1 (the second reading of the seed: ⑥).
    expect(seed.related_policy_projects).toEqual(['3670 生涯活躍のまち形成事業']);
  });

  it('indicators', () => {
    expect(seed.goal.baseline).toEqual({ value: -11, year: 2018, calendar: true });
    expect(seed.goal.target).toEqual({ label: '増加', met_when: { above: 0 } });
    expect(seed.goal.actuals['2019'].value).toBe(113);
    expect(seed.goal.actuals['2020'].value).toBe(-74);
    expect(seed.kpis.map((k: Doc) => k.number)).toEqual([15, 16]);
    expect(seed.kpis[0].note).toBe('定住(1)生涯活躍のまち・あさひ形成事業');
    expect(seed.kpis[0].actuals).toBeUndefined();
    expect(seed.kpis[1].baseline).toEqual({ value: 91, year: 2018 });
    expect(seed.kpis[1].target).toEqual({ value: 200 });
    expect(seed.kpis[1].actuals).toEqual({ 2019: 85, 2020: 114 });
  });

  it('projects and committee', () => {
    const p = seed.projects[0];
    expect(seed.projects).toHaveLength(1);
    expect(p.code).toBe('3670');
    expect(p.main).toBe(true);
    expect(p.cost['2019']).toBe(8636);
    expect(p.cost['2020']).toBe(537409);
    expect(p.general_fund['2019']).toBe(4533);
    expect(p.general_fund['2020']).toBe(16091);
    expect(p.outcomes[0].values).toEqual({ 2019: 85, 2020: 114 });
    expect(p.remarks).toBe('2年度決算のうち、生涯活躍のまちインフラ整備費補助金500,000千円については、3年度に繰越');
    expect(seed.committee).toHaveLength(1);
    expect(seed.committee[0].number).toBe(35);
    expect(seed.committee[0].response).toMatch(/考えております。$/);
  });

  it('texts: paragraphs and bullets kept, PDF wrapping joined', () => {
    const reasons = (seed.reasons as string).split('\n').filter((l) => l !== '');
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toMatch(/^【達成状況：Ｄ】令和２年は▲74人の社会減となった。/);
    expect(reasons[1]).toMatch(/^ＫＰＩ15【達成状況：-】/);
    expect(reasons[2]).toMatch(/^ＫＰＩ16【達成状況：Ａ】】/); // the seed's doubled 】, kept verbatim
    expect(reasons[2]).toContain('49件が定住促進奨励金の制度説明を含めた');
    const situation = (seed.situation as string).trimEnd().split('\n');
    expect(situation).toHaveLength(7);
    expect(situation[0]).toBe('【現状】');
    expect(situation[3]).toBe('【課題】');
    const policy = (seed.policy as string).trimEnd().split('\n');
    expect(policy).toHaveLength(2);
    expect(policy.every((l) => l.startsWith('・'))).toBe(true);
  });
});

describe('the invented examples exercise what they claim', () => {
  it('asahi-2020-03: lower-is-better zero baseline, decimals, exact +10% boundary, item5', () => {
    const d = load('asahi-2020-03.yaml');
    const kpi = (n: number): Doc => d.kpis.find((k: Doc) => k.number === n);
    expect(kpi(5).better).toBe('lower');
    expect(kpi(5).baseline.value).toBe(0);
    expect(kpi(6).baseline.value).toBe(42.5);
    expect(kpi(8).baseline.value).toBe(24);
    expect(kpi(8).actuals['2020']).toBe(26.4);
    expect(kpi(8).actuals['2019']).toBeNull();
    expect(d.as_of).toBe('2021-07-31');
    expect(d.item5.title).toBe('3年度施策の方針');
    expect(d.projects.length).toBeGreaterThanOrEqual(3);
    // ② written per indicator (the seed shows the free-text form): one paragraph for each indicator, no marks.
    expect(Object.keys(d.reasons)).toEqual(['goal', 'kpis']);
    expect(
      Object.keys(d.reasons.kpis)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(d.kpis.map((k: Doc) => k.number).sort((a: number, b: number) => a - b));
    for (const p of [d.reasons.goal, ...Object.values(d.reasons.kpis)]) expect(p).not.toMatch(/達成状況/);
  });

  it('asahi-2020-05: word target with met_when, missing actual, 30 → 33, override with reason', () => {
    const d = load('asahi-2020-05.yaml');
    const kpi = (n: number): Doc => d.kpis.find((k: Doc) => k.number === n);
    expect(kpi(20).target).toEqual({ label: '維持', met_when: { at_least: 120000 } });
    expect(kpi(21).actuals['2020']).toBeNull();
    expect(kpi(22).baseline.value).toBe(30);
    expect(kpi(22).actuals['2020']).toBe(33);
    expect(kpi(23).grade_override.grade).toBe('S');
    expect(kpi(23).grade_override.reason).toContain('見込み');
    expect(d.committee).toHaveLength(2);
  });
});

describe('the schema rejects what it must', () => {
  const seed = load('asahi-2020-09.yaml');
  const clone = (): Doc => structuredClone(seed);

  it('accepts an unmodified clone (sanity)', () => {
    expect(validate(clone())).toBe(true);
  });

  it('an unknown key at the top level', () => {
    const d = clone();
    d.municiplity = '旭市';
    expect(validate(d)).toBe(false);
    expect(validate.errors?.some((e: ErrorObject) => e.keyword === 'additionalProperties')).toBe(true);
  });

  it('an unknown key inside a KPI', () => {
    const d = clone();
    d.kpis[1].targte = 200;
    expect(validate(d)).toBe(false);
    expect(
      validate.errors?.some((e: ErrorObject) => e.instancePath === '/kpis/1' && e.keyword === 'additionalProperties'),
    ).toBe(true);
  });

  it('an unknown key inside a value object, a project and the goal', () => {
    for (const mutate of [
      (d: Doc) => (d.goal.baseline.calender = true),
      (d: Doc) => (d.projects[0].cost_total = 1),
      (d: Doc) => (d.goal.number = 1),
    ]) {
      const d = clone();
      mutate(d);
      expect(validate(d)).toBe(false);
    }
  });

  it('progress: 完了 is the fifth choice (second reading of the seed)', () => {
    for (const p of ['順調', '概ね順調', '停滞', '実施困難', '完了']) {
      const d = clone();
      d.progress = p;
      expect(validate(d), errorsOf(d)).toBe(true);
    }
  });

  it('reasons: free text, or paragraphs per indicator (goal, kpis by number); nothing else', () => {
    const ok = clone();
    ok.reasons = { goal: '令和２年は…', kpis: { 15: '…', 16: '…' } };
    expect(validate(ok), errorsOf(ok)).toBe(true);
    const partial = clone();
    partial.reasons = { kpis: { 16: '…' } };
    expect(validate(partial), errorsOf(partial)).toBe(true);
    for (const bad of [{ goals: '…' }, { goal: 1 }, { kpis: { 16: ['…'] } }, { kpis: ['…'] }, ['…'], 3]) {
      const d = clone();
      d.reasons = bad;
      expect(validate(d), JSON.stringify(bad)).toBe(false);
    }
  });

  it('progress not in the enum', () => {
    const d = clone();
    d.progress = 'おおむね順調';
    expect(validate(d)).toBe(false);
    expect(validate.errors?.some((e: ErrorObject) => e.instancePath === '/progress')).toBe(true);
  });

  it("year key '20' in actuals", () => {
    const d = clone();
    d.kpis[1].actuals = { '20': 114 };
    expect(validate(d)).toBe(false);
    expect(validate.errors?.some((e: ErrorObject) => e.keyword === 'pattern' || e.keyword === 'propertyNames')).toBe(
      true,
    );
  });

  it('16 projects', () => {
    const d = clone();
    d.projects = Array.from({ length: 16 }, (_, i) => ({ number: (i % 15) + 1, name: `事業${i + 1}` }));
    expect(validate(d)).toBe(false);
    expect(validate.errors?.some((e: ErrorObject) => e.keyword === 'maxItems')).toBe(true);
  });

  it('15 projects are fine', () => {
    const d = clone();
    d.projects = Array.from({ length: 15 }, (_, i) => ({ number: i + 1, name: `事業${i + 1}` }));
    expect(validate(d), errorsOf(d)).toBe(true);
  });

  it('an override without a reason, or with an empty one, or an unknown grade', () => {
    for (const override of [{ grade: 'S' }, { grade: 'S', reason: '' }, { grade: 'E', reason: '理由' }]) {
      const d = clone();
      d.kpis[1].grade_override = override;
      expect(validate(d)).toBe(false);
    }
    const d = clone();
    d.kpis[1].grade_override = { grade: 'S', reason: '年度末までに達成見込み' };
    expect(validate(d), errorsOf(d)).toBe(true);
  });

  it('a KPI without a number', () => {
    const d = clone();
    delete d.kpis[1].number;
    expect(validate(d)).toBe(false);
  });

  it('a target object with neither value nor label, and met_when with two criteria', () => {
    const d1 = clone();
    d1.kpis[1].target = { year: 2024 };
    expect(validate(d1)).toBe(false);
    const d2 = clone();
    d2.goal.target.met_when = { above: 0, at_least: 1 };
    expect(validate(d2)).toBe(false);
    const d3 = clone();
    d3.goal.target.met_when = {};
    expect(validate(d3)).toBe(false);
  });

  it('a non-integer cost, an unquoted project code, a bad date, a year out of range', () => {
    for (const mutate of [
      (d: Doc) => (d.projects[0].cost['2020'] = 537409.5),
      (d: Doc) => (d.projects[0].code = 3670),
      (d: Doc) => (d.as_of = '2021/06/30'),
      (d: Doc) => (d.fiscal_year = 20),
      (d: Doc) => (d.projects[0].number = 16),
      (d: Doc) => (d.version = 2),
    ]) {
      const d = clone();
      mutate(d);
      expect(validate(d)).toBe(false);
    }
  });

  it('accepts the optional additions: item5, grading, a date, null actuals, negative costs', () => {
    const d = clone();
    d.item5 = { title: '3年度施策の方針', text: '・……' };
    d.grading = 'five-level';
    d.as_of = '2021-06-30';
    d.kpis[0].actuals = { 2019: null, 2020: null };
    d.projects[0].cost['2021'] = -120;
    expect(validate(d), errorsOf(d)).toBe(true);
  });
});

describe('the schema documents itself in Japanese', () => {
  it('every property and definition has a Japanese title or description', () => {
    const missing: string[] = [];
    const hasJapanese = (s: unknown) => typeof s === 'string' && /[\u3040-\u30ff\u4e00-\u9fff]/.test(s);
    const visit = (node: any, path: string) => {
      if (!node || typeof node !== 'object') return;
      for (const key of ['properties', 'definitions'] as const) {
        for (const [name, sub] of Object.entries<any>(node[key] ?? {})) {
          if (sub === true) continue; // `properties: { value: true }` helpers in anyOf branches
          if (!hasJapanese(sub.title) || !hasJapanese(sub.description)) missing.push(`${path}/${key}/${name}`);
          visit(sub, `${path}/${key}/${name}`);
        }
      }
      for (const key of ['items', 'additionalProperties'] as const)
        if (typeof node[key] === 'object') visit(node[key], `${path}/${key}`);
      for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
        (node[key] ?? []).forEach((s: any, i: number) => visit(s, `${path}/${key}/${i}`));
    };
    visit(schema, '#');
    expect(missing).toEqual([]);
  });
});
