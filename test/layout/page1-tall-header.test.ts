// Page 1 at the format's edges: a header row of 200-character titles in every cell and a first band of
// （１） so tall (a 200-character 数値目標 name with a 200-character note, in a name column narrowed by a
// 10-year plan with 3 参考 years and numbers of 13 digits) that （２）'s headings alone do not fit in
// what is left. Before, （２） ran into （３） (its last row over （３）'s heading by 2.3 pt).

import { describe, expect, it } from 'vitest';
import { loadFonts } from '../../src/render/fonts.js';
import {
  buildSheet,
  checkLayout,
  checkSheet,
  expectNoLoss,
  findInOrder,
  formatViolations,
  gradeText,
  readPdf,
} from '../helpers/invariants.js';
import { GOAL_NAME, GOAL_NOTE, long, TITLE } from '../helpers/page1-text.js';

const fonts = loadFonts();
/**
 * A sheet with 200-character titles in every cell of the header row and a 数値目標 of 200-character
 * name and a note (200 characters unless told). `wide`: a 10-year plan (令和2〜11年度) with 3 参考
 * years and numbers of 13 digits, so that (1) prints in three bands and its name column is at its
 * narrowest; else a 5-year plan with numbers of a few digits (one band).
 */
function sheet(wide: boolean, noteChars = 200): string {
  const from = 2020;
  const to = wide ? 2029 : 2024;
  const fy = wide ? 2025 : 2022;
  const refs = wide ? [2017, 2018, 2019] : [2019];
  const years = Array.from({ length: fy - refs[0]! + 1 }, (_, i) => refs[0]! + i);
  const big = (i: number) => (wide ? `-99999999999${i % 10}.9` : `${90 + i}.5`);
  const value = wide ? '999999999999.9' : '120';
  const money = Array.from(
    { length: to - refs[0]! + 1 },
    (_, i) => `${refs[0]! + i}: ${wide ? `-99999999999${i % 10}` : 8636 + i}`,
  ).join(', ');
  return `version: 1
municipality: 旭市
fiscal_year: ${fy}
stage: 事後・決算
as_of: null
plan_period: { from: ${from}, to: ${to} }
reference_years: [${refs.join(', ')}]
basic_goal: 2
measure: { number: 9, title: "${TITLE}" }
lead_division: "${TITLE}"
team: "${TITLE}"
related_divisions: ["${TITLE}", "${TITLE}"]
goal:
  name: "${GOAL_NAME}"
  note: "${GOAL_NOTE.slice(0, noteChars)}"
  unit: 人／日
  better: higher
  baseline: { value: -${value}, year: ${refs[0]}, note: "（市民参画による集計）" }
  target: { value: ${value}, year: ${to - 2} }
  actuals: { ${years.map((y, i) => `${y}: ${big(i)}`).join(', ')} }
kpis:
  - number: 16
    name: "${GOAL_NAME}"
    unit: 件
    baseline: { value: -${value}, year: ${refs[0]}, note: "（市民参画による集計）" }
    target: { value: ${value}, year: ${to - 2} }
    actuals: { 2019: 85, 2020: 114, 2021: 120, ${fy}: 130 }
progress: 概ね順調
reasons: |
  数値目標は上昇した。

  ＫＰＩ16の移住相談件数は、専用サイトの開設により前年度実績を上回ることができた。
situation: |
  【現状】
  ${long('現状')}
policy: |
  ${long('方針')}
committee:
  - number: 35
    opinion: ${long('意見')}
    response: ${long('回答')}
projects:
  - number: 1
    main: true
    code: "3670"
    name: 生涯活躍のまち形成事業
    cost: { ${money} }
    general_fund: { ${money} }
    outcomes:
      - { name: 移住相談件数, unit: 件, values: { 2019: 85, 2020: 114 } }
`;
}
const TALL = sheet(true);
/** The same with a note of 80 characters: the header row shrunk (its columns shared anew) leaves (2) its least room. */
const TALL_MID = sheet(true, 80);

const flat = (s: string) => s.replace(/\s+/gu, '');
const overlaps = (pages: Parameters<typeof checkLayout>[0]) =>
  checkLayout(pages, fonts, { requireCells: true }).filter(
    (x) => x.kind === 'overlap' || x.kind === 'outside-page' || x.kind === 'outside-cell',
  );

