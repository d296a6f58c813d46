// The message language from the environment (Windows, where LANG is unset, included), --help and
// commander's own errors in Japanese, and `sheetgen … | head` ending quietly.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 60_000 });
import { langFromEnv } from '../../src/diagnostics.js';
import { program } from '../../src/cli/main.js';
import { JA_DESCRIPTIONS, displayWidth, translateCommanderError, wrapJa } from '../../src/cli/help-ja.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sheetgen.js');

function run(args: string[], env: Record<string, string> = {}, shell?: string) {
  const r = shell
    ? spawnSync('/bin/sh', ['-c', shell], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? '', ...env },
      })
    : spawnSync(process.execPath, [bin, ...args], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? '', ...env },
      });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('langFromEnv', () => {
  const intl = (l: string) => () => l;
  it('follows LC_ALL, then LC_MESSAGES, then LANG', () => {
    expect(langFromEnv({ LC_ALL: 'ja_JP.UTF-8', LANG: 'en_US.UTF-8' }, intl('en-US'))).toBe('ja');
    expect(langFromEnv({ LC_ALL: 'C', LANG: 'ja_JP.UTF-8' }, intl('ja-JP'))).toBe('en');
    expect(langFromEnv({ LC_MESSAGES: 'ja_JP', LANG: 'C' }, intl('en'))).toBe('ja');
    expect(langFromEnv({ LANG: 'en_GB.UTF-8' }, intl('ja-JP'))).toBe('en');
  });
  it('uses the locale Node reports when none is set (Windows)', () => {
    expect(langFromEnv({}, intl('ja-JP'))).toBe('ja');
    expect(langFromEnv({}, intl('ja'))).toBe('ja');
    expect(langFromEnv({ LANG: '' }, intl('ja-JP'))).toBe('ja');
    expect(langFromEnv({}, intl('en-US'))).toBe('en');
    expect(langFromEnv({}, intl('jam'))).toBe('en');
  });
});

describe('help in Japanese', () => {
  it('has a Japanese description for every command, argument and option', () => {
    const p = program('ja');
    const missing: string[] = [];
    const visit = (c: ReturnType<typeof program>, key: string) => {
      if (!JAPANESE.test(c.description())) missing.push(`${key} (description)`);
      for (const a of c.registeredArguments) if (!JAPANESE.test(a.description)) missing.push(`${key} ${a.name()}`);
      for (const o of c.options) if (!JAPANESE.test(o.description)) missing.push(`${key} ${o.long ?? o.short}`);
      for (const s of c.commands) visit(s as ReturnType<typeof program>, key ? `${key} ${s.name()}` : s.name());
    };
    visit(p, '');
    expect(missing).toEqual([]);
    expect(Object.keys(JA_DESCRIPTIONS).length).toBeGreaterThan(30);
  });

  it.each(['--help', 'validate --help', 'build --help', 'rollover --help', 'init --help'])(
    'sheetgen %s: Japanese with LANG=ja_JP, English with --lang en',
    (line) => {
      const args = line.split(' ');
      const ja = run(args, { LANG: 'ja_JP.UTF-8' });
      expect(ja.code).toBe(0);
      expect(ja.stdout).toContain('使い方:');
      expect(ja.stdout).toContain('オプション:');
      expect(ja.stdout).toContain('使い方を表示します');
      expect(ja.stdout).not.toMatch(/^(Usage|Options|Arguments|Commands):/m);
      expect(ja.stdout).not.toContain('display help');
      const en = run(['--lang', 'en', ...args], { LANG: 'ja_JP.UTF-8' });
      expect(en.stdout).toContain('Usage:');
      expect(en.stdout).toContain('display help for command');
      const jaFlag = run(['--lang', 'ja', ...args], { LANG: 'C' });
      expect(jaFlag.stdout).toBe(ja.stdout);
    },
  );

  it("commander's own errors in Japanese, exit 2", () => {
    const unknown = run(['validate', '--bogus', 'x.yaml'], { LANG: 'ja_JP.UTF-8' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('エラー: オプション「--bogus」はありません');
    expect(unknown.stderr).not.toContain('unknown option');
    const missing = run(['rollover', 'x'], { LANG: 'ja_JP.UTF-8' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('エラー: オプション --to <year> は必須です');
    const cmd = run(['valdate'], { LANG: 'ja_JP.UTF-8' });
    expect(cmd.stderr).toContain('コマンド「valdate」はありません（validate の誤りではありませんか？）');
    const choice = run(['--lang', 'fr', 'validate', 'x'], { LANG: 'ja_JP.UTF-8' });
    expect(choice.code).toBe(2);
    expect(choice.stderr).toContain('指定できるのは ja, en です');
  });

  it('translates each shape of commander error', () => {
    expect(translateCommanderError("error: missing required argument 'files'")).toBe(
      'エラー: 引数 files を指定してください',
    );
    expect(translateCommanderError("error: option '--to <year>' argument missing")).toBe(
      'エラー: オプション --to <year> に値を指定してください',
    );
    expect(translateCommanderError("error: too many arguments for 'init'. Expected 1 argument but got 2.")).toBe(
      'エラー: 引数が多すぎます（init）。1 個のところ 2 個あります',
    );
  });

  it('wraps Japanese by display width', () => {
    expect(displayWidth('日本a')).toBe(5);
    const text = 'シートのファイルを形式と記入ルールに照らして検証し、問題をすべて「ファイル:行:桁」付きで表示します';
    const wrapped = wrapJa(text, 40).split('\n');
    for (const l of wrapped) expect(displayWidth(l)).toBeLessThanOrEqual(42);
    expect(wrapped.join('')).toBe(text);
    for (const l of wrapped.slice(1)) expect(l).not.toMatch(/^[、。）」]/);
  });
});

describe('a closed pipe', () => {
  it('`sheetgen … | head -1` exits quietly', () => {
    const r = run(
      [],
      { LANG: 'ja_JP.UTF-8' },
      `node bin/sheetgen.js --help | head -1; node bin/sheetgen.js grade examples/asahi-2020-09.yaml examples/asahi-2020-03.yaml examples/asahi-2020-05.yaml | head -1`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('使い方: sheetgen [options] [command]');
  });
});
