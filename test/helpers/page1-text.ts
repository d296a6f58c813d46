//! Texts at the format's limits for the page-1 layout tests (test/layout/page1-*.test.ts).

/** `s` repeated and cut to exactly `n` characters. */
export const repeatTo = (s: string, n: number): string => s.repeat(Math.ceil(n / s.length)).slice(0, n);

/** A 数値目標 of the longest name the format allows (200 characters) and a long note. */
export const GOAL_NAME = repeatTo('市内の事業所と連携した移住・定住促進に関する相談窓口の利用者数及び満足度（', 200);
export const GOAL_NOTE = repeatTo('生涯活躍のまち形成事業による効果を含む', 200);

/** Prose longer than page 1 holds even at 6 pt: (2) needs all the room it is given, and continues on 別紙. */
export const long = (tag: string): string =>
  Array.from(
    { length: 20 },
    (_, i) =>
      `${tag}${i + 1}：多世代交流施設の開設に向け、施設運営の指定管理委託に関する準備や設置管理条例の制定等を行った。`,
  ).join('');

/** A title of the longest length the format allows, for every cell of the header row. */
export const TITLE = repeatTo('課題がある・ICT・関係人口の創出を多世代交流施設前年度実績を上回る', 200);
