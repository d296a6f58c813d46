// Generates N valid sheets for benchmarks and tests: the seed sheet (examples/asahi-2020-09.yaml)
// varied by a seeded generator — measure numbers 1..N, KPI and committee numbers unique across the
// set, figures changed so that the grades differ, ② written per indicator. Usable as a module (genSheets) or a script:
//   node scripts/gen-sheets.mjs 300 /tmp/sheets
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  const paragraphs = String(doc.get('reasons')).split(/\n+/u).filter(Boolean).map((p) => p.replace(/^(?:ＫＰＩ\d+)?【達成状況：[^】]*】+/u, ''));
  doc.set('reasons', doc.createNode({ goal: paragraphs[0], kpis: { [2 * i + 1]: paragraphs[1], [2 * i + 2]: paragraphs[2] } }));
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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const count = Number(process.argv[2] ?? 300);
  const dir = process.argv[3] ?? 'generated-sheets';
  genSheets(count, dir);
  console.log(`${count} sheets in ${dir}`);
}
