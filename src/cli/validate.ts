//! `sheetgen validate FILE...`: every problem of every file, or "ok" per file.

import type { Command } from 'commander';
import { EXIT, hasErrors, type Diagnostic, type Lang } from '../diagnostics.js';
import { checkEditorLine } from '../core/modeline.js';
import { gradeLoaded } from '../core/grade.js';
import { t, visible } from '../messages.js';
import { exit, globals, loadForCommand, out, printDiagnostics } from './io.js';

/** The editor line's warning (issue 15: a line that resolves nowhere turns completion off, even over a yaml.schemas setting). */
function editorLineWarnings(file: string, text: string, lang: Lang): Diagnostic[] {
  const w = checkEditorLine(file, text, {
    missing: (ref) => t(lang, 'modelineMissing', { ref }),
    foreign: (ref) => t(lang, 'modelineForeign', { ref }),
    hint: (line) => t(lang, 'modelineHint', { line }),
  });
  if (!w) return [];
  return [
    {
      severity: 'warning',
      code: `modeline.${w.kind}`,
      file,
      line: w.line,
      column: w.column,
      endLine: w.line,
      endColumn: w.endColumn,
      message: w.message,
      hint: w.hint,
    },
  ];
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('check sheet files against the format and the sheet rules; print every problem with file:line:col')
    .argument('<files...>', 'sheet YAML files')
    .option('--scheme <name|file>', 'grading scheme to check overrides against (asahi, five-level or a JSON file)')
    .addHelpText(
      'after',
      '\nExample:\n  $ sheetgen validate examples/asahi-2020-09.yaml\n  examples/asahi-2020-09.yaml: ok',
    )
    .action(async (files: string[], opts: { scheme?: string }, cmd: Command) => {
      const g = globals(cmd);
      let failed = false;
      for (const file of files) {
        // Grading is part of validation: an override grade must exist in the scheme.
        const loaded = gradeLoaded(await loadForCommand(file, g.lang), {
          lang: g.lang,
          ...(opts.scheme ? { scheme: opts.scheme } : {}),
        });
        if (loaded.text !== undefined)
          loaded.diagnostics = [...editorLineWarnings(file, loaded.text, g.lang), ...loaded.diagnostics];
        printDiagnostics(loaded.diagnostics, loaded.text, g);
        if (hasErrors(loaded.diagnostics)) failed = true;
        else out(`${visible(file)}: ${t(g.lang, 'ok')}`);
      }
      exit.raise(failed ? EXIT.invalid : EXIT.ok);
    });
}