describe('page 1 under a header row and a first band of (1) at the format’s limits', () => {
  it('moves (2) whole to 別紙 when not even its headings fit: page 1 says 別紙のとおり, nothing overlaps or is lost', async () => {
    const graded = gradeText('tall.yaml', TALL);
    const built = await buildSheet(graded, fonts);
    expect(built.errors).toEqual([]);
    const p1 = overlaps(built.pages.slice(0, 1));
    expect(p1, formatViolations(p1, 10)).toEqual([]);
    expectNoLoss(checkSheet(graded, built.pages, built.pdf, fonts, { requireCells: true }));

    const doc = readPdf(built.pdf);
    const page1 = doc.flat.slice(0, doc.pageOf.indexOf(2));
    // Page 1 keeps (2)'s heading and place, between (1) and (3), with 別紙のとおり and its reference.
    const at2 = page1.indexOf(flat('（２）重点施策に関する検証'));
    const at3 = page1.indexOf(flat('（３）当該重点施策に関連する事業について'));
    expect(at2).toBeGreaterThan(page1.indexOf(flat('（１）施策の目標指標、KPI')));
    expect(at3).toBeGreaterThan(at2);
    const m = /^検証内容別紙のとおり（別紙(\d+)に続く）$/u.exec(
      page1.slice(at2 + flat('（２）重点施策に関する検証').length, at3),
    );
    expect(m, page1.slice(at2, at3)).not.toBeNull();
    // (2) stands whole on that 別紙 page, as on the form: ① progress, ②〜⑥, then the committee.
    const annexNo = Number(m![1]);
    const head = doc.flat.indexOf(flat('（２）重点施策に関する検証'), doc.pageOf.indexOf(3));
    expect(head).toBeGreaterThan(0);
    expect(doc.pageOf[head]).toBe(annexNo + 2);
    const s = graded.sheet;
    let pos = head;
    for (const text of [
      '① 施策の進捗状況',
      '概ね順調',
      s.situation,
      s.policy,
      s.committee[0]!.opinion,
      s.committee[0]!.response,
    ]) {
      const f = findInOrder(doc, flat(text), pos);
      expect(f.matched, text.slice(0, 20)).toBe(flat(text).length);
      expect(f.pages[0]).toBeGreaterThanOrEqual(annexNo + 2);
      pos = f.start + 1;
    }
    // Each 別紙 heading stands on the page of its table's first rows, not alone at the foot of the page before.
    expect(doc.pageOf[doc.flat.indexOf(flat('① 施策の進捗状況'), head)]).toBe(doc.pageOf[head]);
    const committee = doc.flat.indexOf(flat('（２）推進委員会からの意見'), head);
    expect(committee).toBeGreaterThan(head);
    expect(doc.pageOf[doc.flat.indexOf(flat('推進委員会からの意見（要旨）'), committee)]).toBe(doc.pageOf[committee]);
    // The user is told what moved, and why; the header row shrank first.
    const moved = built.warnings.find((w) => w.code === 'layout.section-to-annex');
    expect(moved?.path).toEqual(['progress']);
    expect(built.warnings.some((w) => w.code === 'layout.shrink' && /表題欄|header/u.test(w.message))).toBe(true);
  });

  it('shrinks the header row first: (2) keeps its rows on page 1 when that is enough', async () => {
    const graded = gradeText('tall-mid.yaml', TALL_MID);
    const built = await buildSheet(graded, fonts);
    expect(built.errors).toEqual([]);
    const p1 = overlaps(built.pages.slice(0, 1));
    expect(p1, formatViolations(p1, 10)).toEqual([]);
    expectNoLoss(checkSheet(graded, built.pages, built.pdf, fonts, { requireCells: true }));
    expect(built.warnings.some((w) => w.code === 'layout.section-to-annex')).toBe(false);
    const shrink = built.warnings.find((w) => w.code === 'layout.shrink' && /表題欄|header/u.test(w.message));
    expect(shrink?.message).toMatch(/8pt から [67](\.5)?pt|instead of 8 pt/u);
    const doc = readPdf(built.pdf);
    const page1 = doc.flat.slice(0, doc.pageOf.indexOf(2));
    // (2)'s rows are on page 1, each with its heading (their text continues on 別紙), (3) after them.
    let from = 0;
    for (const h of ['① 施策の進捗状況', '③現状と課題', '推進委員会からの意見（要旨）', '（３）当該重点施策']) {
      const at = page1.indexOf(flat(h), from);
      expect(at, h).toBeGreaterThan(from);
      from = at;
    }
  });
});
