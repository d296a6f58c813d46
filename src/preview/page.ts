//! The preview page: the latest build as HTML (the PDF, or the diagnostics with code frames), every
//! text escaped, with a small script that reloads the page when a new build is announced.

import { createHash } from 'node:crypto';
import { formatPath, type Diagnostic, type Lang } from '../diagnostics.js';
import { t } from '../messages.js';
import type { PreviewState } from './session.js';

/** HTML-escapes text for element content and quoted attribute values; control characters become visible. */
export function escapeHtml(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(
        /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      )
      .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  );
}

/**
 * Runs in the browser. The server announces each build on /events (Server-Sent Events, sent once on
 * connecting too); a build other than the one shown, or another run of the preview, reloads the page.
 * EventSource reconnects by itself after the server was away.
 */
const SCRIPT = `(() => {
  const status = document.getElementById('status');
  const lost = document.getElementById('lost');
  const shown = status.dataset.build + '/' + status.dataset.instance;
  const es = new EventSource('/events');
  es.addEventListener('build', (e) => {
    const s = JSON.parse(e.data);
    lost.hidden = true;
    if (s.build + '/' + s.instance !== shown) { es.close(); location.reload(); }
  });
  es.addEventListener('error', () => { lost.hidden = false; });
})();`;

const STYLE = `
html, body { margin: 0; height: 100%; font-family: "BIZ UDPGothic", "Yu Gothic UI", Meiryo, system-ui, sans-serif; }
body { display: flex; flex-direction: column; }
header { padding: 6px 12px; border-bottom: 1px solid #ccc; display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 15px; margin: 0; }
#status[data-state="ok"] { color: #1a6d1a; }
#status[data-state="error"] { color: #b00020; font-weight: bold; }
#lost { color: #8a5a00; }
main { flex: 1; display: flex; min-height: 0; }
#viewer { flex: 1; border: 0; min-width: 0; }
#viewer p { padding: 16px; }
aside, #problems { overflow: auto; padding: 8px 16px; }
aside { width: 32%; max-width: 480px; border-left: 1px solid #ccc; }
#problems { flex: 1; }
h2 { font-size: 15px; }
ol.diagnostics { padding-left: 20px; }
ol.diagnostics li { margin-bottom: 14px; }
.where { font-family: ui-monospace, Consolas, monospace; font-weight: bold; }
.sev-error { color: #b00020; font-weight: bold; }
.sev-warning { color: #8a5a00; font-weight: bold; }
.field { color: #555; }
pre.frame { background: #f6f6f6; padding: 6px 8px; overflow-x: auto; font-family: ui-monospace, Consolas, "MS Gothic", monospace; }
pre.frame .at { background: #fde2e2; display: inline-block; min-width: 100%; }
pre.frame mark { background: #f5a3a3; }
.hint { color: #225; }
`;

const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/** The page's Content-Security-Policy: its own inline script and style only, the PDF from this server, nothing else. */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  "object-src 'self'",
  "frame-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Three lines of the user's file around the spot, the spot marked. */
function codeFrame(text: string, d: Diagnostic): string {
  if (d.line === undefined) return '';
  const lines = text.split(/\r?\n/);
  const from = Math.max(1, d.line - 1);
  const to = Math.min(lines.length, d.line + 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const raw = [...(lines[n - 1] ?? '')].slice(0, 200).join('');
    const no = `${String(n).padStart(width)} | `;
    if (n !== d.line) {
      out.push(escapeHtml(no + raw));
      continue;
    }
    const chars = [...raw];
    const start = Math.max(0, (d.column ?? 1) - 1);
    const end =
      d.column === undefined
        ? start
        : d.endLine === d.line && d.endColumn !== undefined && d.endColumn > d.column
          ? d.endColumn - 1
          : start + 1;
    const before = chars.slice(0, start).join('');
    const mark = chars.slice(start, end).join('');
    const after = chars.slice(end).join('');
    out.push(
      `<span class="at">${escapeHtml(no + before)}${mark ? `<mark>${escapeHtml(mark)}</mark>` : ''}${escapeHtml(after)}</span>`,
    );
  }
  return `<pre class="frame">${out.join('\n')}</pre>`;
}

