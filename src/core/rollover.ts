//! Next year's sheet files from this year's: the structure, numbers, baselines, targets, past
//! actuals and projects carried over; the year's own words cleared but kept as comments; the
//! result validated before it is written, and never written over an input.

import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { EXIT, SheetgenError, hasErrors, type Diagnostic, type Lang } from '../diagnostics.js';
import { t } from '../messages.js';
import { expandInputs } from './inputs.js';
import { keepSourceFormatting } from './keep-format.js';
import { loadSheet, loadSheetText } from './load.js';
import { schemaRefFor, withModeline } from './modeline.js';

export interface RolloverOptions {
  lang: Lang;
  /** The new fiscal year (Western). */
  to: number;
  outDir: string;
  /** Replace files that already exist in outDir (never an input). */
  force?: boolean;
}

export interface RolledFile {
  file: string;
  /** Where the new file goes (or would have gone). */
  output: string;
  written: boolean;
  diagnostics: Diagnostic[];
  /** The text the diagnostics point into (the input's, or the rolled file's). */
  text?: string;
}

/** The year's own words: cleared in the new file. item5 is handled apart (its title stays). */
const FREE_TEXT = ['reasons', 'situation', 'policy'] as const;

/** The source lines of a node, indentation removed, for a comment the user can read (or uncomment). */
function sourceOf(text: string, node: { range?: [number, number, number] | null }, from?: number): string {
  const range = node.range;
  if (!range) return '';
  const start = from ?? range[0];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lines = text.slice(lineStart, range[1]).replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** Adds comment lines above a pair's key, after any comment the user already has there. */
function commentAbove(pair: Pair, lines: string): void {
  const key = pair.key as Node;
  const body = lines
    .split('\n')
    .map((l) => (l === '' ? '' : ` ${l}`))
    .join('\n');
  key.commentBefore = key.commentBefore ? `${key.commentBefore}\n${body}` : body;
}

function findPair(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap).items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

/** An empty string written "" (an empty block scalar would read as a mistake), keeping the value's trailing comment. */
function emptyText(old: unknown): Scalar {
  const s = new Scalar('');
  s.type = 'QUOTE_DOUBLE';
  if (isScalar(old) && old.comment) s.comment = old.comment;
  return s;
}

/**
 * The rolled-over text of one sheet. `text` must be a valid sheet (checked by the caller); the
 * result is checked again by the caller before it is written.
 */
export function rollText(text: string, to: number, lang: Lang, schemaRef?: string): string {
  const doc = parseDocument(text, { version: '1.2' }) as Document.Parsed;
  const root = doc.contents;
  const from = Number(doc.get('fiscal_year'));
  void lang;
  // The kept-as-comment notes are part of the sheet file, which is a Japanese document whatever the terminal's language.
  const header = t('ja', 'rolloverPrevious', { year: from });

  // fiscal_year advanced and as_of blank: the new sheet is not dated yet.
  doc.setIn(['fiscal_year'], to);
  if (doc.has('as_of')) doc.setIn(['as_of'], null);
  // Their trailing comments spoke of the old values (# evaluated year: 令和2年度): they go too.
  for (const key of ['fiscal_year', 'as_of']) {
    const node = doc.get(key, true);
    if (isScalar(node)) node.comment = null;
  }

  for (const key of FREE_TEXT) {
    const pair = findPair(root, key);
    if (!pair || !isScalar(pair.value)) continue;
    const old = String(pair.value.value ?? '').replace(/\s+$/, '');
    if (old !== '') commentAbove(pair, `${header}\n${old}`);
    pair.value = emptyText(pair.value);
  }

  // ⑤ keeps its heading (the user decides whether the item stays); its text is the year's.
  const item5 = findPair(root, 'item5');
  if (item5 && isMap(item5.value)) {
    const textPair = findPair(item5.value, 'text');
    if (textPair && isScalar(textPair.value)) {
      const old = String(textPair.value.value ?? '').replace(/\s+$/, '');
      if (old !== '') commentAbove(textPair, `${header}\n${old}`);
      textPair.value = emptyText(textPair.value);
    }
  }

  // The committee's opinions and the responses are the year's: the list starts empty, the old one stays as a comment.
  const committee = findPair(root, 'committee');
  if (committee && isSeq(committee.value) && committee.value.items.length > 0) {
    commentAbove(committee, `${header}\n${sourceOf(text, committee.value)}`);
    const empty = doc.createNode([]);
    empty.flow = true;
    if (committee.value.comment) empty.comment = committee.value.comment;
    committee.value = empty;
  }

  // A grade override belongs to the year it was written for: removed, kept as a comment.
  const indicators: unknown[] = [findPair(root, 'goal')?.value];
  const kpis = findPair(root, 'kpis')?.value;
  if (isSeq(kpis)) indicators.push(...kpis.items);
  for (const ind of indicators) {
    if (!isMap(ind)) continue;
    const i = ind.items.findIndex((p) => isPair(p) && isScalar(p.key) && p.key.value === 'grade_override');
    if (i < 0) continue;
    const pair = ind.items[i]!;
    const old = sourceOf(text, pair.value as Node, (pair.key as Node).range![0]);
    ind.items.splice(i, 1);
    const next = ind.items[i];
    const lines = `${header}\n${old}`;
    if (next) commentAbove(next, lines);
    else ind.comment = [ind.comment, ...lines.split('\n').map((l) => ` ${l}`)].filter(Boolean).join('\n');
  }

  clearProgress(root, header);

  // lineWidth 0: a long line of the user's stays one line (the default folds at 80 columns).
  const printed = doc.toString({ lineWidth: 0 });
  // The editor line must resolve from the new folder; the rest keeps the file's own formatting.
  return keepSourceFormatting(text, schemaRef === undefined ? printed : withModeline(printed, schemaRef));
}

/** ① 進捗状況 is the year's judgement: null in the new file (no 〇 until chosen), the old choice kept as a comment. */
function clearProgress(root: unknown, header: string): void {
  const pair = findPair(root, 'progress');
  if (!pair || !isScalar(pair.value) || pair.value.value === null) return;
  commentAbove(pair, `${header}\nprogress: ${String(pair.value.value)}`);
  const empty = new Scalar(null);
  if (pair.value.comment) empty.comment = pair.value.comment;
  pair.value = empty;
}

/** `asahi-2020-09.yaml` → `asahi-2021-09.yaml`: a year in the name follows the data; other names stay. */
export function rolledName(name: string, from: number, to: number): string {
  return name.replace(new RegExp(`(?<!\\d)${from}(?!\\d)`, 'g'), String(to));
}

const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/** Rolls every sheet named by `inputs` (files, folders, globs) over to `opts.to` into `opts.outDir`. */
export async function rollover(inputs: readonly string[], opts: RolloverOptions): Promise<RolledFile[]> {
  const { lang } = opts;
  const outAbs = resolve(opts.outDir);
  // Each input file with the path it keeps under the new folder (a folder's layout is kept).
  const plan: { file: string; rel: string }[] = [];
  for (const arg of inputs) {
    const isDir = await stat(arg).then((s) => s.isDirectory(), () => false);
    const base = isDir ? arg : undefined;
    // A folder's new files may not go into it (or below: the next build of the folder would take both years);
    // a file's may not go beside it.
    const refused = isDir ? inside(outAbs, resolve(arg)) : outAbs === resolve(dirname(arg));
    if (refused) throw new SheetgenError(t(lang, 'rolloverIntoInput', { dir: opts.outDir }), { exitCode: EXIT.usage });
    for (const file of await expandInputs([arg], lang)) plan.push({ file, rel: base ? relative(base, file) : basename(file) });
  }
  const inputSet = new Set(plan.map((p) => resolve(p.file)));

  const results: RolledFile[] = [];
  const outputs = new Map<string, string>();
  for (const { file, rel } of plan) {
    const loaded = await loadSheet(file, lang);
    const result: RolledFile = { file, output: '', written: false, diagnostics: [] };
    results.push(result);
    if (!loaded.sheet || hasErrors(loaded.diagnostics) || loaded.text === undefined) {
      result.diagnostics = [{ severity: 'error', code: 'rollover.source', file, message: t(lang, 'rolloverSourceInvalid', { file }) }, ...loaded.diagnostics.filter((d) => d.severity === 'error')];
      if (loaded.text !== undefined) result.text = loaded.text;
      continue;
    }
    const from = loaded.sheet.fiscalYear;
    result.output = join(opts.outDir, dirname(rel), rolledName(basename(rel), from, opts.to));
    if (opts.to <= from) {
      result.diagnostics = [{ severity: 'error', code: 'rollover.year', file, message: t(lang, 'rolloverNotLater', { file, from, to: opts.to }) }];
      continue;
    }
    const abs = resolve(result.output);
    if (inputSet.has(abs)) throw new SheetgenError(t(lang, 'outIsInput', { file: result.output }), { exitCode: EXIT.usage });
    const twin = outputs.get(abs);
    if (twin) {
      result.diagnostics = [{ severity: 'error', code: 'output.collision', file, message: t(lang, 'outputCollision', { name: result.output, others: twin }) }];
      continue;
    }
    outputs.set(abs, file);
    const text = rollText(loaded.text, opts.to, lang, schemaRefFor(dirname(resolve(result.output))));
    // The new file must validate as it will be written; if not, it is not written.
    const check = loadSheetText(result.output, text, lang);
    if (hasErrors(check.diagnostics)) {
      result.diagnostics = [{ severity: 'error', code: 'rollover.invalid', file, message: t(lang, 'rolloverInvalid', { file }) }, ...check.diagnostics];
      result.text = text;
      continue;
    }
    (result as RolledFile & { rolled?: string }).rolled = text;
  }

  // Nothing is written while any target exists (without --force): the new year's folder is made whole or not at all.
  if (!opts.force) {
    const existing: string[] = [];
    for (const r of results) if (r.output && (await stat(r.output).then(() => true, () => false))) existing.push(r.output);
    if (existing.length > 0) throw new SheetgenError(existing.map((f) => t(lang, 'rolloverExists', { file: f })).join('\n'), { exitCode: EXIT.usage });
  }
  for (const r of results as (RolledFile & { rolled?: string })[]) {
    if (r.rolled === undefined) continue;
    await mkdir(dirname(r.output), { recursive: true });
    const tmp = join(dirname(r.output), `.${basename(r.output)}.${process.pid}.tmp`);
    try {
      await writeFile(tmp, r.rolled, { flag: 'wx' });
      await rename(tmp, r.output);
      r.written = true;
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      r.diagnostics.push({ severity: 'error', code: 'output.write', file: r.file, message: t(lang, 'cannotWrite', { file: r.output, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message }) });
    }
    delete r.rolled;
  }
  return results;
}
