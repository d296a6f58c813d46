// The repository's own documentation: every field of the schema is in the format reference and in the
// user guide, and nothing points outside the repository.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 60_000 });
import schema from '../../schemas/sheet.schema.json' with { type: 'json' };

const root = join(import.meta.dirname, '..', '..');
const read = (f: string) => readFileSync(join(root, f), 'utf8');

type S = { $ref?: string; properties?: Record<string, S | boolean>; items?: S; anyOf?: S[]; type?: unknown };
const defs = schema.definitions as unknown as Record<string, S>;
const deref = (s: S | undefined): S | undefined => {
  let c = s;
  for (let i = 0; i < 10 && c?.$ref; i++) c = defs[c.$ref.replace('#/definitions/', '')];
  return c;
};

/** Every field name of the format, with its path (goal.baseline.value, projects[].outcomes[].name). */
function fields(s: S, prefix = ''): string[] {
  const d = deref(s);
  const props = d?.properties ?? d?.anyOf?.map(deref).find((b) => b?.properties)?.properties;
  if (!props) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(props)) {
    if (v === true || v === false) continue;
    const path = prefix ? `${prefix}.${k}` : k;
    out.push(path);
    const dv = deref(v);
    out.push(...(dv?.type === 'array' && dv.items ? fields(dv.items, `${path}[]`) : fields(v, path)));
  }
  return out;
}

describe('docs', () => {
  const all = fields(schema as unknown as S);
  it('the format reference lists every field with its path', () => {
    expect(all.length).toBeGreaterThan(60);
    const format = read('docs/format.md');
    for (const f of all) expect(format, f).toContain(`| \`${f}\` |`);
  });
  it('the user guide shows every field name in an example', () => {
    const guide = read('docs/guide.md');
    const names = new Set(all.map((f) => f.split('.').pop()!.replace('[]', '')));
    for (const n of names) expect(guide, n).toMatch(new RegExp(`(^|[\\s{,])${n}:`, 'm'));
  });
  it('nothing in the docs, README or examples points outside the repository', () => {
    const files = [
      'README.md',
      ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`),
      ...readdirSync(join(root, 'examples'))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => `examples/${f}`),
    ];
    for (const f of files) {
      const text = read(f);
      expect(text, f).not.toMatch(/\.\.\/shared|\/work\/shared|SHEET\.md/);
    }
    expect(read('README.md')).toContain('docs/guide.md');
    expect(read('README.md').slice(0, 400)).toMatch(/[\u3040-\u30ff]/);
  });
});