function diagnosticItem(d: Diagnostic, text: string | undefined, lang: Lang): string {
  const where = `${d.file ?? ''}${d.line !== undefined ? `:${d.line}` : ''}${d.line !== undefined && d.column !== undefined ? `:${d.column}` : ''}`;
  const sev = d.severity === 'error' ? t(lang, 'previewPageError1') : t(lang, 'previewPageWarning1');
  const attrs = [
    `data-severity="${d.severity}"`,
    `data-code="${escapeHtml(d.code)}"`,
    d.line !== undefined ? `data-line="${d.line}"` : '',
    d.column !== undefined ? `data-column="${d.column}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return [
    `<li ${attrs}>`,
    `<span class="where">${escapeHtml(where)}</span>: <span class="sev-${d.severity}">${escapeHtml(sev)}</span>: `,
    `<span class="message">${escapeHtml(d.message)}</span>`,
    d.path && d.path.length > 0 ? ` <span class="field">[${escapeHtml(formatPath(d.path))}]</span>` : '',
    text !== undefined ? codeFrame(text, d) : '',
    d.hint ? `<p class="hint">${escapeHtml(t(lang, 'previewPageHint'))}: ${escapeHtml(d.hint)}</p>` : '',
    '</li>',
  ].join('');
}

function time(d: Date): string {
  return d.toTimeString().slice(0, 8);
}

export interface PageContext {
  lang: Lang;
  /** The file as the user named it. */
  file: string;
  /** The session's instance id (see PreviewSession.instance). */
  instance: string;
}

/** The whole page for the latest build. */
export function renderPage(s: PreviewState, ctx: PageContext): string {
  const { lang } = ctx;
  const errors = s.diagnostics.filter((d) => d.severity === 'error');
  const warnings = s.diagnostics.filter((d) => d.severity === 'warning');
  const pdfUrl = `/sheet.pdf?build=${s.build}`;
  const statusText =
    s.state === 'ok'
      ? t(lang, 'previewPageOk', { build: s.build, time: time(s.finishedAt), ms: Math.round(s.ms) })
      : t(lang, 'previewPageError', { build: s.build, time: time(s.finishedAt), errors: errors.length });
  const list = (ds: Diagnostic[]) =>
    `<ol class="diagnostics" id="diagnostics">${ds.map((d) => diagnosticItem(d, s.text, lang)).join('')}</ol>`;
  const body =
    s.state === 'ok'
      ? [
          `<object id="viewer" data="${pdfUrl}" type="application/pdf"><p>${escapeHtml(t(lang, 'previewPageNoViewer'))} <a href="${pdfUrl}">${escapeHtml(t(lang, 'previewPageOpenPdf'))}</a></p></object>`,
          warnings.length > 0
            ? `<aside id="warnings"><h2>${escapeHtml(t(lang, 'previewPageWarnings', { count: warnings.length }))}</h2>${list(warnings)}</aside>`
            : '',
        ].join('')
      : `<section id="problems"><h2>${escapeHtml(t(lang, 'previewPageErrors', { count: errors.length }))}</h2>${list(errors)}</section>`;
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head><meta charset="utf-8">',
    `<title>${escapeHtml(`${s.state === 'ok' ? '' : '✗ '}${t(lang, 'previewPageTitle', { file: ctx.file })}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    '<header>',
    `<h1>${escapeHtml(ctx.file)}</h1>`,
    `<span id="status" data-state="${s.state}" data-build="${s.build}" data-instance="${escapeHtml(ctx.instance)}" data-sha256="${s.sha256 ?? ''}" data-errors="${errors.length}" data-warnings="${warnings.length}" data-ms="${s.ms.toFixed(1)}">${escapeHtml(statusText)}</span>`,
    s.state === 'ok'
      ? `<a id="open-pdf" href="${pdfUrl}" target="_blank" rel="noopener">${escapeHtml(t(lang, 'previewPageOpenPdf'))}</a>`
      : '',
    `<span id="live">${escapeHtml(t(lang, 'previewPageLive'))}</span>`,
    `<span id="lost" hidden>${escapeHtml(t(lang, 'previewPageLost'))}</span>`,
    '</header>',
    `<main>${body}</main>`,
    `<script>${SCRIPT}</script>`,
    '</body></html>',
  ].join('\n');
}
