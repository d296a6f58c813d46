//! A new sheet file to start from: a blank template or a copy of an existing sheet, every field with a
//! Japanese comment taken from the schema, the editor line that turns on completion, checked before it is
//! written, never written over an existing file without force; and the VS Code setting for a folder.

import { lstat, mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseDocument, Document, type Node } from 'yaml';
import schema from '../../schemas/sheet.schema.json' with { type: 'json' };
import { EXIT, SheetgenError, hasErrors, type Diagnostic, type Lang } from '../diagnostics.js';
import { t } from '../messages.js';
import { CONFIG_NAME, configTemplate } from './config.js';
import { loadSheet, loadSheetText } from './load.js';
import { modelineFor, schemaRefFor, withModeline } from './modeline.js';
import { renameIntoPlace } from './write.js';

type SchemaNode = {
  title?: string;
  description?: string;
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
};

function deref(s: SchemaNode | undefined): SchemaNode | undefined {
  let cur = s;
  for (let i = 0; i < 10 && cur?.$ref; i++) {
    const name = cur.$ref.replace('#/definitions/', '');
    cur = (schema.definitions as Record<string, SchemaNode>)[name];
  }
  return cur;
}

/** The object schema a value of this schema may be (following $ref and the object branch of anyOf). */
function objectSchema(s: SchemaNode | undefined): SchemaNode | undefined {
  const d = deref(s);
  if (!d) return undefined;
  if (d.properties) return d;
  for (const b of d.anyOf ?? []) {
    const o = objectSchema(b);
    if (o) return o;
  }
  return undefined;
}

/** One comment line for a field: its title and its description's first sentence. */
function fieldComment(prop: SchemaNode): string | undefined {
  const title = prop.title ?? deref(prop)?.title;
  const description = prop.description ?? deref(prop)?.description;
  if (!title) return undefined;
  const first = description ? (/^[^。]*。?/.exec(description)?.[0] ?? description) : '';
  return first ? ` ${title} — ${first}` : ` ${title}`;
}

/** Adds the schema's Japanese comment above every field of a block mapping (nested too) that has none. */
export function annotate(node: unknown, s: SchemaNode | undefined): void {
  if (isSeq(node)) {
    const item = deref(s)?.items;
    for (const n of node.items) annotate(n, item);
    return;
  }
  const os = objectSchema(s);
  if (!isMap(node) || !os?.properties) return;
  for (const pair of node.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const prop = os.properties[String(pair.key.value)];
    if (!prop) continue;
    const key = pair.key as Node;
    const c = node.flow ? undefined : fieldComment(prop);
    if (c && !key.commentBefore) key.commentBefore = c;
    annotate(pair.value, prop);
  }
}

/** The fiscal year (April to March) of a date. */
export function fiscalYearOf(d: Date): number {
  return d.getMonth() >= 3 ? d.getFullYear() : d.getFullYear() - 1;
}

export interface TemplateDefaults {
  municipality?: string;
  stage?: string;
  grading?: string;
  fiscalYear?: number;
}

/** The blank sheet's data: every field present, placeholders that validate and that a clerk replaces. */
export function blankSheet(d: TemplateDefaults = {}): Record<string, unknown> {
  const fy = d.fiscalYear ?? fiscalYearOf(new Date());
  return {
    version: 1,
    municipality: d.municipality ?? '〇〇市',
    fiscal_year: fy,
    stage: d.stage ?? '事後・決算',
    as_of: null,
    plan_period: { from: fy, to: fy + 4 },
    reference_years: [fy - 1],
    basic_goal: 1,
    measure: { number: 1, title: '重点施策の名称' },
    lead_division: '〇〇課',
    team: null,
    related_divisions: [],
    ...(d.grading ? { grading: d.grading } : {}),
    goal: {
      name: '目標指標の名称',
      unit: '人',
      better: 'higher',
      baseline: { value: 0, year: fy - 1 },
      target: { value: 100 },
      actuals: { [fy - 1]: null, [fy]: null },
    },
    kpis: [
      {
        number: 1,
        name: 'KPIの名称',
        unit: '件',
        better: 'higher',
        baseline: 0,
        target: 100,
        actuals: { [fy - 1]: null, [fy]: null },
      },
    ],
    progress: '順調',
    reasons: '',
    situation: '',
    policy: '',
    related_policy_projects: [],
    committee: [],
    projects: [
      {
        number: 1,
        main: true,
        code: '0000',
        name: '事務事業名',
        cost: { [fy - 1]: 0, [fy]: 0 },
        general_fund: { [fy - 1]: 0, [fy]: 0 },
        outcomes: [{ name: '成果指標の名称', unit: '件', values: { [fy - 1]: null, [fy]: null } }],
        remarks: '',
      },
    ],
  };
}

/** The text of a blank sheet written into `folder`. */
export function blankText(folder: string, d: TemplateDefaults = {}): string {
  const doc = new Document(blankSheet(d));
  // Empty lists as [], the rest in block style (so every field can carry its comment).
  const flowEmpty = (n: unknown): void => {
    if (isSeq(n)) {
      if (n.items.length === 0) n.flow = true;
      n.items.forEach(flowEmpty);
    } else if (isMap(n)) for (const p of n.items) flowEmpty(p.value);
  };
  flowEmpty(doc.contents);
  // Prose fields as "" (an empty plain scalar would read as null).
  for (const k of ['reasons', 'situation', 'policy']) {
    const n = doc.get(k, true);
    if (isScalar(n)) n.type = 'QUOTE_DOUBLE';
  }
  annotate(doc.contents, schema as SchemaNode);
  doc.commentBefore = ` ${schema.title}\n 「〇〇」や 0 の所を書き換えてください。値のない実績は null（印刷では「-」）。`;
  return `${modelineFor(schemaRefFor(folder))}\n${doc.toString({ lineWidth: 0 })}`;
}

