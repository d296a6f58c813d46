//! `sheetgen init [FILE]`: a new sheet file (blank, or --from another sheet) with a Japanese comment on
//! every field and the editor line for completion; --vscode writes the folder's VS Code setting instead.

import { dirname } from 'node:path';
import type { Command } from 'commander';
import { EXIT, SheetgenError } from '../diagnostics.js';
import { initSheet, writeConfigFile, writeVscodeSettings } from '../core/init.js';
import { t } from '../messages.js';
import { exit, globals, out, printDiagnostics } from './io.js';

interface InitCliOptions {
  from?: string;
  force?: boolean;
  vscode?: boolean;
  config?: boolean;
  year?: string;
}

export function register(program: Command): void {
  program
    .command('init')
    .description(
      'write a new sheet file to start from (a blank template, or --from an existing sheet), every field with a Japanese comment',
    )
    .argument('[file]', 'the file to write (default: sheet.yaml); with --vscode, the folder (default: .)')
    .option('--from <sheet>', 'start from this sheet instead of the blank template')
    .option('--year <year>', 'fiscal year of the blank template (Western, default: the current fiscal year)')
    .option('--force', 'replace the file if it exists')
    .option(
      '--config',
      "write the city's defaults file (sheetgen.config.yaml) into a folder instead of a sheet; FILE names the folder",
    )
    .option(
      '--vscode',
      "write the VS Code setting (.vscode/settings.json, yaml.schemas) for the file's folder instead of a sheet; FILE names the folder",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ sheetgen init sheets/2021/my-measure.yaml\n  $ sheetgen init sheets/2021/new.yaml --from sheets/2021/asahi-2021-09.yaml\n  $ sheetgen init sheets --vscode\n  $ sheetgen init sheets --config',
    )
    .action(async (given: string | undefined, opts: InitCliOptions, cmd: Command) => {
      const g = globals(cmd);
      if (opts.config) {
        const r = await writeConfigFile({ lang: g.lang, folder: given ?? '.', ...(opts.force ? { force: true } : {}) });
        out(t(g.lang, 'initConfigWrote', { file: r }));
        return;
      }
      if (opts.vscode) {
        const r = await writeVscodeSettings({ lang: g.lang, folder: given ?? '.' });
        out(t(g.lang, 'initVscodeWrote', { file: r.file, schema: r.ref }));
        return;
      }
      const file = given ?? 'sheet.yaml';
      let fiscalYear: number | undefined;
      if (opts.year !== undefined) {
        if (!/^\d{4}$/.test(opts.year))
          throw new SheetgenError(t(g.lang, 'rolloverBadYear', { value: opts.year }).replace('--to', '--year'), {
            exitCode: EXIT.usage,
          });
        fiscalYear = Number(opts.year);
      }
      const r = await initSheet({
        lang: g.lang,
        out: file,
        ...(opts.from !== undefined ? { from: opts.from } : {}),
        ...(opts.force ? { force: true } : {}),
        ...(fiscalYear !== undefined ? { defaults: { fiscalYear } } : {}),
      });
      if (r.diagnostics.length > 0) {
        printDiagnostics(r.diagnostics, r.text, g);
        exit.raise(EXIT.invalid);
        return;
      }
      out(t(g.lang, 'initWrote', { file, dir: dirname(file) }));
    });
}
