//! Building a year's set of sheets at once: every sheet loaded, graded and rendered in parallel to a
//! temp file and named at once (a name two sheets give goes to the first in file order), the set checked,
//! the index (一覧表) and open data written.
//! One bad sheet never stops the others; a stop request ends cleanly with only finished files.

import { readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isFsError, writeFailure } from '../fs-errors.js';
import { EXIT, SheetgenError, type Diagnostic } from '../diagnostics.js';
import { gradesCsv } from '../export/csv.js';
import { gradesJsonText } from '../export/json.js';
import { projectsCsv } from '../export/csv.js';
import { projectsJsonText } from '../export/json.js';
import { sortProjectRows, type ProjectRow } from '../export/projects.js';
import { sortRows, type GradeRow } from '../export/rows.js';
import type { GradedSheet } from '../model/types.js';
import { t } from '../messages.js';
import { InProcess, ParticipantBug, ThreadParticipant, type Participant } from './pool.js';
import type { JobOptions, SetFacts } from './sheetjob.js';
import { commandLineScheme } from './grade.js';
import { checkYearSet } from './yearset.js';
import { OutputNames } from './claims.js';
import { InputGuard, moveIntoPlace, renameIntoPlace, startsWithPdf, sweepStaleTemps, writeAtomic } from './write.js';

export interface BatchOptions extends JobOptions {
  outDir: string;
  /** Worker threads; 1 builds in this thread. Default: the machine's parallelism, at most one per sheet. */
  jobs?: number;
  /** Aborted: schedule nothing more, let running sheets finish, write no index. */
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
}

export type SheetStatus = 'built' | 'failed' | 'skipped';

export interface SheetReport {
  file: string;
  status: SheetStatus;
  /** Output name from the data (2020-09.pdf), once scanned. */
  name?: string;
  output?: string;
  /** Size of the PDF at `output`; only a built sheet has one. */
  bytes?: number;
  /** The sheet's own diagnostics (load, grade, layout, output). */
  diagnostics: Diagnostic[];
  /** The user's text, kept only when there are diagnostics to draw code frames on. */
  text?: string;
  rows?: GradeRow[];
  /** The figures of (3) and (4) as open-data rows (projects.csv/json). */
  projectRows?: ProjectRow[];
  graded?: GradedSheet;
  /** A bug in sheetgen met while working on this sheet (its stack). */
  bug?: string;
}

export interface ProgressEvent {
  /** Sheets finished (built or failed) and the total. */
  done: number;
  total: number;
  report: SheetReport;
  /**
   * A later sheet of the batch whose PDF was already at this sheet's name (its "ok → X" was shown) and
   * has just been replaced by this sheet's: the first in the file order keeps a name. It now counts as failed.
   */
  replaced?: SheetReport;
}

export interface BatchReport {
  sheets: SheetReport[];
  /** Problems of the set as a whole (duplicate numbers across sheets, mixed years or stages). */
  setDiagnostics: Diagnostic[];
  /** Files written besides the sheets' PDFs. */
  index?: string;
  csv?: string;
  json?: string;
  /** projects.csv and projects.json: the figures of (3) and (4). */
  projectsCsv?: string;
  projectsJson?: string;
  aborted: boolean;
  jobs: number;
  ms: number;
}

export const INDEX_NAME = 'index.pdf';
export const CSV_NAME = 'grades.csv';
export const JSON_NAME = 'grades.json';
export const PROJECTS_CSV_NAME = 'projects.csv';
export const PROJECTS_JSON_NAME = 'projects.json';

/**
 * How many participants a batch of `count` sheets gets: what was asked (default: the machine's
 * parallelism), but never more than the sheets, nor more than twice the CPUs — a worker beyond that
 * only costs memory (each holds its own fonts, about 30 MB), it builds nothing faster.
 */
export function jobCount(requested: number | undefined, count: number, cpus = availableParallelism()): number {
  const want = Math.min(requested ?? cpus, Math.max(1, cpus * 2));
  return Math.max(1, Math.min(want, count));
}

/**
 * Removes the temp files this process's atomic writes may have left in `dir` when it was stopped
 * mid-write (`.2020-09.pdf.<pid>.<random>.tmp`, see writeAtomic): only finished files stay.
 */
export async function sweepTempFiles(dir: string): Promise<void> {
  const mine = new RegExp(`^\\..+\\.${process.pid}\\.[0-9a-z]+\\.tmp$`);
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => mine.test(n)).map((n) => rm(join(dir, n), { force: true }).catch(() => undefined)),
  );
}

