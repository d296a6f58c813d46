//! The preview's builds: one sheet file built again and again in this process (read → load → validate →
//! grade → lay out → render, the pipeline of core/build.ts), its PDF kept in memory, never written to disk.

import { createHash } from 'node:crypto';
import { SheetgenError, hasErrors, type Diagnostic, type Lang } from '../diagnostics.js';
import { renderGraded } from '../core/build.js';
import { gradeLoaded } from '../core/grade.js';
import { loadSheetText } from '../core/load.js';
import { readSheetFile } from '../load/source.js';
import { loadScheme } from '../grade/index.js';
import { t } from '../messages.js';
import { loadFonts, type FontSet } from '../render/fonts.js';

export interface PreviewOptions {
  lang: Lang;
  /** Grading scheme name or file, as `sheetgen build --scheme`. */
  scheme?: string;
  font?: string;
  boldFont?: string;
}

/** The outcome of one build, what the page and the terminal show. */
export interface PreviewState {
  /** 1 for the first build of this session, then one more for each build. */
  build: number;
  state: 'ok' | 'error';
  /** The PDF, when the sheet built without errors. */
  pdf?: Uint8Array;
  /** Hex sha256 of the PDF bytes. */
  sha256?: string;
  /** Errors (state "error") or warnings (state "ok"), each with file:line:col where the problem has a place. */
  diagnostics: Diagnostic[];
  /** The text the build read, for code frames; undefined when the file could not be read. */
  text?: string;
  /** Milliseconds from reading the file to the PDF bytes (or to the diagnostics). */
  ms: number;
  /** CPU time (user + system) of this process during the build: the build's cost on a busy machine. */
  cpuMs: number;
  finishedAt: Date;
}

/** How long an empty file may stay empty before it is reported (see buildOnce). */
const EMPTY_GRACE_MS = 150;

export type BuildListener = (s: PreviewState) => void;

/**
 * Builds a sheet file on request, one build at a time: a request while a build runs makes one more
 * build when it ends (so the last save always wins), and a file whose text did not change is not
 * built again (editors touch files without changing them).
 */
export class PreviewSession {
  readonly file: string;
  readonly opts: PreviewOptions;
  /** Random per process: a page from an earlier run of the preview must not take build #3 for this run's #3. */
  readonly instance = createHash('sha256')
    .update(`${process.pid}:${Date.now()}:${Math.random()}`)
    .digest('hex')
    .slice(0, 12);
  private readonly fonts: FontSet;
  private state: PreviewState | undefined;
  private lastText: string | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Counts changes seen (see changed()); a build that began before the last one is not shown. */
  private generation = 0;
  private readonly listeners = new Set<BuildListener>();
  /** Called with a thrown error that is a bug in sheetgen (the build shows as failed; the preview keeps running). */
  onBug: (e: unknown) => void = () => {};

  /** Parses the fonts once; a bad --font or --scheme is a usage error here, before any server starts. */
  constructor(file: string, opts: PreviewOptions) {
    this.file = file;
    this.opts = opts;
    if (opts.scheme !== undefined) loadScheme(opts.scheme);
    this.fonts = loadFonts({
      ...(opts.font ? { regular: opts.font } : {}),
      ...(opts.boldFont ? { bold: opts.boldFont } : {}),
    });
  }

  /** The latest build (call start() first). */
  get current(): PreviewState {
    if (!this.state) throw new Error('PreviewSession.current before start()');
    return this.state;
  }

  /**
   * The first build. A file that cannot be read at all (missing, a folder) throws its SheetgenError here:
   * there is nothing to preview. Later, the same problem is shown as the build's error until it is fixed.
   */
  async start(): Promise<PreviewState> {
    await readSheetFile(this.file, this.opts.lang);
    await this.rebuild();
    return this.current;
  }

