//! The sheetgen command line: registers the commands and is the one error boundary.
//! Bad input ends with its diagnostics and exit 1 (usage: 2); anything else is a bug and shows its stack.

import { Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { EXIT, SheetgenError, langFromEnv, type Lang } from '../diagnostics.js';
import { t } from '../messages.js';
import { register as registerBuild } from './build.js';
import { register as registerExport } from './export.js';
import { register as registerGrade } from './grade.js';
import { register as registerPreview } from './preview.js';
import { register as registerRollover } from './rollover.js';
import { err, exit, printDiagnostics } from './io.js';
import { register as registerValidate } from './validate.js';
import { register as registerXlsx } from './xlsx.js';

export function program(): Command {
  const p = new Command('sheetgen')
    .description('重点施策マネジメントシート: YAML → validated, graded, PDF laid out like the official form')
    .version(pkg.version, '-V, --version')
    .addOption(new Option('--lang <lang>', 'language of messages (default: from LANG / LC_ALL)').choices(['ja', 'en']))
    .option('--no-color', 'no colours in messages')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', '\nExamples:\n  $ sheetgen validate examples/*.yaml\n  $ sheetgen grade examples/asahi-2020-09.yaml\n  $ sheetgen build examples/asahi-2020-09.yaml -o out/2020-09.pdf');
  registerValidate(p);
  registerGrade(p);
  registerBuild(p);
  registerRollover(p);
  registerExport(p);
  registerPreview(p);
  registerXlsx(p);
  for (const c of p.commands) c.exitOverride().showHelpAfterError();
  return p;
}

/** The message language for errors that escape a command: --lang when given, else the environment's. */
function langOf(argv: readonly string[]): Lang {
  const i = argv.indexOf('--lang');
  const v = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--lang='))?.slice(7);
  return v === 'ja' || v === 'en' ? v : langFromEnv();
}

/** Runs the CLI; returns the exit code (bin/sheetgen.js sets it on the process). */
export async function main(argv: string[]): Promise<number> {
  exit.code = 0;
  try {
    await program().parseAsync(argv);
    return exit.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with exit code 0; anything else commander refuses is a usage error.
      return e.exitCode === 0 ? 0 : EXIT.usage;
    }
    const lang = langOf(argv);
    if (e instanceof SheetgenError) {
      if (e.diagnostics.length > 0 && e.diagnostics.some((d) => d.line !== undefined)) printDiagnostics(e.diagnostics, undefined, { lang, color: false });
      else err(`sheetgen: ${e.message}`);
      return e.exitCode;
    }
    err(t(lang, 'internal'));
    err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return EXIT.internal;
  }
}