/** The same, synchronously: for a second Ctrl-C, which ends the process at once. */
export function sweepTempFilesSync(dir: string): void {
  const mine = new RegExp(`^\\..+\\.${process.pid}\\.[0-9a-z]+\\.tmp$`);
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) if (mine.test(n)) rmSync(join(dir, n), { force: true });
}

/** Builds every sheet of `files` into `opts.outDir`. Never throws for a bad sheet: it is reported in its SheetReport. */
export async function buildBatch(files: readonly string[], opts: BatchOptions): Promise<BatchReport> {
  const started = performance.now();
  const { lang, outDir } = opts;
  await mkdir(outDir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    if (!isFsError(e)) throw e;
    const f = writeFailure(outDir, e, lang);
    throw new SheetgenError(f.message, { exitCode: EXIT.usage });
  });
  // The inputs by real path and inode: no PDF, index or open-data file is ever written over one.
  const guard = await InputGuard.of([
    ...files,
    ...[opts.scheme, opts.font, opts.boldFont].filter(
      (f): f is string => f !== undefined && /[\\/]|\.(json|ttf|otf|ttc)$/i.test(f),
    ),
  ]);
  // The fonts and the scheme of the whole run are checked before any sheet starts: a damaged font
  // or an unusable scheme is one usage error (exit 2), not the same error for every sheet.
  for (const f of [opts.font, opts.boldFont]) {
    if (f === undefined) continue;
    const { openFontFile } = await import('../render/fontfile.js');
    openFontFile(f, lang);
  }
  if (opts.scheme !== undefined) {
    try {
      commandLineScheme(opts.scheme, lang);
    } catch (e) {
      if (e instanceof SheetgenError) throw new SheetgenError(e.message, { exitCode: EXIT.usage });
      throw e;
    }
  }
  // Temp files that a killed run (kill -9, power cut) left here go before this run adds its own.
  await sweepStaleTemps(outDir);
  const jobs = jobCount(opts.jobs, files.length);
  const jobOpts: JobOptions = {
    lang,
    ...(opts.scheme !== undefined ? { scheme: opts.scheme } : {}),
    ...(opts.font !== undefined ? { font: opts.font } : {}),
    ...(opts.boldFont !== undefined ? { boldFont: opts.boldFont } : {}),
    ...(opts.sourceDateEpoch !== undefined ? { sourceDateEpoch: opts.sourceDateEpoch } : {}),
    ...(opts.keepGraded ? { keepGraded: true } : {}),
    ...(opts.gradeColumn ? { gradeColumn: true } : {}),
  };
  const participants: Participant[] =
    jobs === 1 ? [new InProcess(jobOpts)] : Array.from({ length: jobs }, () => new ThreadParticipant(jobOpts));
  const reports: SheetReport[] = files.map((file) => ({ file, status: 'skipped', diagnostics: [] }));
  const facts: (SetFacts | undefined)[] = [];
  /** Which sheet's PDF goes to each name: the first of the file order that finished one, placed at once. */
  const names = new OutputNames(
    async (id, tmp, name) => {
      const target = join(outDir, name);
      await guard.check(target, lang);
      await promote(tmp, target, lang);
      reports[id]!.output = target;
    },
    (tmp) =>
      rm(tmp, { force: true }).then(
        () => undefined,
        () => undefined,
      ),
  );
  /**
   * The error of a PDF that could not be moved to its name, and what was thrown (dropped if a sheet
   * earlier in the batch keeps the name).
   */
  const writeErrors = new Map<number, { d: Diagnostic; error: SheetgenError }>();
  let done = 0;
  const stopped = () => opts.signal?.aborted === true;
  const finish = (id: number, replaced?: number) => {
    done++;
    opts.onProgress?.({
      done,
      total: files.length,
      report: reports[id]!,
      ...(replaced !== undefined ? { replaced: reports[replaced]! } : {}),
    });
  };
  const fail = (id: number, e: unknown) => {
    const r = reports[id]!;
    r.status = 'failed';
    r.bug = e instanceof ParticipantBug ? e.detail : e instanceof Error ? (e.stack ?? e.message) : String(e);
    r.diagnostics.push({ severity: 'error', code: 'internal', file: r.file, message: t(lang, 'internal') });
  };
  const where = (id: number) =>
    `${reports[id]!.file}${facts[id]?.measure.line !== undefined ? `:${facts[id]!.measure.line}` : ''}`;
  /** Where a sheet's measure number stands: the field that names its PDF. */
  const atMeasure = (id: number) => ({
    file: reports[id]!.file,
    path: ['measure', 'number'],
    ...(facts[id]?.measure.line !== undefined
      ? { line: facts[id]!.measure.line, column: facts[id]!.measure.column }
      : {}),
  });
  /**
   * A finished PDF goes to its name at once, so that "ok → X" means X is there and a stop never loses
   * it. Returns the later sheet whose PDF it replaced, if any (that sheet now counts as failed).
   */
  const place = async (id: number, tmp: string, bytes: number | undefined): Promise<number | undefined> => {
    const r = reports[id]!;
    const p = await names.place(id, r.name!, tmp);
    if (p.kind === 'placed') {
      r.status = 'built';
      if (bytes !== undefined) r.bytes = bytes;
      if (p.replaced === undefined) return undefined;
      const later = reports[p.replaced]!;
      later.status = 'failed';
      delete later.output;
      delete later.bytes;
      return p.replaced;
    }
    r.status = 'failed';
    if (p.kind === 'failed') {
      if (!(p.error instanceof SheetgenError)) throw p.error;
      const d: Diagnostic = { severity: 'error', code: 'output.write', file: r.file, message: p.error.message };
      r.diagnostics.push(d);
      writeErrors.set(id, { d, error: p.error });
    }
    return undefined;
  };
  /**
   * The names several sheets gave, told once every sheet is done, so that what is said depends only on
   * the file order (not on which was placed first): each later sheet gets an error, the keeper a warning.
   */
  const tellShared = () => {
    for (const s of names.shared()) {
      /** Sheet o's error: the name went to s.keeper (an earlier sheet whose write failed, or the first). */
      const collision = (o: number, key: 'outputTakenByLater' | 'outputTaken'): Diagnostic => ({
        severity: 'error',
        code: 'output.collision',
        ...atMeasure(o),
        message: t(lang, key, { name: s.name, others: where(s.keeper) }),
        hint: t(lang, 'outputCollisionHint'),
      });
      for (const o of s.others) {
        const r = reports[o]!;
        const w = writeErrors.get(o);
        if (o < s.keeper) {
          // Only when its write failed can an earlier sheet lose the name (a viewer held the file): the
          // later sheet's PDF is there, whether it was placed before or after that failure. The write
          // error is said as for a file to replace (there is one now), whatever was there at the time.
          const cause = w?.error.cause;
          if (w && isFsError(cause)) w.d.message = writeFailure(join(outDir, s.name), cause, lang, true).message;
          r.diagnostics.push(collision(o, 'outputTakenByLater'));
          continue;
        }
        if (w) r.diagnostics = r.diagnostics.filter((d) => d !== w.d);
        r.diagnostics.push(collision(o, 'outputTaken'));
      }
      if (!s.placed) continue;
      for (const o of s.others)
        reports[s.keeper]!.diagnostics.push({
          severity: 'warning',
          code: 'output.collision',
          ...atMeasure(s.keeper),
          message: t(lang, o < s.keeper ? 'outputCollisionKeptLater' : 'outputCollisionKept', {
            name: s.name,
            others: where(o),
          }),
          hint: t(lang, 'outputCollisionHint'),
        });
    }
  };

  try {
    // Every sheet loaded, validated, graded and rendered to a temp file; a free participant takes the next file.
    let next = 0;
    await Promise.all(
      participants.map(async (p) => {
        while (next < files.length && !stopped() && p.alive) {
          const id = next++;
          const r = reports[id]!;
          let replaced: number | undefined;
          try {
            const s = await p.build(id, files[id]!, outDir);
            r.diagnostics.push(...s.diagnostics);
            if (s.text !== undefined) r.text = s.text;
            if (s.rows) r.rows = s.rows;
            if (s.projectRows) r.projectRows = s.projectRows;
            if (s.graded) r.graded = s.graded;
            if (s.name) {
              r.name = s.name;
              facts[id] = s.facts;
            }
            r.status = 'failed';
            if (s.scheme) await guard.add([s.scheme]);
            if (s.ok && s.tmp && s.name) replaced = await place(id, s.tmp, s.bytes);
            else if (s.tmp) await rm(s.tmp, { force: true }).catch(() => undefined);
          } catch (e) {
            fail(id, e);
          }
          finish(id, replaced);
        }
      }),
    );

    // The threads' memory is given back before the index is laid out: the peak is one or the other, not both.
    await Promise.all(participants.map((p) => p.terminate().catch(() => undefined)));

    // Every worker thread died (a crash, not bad input): what is left was never built.
    if (!stopped())
      reports.forEach(
        (r, id) =>
          r.status === 'skipped' && (fail(id, new Error('no worker thread left to build this sheet')), finish(id)),
      );

    tellShared();
    const members = reports.flatMap((r, id) => (facts[id] ? [{ file: r.file, facts: facts[id]! }] : []));
    const setDiagnostics = checkYearSet(members, lang);
    const report: BatchReport = { sheets: reports, setDiagnostics, aborted: stopped(), jobs, ms: 0 };
    if (!report.aborted) await writeSetFiles(report, opts, guard);
    report.ms = performance.now() - started;
    return report;
  } finally {
    await Promise.all(participants.map((p) => p.terminate().catch(() => undefined)));
    await sweepTempFiles(outDir);
  }
}

