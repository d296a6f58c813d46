//! The sheetgen command line: registers the commands and is the one error boundary.
//! Bad input ends with its diagnostics and exit 1 (usage: 2); anything else is a bug and shows its stack.

import { Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { EXIT, SheetgenError, langFromEnv, type Lang } from '../diagnostics.js';
import { t } from '../messages.js';
import { register as registerBuild } from './build.js';
import { register as registerExport } from './export.js';
import { cityLang } from './city.js';
import { register as registerGrade } from './grade.js';
import { applyJapanese, JA_DESCRIPTIONS, japaneseHelp, translateCommanderError, translateHelpText } from './help-ja.js';
import { register as registerInit } from './init.js';
import { register as registerPreview } from './preview.js';
import { register as registerRollover } from './rollover.js';
import { err, exit, printDiagnostics } from './io.js';
import { register as registerValidate } from './validate.js';
import { register as registerXlsx } from './xlsx.js';

/** The program; its help and commander's own errors are in `lang` (Japanese for ja). */
export function program(lang: Lang = 'en'): Command {
  const p = new Command('sheetgen');
  if (lang === 'ja') {
    // Set before the commands are registered: each copies its parent's output and help settings.
    p.configureHelp(japaneseHelp());
    p.configureOutput({
      writeOut: (s) => quietWrite(process.stdout, translateHelpText(s)),
      writeErr: (s) => quietWrite(process.stderr, translateHelpText(s)),
      outputError: (s, write) => write(translateCommanderError(s)),
    });
  }
  p.description('重点施策マネジメントシート: YAML → validated, graded, PDF laid out like the official form')
    .version(pkg.version, '-V, --version', 'output the version number')
    .helpOption('-h, --help', 'display help for command')
    .addOption(
      new Option(
        '--lang <lang>',
        'language of messages (default: from LC_ALL / LC_MESSAGES / LANG, else the OS locale)',
      ).choices(['ja', 'en']),
    )
    .option('--no-color', 'no colours in messages')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText(
      'after',
      '\nExamples:\n  $ sheetgen init sheets/2020/my-sheet.yaml\n  $ sheetgen validate examples/*.yaml\n  $ sheetgen grade examples/asahi-2020-09.yaml\n  $ sheetgen build examples/asahi-2020-09.yaml -o out/2020-09.pdf',
    );
  if (lang === 'ja') p.helpCommand('help [command]', JA_DESCRIPTIONS.help);
  registerValidate(p);
  registerGrade(p);
  registerBuild(p);
  registerRollover(p);
  registerExport(p);
  registerPreview(p);
  registerXlsx(p);
  registerInit(p);
  for (const c of p.commands) c.exitOverride().showHelpAfterError();
  if (lang === 'ja') applyJapanese(p);
  // A city's defaults file may set the language: the commands see it as the --lang value.
  const fromCity = cityLang();
  if (fromCity) p.setOptionValueWithSource('lang', fromCity, 'config');
  return p;
}

function quietWrite(stream: NodeJS.WriteStream, s: string): void {
  stream.write(s);
}

let pipesGuarded = false;

/**
 * A reader that has gone away (`sheetgen … | head`) is not an error: the output is not wanted any
 * more, so sheetgen ends at once, quietly, like other command-line tools (which die of SIGPIPE),
 * instead of an EPIPE stack trace.
 */
function guardPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(exit.code);
      throw e;
    });
  }
}

/** The message language for errors that escape a command: --lang when given, else the environment's. */
function langOf(argv: readonly string[]): Lang {
  const i = argv.indexOf('--lang');
  const v = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--lang='))?.slice(7);
  return v === 'ja' || v === 'en' ? v : (cityLang() ?? langFromEnv());
}

/** Runs the CLI; returns the exit code (bin/sheetgen.js sets it on the process). */
export async function main(argv: string[]): Promise<number> {
  exit.code = 0;
  guardPipes();
  try {
    await program(langOf(argv)).parseAsync(argv);
    return exit.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with exit code 0; anything else commander refuses is a usage error.
      return e.exitCode === 0 ? 0 : EXIT.usage;
    }
    const lang = langOf(argv);
    if (e instanceof SheetgenError) {
      if (e.diagnostics.length > 0 && e.diagnostics.some((d) => d.line !== undefined))
        printDiagnostics(e.diagnostics, undefined, { lang, color: false });
      else err(`sheetgen: ${e.message}`);
      return e.exitCode;
    }
    err(t(lang, 'internal'));
    err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return EXIT.internal;
  }
}
