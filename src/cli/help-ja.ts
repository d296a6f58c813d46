//! Commander's help and its own error texts in Japanese: the descriptions of every command, argument
//! and option, the section titles, and the usage errors (unknown option, missing argument, …).

import type { Command, Help } from 'commander';

/** Japanese descriptions, keyed by "command" (its description), "command <arg>" or "command --long". The root is "". */
export const JA_DESCRIPTIONS: Record<string, string> = {
  '': '重点施策マネジメントシート: YAML から、検証・評価して様式どおりの PDF を作ります',
  ' --version': 'バージョンを表示します',
  ' --lang': 'メッセージの言語（既定: OS の言語設定。日本語なら ja）',
  ' --no-color': 'メッセージに色を付けません',
  ' --help': '使い方を表示します',
  help: 'コマンドの使い方を表示します',
  validate: 'シートのファイルを形式と記入ルールに照らして検証し、問題をすべて「ファイル:行:桁」付きで表示します',
  'validate <files...>': 'シートの YAML ファイル',
  'validate --scheme': '評価の上書きを照合する評価方式（asahi、five-level、または JSON ファイル）',
  grade: '評価対象年度の各指標（数値目標と KPI）の達成状況を判定します',
  'grade <files...>': 'シートの YAML ファイル',
  'grade --json': '全シート・全指標を 1 つの JSON で出力します',
  'grade --scheme': '評価方式: asahi（既定）、five-level、または評価方式の JSON ファイル',
  build:
    'シート 1 枚、またはフォルダや glob のシート全部の PDF を作ります（並列処理。index.pdf、grades.csv、grades.json も作ります）',
  'build <inputs...>':
    'シートの YAML ファイル、フォルダ（中の *.yaml/*.yml をすべて）、または "sheets/**/*.yaml" のような glob',
  'build --output': '1 枚: PDF ファイルかフォルダ（既定: 入力と同じ場所）。複数: 出力先のフォルダ（必須）',
  'build --jobs': '複数シートを作るときの並列数（既定: CPU 数。1 ならスレッドを使いません）',
  'build --quiet': '進行状況・集計・警告を表示せず、エラーだけを表示します',
  'build --json': '全シートの結果（ファイル、出力、評価、警告、エラー）を 1 つの JSON で標準出力に出します',
  'build --font': '本文の TTF/OTF フォント（既定: 同梱の BIZ UDPゴシック）',
  'build --bold-font': '見出しの TTF/OTF フォント（既定: --font、または BIZ UDPゴシック Bold）',
  'build --scheme': '評価方式: asahi（既定）、five-level、または評価方式の JSON ファイル',
  rollover:
    '今年度のシートから次年度のシートを作ります（数値と構成は引き継ぎ、年度の文章は空にしてコメントに残します）',
  'rollover <inputs...>': '今年度のフォルダ、シートのファイル、または glob',
  'rollover --to': '次の年度（西暦。例: 2021）',
  'rollover --output': '新しいファイルを書き出すフォルダ（入力のフォルダ以外）',
  'rollover --force': '出力先にすでにあるファイルを置き換えます',
  init: '新しいシートのファイルを作ります（白紙のひな形、または既存のシートから）。各項目に日本語の説明コメント付き',
  'init [file]': '作るファイル（既定: sheet.yaml）。--vscode のときはフォルダ（既定: .）',
  'init --year': '白紙のひな形の評価対象年度（西暦。既定: 今の年度）',
  'init --from': '白紙のひな形の代わりに、このシートを元にします（内容はそのまま、説明のコメントを加えます）',
  'init --force': 'すでにあるファイルを置き換えます',
  'init --vscode': 'シートの代わりに、VS Code の補完設定（.vscode/settings.json の yaml.schemas）をフォルダに書きます',
  'init --config': 'シートの代わりに、市の既定値のファイル（sheetgen.config.yaml）をフォルダに書きます',
  preview: 'シートを保存するたびに作り直し、ブラウザで PDF を表示します',
  'preview <file>': 'シートの YAML ファイル',
  'preview --port': '127.0.0.1 で待ち受けるポート番号（既定: 空いているポート）',
  'preview --open': 'ページをブラウザで開きます（$BROWSER、なければ OS の既定のブラウザ）',
  'preview --font': '本文のフォント（TTF/OTF。既定: 同梱の BIZ UDPゴシック）',
  'preview --bold-font': '見出しのフォント（TTF/OTF。既定: --font、なければ BIZ UDPゴシック Bold）',
  'preview --scheme': '評価方式: asahi（既定）、five-level、または評価方式の JSON ファイル',
  export: 'PDF を作らずに、シートのオープンデータ（達成状況と、事業の事業費・成果指標）を CSV か JSON で書き出します',
  'export <inputs...>': 'シートのファイル、フォルダ（中の *.yaml すべて）、または glob',
  'export --format': 'csv（BOM 付き UTF-8・CRLF で Excel でそのまま開ける）または json',
  'export --out': 'grades と projects を書き出すフォルダ',
  'export --table': 'ファイルに書かず、表を一つ（grades か projects）画面（標準出力）に出します',
  'export --scheme': '評価方式: asahi（既定）、five-level、または評価方式の JSON ファイル',
  xlsx: '各課に配る Excel ブック: シートをブックに書き出し、記入済みのブックをシートの YAML に読み戻します',
  'xlsx export': 'シートごとに、様式どおりの Excel ブックを書き出します',
  'xlsx export <inputs...>': 'シートの YAML ファイル、フォルダ、または glob',
  'xlsx export --output': '書き出し先（フォルダ。シートが一つなら OUT.xlsx も可）',
  'xlsx export --scheme': 'ブックの達成状況の式が従う評価方式（既定: シートの指定、なければ asahi）',
  'xlsx export --force': 'すでにあるブックを置き換えます',
  'xlsx import': '記入済みのブックを、検査したシートの YAML ファイルとして読み戻します',
  'xlsx import <books...>': 'sheetgen xlsx export で作ったブック（.xlsx）',
  'xlsx import --output': 'YAML ファイルを書き出すフォルダ',
  'xlsx import --force': 'すでにある YAML ファイルを置き換えます',
};

