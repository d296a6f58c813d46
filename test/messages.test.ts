// Every message exists in both languages with the same placeholders.
import { describe, expect, it } from 'vitest';
import { t, tables } from '../src/messages.js';

const table = (name: 'en' | 'ja'): Map<string, string> => new Map(Object.entries(tables[name]));

describe('messages', () => {
  const en = table('en');
  const ja = table('ja');
  it('has the same keys in English and Japanese', () => {
    expect(en.size).toBeGreaterThan(50);
    expect([...ja.keys()].sort()).toEqual([...en.keys()].sort());
  });
  it('uses the same placeholders in both languages', () => {
    const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    // The yaml parser's English text ({detail}) may follow an English message, never a Japanese one.
    const noDetail = (xs: (string | undefined)[], k: string) =>
      k.startsWith('yaml') ? xs.filter((x) => x !== 'detail') : xs;
    for (const [k, v] of en) expect(ph(ja.get(k) ?? ''), k).toEqual(noDetail(ph(v), k));
  });
  it('embeds no English parser text in a Japanese message', () => {
    for (const [k, v] of ja) if (k.startsWith('yaml')) expect(v, k).not.toContain('{detail}');
  });
  it('fills placeholders', () => {
    expect(t('en', 'noSuchFile', { file: 'a.yaml' })).toBe('No such file: a.yaml');
    expect(t('ja', 'noSuchFile', { file: 'a.yaml' })).toBe('ファイルがありません: a.yaml');
  });
});
