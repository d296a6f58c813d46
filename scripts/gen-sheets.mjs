// Generates valid sheets for benchmarks and tests, two kinds:
// - sets of N sheets like the seed (examples/asahi-2020-09.yaml) varied by a seeded generator —
//   measure numbers 1..N, KPI and committee numbers unique across the set, figures changed so that
//   the grades differ (sheetText, genSheets; the benchmarks use them);
// - whole sheets of any shape the format allows, for the no-loss invariants (sheetFromShape: prose
//   up to the 10,000-character limit, up to 60 committee opinions, 15 projects of up to 5 outcomes,
//   plans of up to 10 years, numbers up to the 10^12 limit with up to 15 significant digits), and
//   the stress sheets built from it (stressSheets); on request one row taller than a page (tallRow:
//   a committee entry of thousands of characters, a project of dozens of outcomes and a long 備考),
//   which 別紙 divides between pages. The property tests draw shapes with fast-check.
//   Sheets write ② per indicator.
// Usable as a module or a script:
//   node scripts/gen-sheets.mjs 300 /tmp/sheets
//   node scripts/gen-sheets.mjs --stress /tmp/stress
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const SEED = fileURLToPath(new URL('../examples/asahi-2020-09.yaml', import.meta.url));

/** Small deterministic PRNG (mulberry32): the same count gives the same files. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The text of sheet i (0-based) of a generated set. */
export function sheetText(i, seedText = readFileSync(SEED, 'utf8')) {
  const r = rng(i + 1);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const doc = parseDocument(seedText);
  doc.setIn(['basic_goal'], 1 + (i % 4));
  doc.setIn(['measure', 'number'], i + 1);
  doc.setIn(['measure', 'title'], `生涯活躍のまち構想 ${i + 1}`);
  // Goal: baseline and actuals around the seed's, so grades spread over S–D.
  const base = int(-50, 50);
  doc.setIn(['goal', 'baseline', 'value'], base);
  doc.setIn(['goal', 'actuals', 2019, 'value'], int(-100, 150));
  doc.setIn(['goal', 'actuals', 2020, 'value'], int(-100, 150));
  // KPIs 2i+1 and 2i+2: unique across the set.
  doc.setIn(['kpis', 0, 'number'], 2 * i + 1);
  doc.setIn(['kpis', 1, 'number'], 2 * i + 2);
  const kb = int(50, 150);
  doc.setIn(['kpis', 1, 'baseline', 'value'], kb);
  doc.setIn(['kpis', 1, 'target', 'value'], kb + int(10, 120));
  doc.setIn(['kpis', 1, 'actuals', 2019], int(30, 200));
  doc.setIn(['kpis', 1, 'actuals', 2020], int(30, 260));
  // ② per indicator: the seed's three paragraphs without their hand-written marks. The figures above
  // change the grades, so the seed's marks would no longer agree; written per indicator, sheetgen
  // writes each mark from the computed grade.
  const paragraphs = String(doc.get('reasons'))
    .split(/\n+/u)
    .filter(Boolean)
    .map((p) => p.replace(/^(?:ＫＰＩ\d+)?【達成状況：[^】]*】+/u, ''));
  doc.set(
    'reasons',
    doc.createNode({ goal: paragraphs[0], kpis: { [2 * i + 1]: paragraphs[1], [2 * i + 2]: paragraphs[2] } }),
  );
  doc.setIn(['committee', 0, 'number'], i + 1);
  doc.setIn(['projects', 0, 'cost', 2020], int(1000, 900000));
  doc.setIn(['projects', 0, 'general_fund', 2020], int(100, 90000));
  return doc.toString();
}