const TITLES: Record<string, string> = {
  'Usage:': '使い方:',
  'Arguments:': '引数:',
  'Options:': 'オプション:',
  'Commands:': 'コマンド:',
  'Global Options:': '共通オプション:',
};

/** The key of a command's entry: "" for the root, else the command's name. */
function commandKey(cmd: Command): string {
  if (!cmd.parent) return '';
  // A sub-command is named with its parent (xlsx export), so it never takes a top-level command's entry.
  return cmd.parent.parent ? `${commandKey(cmd.parent)} ${cmd.name()}` : cmd.name();
}

/** Puts the Japanese descriptions on a program and all its commands (those that have one). */
export function applyJapanese(program: Command): void {
  const visit = (cmd: Command): void => {
    const key = commandKey(cmd);
    const d = JA_DESCRIPTIONS[key];
    if (d !== undefined && key !== '') cmd.description(d);
    else if (key === '') cmd.description(JA_DESCRIPTIONS['']!);
    for (const arg of cmd.registeredArguments) {
      const a = JA_DESCRIPTIONS[`${key} ${humanArg(arg.name(), arg.required, arg.variadic)}`];
      if (a !== undefined) arg.description = a;
    }
    for (const opt of cmd.options) {
      const name = opt.long ?? opt.short ?? '';
      const o = JA_DESCRIPTIONS[`${key} ${name}`];
      if (o !== undefined) opt.description = o;
    }
    cmd.helpOption('-h, --help', JA_DESCRIPTIONS[' --help']);
    for (const sub of cmd.commands) visit(sub);
  };
  visit(program);
}

function humanArg(name: string, required: boolean, variadic: boolean): string {
  const inner = `${name}${variadic ? '...' : ''}`;
  return required ? `<${inner}>` : `[${inner}]`;
}

/** Columns a character takes in a terminal: 2 for East Asian wide and full-width characters. */
function charWidth(c: string): number {
  const cp = c.codePointAt(0) ?? 0;
  return (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd) ||
    (cp >= 0x2460 && cp <= 0x24ff)
    ? 2
    : 1;
}

