//! Next year's sheet files from this year's: the structure, numbers, baselines, targets, past
//! actuals and projects carried over; the year's own words cleared but kept as comments; the
//! result validated before it is written, and never written over an input.

import { lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import {
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  visit,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { EXIT, SheetgenError, formatPath, hasErrors, type Diagnostic, type Lang } from '../diagnostics.js';
import { isFsError, writeFailure } from '../fs-errors.js';
import { locate } from '../load/locate.js';
import { t } from '../messages.js';
import { expandInputs } from './inputs.js';
import { keepSourceFormatting } from './keep-format.js';
import { loadSheet, loadSheetText } from './load.js';
import { InputGuard, renameIntoPlace, sweepStaleTemps } from './write.js';
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
  return (map as YAMLMap).items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) as
    | Pair
    | undefined;
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

  // A text pair's words go into a comment above it; the value becomes "".
  const clearText = (pair: Pair): void => {
    if (!isScalar(pair.value)) return;
    const old = String(pair.value.value ?? '').replace(/\s+$/, '');
    if (old !== '') commentAbove(pair, `${header}\n${old}`);
    pair.value = emptyText(pair.value);
  };

  // ② written per indicator keeps its keys (goal, kpis: { 15, 16 }); each paragraph is cleared.
  const reasons = findPair(root, 'reasons');
  if (reasons && isMap(reasons.value)) {
    const goal = findPair(reasons.value, 'goal');
    if (goal) clearText(goal);
    const kpiMap = findPair(reasons.value, 'kpis')?.value;
    if (isMap(kpiMap)) for (const p of kpiMap.items) if (isPair(p)) clearText(p as Pair);
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

/** What the rolled file must hold: the input's data with exactly the changes rollover makes, nothing else. */
function expectedRolled(data: Record<string, unknown>, to: number): Record<string, unknown> {
  const out = structuredClone(data);
  out.fiscal_year = to;
  if ('as_of' in out) out.as_of = null;
  for (const key of FREE_TEXT) if (typeof out[key] === 'string') out[key] = '';
  // ② per indicator: every paragraph cleared, the indicators kept.
  const reasons = out.reasons;
  if (reasons && typeof reasons === 'object' && !Array.isArray(reasons)) {
    const r = reasons as { goal?: unknown; kpis?: Record<string, unknown> };
    if (typeof r.goal === 'string') r.goal = '';
    if (r.kpis && typeof r.kpis === 'object')
      for (const k of Object.keys(r.kpis)) if (typeof r.kpis[k] === 'string') r.kpis[k] = '';
  }
  // ① 進捗状況 is the year's judgement: not chosen yet in the new file.
  if ('progress' in out && out.progress !== null) out.progress = null;
  const item5 = out.item5;
  if (item5 && typeof item5 === 'object' && typeof (item5 as Record<string, unknown>).text === 'string')
    (item5 as Record<string, unknown>).text = '';
  if (Array.isArray(out.committee)) out.committee = [];
  for (const ind of [out.goal, ...(Array.isArray(out.kpis) ? out.kpis : [])]) {
    if (ind && typeof ind === 'object') delete (ind as Record<string, unknown>).grade_override;
  }
  return out;
}

/** The first path where two plain values differ (undefined when they are the same). */
function firstDifference(a: unknown, b: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (Object.is(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], [...path, i]);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, k]);
      if (d) return d;
    }
    return undefined;
  }
  return path;
}

