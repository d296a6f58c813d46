//! `sheetgen rollover DIR --to YEAR -o NEWDIR`: next year's sheet files from this year's, each
//! validated before it is written; never over an input, never over an existing file without --force.

import type { Command } from 'commander';
import { EXIT, SheetgenError } from '../diagnostics.js';
import { rollover } from '../core/rollover.js';
import { t } from '../messages.js';
import { err, exit, globals, out, printDiagnostics } from './io.js';

export function register(program: Command): void {
  program
    .command('rollover')
    .description(
      "make next year's sheet files from this year's: figures and structure carried over, the year's text cleared (kept as comments)",
    )
    .argument('<inputs...>', 'folder(s), sheet file(s) or glob(s) of the current year')
    .requiredOption('--to <year>', 'the new fiscal year (Western, e.g. 2021)')
    .requiredOption('-o, --output <dir>', 'folder for the new files (not the input folder)')
    .option('--force', 'replace files that already exist in the output folder')
    .addHelpText(
      'after',
      '\nExample:\n  $ sheetgen rollover sheets/2020 --to 2021 -o sheets/2021\n  sheets/2020/asahi-2020-09.yaml → sheets/2021/asahi-2021-09.yaml',
    )
    .action(async (inputs: string[], opts: { to: string; output: string; force?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      if (!/^\d{4}$/.test(opts.to))
        throw new SheetgenError(t(g.lang, 'rolloverBadYear', { value: opts.to }), { exitCode: EXIT.usage });
      const to = Number(opts.to);
      const results = await rollover(inputs, {
        lang: g.lang,
        to,
        outDir: opts.output,
        ...(opts.force ? { force: true } : {}),
      });
      let failed = 0;
      for (const r of results) {
        if (r.diagnostics.length > 0) printDiagnostics(r.diagnostics, r.text, g);
        if (r.written) out(t(g.lang, 'rolloverWrote', { from: r.file, to: r.output }));
        else failed++;
      }
      err(t(g.lang, 'rolloverSummary', { count: results.length - failed, year: to, failed }));
      exit.raise(failed > 0 ? EXIT.invalid : EXIT.ok);
    });
}
