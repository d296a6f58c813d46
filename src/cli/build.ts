//! `sheetgen build FILE [-o OUT.pdf]`: one sheet to a PDF, with every warning (shrunk or overflowing text) shown.

import type { Command } from 'commander';
import { EXIT, hasErrors } from '../diagnostics.js';
import type { BuildOptions, BuildOutcome } from '../core/build.js';
import { exit, globals, out, printDiagnostics } from './io.js';

export interface BuildCliOptions {
  output?: string;
  font?: string;
  boldFont?: string;
  scheme?: string;
}

export function register(program: Command): void {
  program
    .command('build')
    .description('build the PDF of a sheet (validates and grades first; nothing is written if there is an error)')
    .argument('<file>', 'sheet YAML file')
    .option('-o, --output <path>', 'PDF file to write, or a folder (default: next to the input, same name with .pdf)')
    .option('--font <file>', 'TTF/OTF font for the text (default: the bundled BIZ UDPGothic)')
    .option('--bold-font <file>', 'TTF/OTF font for headings (default: --font, or BIZ UDPGothic Bold)')
    .option('--scheme <name|file>', 'grading scheme: asahi (default), five-level, or a scheme JSON file')
    .addHelpText('after', '\nExample:\n  $ sheetgen build examples/asahi-2020-09.yaml -o out/2020-09.pdf\n  wrote out/2020-09.pdf (2 pages)')
    .action(async (file: string, opts: BuildCliOptions, cmd: Command) => {
      const g = globals(cmd);
      // Imported here so that validate and grade never load the layout and PDF code.
      const { buildFile } = (await import('../core/build.js')) as { buildFile: (f: string, o: BuildOptions) => Promise<BuildOutcome> };
      const r = await buildFile(file, {
        lang: g.lang,
        ...(opts.output !== undefined ? { out: opts.output } : {}),
        ...(opts.font !== undefined ? { font: opts.font, boldFont: opts.boldFont ?? opts.font } : {}),
        ...(opts.boldFont !== undefined ? { boldFont: opts.boldFont } : {}),
        ...(opts.scheme !== undefined ? { scheme: opts.scheme } : {}),
      });
      printDiagnostics(r.diagnostics, r.text, g);
      if (hasErrors(r.diagnostics) || !r.output) {
        exit.raise(EXIT.invalid);
        return;
      }
      out(g.lang === 'ja' ? `${r.output} を書き出しました（${r.bytes} バイト）` : `wrote ${r.output} (${r.bytes} bytes)`);
    });
}
