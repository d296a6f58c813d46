//! Open data without PDFs: the sheets named by files, folders or globs → the rows of grades and
//! projects (the same rows a batch build writes beside its PDFs), and writing them as CSV or JSON.

import { lstat, mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXIT, SheetgenError, hasErrors, type Diagnostic, type Lang } from '../diagnostics.js';
import { gradesCsv, projectsCsv } from '../export/csv.js';
import { gradesJsonText, projectsJsonText } from '../export/json.js';
import { projectRows, sortProjectRows, type ProjectRow } from '../export/projects.js';
import { gradeRows, sortRows, type GradeRow } from '../export/rows.js';
import { t } from '../messages.js';
import { outputName } from './build-name.js';
import { gradeLoaded } from './grade.js';
import { expandInputs } from './inputs.js';
import { loadSheet } from './load.js';
import { renameIntoPlace } from './write.js';

export type ExportFormat = 'csv' | 'json';

export interface ExportOptions {
  lang: Lang;
  /** A built-in scheme name or a scheme file: overrides each sheet's own choice. */
  scheme?: string;
}

/** One input file's result: its diagnostics, and whether its rows are in the tables. */
export interface ExportedFile {
  file: string;
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The user's text, for code frames. */
  text?: string;
}

export interface OpenData {
  files: ExportedFile[];
  grades: GradeRow[];
  projects: ProjectRow[];
}

/** The file names of the two tables in a format. */
export function openDataNames(format: ExportFormat): { grades: string; projects: string } {
  return { grades: `grades.${format}`, projects: `projects.${format}` };
}

/**
 * Loads, validates and grades every sheet named by `inputs` (files, folders, globs, as a batch
 * build takes them). A sheet with errors contributes no rows and is reported in `files`.
 */
export async function collectOpenData(inputs: readonly string[], opts: ExportOptions): Promise<OpenData> {
  const files = await expandInputs(inputs, opts.lang);
  const out: OpenData = { files: [], grades: [], projects: [] };
  for (const file of files) {
    let loaded;
    try {
      loaded = await loadSheet(file, opts.lang);
    } catch (e) {
      if (!(e instanceof SheetgenError)) throw e;
      out.files.push({
        file,
        ok: false,
        diagnostics: [{ severity: 'error', code: 'file.unreadable', file, message: e.message }],
      });
      continue;
    }
    const r = gradeLoaded(loaded, { lang: opts.lang, ...(opts.scheme ? { scheme: opts.scheme } : {}) });
    const ok = r.graded !== undefined && !hasErrors(r.diagnostics);
    out.files.push({ file, ok, diagnostics: r.diagnostics, ...(r.text !== undefined ? { text: r.text } : {}) });
    if (!ok || !r.graded) continue;
    const pdf = outputName(r.graded.sheet);
    out.grades.push(...gradeRows(r.graded, pdf));
    out.projects.push(...projectRows(r.graded, pdf));
  }
  out.grades = sortRows(out.grades);
  out.projects = sortProjectRows(out.projects);
  return out;
}

/** A table's text in a format. */
export function tableText(data: OpenData, table: 'grades' | 'projects', format: ExportFormat): string {
  if (table === 'grades') return format === 'csv' ? gradesCsv(data.grades) : gradesJsonText(data.grades);
  return format === 'csv' ? projectsCsv(data.projects) : projectsJsonText(data.projects);
}

/**
 * Writes grades.FORMAT and projects.FORMAT into `outDir` (created if missing), each atomically.
 * Never writes over one of the inputs, through a symbolic link, or over a folder.
 */
export async function writeOpenData(
  data: OpenData,
  outDir: string,
  format: ExportFormat,
  lang: Lang,
): Promise<string[]> {
  const names = openDataNames(format);
  const inputs = await Promise.all(data.files.map((f) => stat(f.file).catch(() => undefined)));
  await mkdir(outDir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new SheetgenError(t(lang, 'cannotWrite', { file: outDir, reason: e.code ?? e.message }), {
      exitCode: EXIT.invalid,
    });
  });
  // Every target is checked before anything is written: a refusal leaves the folder as it was.
  const targets = (['grades', 'projects'] as const).map((table) => ({ table, target: join(outDir, names[table]) }));
  for (const { target } of targets) {
    const existing = await lstat(target).catch(() => undefined);
    if (existing?.isSymbolicLink())
      throw new SheetgenError(t(lang, 'outIsSymlink', { file: target }), { exitCode: EXIT.usage });
    if (existing && !existing.isFile())
      throw new SheetgenError(t(lang, 'outIsDirectory', { file: target }), { exitCode: EXIT.usage });
    if (existing && inputs.some((s) => s && s.dev === existing.dev && s.ino === existing.ino)) {
      throw new SheetgenError(t(lang, 'outIsInput', { file: target }), { exitCode: EXIT.usage });
    }
  }
  const written: string[] = [];
  for (const { table, target } of targets) {
    await renameIntoPlace(resolve(target), new TextEncoder().encode(tableText(data, table, format)), target, lang);
    written.push(target);
  }
  return written;
}