/** `asahi-2020-09.yaml` → `asahi-2021-09.yaml`: a year in the name follows the data; other names stay. */
export function rolledName(name: string, from: number, to: number): string {
  return name.replace(new RegExp(`(?<!\\d)${from}(?!\\d)`, 'g'), String(to));
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (a folder still to be made). */
async function realOf(p: string): Promise<string> {
  const abs = resolve(p);
  const real = await realpath(abs).catch(() => undefined);
  if (real !== undefined) return real;
  const parent = dirname(abs);
  return parent === abs ? abs : join(await realOf(parent), basename(abs));
}

/**
 * Makes the folders from `root` down to `dir`, refusing any that is a symbolic link: a link planted in
 * the output folder (sub → /elsewhere, or → the input folder) must not carry the new files out of it.
 */
async function makeFolders(root: string, dir: string, lang: Lang): Promise<void> {
  const rootAbs = resolve(root);
  const rel = relative(rootAbs, resolve(dir));
  let cur = rootAbs;
  for (const seg of ['', ...rel.split(sep).filter((x) => x !== '')]) {
    cur = seg === '' ? cur : join(cur, seg);
    const st = await lstat(cur).catch(() => undefined);
    if (st?.isSymbolicLink() && seg !== '')
      throw new SheetgenError(t(lang, 'outThroughLink', { dir: cur }), { exitCode: EXIT.usage });
    if (st && !st.isDirectory() && !st.isSymbolicLink())
      throw new SheetgenError(t(lang, 'cannotWrite', { file: cur, reason: t(lang, 'parentNotFolder') }), {
        exitCode: EXIT.invalid,
      });
    if (!st) {
      await mkdir(cur, { recursive: seg === '' }).catch((e: unknown) => {
        if (isFsError(e) && e.code === 'EEXIST') return;
        throw isFsError(e) ? writeFailure(cur, e, lang) : e;
      });
    }
  }
}

const inside = (child: string, parent: string): boolean =>
  child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/** Where the file's first anchor (&name) stands, for a refusal that cannot name a changed value. */
function firstAnchor(loaded: {
  parsed?: { doc: Document.Parsed | null; lineCounter: { linePos(o: number): { line: number; col: number } } };
}): { line?: number; column?: number; path?: string } {
  let found: { line: number; column: number } | undefined;
  const doc = loaded.parsed?.doc;
  if (doc) {
    visit(doc, (_key, node) => {
      if (isNode(node) && (node as { anchor?: string }).anchor && node.range) {
        const p = loaded.parsed!.lineCounter.linePos(node.range[0]);
        found = { line: p.line, column: p.col };
        return visit.BREAK;
      }
      return undefined;
    });
  }
  return found ? { ...found, path: `${found.line}:${found.column}` } : {};
}

/** Rolls every sheet named by `inputs` (files, folders, globs) over to `opts.to` into `opts.outDir`. */
export async function rollover(inputs: readonly string[], opts: RolloverOptions): Promise<RolledFile[]> {
  const { lang } = opts;
  const outAbs = resolve(opts.outDir);
  // Each input file with the path it keeps under the new folder (a folder's layout is kept).
  const plan: { file: string; rel: string }[] = [];
  const unusable: RolledFile[] = [];
  for (const arg of inputs) {
    const isDir = await stat(arg).then(
      (s) => s.isDirectory(),
      () => false,
    );
    const base = isDir ? arg : undefined;
    // A folder's new files may not go into it (or below: the next build of the folder would take both years);
    // a file's may not go beside it.
    // Compared by real path: a link to the input folder, or one inside the output path, is the input folder.
    const outReal = await realOf(outAbs);
    const argReal = await realOf(resolve(isDir ? arg : dirname(arg)));
    const refused = isDir
      ? inside(outAbs, resolve(arg)) || inside(outReal, argReal)
      : outAbs === resolve(dirname(arg)) || outReal === argReal;
    if (refused) throw new SheetgenError(t(lang, 'rolloverIntoInput', { dir: opts.outDir }), { exitCode: EXIT.usage });
    let files: string[];
    try {
      files = await expandInputs([arg], lang);
    } catch (e) {
      // An argument that names nothing usable (missing, a FIFO) is its own error: the others still roll over.
      if (!(e instanceof SheetgenError)) throw e;
      unusable.push({
        file: arg,
        output: '',
        written: false,
        diagnostics: [{ severity: 'error', code: 'file.read', file: arg, message: e.message }],
      });
      continue;
    }
    for (const file of files) plan.push({ file, rel: base ? relative(base, file) : basename(file) });
  }
  const inputSet = new Set(plan.map((p) => resolve(p.file)));
  const guard = await InputGuard.of(plan.map((p) => p.file));

  const results: RolledFile[] = [];
  const outputs = new Map<string, string>();
  for (const { file, rel } of plan) {
    const result: RolledFile = { file, output: '', written: false, diagnostics: [] };
    results.push(result);
    let loaded: Awaited<ReturnType<typeof loadSheet>>;
    try {
      loaded = await loadSheet(file, lang);
    } catch (e) {
      // A file that cannot be read is that file's error: the others are still rolled over.
      if (!(e instanceof SheetgenError)) throw e;
      result.diagnostics = [{ severity: 'error', code: 'file.read', file, message: e.message }];
      continue;
    }
    if (!loaded.sheet || hasErrors(loaded.diagnostics) || loaded.text === undefined) {
      result.diagnostics = [
        { severity: 'error', code: 'rollover.source', file, message: t(lang, 'rolloverSourceInvalid', { file }) },
        ...loaded.diagnostics.filter((d) => d.severity === 'error'),
      ];
      if (loaded.text !== undefined) result.text = loaded.text;
      continue;
    }
    const from = loaded.sheet.fiscalYear;
    result.output = join(opts.outDir, dirname(rel), rolledName(basename(rel), from, opts.to));
    if (opts.to <= from) {
      result.diagnostics = [
        {
          severity: 'error',
          code: 'rollover.year',
          file,
          message: t(lang, 'rolloverNotLater', { file, from, to: opts.to }),
        },
      ];
      continue;
    }
    const abs = resolve(result.output);
    const input = inputSet.has(abs) ? file : await guard.inputAt(abs);
    if (input !== undefined) {
      result.diagnostics = [
        {
          severity: 'error',
          code: 'output.input',
          file,
          message: t(lang, 'outIsInputOf', { file: result.output, input }),
        },
      ];
      continue;
    }
    const twin = outputs.get(abs);
    if (twin) {
      result.diagnostics = [
        {
          severity: 'error',
          code: 'output.collision',
          file,
          message: t(lang, 'outputCollision', { name: result.output, others: twin }),
        },
      ];
      continue;
    }
    outputs.set(abs, file);
    // Anchors and aliases (&name, *name) let one value stand in several places: clearing or advancing
    // one of them could change, or break, a value rollover carries. The rolled data is compared with
    // what it must be; any other change refuses the file (located), never writes a different sheet.
    let text: string;
    try {
      text = rollText(loaded.text, opts.to, lang, schemaRefFor(dirname(resolve(result.output))));
    } catch (e) {
      const a = firstAnchor(loaded);
      result.diagnostics = [
        {
          severity: 'error',
          code: 'rollover.alias',
          file,
          ...(a.line !== undefined ? { line: a.line, column: a.column! } : {}),
          message: t(lang, 'rolloverFailed', {
            file,
            detail: t(lang, 'rolloverAliasChanged', { path: a.path ?? '?' }),
          }),
        },
      ];
      void e;
      result.text = loaded.text;
      continue;
    }
    const check = loadSheetText(result.output, text, lang);
    const wanted = expectedRolled(loaded.parsed!.data as Record<string, unknown>, opts.to);
    const diff = check.parsed?.data !== undefined ? firstDifference(wanted, check.parsed.data) : undefined;
    if (diff) {
      const span = loaded.parsed ? locate(loaded.parsed, diff) : undefined;
      result.diagnostics = [
        {
          severity: 'error',
          code: 'rollover.alias',
          file,
          path: diff,
          ...(span ? { line: span.line, column: span.column } : {}),
          message: t(lang, 'rolloverAliasChanged', { path: formatPath(diff) }),
        },
      ];
      result.text = loaded.text;
      continue;
    }
    // The new file must validate as it will be written; if not, it is not written.
    if (hasErrors(check.diagnostics)) {
      result.diagnostics = [
        { severity: 'error', code: 'rollover.invalid', file, message: t(lang, 'rolloverInvalid', { file }) },
        ...check.diagnostics,
      ];
      result.text = text;
      continue;
    }
    (result as RolledFile & { rolled?: string }).rolled = text;
  }

  // Nothing is written while any target exists (without --force): the new year's folder is made whole or not at all.
  if (!opts.force) {
    const existing: string[] = [];
    for (const r of results)
      if (
        r.output &&
        (await stat(r.output).then(
          () => true,
          () => false,
        ))
      )
        existing.push(r.output);
    if (existing.length > 0)
      throw new SheetgenError(existing.map((f) => t(lang, 'rolloverExists', { file: f })).join('\n'), {
        exitCode: EXIT.usage,
      });
  }
  for (const r of results as (RolledFile & { rolled?: string })[]) {
    if (r.rolled === undefined) continue;
    try {
      await makeFolders(opts.outDir, dirname(r.output), lang);
      await sweepStaleTemps(dirname(r.output));
      await guard.check(r.output, lang);
      const existing = await lstat(r.output).catch(() => undefined);
      if (existing?.isSymbolicLink())
        throw new SheetgenError(t(lang, 'outIsSymlink', { file: r.output }), { exitCode: EXIT.usage });
      if (existing && !existing.isFile())
        throw new SheetgenError(t(lang, 'outIsSpecial', { file: r.output }), { exitCode: EXIT.usage });
      await renameIntoPlace(resolve(r.output), r.rolled, r.output, lang);
      r.written = true;
    } catch (e) {
      if (!(e instanceof SheetgenError)) throw e;
      r.diagnostics.push({ severity: 'error', code: 'output.write', file: r.file, message: e.message });
    }
    delete r.rolled;
  }
  // In the order the arguments were given: unusable arguments first is simplest to read, and stable.
  return [...unusable, ...results].sort((a, b) => order(a.file) - order(b.file));

  function order(file: string): number {
    const i = inputs.findIndex((arg) => file === arg || file.startsWith(arg.endsWith(sep) ? arg : arg + sep));
    return i < 0 ? inputs.length : i;
  }
}
