// Completion, hover and diagnostics as an editor shows them (issue 15): the real yaml-language-server
// from npm over stdio, on sheets written by `sheetgen init` and `sheetgen rollover` in a temporary
// folder outside the repository, found through the editor line sheetgen wrote into them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient } from './lsp.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sheetgen.js');
let dir: string;
let lsp: LspClient;

function sheetgen(args: string[]): void {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', LANG: 'C' },
  });
  expect(r.status, r.stderr).toBe(0);
}

type Hover = { contents: { kind: string; value: string } | string };
type CompletionItem = { label: string; documentation?: string | { value: string }; insertText?: string };
type Completion = { items: CompletionItem[] } | CompletionItem[];
const itemsOf = (c: Completion): CompletionItem[] => (Array.isArray(c) ? c : c.items);
const docOf = (i: CompletionItem): string =>
  typeof i.documentation === 'string' ? i.documentation : (i.documentation?.value ?? '');

let version = 1;
function open(file: string, text: string): string {
  const uri = pathToFileURL(file).toString();
  lsp.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: version++, text } });
  return uri;
}

/** 0-based line and the character after `needle` on it. */
function positionAfter(text: string, needle: string): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.trimStart().startsWith(needle));
  expect(line, needle).toBeGreaterThanOrEqual(0);
  return { line, character: lines[line]!.indexOf(needle) + needle.length };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sheetgen-editor-'));
  sheetgen(['init', join(dir, 'sheets', 'new.yaml'), '--year', '2021']);
  sheetgen(['rollover', join(root, 'examples'), '--to', '2021', '-o', join(dir, 'sheets', '2021')]);
  lsp = new LspClient();
  await lsp.request(
    'initialize',
    {
      processId: process.pid,
      rootUri: pathToFileURL(dir).toString(),
      capabilities: {
        workspace: { configuration: true },
        textDocument: {
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: {},
        },
      },
    },
    60_000,
  );
  lsp.notify('initialized', {});
  lsp.notify('workspace/didChangeConfiguration', {
    settings: { yaml: { validate: true, hover: true, completion: true } },
  });
}, 120_000);

afterAll(async () => {
  await lsp?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['written by init', 'sheets/new.yaml'],
  ['written by rollover', 'sheets/2021/asahi-2021-09.yaml'],
])('a sheet %s, outside the repository', (_, rel) => {
  it('hover on a key shows its Japanese title and description', { timeout: 60_000 }, async () => {
    const file = join(dir, rel);
    const text = readFileSync(file, 'utf8');
    const uri = open(file, text);
    const pos = positionAfter(text, 'lead_division');
    const h = await lsp.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: pos.line, character: pos.character - 3 },
    });
    const value = typeof h?.contents === 'string' ? h.contents : (h?.contents.value ?? '');
    expect(value).toContain('主管課');
    expect(value).toContain('主管する課');
  });

  it("completion offers 進捗状況's four values", { timeout: 60_000 }, async () => {
    const file = join(dir, rel);
    const text = readFileSync(file, 'utf8').replace(/^progress: .*$/m, 'progress: ');
    const uri = open(file.replace(/\.yaml$/, '-progress.yaml'), text);
    const pos = positionAfter(text, 'progress: ');
    const c = await lsp.request<Completion>('textDocument/completion', { textDocument: { uri }, position: pos });
    const labels = itemsOf(c).map((i) => i.label);
    for (const v of ['順調', '概ね順調', '停滞', '実施困難']) expect(labels).toContain(v);
  });

  it('completion of a key shows the Japanese field name', { timeout: 60_000 }, async () => {
    const file = join(dir, rel);
    const text = readFileSync(file, 'utf8').replace(/^lead_division: .*$/m, 'lead_');
    const uri = open(file.replace(/\.yaml$/, '-key.yaml'), text);
    const pos = positionAfter(text, 'lead_');
    const c = await lsp.request<Completion>('textDocument/completion', { textDocument: { uri }, position: pos });
    const item = itemsOf(c).find((i) => i.label === 'lead_division');
    expect(item, JSON.stringify(itemsOf(c).map((i) => i.label))).toBeDefined();
    expect(docOf(item!)).toContain('主管課');
  });

  it('a misspelt key gets a diagnostic', { timeout: 60_000 }, async () => {
    const file = join(dir, rel);
    const text = readFileSync(file, 'utf8').replace(/^lead_division:/m, 'lead_divison:');
    const uri = open(file.replace(/\.yaml$/, '-typo.yaml'), text);
    const line = text.split('\n').findIndex((l) => l.startsWith('lead_divison:'));
    const n = await lsp.waitFor((m) => {
      const p = m.params as
        | { uri?: string; diagnostics?: { range: { start: { line: number } }; message: string }[] }
        | undefined;
      return (
        m.method === 'textDocument/publishDiagnostics' &&
        p?.uri === uri &&
        (p.diagnostics ?? []).some((d) => d.range.start.line === line)
      );
    });
    const d = (n.params as { diagnostics: { range: { start: { line: number } }; message: string }[] }).diagnostics.find(
      (x) => x.range.start.line === line,
    )!;
    expect(d.message).toMatch(/lead_divison/);
  });
});
