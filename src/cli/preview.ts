//! `sheetgen preview FILE [--port N] [--open]`: builds the sheet on every save and serves the PDF (or the
//! problems) at a local address until Ctrl-C; the terminal shows each build and its diagnostics.

import { createRequire } from 'node:module';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { EXIT, SheetgenError } from '../diagnostics.js';
import { t } from '../messages.js';
import type { PreviewServer } from '../preview/server.js';
import type { PreviewState } from '../preview/session.js';
import type { FileWatcher } from '../preview/watch.js';
import { err, exit, globals, out, printDiagnostics, type GlobalOptions } from './io.js';

export interface PreviewCliOptions {
  port?: string;
  open?: boolean;
  font?: string;
  boldFont?: string;
  scheme?: string;
}

/** Exit codes when stopped by a signal: 128 + its number, as shells report it (SIGINT as in `build`). */
const EXIT_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;

function parsePort(v: string | undefined, g: GlobalOptions): number {
  if (v === undefined) return 0;
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535)
    throw new SheetgenError(t(g.lang, 'badPort', { value: v }), { exitCode: EXIT.usage });
  return Number(v);
}

/**
 * Opens the URL in the user's browser: $BROWSER when set (as many tools honour it), else the
 * system's opener. The URL is ours (http://127.0.0.1:port/) and goes as one argument, never through a shell.
 * node:child_process is loaded here, not imported at the top: every other command's cold start skips it
 * (~5 ms). require(), not import(): the CLI also runs as one CommonJS script (scripts/build.mjs).
 */
function openBrowser(url: string, g: GlobalOptions): void {
  const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  const [cmd, args] = process.env.BROWSER
    ? [process.env.BROWSER, [url]]
    : process.platform === 'win32'
      ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
      : process.platform === 'darwin'
        ? ['open', [url]]
        : ['xdg-open', [url]];
  const fail = (detail: string) => err(t(g.lang, 'openFailed', { detail, url }));
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', (e) => fail(`${cmd}: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    child.unref();
  } catch (e) {
    fail(`${cmd}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function report(s: PreviewState, g: GlobalOptions): void {
  const time = s.finishedAt.toTimeString().slice(0, 8);
  const errors = s.diagnostics.filter((d) => d.severity === 'error').length;
  if (s.diagnostics.length > 0) printDiagnostics(s.diagnostics, s.text, g);
  if (s.state === 'ok')
    err(
      t(g.lang, 'previewBuilt', {
        time,
        build: s.build,
        ms: Math.round(s.ms),
        warnings: s.diagnostics.length - errors,
      }),
    );
  else err(t(g.lang, 'previewFailed', { time, build: s.build, errors }));
}

async function preview(file: string, opts: PreviewCliOptions, g: GlobalOptions): Promise<void> {
  const port = parsePort(opts.port, g);
  // Signals are taken from the start (the first build can take a second): Ctrl-C always stops cleanly,
  // a second one while stopping stops at once.
  let signal: keyof typeof EXIT_SIGNAL | undefined;
  let wake: (() => void) | undefined;
  const onSignal = (sig: keyof typeof EXIT_SIGNAL) => () => {
    if (signal) process.exit(EXIT_SIGNAL[sig]);
    signal = sig;
    wake?.();
  };
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  let server: PreviewServer | undefined;
  let watcher: FileWatcher | undefined;
  try {
    // Imported here so that validate and grade never load the server, the layout or the PDF code.
    const [{ PreviewSession }, { startServer }, { watchPath }] = await Promise.all([
      import('../preview/session.js'),
      import('../preview/server.js'),
      import('../preview/watch.js'),
    ]);
    const session = new PreviewSession(file, {
      lang: g.lang,
      ...(opts.font !== undefined ? { font: opts.font, boldFont: opts.boldFont ?? opts.font } : {}),
      ...(opts.boldFont !== undefined ? { boldFont: opts.boldFont } : {}),
      ...(opts.scheme !== undefined ? { scheme: opts.scheme } : {}),
    });
    session.onBug = (e) => {
      err(t(g.lang, 'internal'));
      err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    };
    report(await session.start(), g);
    session.onBuild((s) => report(s, g));
    if (!signal)
      server = await startServer(session, { port, lang: g.lang, pdfName: `${basename(file, extname(file))}.pdf` });
    if (server && !signal) {
      watcher = watchPath(
        file,
        () => {
          session.rebuild().catch((e: unknown) => session.onBug(e));
        },
        { onEvent: () => session.changed() },
      );
      // A save between the first build and the watch: seen now (an unchanged file builds nothing).
      session.rebuild().catch((e: unknown) => session.onBug(e));
      out(t(g.lang, 'previewUrl', { file, url: server.url }));
      if (opts.open) openBrowser(server.url, g);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    watcher?.close();
    await server?.close();
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
  err(t(g.lang, 'previewStopped'));
  exit.raise(EXIT_SIGNAL[signal ?? 'SIGINT']);
}

export function register(program: Command): void {
  program
    .command('preview')
    .description(
      'build a sheet on every save and show it in the browser (a local server at 127.0.0.1; Ctrl-C stops it)',
    )
    .argument('<file>', 'sheet YAML file')
    .option('-p, --port <n>', 'port to listen on at 127.0.0.1 (default: any free port)')
    .option('--open', 'open the page in the browser ($BROWSER, or the system default)')
    .option('--font <file>', 'TTF/OTF font for the text (default: the bundled BIZ UDPGothic)')
    .option('--bold-font <file>', 'TTF/OTF font for headings (default: --font, or BIZ UDPGothic Bold)')
    .option('--scheme <name|file>', 'grading scheme: asahi (default), five-level, or a scheme JSON file')
    .addHelpText(
      'after',
      '\nExamples:\n  $ sheetgen preview examples/asahi-2020-09.yaml --open\n  Preview of examples/asahi-2020-09.yaml: http://127.0.0.1:41327/  (Ctrl-C to stop)',
    )
    .action(async (file: string, opts: PreviewCliOptions, cmd: Command) => {
      await preview(file, opts, globals(cmd));
    });
}
