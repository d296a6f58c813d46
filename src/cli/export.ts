//! `sheetgen export FILE|DIR|GLOB... --format csv|json [-o OUTDIR | --table grades|projects]`: the open
//! data of a set of sheets (grades and the projects' figures) without building PDFs.

import { Option, type Command } from 'commander';
import { EXIT } from '../diagnostics.js';
import { collectOpenData, tableText, writeOpenData, type ExportFormat } from '../core/export.js';
import { t } from '../messages.js';
import { err, exit, globals, printDiagnostics } from './io.js';

export function register(program: Command): void {
  program
    .command('export')
    .description(
      "write the open data of sheets (grades, and the projects' costs and outcomes) as CSV or JSON, without PDFs",
    )
    .argument('<inputs...>', 'sheet files, folders (every *.yaml inside) or quoted globs')
    .addOption(
      new Option('--format <format>', 'csv (UTF-8 with BOM, CRLF: opens in Excel) or json')
        .choices(['csv', 'json'])
        .default('csv'),
    )
    .option('-o, --out <dir>', 'folder to write grades.FORMAT and projects.FORMAT into')
    .addOption(
      new Option('--table <table>', 'print one table on standard output instead of writing files').choices([
        'grades',
        'projects',
      ]),
    )
    .option('--scheme <name|file>', 'grading scheme: asahi (default), five-level, or a scheme JSON file')
    .addHelpText(
      'after',
      '\nExamples:\n  $ sheetgen export sheets/2020 -o public/2020\n  $ sheetgen export sheets/2020 --format json --table projects > projects.json',
    )
    .action(
      async (
        inputs: string[],
        opts: { format: ExportFormat; out?: string; table?: 'grades' | 'projects'; scheme?: string },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        if ((opts.out === undefined) === (opts.table === undefined)) {
          err(`sheetgen: ${t(g.lang, 'exportOutOrTable')}`);
          exit.raise(EXIT.usage);
          return;
        }
        const data = await collectOpenData(inputs, { lang: g.lang, ...(opts.scheme ? { scheme: opts.scheme } : {}) });
        for (const f of data.files) printDiagnostics(f.diagnostics, f.text, g);
        if (opts.table) process.stdout.write(tableText(data, opts.table, opts.format));
        else
          for (const file of await writeOpenData(data, opts.out!, opts.format, g.lang))
            err(t(g.lang, 'wrote', { file }));
        exit.raise(data.files.some((f) => !f.ok) ? EXIT.invalid : EXIT.ok);
      },
    );
}
