//! Progress of a batch build on stderr: a one-line bar with counts and ETA on a terminal, one plain
//! line per sheet when piped or in CI, nothing with --quiet. A PDF shown done and then replaced gets
//! a line of its own in both.

import type { Lang } from '../diagnostics.js';
import type { ProgressEvent } from '../core/batch.js';
import { t, visible } from '../messages.js';

export type ProgressMode = 'bar' | 'lines' | 'off';

/** The bar only on a real terminal outside CI; CI logs and pipes get lines they can keep. */
export function progressMode(
  quiet: boolean,
  stream: { isTTY?: boolean } = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): ProgressMode {
  if (quiet) return 'off';
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return stream.isTTY === true && !ci ? 'bar' : 'lines';
}

/** 75 s → 1:15 */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export class Progress {
  private started = performance.now();
  private lastDraw = 0;
  private drawn = false;
  private failed = 0;
  private built = 0;
  constructor(
    private readonly mode: ProgressMode,
    private readonly total: number,
    private readonly lang: Lang,
    private readonly write: (s: string) => void = (s) => process.stderr.write(s),
    private readonly columns: () => number = () => process.stderr.columns ?? 80,
  ) {}

  update(e: ProgressEvent): void {
    if (e.report.status === 'failed') this.failed++;
    else if (e.report.status === 'built') this.built++;
    // A later sheet's PDF, shown as built, was replaced by this one's (the first of the batch keeps a name).
    if (e.replaced) {
      this.built--;
      this.failed++;
    }
    if (this.mode === 'lines') {
      const width = String(e.total).length;
      const r = e.report;
      const what =
        r.status === 'built'
          ? `${t(this.lang, 'progressBuilt')} ${visible(r.file)} → ${visible(r.output ?? '')}`
          : `${t(this.lang, 'progressFailed')} ${visible(r.file)}`;
      this.write(`[${String(e.done).padStart(width)}/${e.total}] ${what}\n`);
      if (e.replaced) this.write(`${' '.repeat(2 * width + 3)} ${this.replacedLine(e)}\n`);
    } else if (this.mode === 'bar') {
      // The bar shows only counts; a sheet it counted as built whose PDF is gone is told on a line
      // above it, at once, and the bar is drawn again below.
      if (e.replaced) this.note(this.replacedLine(e));
      // At most ~12 redraws a second: a terminal is slower than a fast batch.
      const now = performance.now();
      if (!e.replaced && e.done < e.total && now - this.lastDraw < 80) return;
      this.lastDraw = now;
      this.draw(e.done);
    }
  }

  /** "FAILED b.yaml no longer counts as built: X now holds the PDF of a.yaml, …" */
  private replacedLine(e: ProgressEvent): string {
    return `${t(this.lang, 'progressFailed')} ${t(this.lang, 'progressReplaced', {
      file: visible(e.replaced?.file ?? ''),
      output: visible(e.report.output ?? ''),
      by: visible(e.report.file),
    })}`;
  }

  private draw(done: number): void {
    const elapsed = (performance.now() - this.started) / 1000;
    const eta = done > 0 ? clock(((this.total - done) * elapsed) / done) : '-:--';
    const counts = `${done}/${this.total}  ${t(this.lang, 'progressCounts', { built: this.built, failed: this.failed })}  ETA ${eta}`;
    const barW = Math.max(10, Math.min(40, this.columns() - counts.length - 6));
    const fill = this.total > 0 ? Math.round((barW * done) / this.total) : barW;
    this.write(`\r[${'#'.repeat(fill)}${'-'.repeat(barW - fill)}] ${counts}\u001b[K`);
    this.drawn = true;
  }

  /** A message to show now (e.g. "stopping"): on its own line, the bar redrawn after it. */
  note(s: string): void {
    if (this.mode === 'off') return;
    this.clear();
    this.write(`${s}\n`);
  }

  /** Removes the bar so other output starts on a clean line. */
  clear(): void {
    if (this.mode === 'bar' && this.drawn) {
      this.write('\r\u001b[K');
      this.drawn = false;
    }
  }
}