  onBuild(listener: BuildListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The file changed (or may have), called at once on each file event, before the debounce: a build
   * running now may have read a half-written file, so its result is dropped and it builds again.
   */
  changed(): void {
    this.generation++;
    if (this.running) this.again = true;
  }

  /** Builds again (the file changed, or may have); resolves when the latest text is built. */
  rebuild(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.buildOnce();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async buildOnce(): Promise<void> {
    const generation = this.generation;
    let input = await this.read();
    // An empty file is what an editor leaves between truncating and writing: give the write a moment.
    if ('text' in input && input.text === '') {
      await new Promise((r) => setTimeout(r, EMPTY_GRACE_MS));
      input = await this.read();
    }
    if ('text' in input && input.text === this.lastText) return;
    await this.buildText(input, () => this.generation !== generation);
  }

  private async read(): Promise<{ text: string } | { error: Diagnostic }> {
    try {
      return await readSheetFile(this.file, this.opts.lang);
    } catch (e) {
      if (!(e instanceof SheetgenError)) throw e;
      // Gone for a moment (an editor replacing the file) or for good: shown until the file is back.
      return { error: { severity: 'error', code: 'file.unreadable', file: this.file, message: e.message } };
    }
  }

  /** Builds the text and shows the result, unless `stale()` says the file changed meanwhile. */
  private async buildText(input: { text: string } | { error: Diagnostic }, stale: () => boolean): Promise<void> {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let result: { pdf?: Uint8Array; diagnostics: Diagnostic[]; text?: string };
    if ('error' in input) {
      this.lastText = undefined;
      result = { diagnostics: [input.error] };
    } else {
      this.lastText = input.text;
      try {
        result = { ...(await this.render(input.text)), text: input.text };
      } catch (e) {
        if (e instanceof SheetgenError) {
          result = {
            diagnostics:
              e.diagnostics.length > 0
                ? e.diagnostics
                : [{ severity: 'error', code: 'build.failed', file: this.file, message: e.message }],
            text: input.text,
          };
        } else {
          this.onBug(e);
          const detail = e instanceof Error ? e.message : String(e);
          result = {
            diagnostics: [
              {
                severity: 'error',
                code: 'internal',
                file: this.file,
                message: t(this.opts.lang, 'previewBug', { detail }),
              },
            ],
            text: input.text,
          };
          // The same text would fail the same way: build it again on the next save even if unchanged.
          this.lastText = undefined;
        }
      }
    }
    // A read can catch an editor mid-write, and the write's own event may come only after this build:
    // show the build only if the file still holds the text it was built from.
    if (!stale() && 'text' in input) {
      const now = await this.read();
      if (!('text' in now) || now.text !== input.text) this.generation++;
    }
    if (stale()) {
      // Read before the last change: its result is not what the file says now. Build again.
      this.lastText = undefined;
      this.again = true;
      return;
    }
    const ok = result.pdf !== undefined && !hasErrors(result.diagnostics);
    const state: PreviewState = {
      build: (this.state?.build ?? 0) + 1,
      state: ok ? 'ok' : 'error',
      ...(ok && result.pdf ? { pdf: result.pdf, sha256: createHash('sha256').update(result.pdf).digest('hex') } : {}),
      // Errors alone while the file is invalid: the warnings of a sheet that does not build are noise.
      diagnostics: ok ? result.diagnostics : result.diagnostics.filter((d) => d.severity === 'error'),
      ...(result.text !== undefined ? { text: result.text } : {}),
      ms: performance.now() - t0,
      cpuMs: ((c) => (c.user + c.system) / 1000)(process.cpuUsage(c0)),
      finishedAt: new Date(),
    };
    this.state = state;
    for (const l of this.listeners) l(state);
  }

  /** The pipeline of core/build.ts buildLoaded, without the write: the PDF stays in memory. */
  private async render(text: string): Promise<{ pdf?: Uint8Array; diagnostics: Diagnostic[] }> {
    const loaded = loadSheetText(this.file, text, this.opts.lang);
    const outcome = gradeLoaded(loaded, {
      lang: this.opts.lang,
      ...(this.opts.scheme !== undefined ? { scheme: this.opts.scheme } : {}),
    });
    if (!outcome.graded || hasErrors(outcome.diagnostics)) return { diagnostics: outcome.diagnostics };
    const rendered = await renderGraded({ ...outcome, graded: outcome.graded }, this.fonts, { lang: this.opts.lang });
    const diagnostics = [...outcome.diagnostics, ...rendered.diagnostics];
    return rendered.pdf && !hasErrors(diagnostics) ? { pdf: rendered.pdf, diagnostics } : { diagnostics };
  }
}
