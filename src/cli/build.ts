//! `sheetgen build FILE [-o OUT.pdf]`: one sheet to a PDF; `sheetgen build DIR|GLOB|FILE... -o OUTDIR`:
//! a year's set in parallel, with the index, grades.csv/json, progress and a summary.

import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { withCityDefaults } from './city.js';
import { EXIT, SheetgenError, hasErrors, type Diagnostic } from '../diagnostics.js';
import type { BatchReport } from '../core/batch.js';
import type { BuildOptions, BuildOutcome } from '../core/build.js';
import { expandInputs, isGlob, type SkippedEntry } from '../core/inputs.js';
import { t, visible } from '../messages.js';
import { diagJson, sheetJson } from './grade.js';
import { err, exit, globals, out, printDiagnostics, type GlobalOptions } from './io.js';
import { Progress, progressMode } from './progress.js';

export interface BuildCliOptions {
  output?: string;
  font?: string;
  boldFont?: string;
  scheme?: string;
  /** From the city's defaults file (form.grade_column): passed to the layout as a build option. */
  gradeColumn?: boolean;
  jobs?: string;
  quiet?: boolean;
  json?: boolean;
}

/** Exit code of a batch stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

function fontOptions(opts: BuildCliOptions): Pick<BuildOptions, 'font' | 'boldFont' | 'scheme' | 'gradeColumn'> {
  return {
    ...(opts.gradeColumn !== undefined ? { gradeColumn: opts.gradeColumn } : {}),
    ...(opts.font !== undefined ? { font: opts.font, boldFont: opts.boldFont ?? opts.font } : {}),
    ...(opts.boldFont !== undefined ? { boldFont: opts.boldFont } : {}),
    ...(opts.scheme !== undefined ? { scheme: opts.scheme } : {}),
  };
}

function parseJobs(v: string | undefined, g: GlobalOptions): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256)
    throw new SheetgenError(t(g.lang, 'badJobs', { value: v }), { exitCode: EXIT.usage });
  return Number(v);
}

/** One sheet entry of the --json report: its grades (as `sheetgen grade --json`), output, warnings, errors. */
function sheetEntry(
  file: string,
  status: string,
  output: string | undefined,
  graded: Parameters<typeof sheetJson>[1] | undefined,
  diags: readonly Diagnostic[],
) {
  return {
    ...(graded ? sheetJson(file, graded) : { file }),
    status,
    output: output ?? null,
    warnings: diags.filter((d) => d.severity === 'warning').map(diagJson),
    errors: diags.filter((d) => d.severity === 'error').map(diagJson),
  };
}

async function single(file: string, opts: BuildCliOptions, g: GlobalOptions): Promise<void> {
  // Imported here so that validate and grade never load the layout and PDF code.
  const { buildFile } = (await import('../core/build.js')) as {
    buildFile: (f: string, o: BuildOptions) => Promise<BuildOutcome>;
  };
  const r = await buildFile(file, {
    lang: g.lang,
    ...(opts.output !== undefined ? { out: opts.output } : {}),
    ...fontOptions(opts),
  });
  if (!opts.quiet || hasErrors(r.diagnostics))
    printDiagnostics(opts.quiet ? r.diagnostics.filter((d) => d.severity === 'error') : r.diagnostics, r.text, g);
  const failed = hasErrors(r.diagnostics) || !r.output;
  if (opts.json)
    out(
      JSON.stringify(
        { sheets: [sheetEntry(file, failed ? 'failed' : 'built', r.output, r.graded, r.diagnostics)] },
        null,
        2,
      ),
    );
  if (failed) {
    exit.raise(EXIT.invalid);
    return;
  }
  if (!opts.quiet && !opts.json)
    out(
      g.lang === 'ja'
        ? `${visible(r.output ?? '')} を書き出しました（${r.bytes} バイト）`
        : `wrote ${visible(r.output ?? '')} (${r.bytes} bytes)`,
    );
}

