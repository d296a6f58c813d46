//! Prints diagnostics for people: `file:line:col severity: message (field)`, a code frame of the
//! user's own lines with a caret under the spot, and the hint.

import { formatPath, type Diagnostic, type Lang } from '../diagnostics.js';
import { t, visible } from '../messages.js';

export interface ReportStyle {
  color: boolean;
  lang: Lang;
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0x09) w += 4;
    else if (
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0x303e) ||
      (c >= 0x3041 && c <= 0x33ff) ||
      (c >= 0x3400 && c <= 0x4dbf) ||
      (c >= 0x4e00 && c <= 0x9fff) ||
      (c >= 0xa000 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd) ||
      (c >= 0x2460 && c <= 0x24ff) ||
      (c >= 0x25a0 && c <= 0x25ff)
    )
      w += 2;
    else w += 1;
  }
  return w;
}

/**
 * Escapes control characters (but tab and newline), bidi overrides and invisible format characters so
 * a hostile file cannot drive the terminal or reorder what it shows. File names go through visible(),
 * which escapes newlines too: a name cannot forge a line of output.
 */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function codeFrame(text: string, d: Diagnostic, color: boolean): string[] {
  if (d.line === undefined) return [];
  const lines = text.split(/\r?\n/);
  const lineNo = d.line;
  const from = Math.max(1, lineNo - 1);
  const to = Math.min(lines.length, lineNo + 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const raw = lines[n - 1] ?? '';
    const content = printable(raw.length > 200 ? `${raw.slice(0, 200)}…` : raw);
    const mark = n === lineNo ? paint(color, '31;1', '>') : ' ';
    out.push(`${mark} ${String(n).padStart(width)} | ${content}`);
    if (n === lineNo && d.column !== undefined) {
      const before = raw.slice(0, Math.max(0, d.column - 1));
      let len = 1;
      if (d.endLine === lineNo && d.endColumn !== undefined && d.endColumn > d.column) {
        len = displayWidth(raw.slice(d.column - 1, d.endColumn - 1));
      }
      len = Math.max(1, Math.min(len, 60));
      out.push(
        `  ${' '.repeat(width)} | ${' '.repeat(Math.min(displayWidth(before), 200))}${paint(color, '31;1', '^'.repeat(len))}`,
      );
    }
  }
  return out;
}

/** One diagnostic as text; `text` is the file's content for the code frame. */
export function formatDiagnostic(d: Diagnostic, text: string | undefined, style: ReportStyle): string {
  const where = [
    visible(d.file ?? ''),
    d.line !== undefined ? `:${d.line}` : '',
    d.line !== undefined && d.column !== undefined ? `:${d.column}` : '',
  ].join('');
  const sev =
    d.severity === 'error'
      ? paint(style.color, '31;1', style.lang === 'ja' ? 'エラー' : 'error')
      : paint(style.color, '33;1', style.lang === 'ja' ? '警告' : 'warning');
  const field = d.path && d.path.length > 0 ? ` [${visible(formatPath(d.path))}]` : '';
  const head = `${where ? `${paint(style.color, '1', where)}: ` : ''}${sev}: ${printable(d.message)}${field}`;
  const lines = [head];
  if (text !== undefined) lines.push(...codeFrame(text, d, style.color));
  if (d.hint)
    lines.push(`  ${paint(style.color, '36', style.lang === 'ja' ? 'ヒント' : 'hint')}: ${printable(d.hint)}`);
  return lines.join('\n');
}

export function formatSummary(diags: readonly Diagnostic[], lang: Lang): string {
  const errors = diags.filter((d) => d.severity === 'error').length;
  return t(lang, 'problems', { errors, warnings: diags.length - errors });
}