export function displayWidth(s: string): number {
  // eslint-disable-next-line no-control-regex -- colour codes take no columns
  let w = 0;
  for (const c of s.replace(/\u001b\[[0-9;]*m/g, '')) w += charWidth(c);
  return w;
}

/** Characters a line may not start with (Japanese line-breaking rules, the common ones). */
const NO_START = /^[、。，．）」』】〕・：；？！ー]/;

/** Wraps text to `width` columns: Japanese may break between any two characters, ASCII words stay whole. */
export function wrapJa(str: string, width: number): string {
  if (width < 40) return str;
  const out: string[] = [];
  for (const line of str.split(/\r?\n/)) {
    let cur = '';
    let w = 0;
    for (const tok of line.match(/[\x21-\x7e]+|\s+|./gu) ?? []) {
      const tw = displayWidth(tok);
      if (w + tw > width && cur.trim() !== '' && !NO_START.test(tok)) {
        out.push(cur.trimEnd());
        cur = tok.trimStart();
        w = displayWidth(cur);
      } else {
        cur += tok;
        w += tw;
      }
    }
    out.push(cur);
  }
  return out.join('\n');
}

/** Help configuration for Japanese: section titles, and "(default: …)" / "(choices: …)" in Japanese. */
export function japaneseHelp(): Partial<Help> {
  return {
    styleTitle: (s: string) => TITLES[s] ?? s,
    displayWidth,
    boxWrap: wrapJa,
    optionDescription(option) {
      const extra: string[] = [];
      if (option.argChoices) extra.push(`選択肢: ${option.argChoices.join(', ')}`);
      if (option.defaultValue !== undefined && option.defaultValue !== false && !option.negate)
        extra.push(`既定: ${String(option.defaultValue)}`);
      return extra.length > 0 ? `${option.description}（${extra.join('、')}）` : option.description;
    },
  };
}

/** The "Example:" headings of the commands' extra help text. */
export function translateHelpText(s: string): string {
  return s.replace(/^Examples?:$/gm, '例:');
}

/** Commander's own usage errors, in Japanese. Unknown shapes keep their text after "エラー:". */
export function translateCommanderError(s: string): string {
  const rules: [RegExp, (...m: string[]) => string][] = [
    [
      /^error: unknown option '([^']*)'(?:\n\(Did you mean (.*)\?\))?/,
      (_, o, d) => `エラー: オプション「${o}」はありません${d ? `（${d} の誤りではありませんか？）` : ''}`,
    ],
    [
      /^error: unknown command '([^']*)'(?:\n\(Did you mean (.*)\?\))?/,
      (_, c, d) => `エラー: コマンド「${c}」はありません${d ? `（${d} の誤りではありませんか？）` : ''}`,
    ],
    [/^error: missing required argument '([^']*)'/, (_, a) => `エラー: 引数 ${a} を指定してください`],
    [/^error: option '([^']*)' argument missing/, (_, o) => `エラー: オプション ${o} に値を指定してください`],
    [/^error: required option '([^']*)' not specified/, (_, o) => `エラー: オプション ${o} は必須です`],
    [
      /^error: option '([^']*)' argument '([^']*)' is invalid\. Allowed choices are (.*)\./,
      (_, o, v, c) => `エラー: オプション ${o} に「${v}」は指定できません。指定できるのは ${c} です`,
    ],
    [
      /^error: too many arguments(?: for '([^']*)')?\. Expected (\d+) arguments? but got (\d+)\./,
      (_, c, e, g) => `エラー: 引数が多すぎます${c ? `（${c}）` : ''}。${e} 個のところ ${g} 個あります`,
    ],
    [/^error: (.*) cannot be used with (.*)/, (_, a, b) => `エラー: ${a} と ${b} は同時に指定できません`],
    [/^error: /, () => 'エラー: '],
  ];
  for (const [re, f] of rules) {
    const m = re.exec(s);
    if (m) return s.replace(re, f(...(m as unknown as string[])));
  }
  return s;
}
