//! `sheetgen xlsx export FILE|DIR... -o OUT` and `sheetgen xlsx import BOOK.xlsx... -o DIR`: the
//! divisions' Excel workbooks, handed out and taken back as checked sheets (the work is in src/xlsx).

import type { Command } from 'commander';
import { EXIT } from '../diagnostics.js';
import { t } from '../messages.js';
import type { FileResult } from '../xlsx/index.js';
import { err, exit, globals, out, printDiagnostics, type GlobalOptions } from './io.js';

function report(results: FileResult[], g: GlobalOptions): void {
  let failed = 0;
  for (const r of results) {
    if (r.diagnostics.length > 0) printDiagnostics(r.diagnostics, r.text, g);
    if (r.written) out(t(g.lang, 'xlsxWrote', { from: r.input, to: r.output ?? '' }));
    else failed++;
  }
  err(t(g.lang, 'xlsxSummary', { count: results.length - failed, failed }));
  exit.raise(failed > 0 ? EXIT.invalid : EXIT.ok);
}

export function register(program: Command): void {
  const xlsx = program
    .command('xlsx')
    .description(
      'Excel workbooks for the divisions: export sheets as workbooks, import the filled-in workbooks as sheet YAML',
    );
  xlsx
    .command('export')
    .description('write one .xlsx workbook per sheet, laid out like the form, with live grades and totals')
    .argument('<inputs...>', 'sheet YAML file(s), folder(s) or glob(s)')
    .requiredOption('-o, --output <path>', 'output folder (or OUT.xlsx for a single sheet)')
    .option('--scheme <name|file>', "grading scheme of the live grade formulas (default: the sheet's own, then asahi)")
    .option('--force', 'replace workbooks that already exist')
    .addHelpText('after', '\nExample:\n  $ sheetgen xlsx export sheets/2021 -o handout/2021')
    .action(async (inputs: string[], opts: { output: string; scheme?: string; force?: boolean }, cmd: Command) => {
      const g = globals(cmd.parent ?? cmd);
      const { exportSheets } = await import('../xlsx/index.js');
      report(
        await exportSheets(inputs, {
          lang: g.lang,
          out: opts.output,
          ...(opts.scheme ? { scheme: opts.scheme } : {}),
          ...(opts.force ? { force: true } : {}),
        }),
        g,
      );
    });
  xlsx
    .command('import')
    .description('read filled-in workbooks back as sheet YAML files (checked like any sheet)')
    .argument('<books...>', 'workbook(s) made by sheetgen xlsx export (.xlsx)')
    .requiredOption('-o, --output <dir>', 'folder for the YAML files')
    .option('--force', 'replace YAML files that already exist')
    .addHelpText(
      'after',
      '\nExample:\n  $ sheetgen xlsx import returned/*.xlsx -o sheets/2021\n  $ sheetgen build sheets/2021 -o public/2021',
    )
    .action(async (books: string[], opts: { output: string; force?: boolean }, cmd: Command) => {
      const g = globals(cmd.parent ?? cmd);
      const { importBooks } = await import('../xlsx/index.js');
      report(await importBooks(books, { lang: g.lang, out: opts.output, ...(opts.force ? { force: true } : {}) }), g);
    });
  for (const c of xlsx.commands) c.exitOverride().showHelpAfterError();
}