/** The text of a new sheet made from an existing one's text: comments added where a field has none, the modeline for `folder`. */
export function fromText(text: string, folder: string): string {
  const doc = parseDocument(text, { version: '1.2' });
  annotate(doc.contents, schema as SchemaNode);
  return withModeline(doc.toString({ lineWidth: 0 }), schemaRefFor(folder));
}

export interface InitOptions {
  lang: Lang;
  out: string;
  from?: string;
  force?: boolean;
  defaults?: TemplateDefaults;
}

export interface InitResult {
  file: string;
  text: string;
  diagnostics: Diagnostic[];
}

/** Refuses a target that exists (unless force), or that is a folder or a link. */
async function checkTarget(target: string, force: boolean | undefined, lang: Lang): Promise<void> {
  const existing = await lstat(target).catch(() => undefined);
  if (!existing) return;
  if (existing.isDirectory())
    throw new SheetgenError(t(lang, 'outIsDirectory', { file: target }), { exitCode: EXIT.usage });
  if (existing.isSymbolicLink())
    throw new SheetgenError(t(lang, 'outIsSymlink', { file: target }), { exitCode: EXIT.usage });
  if (!force) throw new SheetgenError(t(lang, 'initExists', { file: target }), { exitCode: EXIT.usage });
}

async function writeText(target: string, text: string, lang: Lang): Promise<void> {
  const abs = resolve(target);
  await mkdir(dirname(abs), { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new SheetgenError(t(lang, 'cannotWrite', { file: target, reason: e.code ?? e.message }), {
      exitCode: EXIT.invalid,
    });
  });
  await renameIntoPlace(abs, new TextEncoder().encode(text), target, lang);
}

/** Writes a new sheet (blank or from another); it must validate as written, else nothing is written. */
export async function initSheet(opts: InitOptions): Promise<InitResult> {
  const { lang, out } = opts;
  const folder = dirname(resolve(out));
  if (opts.from !== undefined && resolve(opts.from) === resolve(out))
    throw new SheetgenError(t(lang, 'outIsInput', { file: out }), { exitCode: EXIT.usage });
  await checkTarget(out, opts.force, lang);
  let text: string;
  if (opts.from !== undefined) {
    const src = await loadSheet(opts.from, lang);
    if (!src.text || hasErrors(src.diagnostics)) {
      return {
        file: opts.from,
        text: src.text ?? '',
        diagnostics: [
          {
            severity: 'error',
            code: 'init.source',
            file: opts.from,
            message: t(lang, 'initSourceInvalid', { file: opts.from }),
          },
          ...src.diagnostics,
        ],
      };
    }
    text = fromText(src.text, folder);
  } else {
    text = blankText(folder, opts.defaults);
  }
  const check = loadSheetText(out, text, lang);
  if (hasErrors(check.diagnostics)) return { file: out, text, diagnostics: check.diagnostics };
  await writeText(out, text, lang);
  return { file: out, text, diagnostics: [] };
}

/** Writes FOLDER/sheetgen.config.yaml (the city's defaults), never over an existing one without force. */
export async function writeConfigFile(opts: { lang: Lang; folder: string; force?: boolean }): Promise<string> {
  const file = join(opts.folder, CONFIG_NAME);
  await checkTarget(file, opts.force, opts.lang);
  await writeText(file, configTemplate(schemaRefFor(opts.folder, undefined, 'config.schema.json')), opts.lang);
  return file;
}

/** The glob of sheets, relative to a workspace folder, for the yaml.schemas setting. */
export interface VscodeOptions {
  lang: Lang;
  /** The workspace folder (where .vscode/ goes). */
  folder: string;
  /** Sheets' glob relative to the folder (default: every .yaml below it). */
  glob?: string;
}

/**
 * Writes (or merges into) FOLDER/.vscode/settings.json a yaml.schemas entry mapping the sheets' glob
 * to sheetgen's schema. Other settings are kept; a settings.json that is not JSON is refused (not
 * replaced): VS Code allows comments in it, which JSON.parse does not, so those are refused too.
 */
export async function writeVscodeSettings(opts: VscodeOptions): Promise<{ file: string; ref: string }> {
  const { lang } = opts;
  const dir = join(opts.folder, '.vscode');
  const file = join(dir, 'settings.json');
  // VS Code resolves a relative yaml.schemas key from the workspace folder, not from .vscode/.
  const fromFolder = schemaRefFor(opts.folder);
  const key = /^([A-Za-z]:)?\//.test(fromFolder) ? fromFolder : `./${fromFolder}`;
  let settings: Record<string, unknown> = {};
  const existing = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? undefined : Promise.reject(e),
  );
  if (existing !== undefined && existing.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(existing);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      settings = parsed as Record<string, unknown>;
    } catch {
      throw new SheetgenError(t(lang, 'vscodeSettingsInvalid', { file }), { exitCode: EXIT.usage });
    }
  }
  const schemas = (
    settings['yaml.schemas'] !== null && typeof settings['yaml.schemas'] === 'object' ? settings['yaml.schemas'] : {}
  ) as Record<string, unknown>;
  schemas[key] = opts.glob ?? '**/*.yaml';
  settings['yaml.schemas'] = schemas;
  await mkdir(dir, { recursive: true });
  await renameIntoPlace(resolve(file), new TextEncoder().encode(`${JSON.stringify(settings, null, 2)}\n`), file, lang);
  return { file, ref: key };
}