async function batch(inputs: string[], opts: BuildCliOptions, g: GlobalOptions): Promise<void> {
  const outDir = opts.output;
  // `-o out.pdf` with several sheets is a slip, not a wish for a folder named out.pdf.
  if (outDir === undefined || /\.pdf$/i.test(outDir))
    throw new SheetgenError(t(g.lang, 'batchNeedsOutDir'), { exitCode: EXIT.usage });
  const outStat = await stat(outDir).catch(() => undefined);
  if (outStat && !outStat.isDirectory())
    throw new SheetgenError(t(g.lang, 'outDirIsFile', { file: outDir }), { exitCode: EXIT.usage });
  const jobs = parseJobs(opts.jobs, g);
  const skipped: SkippedEntry[] = [];
  const files = await expandInputs(inputs, g.lang, skipped);
  // Entries of the input folders that look like sheets but cannot be read are said, never dropped silently.
  for (const s of skipped) err(`${t(g.lang, 'skippedEntry', { file: s.file, reason: s.reason })}`);
  const { buildBatch, sweepTempFilesSync } = await import('../core/batch.js');
  const progress = new Progress(progressMode(opts.quiet === true), files.length, g.lang);

  // Ctrl-C once: schedule nothing more, let running sheets finish. Twice: stop at once.
  const ac = new AbortController();
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals === 1) {
      ac.abort();
      progress.note(t(g.lang, 'stopping'));
      return;
    }
    sweepTempFilesSync(outDir);
    process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let report: BatchReport;
  try {
    report = await buildBatch(files, {
      lang: g.lang,
      outDir,
      ...fontOptions(opts),
      ...(jobs !== undefined ? { jobs } : {}),
      ...(opts.json ? { keepGraded: true } : {}),
      signal: ac.signal,
      onProgress: (e) => progress.update(e),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.clear();
  }
  printReport(report, opts, g);
}

function printReport(report: BatchReport, opts: BuildCliOptions, g: GlobalOptions): void {
  const quiet = opts.quiet === true;
  // Every sheet's problems, in the order the sheets were given (not the order the threads finished).
  for (const r of report.sheets) {
    const diags = quiet ? r.diagnostics.filter((d) => d.severity === 'error') : r.diagnostics;
    if (diags.length > 0) printDiagnostics(diags, r.text, g);
    if (r.bug) err(r.bug);
  }
  if (report.setDiagnostics.length > 0) {
    err(t(g.lang, 'setProblems'));
    printDiagnostics(report.setDiagnostics, undefined, g);
  }
  const count = (s: string) => report.sheets.filter((r) => r.status === s).length;
  const built = count('built');
  const failed = count('failed');
  const skipped = count('skipped');
  const warnings = report.sheets.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'warning').length, 0);
  const setErrors = report.setDiagnostics.length;
  if (!quiet) {
    err(
      t(g.lang, 'batchSummary', { built, failed, warnings, seconds: (report.ms / 1000).toFixed(1), jobs: report.jobs }),
    );
    if (setErrors > 0) err(t(g.lang, 'batchSetErrors', { count: setErrors }));
    if (skipped > 0) err(t(g.lang, 'batchSkipped', { count: skipped }));
    for (const f of [report.index, report.csv, report.json, report.projectsCsv, report.projectsJson])
      if (f) err(t(g.lang, 'wrote', { file: f }));
    if (!report.aborted && built === 0) err(t(g.lang, 'batchNothingBuilt'));
  }
  if (opts.json) {
    out(
      JSON.stringify(
        {
          sheets: report.sheets.map((r) => sheetEntry(r.file, r.status, r.output, r.graded, r.diagnostics)),
          set_errors: report.setDiagnostics.map(diagJson),
          index: report.index ?? null,
          csv: report.csv ?? null,
          json: report.json ?? null,
          projects_csv: report.projectsCsv ?? null,
          projects_json: report.projectsJson ?? null,
          summary: {
            built,
            failed,
            skipped,
            warnings,
            set_errors: setErrors,
            seconds: Math.round(report.ms) / 1000,
            jobs: report.jobs,
            aborted: report.aborted,
          },
        },
        null,
        2,
      ),
    );
  }
  if (report.aborted) exit.raise(EXIT_INTERRUPTED);
  else if (report.sheets.some((r) => r.bug)) exit.raise(EXIT.internal);
  else if (failed > 0 || setErrors > 0) exit.raise(EXIT.invalid);
}

export function register(program: Command): void {
  program
    .command('build')
    .description(
      'build the PDF of a sheet, or of every sheet of a folder or glob (in parallel, with index.pdf, grades.csv and grades.json)',
    )
    .argument(
      '<inputs...>',
      'sheet YAML file(s), folder(s) (every *.yaml/*.yml inside, recursively) or glob(s) such as "sheets/**/*.yaml"',
    )
    .option(
      '-o, --output <path>',
      'one sheet: PDF file or folder (default: next to the input); several: the output folder (required)',
    )
    .option('-j, --jobs <n>', 'worker threads for several sheets (default: CPU count; 1 builds without threads)')
    .option('-q, --quiet', 'no progress, no summary, no warnings: only errors')
    .option('--json', 'print one JSON report of every sheet (file, output, grades, warnings, errors) on stdout')
    .option('--font <file>', 'TTF/OTF font for the text (default: the bundled BIZ UDPGothic)')
    .option('--bold-font <file>', 'TTF/OTF font for headings (default: --font, or BIZ UDPGothic Bold)')
    .option('--grade-column', 'add a 達成状況 (grade) column to (1); the form states grades in ② (default: off)')
    .option('--scheme <name|file>', 'grading scheme: asahi (default), five-level, or a scheme JSON file')
    .addHelpText(
      'after',
      '\nExamples:\n  $ sheetgen build examples/asahi-2020-09.yaml -o out/2020-09.pdf\n  wrote out/2020-09.pdf (137905 bytes)\n  $ sheetgen build sheets/2020 -o public/2020        # every sheet, index.pdf, grades.csv, grades.json\n  $ sheetgen build "sheets/**/*.yaml" -o out --jobs 2 --json > report.json',
    )
    .action(async (inputs: string[], given: BuildCliOptions, cmd: Command) => {
      const g = globals(cmd);
      // The city's defaults (sheetgen.config.yaml above the first input) for what the command line leaves out.
      const opts = withCityDefaults(given, inputs[0] ?? '.', g.lang);
      const only = inputs.length === 1 ? inputs[0]! : undefined;
      // One existing file keeps the single-sheet behaviour (-o may name the PDF itself).
      const isSingleFile =
        only !== undefined &&
        !isGlob(only) &&
        (await stat(only).then(
          (s) => !s.isDirectory(),
          () => true,
        ));
      if (isSingleFile) await single(only, opts, g);
      else await batch(inputs, opts, g);
    });
}