/**
 * Gives a finished PDF its name (rename in the same folder: atomic). What writeAtomic refuses, this
 * refuses too: a link, a folder, or an existing file that is not a PDF is never replaced.
 */
async function promote(tmp: string, target: string, lang: BatchOptions['lang']): Promise<void> {
  const existing = await lstat(target).catch(() => undefined);
  const refuse = (key: string) => {
    throw new SheetgenError(t(lang, key, { file: target }), { exitCode: EXIT.invalid });
  };
  if (existing?.isSymbolicLink()) refuse('outIsSymlink');
  if (existing?.isDirectory()) refuse('outIsDirectory');
  if (existing && !existing.isFile()) refuse('outIsSpecial');
  if (existing && (existing.mode & 0o222) === 0) refuse('outIsReadOnly');
  if (existing && existing.size > 0 && !(await startsWithPdf(target))) refuse('outNotPdf');
  await moveIntoPlace(tmp, target, target, lang);
}

/**
 * Writes one of the set's own files (grades.csv, grades.json) through a temp file and a rename,
 * like writeAtomic, which only replaces PDFs. These names belong to the output folder: an earlier
 * run's file is replaced, but never a link or a folder of that name.
 */
async function writeSetFile(
  target: string,
  bytes: Uint8Array,
  lang: BatchOptions['lang'],
  guard: InputGuard,
): Promise<void> {
  await guard.check(target, lang);
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isSymbolicLink())
    throw new SheetgenError(t(lang, 'outIsSymlink', { file: target }), { exitCode: EXIT.usage });
  if (existing && !existing.isFile())
    throw new SheetgenError(t(lang, 'outIsDirectory', { file: target }), { exitCode: EXIT.usage });
  await renameIntoPlace(target, bytes, target, lang);
}