/** Writes `count` sheets into `dir` as sheet-001.yaml …; returns their paths. */
export function genSheets(count, dir) {
  mkdirSync(dir, { recursive: true });
  const seedText = readFileSync(SEED, 'utf8');
  const files = [];
  for (let i = 0; i < count; i++) {
    const f = join(dir, `sheet-${String(i + 1).padStart(3, '0')}.yaml`);
    writeFileSync(f, sheetText(i, seedText));
    files.push(f);
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Sheets of any shape (the no-loss invariants of issue 8)
// ---------------------------------------------------------------------------------------------

// What the format of this checkout allows: ② per indicator and the progress choices come from the schema,
// so that the generator follows the format as it grows (sheets of an older format stay valid).
// Next to this script, or (bundled by scripts/fuzz.mjs into another folder) in the project run from.
const SCHEMA_FILE = [
  fileURLToPath(new URL('../schemas/sheet.schema.json', import.meta.url)),
  join(process.cwd(), 'schemas', 'sheet.schema.json'),
].find((f) => existsSync(f));
const SCHEMA = SCHEMA_FILE ? JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) : {};
/** Whether the format takes ② per indicator (reasons: { goal, kpis: { N: … } }). */
export const REASONS_BY_INDICATOR = Boolean(SCHEMA.definitions?.reasonsByIndicator);
const PROGRESS = SCHEMA.definitions?.progress?.enum ?? ['順調', '概ね順調', '停滞', '実施困難'];

/** Longest prose and label the validator accepts (src/validate/semantic.ts MAX_PROSE_CHARS, MAX_LABEL_CHARS). */
export const LIMITS = { prose: 10_000, label: 200, planYears: 10, projects: 15, outcomes: 5, maxAbs: 1e12 };

// Phrases of the kind the seed and real sheets are written in; all in BIZ UDPGothic. None states a
// grade (【達成状況：…】): a stated grade in free-text ② is checked against the computed one.
const PHRASES = [
  '生涯活躍のまち',
  '移住相談件数',
  '多世代交流施設',
  '商業施設の完成',
  '事業者グループ',
  '旭中央病院',
  '官民連携事業',
  '新型コロナウイルス感染拡大防止',
  '入国制限',
  '若年層の転出超過',
  'オンラインセミナー',
  '専用サイトの開設',
  '定住促進奨励金',
  '地域資源を最大限に活用',
  '関係人口の創出',
  '情報発信',
  'エリアマネジメント組織',
  '市民参画',
  'まちづくり',
  'ソフト面の充実',
  '前年度実績を上回る',
  '計画どおり進捗',
  '検討を進める',
  '着実に実施',
  '課題がある',
  '引き続き取り組む',
  '連携・協働により',
];
const ASCII_WORDS = ['DX', 'ICT', 'SDGs', 'Wi-Fi', 'PDCA', 'NPO', 'IT', 'KPI', 'web', 'Society 5.0'];
const UNITS = ['人', '件', '%', '回', 'か所', '団体', '人／日', 't', '世帯', '千円', '', 'ha', '㎡', '点'];
const COUNTERS = ['件', '人', '回', '年', 'か月', '%', '世帯'];

/** Text of exactly `n` characters (code points) from the seeded generator `r`, without trailing whitespace. */
export function prose(r, n, { lines = true } = {}) {
  if (n <= 0) return '';
  const pick = (list) => list[Math.floor(r() * list.length)];
  const parts = [];
  let len = 0;
  let lineStart = true;
  while (len < n + 8) {
    let piece;
    const k = r();
    if (lines && lineStart && k < 0.3) piece = pick(['・', '【現状】', '【課題】', '（１）', '①', '○']);
    else if (k < 0.55) piece = pick(PHRASES);
    else if (k < 0.62)
      piece = `${Math.floor(r() * (r() < 0.5 ? 100 : 1_000_000)).toLocaleString('en-US')}${pick(COUNTERS)}`;
    else if (k < 0.67) piece = `（${pick(PHRASES)}）`;
    else if (k < 0.71) piece = `「${pick(PHRASES)}」`;
    else if (k < 0.75) piece = ` ${pick(ASCII_WORDS)} `;
    else if (k < 0.9) piece = pick(['は', 'の', 'を', 'に', 'と', 'が', 'により', 'について', 'など']);
    else piece = pick(['、', '。']);
    lineStart = false;
    if (lines && piece === '。' && r() < 0.35) {
      piece += r() < 0.2 ? '\n\n' : '\n';
      lineStart = true;
    }
    parts.push(piece);
    len += [...piece].length;
  }
  const text = [...parts.join('')].slice(0, n);
  // No whitespace at the ends (a character count the validator and the checker agree on).
  while (text.length > 0 && /\s/.test(text[text.length - 1])) text[text.length - 1] = '。';
  while (text.length > 0 && /\s/.test(text[0])) text[0] = '・';
  return text.join('');
}

/** A label (name, unit note…) of `n` characters on one line. */
const label = (r, n) => prose(r, n, { lines: false }).replace(/\s/g, '・') || '名';

function digits(r, count, firstNonZero = true) {
  let s = '';
  for (let i = 0; i < count; i++) s += String(i === 0 && firstNonZero ? 1 + Math.floor(r() * 9) : Math.floor(r() * 10));
  return s;
}

/**
 * A number as written in YAML, by `mode`: 'plain' (counts a city would write), 'mixed' or
 * 'extreme' (mostly the edges: 999999999999, 15 significant digits, -0.0000001, 24.0).
 * Always below the 10^12 limit in magnitude and exact in binary floating point.
 */
export function numberText(r, mode = 'mixed', { integer = false } = {}) {
  const k = r();
  const neg = r() < (mode === 'plain' ? 0.1 : 0.3) ? '-' : '';
  if (mode === 'plain' || (mode === 'mixed' && k < 0.5))
    return (r() < 0.1 ? neg : '') + String(Math.floor(r() * (r() < 0.7 ? 1000 : 1_000_000)));
  const e = r();
  if (integer || e < 0.35) {
    const n = 1 + Math.floor(r() * 12);
    return neg + (r() < 0.15 ? '999999999999' : digits(r, n));
  }
  if (e < 0.55) {
    // Up to 15 significant digits: k integer digits and 15 - k decimals.
    const intDigits = 1 + Math.floor(r() * 12);
    return `${neg}${digits(r, intDigits)}.${digits(r, 15 - intDigits, false)}`;
  }
  if (e < 0.75) return `${neg}${digits(r, 1 + Math.floor(r() * 6))}.${digits(r, 1 + Math.floor(r() * 3), false)}`; // 24.0, 80.50
  if (e < 0.9) return pick1(r, ['0.0000001', '-0.0000001', '0.5', '-0.25', '0.0', '100.0', '0.001']);
  return pick1(r, ['999999999999', '-999999999999', '999999999999.9', '0']);
}
const pick1 = (r, list) => list[Math.floor(r() * list.length)];

/**
 * The YAML text of a valid sheet of the given shape (all fields optional; see SheetShape in
 * gen-sheets.d.mts). The same shape gives the same text.
 */
export function sheetFromShape(shape = {}) {
  const r = rng(shape.seed ?? 1);
  const mode = shape.numbers ?? 'mixed';
  const planYears = Math.max(1, Math.min(LIMITS.planYears, shape.planYears ?? 5));
  const from = shape.planFrom ?? 2020;
  const to = from + planYears - 1;
  const fy = from + Math.min(planYears - 1, Math.max(0, shape.fiscalYearIndex ?? 0));
  const refs = Array.from(
    { length: Math.max(0, Math.min(3, shape.referenceYears ?? 1)) },
    (_, i) => from - 1 - i,
  ).reverse();
  const columns = [...refs, ...Array.from({ length: planYears }, (_, i) => from + i)];
  const evaluated = columns.filter((y) => y <= fy);
  const nameChars = shape.nameChars ?? 12;
  const p = shape.prose ?? {};
  const q = JSON.stringify;
  const num = (opts) => numberText(r, mode, opts);
  const lines = [];
  const out = (s) => lines.push(s);

  const measured = (withYear) => {
    const v = num();
    if (r() < 0.6) return v;
    const parts = [`value: ${v}`];
    if (withYear || r() < 0.3) parts.push(`year: ${withYear ? from - 2 : pick1(r, columns)}`);
    if (r() < 0.3) parts.push('calendar: true');
    if (r() < 0.3) parts.push(`note: ${q(label(r, 1 + Math.floor(r() * Math.min(nameChars, 12))))}`);
    return `{ ${parts.join(', ')} }`;
  };
  // Money maps take integers only; value maps may say null (no value, printed "-").
  const yearMap = (years, value, nulls = true) => {
    const entries = years.filter(() => r() < 0.85).map((y) => `${y}: ${nulls && r() < 0.05 ? 'null' : value()}`);
    return `{ ${entries.join(', ')} }`;
  };
  const indicator = (indent, kpiNumber) => {
    const pad = ' '.repeat(indent);
    if (kpiNumber !== undefined) out(`${pad.slice(2)}- number: ${kpiNumber}`);
    out(`${pad}name: ${q(label(r, Math.max(1, Math.floor(r() * nameChars) + 1)))}`);
    if (r() < 0.3) out(`${pad}note: ${q(label(r, 1 + Math.floor(r() * nameChars)))}`);
    out(`${pad}unit: ${q(pick1(r, UNITS))}`);
    const better = r() < 0.3 ? 'lower' : 'higher';
    out(`${pad}better: ${better}`);
    if (r() < 0.8) out(`${pad}baseline: ${measured(true)}`);
    const t = r();
    const targetYear = r() < 0.2 ? `, year: ${from + Math.floor(r() * planYears)}` : '';
    if (t < 0.6) out(`${pad}target: { value: ${num()}${targetYear} }`);
    else if (t < 0.85)
      out(
        `${pad}target: { label: ${q(pick1(r, ['増加', '減少', '維持', '前年度以上']))}, met_when: { ${better === 'higher' ? 'at_least' : 'at_most'}: ${num()} }${targetYear} }`,
      );
    out(`${pad}actuals: ${yearMap(evaluated, measured)}`);
    if (r() < 0.1)
      out(
        `${pad}grade_override: { grade: ${q(pick1(r, ['S', 'A', 'B', 'C', 'D', '―']))}, reason: ${q(prose(r, 1 + Math.floor(r() * 80), { lines: false }))} }`,
      );
  };

  out('version: 1');
  out(`municipality: ${q(label(r, 1 + Math.floor(r() * 6)) || '市')}`);
  out(`fiscal_year: ${fy}`);
  out(`stage: ${q(pick1(r, ['事後・決算', '事前・予算', '中間']))}`);
  out(`as_of: ${r() < 0.5 ? 'null' : q(`${fy + 1}-06-30`)}`);
  out(`plan_period: { from: ${from}, to: ${to} }`);
  out(`reference_years: [${refs.join(', ')}]`);
  out(`basic_goal: ${1 + Math.floor(r() * 4)}`);
  out(`measure: { number: ${1 + Math.floor(r() * 30)}, title: ${q(label(r, 1 + Math.floor(r() * nameChars)))} }`);
  out(`lead_division: ${q(label(r, 1 + Math.floor(r() * Math.min(nameChars, 20))))}`);
  out(`team: ${r() < 0.5 ? 'null' : q(label(r, 1 + Math.floor(r() * 10)))}`);
  out(
    `related_divisions: [${Array.from({ length: shape.relatedDivisions ?? Math.floor(r() * 3) }, () => q(label(r, 2 + Math.floor(r() * 10)))).join(', ')}]`,
  );
  out('goal:');
  indicator(2);
  const kpis = shape.kpis ?? 2;
  out(kpis === 0 ? 'kpis: []' : 'kpis:');
  for (let i = 0; i < kpis; i++) indicator(4, i + 1);
  out(`progress: ${pick1(r, PROGRESS)}`);
  if (shape.reasonsByIndicator && REASONS_BY_INDICATOR) {
    // One paragraph per indicator (some left out: a warning, not an error), sharing ②'s length.
    const n = p.reasons ?? 200;
    const each = Math.min(shape.reasonsParagraphMax ?? LIMITS.prose, Math.max(1, Math.floor(n / (kpis + 1))));
    out('reasons:');
    if (n > 0 && r() < 0.9) out(`  goal: ${q(prose(r, each))}`);
    const paras = Array.from({ length: kpis }, (_, i) => i + 1).filter(() => n > 0 && r() < 0.8);
    out(paras.length === 0 ? '  kpis: {}' : '  kpis:');
    for (const k of paras) out(`    ${k}: ${q(prose(r, each))}`);
  } else out(`reasons: ${q(prose(r, p.reasons ?? 200))}`);
  out(`situation: ${q(prose(r, p.situation ?? 200))}`);
  out(`policy: ${q(prose(r, p.policy ?? 150))}`);
  if ((p.item5 ?? -1) >= 0)
    out(`item5: { title: ${q(label(r, 1 + Math.floor(r() * 12)))}, text: ${q(prose(r, p.item5) || '-')} }`);
  out(
    `related_policy_projects: [${Array.from({ length: shape.relatedPolicyProjects ?? Math.floor(r() * 3) }, () => q(label(r, 1 + Math.floor(r() * nameChars)))).join(', ')}]`,
  );
  // One row taller than a page, when the shape asks for it: a committee entry of paragraphs by the
  // dozen, or a project with outcomes by the dozen (and a long 備考).
  const tall = shape.tallRow;
  const committee = tall?.kind === 'committee' ? Math.max(1, shape.committee ?? 1) : (shape.committee ?? 1);
  const tallEntry = tall?.kind === 'committee' ? (tall.at ?? 0) % committee : -1;
  const cChars = shape.committeeChars ?? 150;
  out(committee === 0 ? 'committee: []' : 'committee:');
  for (let i = 0; i < committee; i++) {
    out(`  - number: ${i + 1}`);
    if (i === tallEntry) {
      const n = Math.max(1, Math.min(LIMITS.prose, tall.chars ?? LIMITS.prose));
      out(`    opinion: ${q(prose(r, n))}`);
      out(`    response: ${q(prose(r, Math.max(1, Math.floor(n * (0.5 + r() / 2)))))}`);
      continue;
    }
    out(`    opinion: ${q(prose(r, 1 + Math.floor(r() * cChars)) || '意見')}`);
    out(`    response: ${q(r() < 0.1 ? '' : prose(r, 1 + Math.floor(r() * cChars)))}`);
  }
  const projects = tall?.kind === 'project' && (shape.projects ?? [2]).length === 0 ? [1] : (shape.projects ?? [2]);
  const tallProject = tall?.kind === 'project' ? (tall.at ?? 0) % projects.length : -1;
  out(projects.length === 0 ? 'projects: []' : 'projects:');
  projects.forEach((outcomes, i) => {
    out(`  - number: ${i + 1}`);
    out(`    main: ${r() < 0.3}`);
    if (r() < 0.7) out(`    code: ${q(digits(r, 4, false))}`);
    out(`    name: ${q(label(r, Math.max(1, Math.min(LIMITS.label, nameChars - Math.floor(r() * nameChars * 0.3)))))}`);
    out(`    cost: ${yearMap(columns, () => num({ integer: true }), false)}`);
    out(`    general_fund: ${yearMap(columns, () => num({ integer: true }), false)}`);
    const n = i === tallProject ? Math.max(0, tall.outcomes ?? 80) : Math.max(0, Math.min(LIMITS.outcomes, outcomes));
    out(n === 0 ? '    outcomes: []' : '    outcomes:');
    for (let j = 0; j < n; j++) {
      out(`      - name: ${q(label(r, Math.max(1, Math.floor(r() * nameChars) + 1)))}`);
      out(`        unit: ${q(pick1(r, UNITS))}`);
      out(`        values: ${yearMap(evaluated, measured)}`);
    }
    if (i === tallProject && (tall.chars ?? 0) > 0)
      out(`    remarks: ${q(prose(r, Math.min(LIMITS.prose, tall.chars)))}`);
    else if ((p.remarks ?? 40) > 0 && r() < 0.7)
      out(`    remarks: ${q(prose(r, 1 + Math.floor(r() * (p.remarks ?? 40))))}`);
  });
  return `${lines.join('\n')}\n`;
}

/** The stress sheets of issue 8 §3: each pushes one thing the form must hold to the format's limit (numbers only in extreme-numbers). */
export function stressSheets() {
  const max = LIMITS.prose;
  return [
    {
      name: 'long-prose',
      shape: {
        seed: 101,
        numbers: 'plain',
        prose: { reasons: max, situation: max, policy: max, item5: max, remarks: 400 },
        committee: 2,
      },
    },
    {
      name: 'fifteen-projects',
      shape: { seed: 102, numbers: 'plain', projects: Array(15).fill(5), nameChars: LIMITS.label },
    },
    {
      name: 'ten-year-plan',
      shape: {
        seed: 103,
        numbers: 'plain',
        planYears: 10,
        fiscalYearIndex: 9,
        referenceYears: 2,
        kpis: 6,
        projects: [3, 2, 5],
      },
    },
    { name: 'sixty-opinions', shape: { seed: 104, numbers: 'plain', committee: 60, committeeChars: 300 } },
    {
      name: 'extreme-numbers',
      shape: { seed: 105, numbers: 'extreme', planYears: 10, fiscalYearIndex: 9, kpis: 8, projects: Array(15).fill(5) },
    },
    { name: 'many-kpis', shape: { seed: 106, numbers: 'plain', kpis: 40, nameChars: 60 } },
    {
      name: 'no-prose',
      shape: {
        seed: 107,
        prose: { reasons: 0, situation: 0, policy: 0, remarks: 0 },
        kpis: 0,
        committee: 0,
        projects: [],
        relatedDivisions: 0,
        relatedPolicyProjects: 0,
      },
    },
  ].map((s) => ({ ...s, text: sheetFromShape(s.shape) }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] === '--stress') {
  const dir = process.argv[3] ?? 'stress-sheets';
  mkdirSync(dir, { recursive: true });
  for (const s of stressSheets()) writeFileSync(join(dir, `${s.name}.yaml`), s.text);
  console.log(`${stressSheets().length} stress sheets in ${dir}`);
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const count = Number(process.argv[2] ?? 300);
  const dir = process.argv[3] ?? 'generated-sheets';
  genSheets(count, dir);
  console.log(`${count} sheets in ${dir}`);
}