/** The index sheet and the open data of the sheets that were built. */
async function writeSetFiles(report: BatchReport, opts: BatchOptions, guard: InputGuard): Promise<void> {
  const built = report.sheets.filter((r) => r.status === 'built');
  if (built.length === 0) return;
  const rows = sortRows(built.flatMap((r) => r.rows ?? []));
  const utf8 = (s: string) => new TextEncoder().encode(s);
  // Every file of the set is checked against the inputs before any of them is written.
  for (const name of [CSV_NAME, JSON_NAME, PROJECTS_CSV_NAME, PROJECTS_JSON_NAME, INDEX_NAME])
    await guard.check(join(opts.outDir, name), opts.lang);
  const csv = join(opts.outDir, CSV_NAME);
  await writeSetFile(csv, utf8(gradesCsv(rows)), opts.lang, guard);
  report.csv = csv;
  const json = join(opts.outDir, JSON_NAME);
  await writeSetFile(json, utf8(gradesJsonText(rows)), opts.lang, guard);
  report.json = json;
  const projects = sortProjectRows(built.flatMap((r) => r.projectRows ?? []));
  const pcsv = join(opts.outDir, PROJECTS_CSV_NAME);
  await writeSetFile(pcsv, utf8(projectsCsv(projects)), opts.lang, guard);
  report.projectsCsv = pcsv;
  const pjson = join(opts.outDir, PROJECTS_JSON_NAME);
  await writeSetFile(pjson, utf8(projectsJsonText(projects)), opts.lang, guard);
  report.projectsJson = pjson;
  const { buildIndexPdf, failedSheets } = await import('./index-pdf.js');
  const index = join(opts.outDir, INDEX_NAME);
  await writeAtomic(index, await buildIndexPdf(rows, failedSheets(report.sheets), opts), guard, opts.lang);
  report.index = index;
}
