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
 * Runs in the browser (a module). The server announces each build on /events (Server-Sent Events,
 * sent once on connecting too). The PDF is drawn into the page with pdf.js (served by this server
 * from the installed pdfjs-dist), one canvas and one text layer per page. A new build is drawn off
 * screen and swapped in place, so the reader stays on the page and at the spot they were reading
 * (also across an error view, and in sessionStorage across a manual reload). Header, warnings and
 * diagnostics come from the page as the server renders it now (fetched, parsed, never written as
 * text). Without pdf.js the browser's own viewer shows the PDF and a new build reloads the page.
 * EventSource reconnects by itself after the server was away.
 */
const SCRIPT = `const KEY = 'sheetgen-preview-position';
const $ = (id) => document.getElementById(id);
const lost = $('lost');
let pdfjs = null;
try {
  pdfjs = await import('/pdfjs/pdf.min.mjs');
  pdfjs.GlobalWorkerOptions.workerSrc = '/pdfjs/pdf.worker.min.mjs';
} catch (e) {
  console.warn('pdf.js not available, using the browser viewer', e);
}
const shownKey = () => $('status').dataset.build + '/' + $('status').dataset.instance;
let saved = null;
try { saved = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch {}
/** Where the reader is: the page at the top of the view and how far into it, and the horizontal scroll. */
function position() {
  const v = $('viewer');
  const pages = v ? v.querySelectorAll('.page') : [];
  if (!v || pages.length === 0) return null;
  let i = 0;
  while (i + 1 < pages.length && pages[i + 1].offsetTop <= v.scrollTop + 1) i++;
  const p = pages[i];
  return { page: i + 1, within: (v.scrollTop - p.offsetTop) / Math.max(1, p.offsetHeight), left: v.scrollLeft };
}
function restore(pos) {
  const v = $('viewer');
  if (!v || !pos) return;
  const pages = v.querySelectorAll('.page');
  const p = pages[Math.min(pos.page, pages.length) - 1];
  if (!p) return;
  v.scrollTop = p.offsetTop + pos.within * p.offsetHeight;
  v.scrollLeft = pos.left;
}
document.addEventListener('scroll', (e) => {
  if (e.target !== $('viewer') || $('viewer').dataset.drawing) return;
  saved = position();
  try { sessionStorage.setItem(KEY, JSON.stringify(saved)); } catch {}
}, true);
/** Draws every page of the PDF at url, fitted to the viewer's width, off screen. */
async function draw(v, url) {
  const started = performance.now();
  const data = await (await fetch(url, { cache: 'no-store' })).arrayBuffer();
  const doc = await pdfjs.getDocument({ data, isEvalSupported: false }).promise;
  const out = [];
  try {
    const width = Math.max(200, v.clientWidth - 32);
    const dpr = window.devicePixelRatio || 1;
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const scale = width / page.getViewport({ scale: 1 }).width;
      const vp = page.getViewport({ scale });
      const div = document.createElement('div');
      div.className = 'page';
      div.dataset.page = String(n);
      div.style.width = vp.width + 'px';
      div.style.height = vp.height + 'px';
      div.style.setProperty('--scale-factor', String(scale));
      div.style.setProperty('--total-scale-factor', String(scale));
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(vp.width * dpr);
      canvas.height = Math.floor(vp.height * dpr);
      await page.render({ canvas, canvasContext: canvas.getContext('2d'), viewport: vp, transform: dpr === 1 ? undefined : [dpr, 0, 0, dpr, 0, 0] }).promise;
      const text = document.createElement('div');
      text.className = 'textLayer';
      await new pdfjs.TextLayer({ textContentSource: await page.getTextContent(), container: text, viewport: vp }).render();
      div.append(canvas, text);
      out.push(div);
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
  // How long fetching and drawing took (shown on the viewer for anyone measuring).
  v.dataset.drawMs = (performance.now() - started).toFixed(0);
  return out;
}
/** Brings the view to the server's latest build. */
async function apply() {
  const html = await (await fetch('/', { cache: 'no-store' })).text();
  const next = new DOMParser().parseFromString(html, 'text/html');
  const status = next.getElementById('status');
  if (!status) return;
  if (!pdfjs) {
    if (status.dataset.build + '/' + status.dataset.instance !== shownKey()) location.reload();
    return;
  }
  const nv = next.getElementById('viewer');
  let v = $('viewer');
  if (nv) {
    const pos = v && v.querySelector('.page') ? position() : saved;
    if (!v) {
      // From the error view: the viewer comes back and is drawn where the reader was before the error.
      document.querySelector('main').replaceWith(document.adoptNode(next.querySelector('main')));
      v = $('viewer');
    }
    const pages = await draw(v, nv.dataset.pdf);
    const aside = $('warnings');
    const na = next.getElementById('warnings');
    if (aside) aside.remove();
    if (na) document.querySelector('main').append(document.adoptNode(na));
    v.dataset.drawing = '1';
    v.replaceChildren(...pages);
    v.dataset.pdf = nv.dataset.pdf;
    v.dataset.build = status.dataset.build;
    v.dataset.sha256 = status.dataset.sha256;
    restore(pos);
    delete v.dataset.drawing;
  } else {
    if (v && v.querySelector('.page')) saved = position();
    document.querySelector('main').replaceWith(document.adoptNode(next.querySelector('main')));
  }
  document.querySelector('header').replaceWith(document.adoptNode(next.querySelector('header')));
  document.title = next.title;
}
let busy = false;
let again = false;
async function update() {
  if (busy) { again = true; return; }
  busy = true;
  let failed = false;
  try {
    do { again = false; await apply(); } while (again);
    retries = 0;
  } catch (e) {
    console.error(e);
    failed = true;
  } finally {
    busy = false;
  }
  // A fetch or a drawing that failed (a preview restarting on the same port, a PDF replaced while it
  // was read) is tried again, a few times, so that the page does not stay on an old build.
  if (failed && retries < 5) {
    retries++;
    setTimeout(update, 500 * retries);
  }
}
let retries = 0;
if (pdfjs && $('viewer')) {
  const v = $('viewer');
  const pages = await draw(v, v.dataset.pdf).catch((e) => (console.error(e), null));
  if (pages) {
    v.dataset.drawing = '1';
    v.replaceChildren(...pages);
    v.dataset.build = $('status').dataset.build;
    v.dataset.sha256 = $('status').dataset.sha256;
    restore(saved);
    delete v.dataset.drawing;
  }
} else if (!pdfjs && $('viewer')) {
  const v = $('viewer');
  const o = document.createElement('object');
  o.type = 'application/pdf';
  o.data = v.dataset.pdf;
  o.className = 'native';
  v.replaceChildren(o);
}
let resized = null;
window.addEventListener('resize', () => {
  clearTimeout(resized);
  resized = setTimeout(() => $('viewer') && update(), 250);
});
const es = new EventSource('/events');
es.addEventListener('build', (e) => {
  const s = JSON.parse(e.data);
  lost.hidden = true;
  $('lost') && ($('lost').hidden = true);
  if (s.build + '/' + s.instance !== shownKey()) update();
});
es.addEventListener('error', () => { $('lost') && ($('lost').hidden = false); });
`;

const STYLE = `
html, body { margin: 0; height: 100%; font-family: "BIZ UDPGothic", "Yu Gothic UI", Meiryo, system-ui, sans-serif; }
body { display: flex; flex-direction: column; }
header { padding: 6px 12px; border-bottom: 1px solid #ccc; display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 15px; margin: 0; }
#status[data-state="ok"] { color: #1a6d1a; }
#status[data-state="error"] { color: #b00020; font-weight: bold; }
#lost { color: #8a5a00; }
main { flex: 1; display: flex; min-height: 0; }
#viewer { flex: 1; border: 0; min-width: 0; overflow: auto; background: #e8e8e8; position: relative; }
#viewer p { padding: 16px; }
#viewer .page { position: relative; margin: 12px auto; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.3); --scale-round-x: 1px; --scale-round-y: 1px; }
#viewer .page canvas { display: block; width: 100%; height: 100%; }
#viewer object.native { width: 100%; height: 100%; border: 0; display: block; }
.textLayer { position: absolute; text-align: initial; inset: 0; overflow: clip; opacity: 1; line-height: 1; text-size-adjust: none; forced-color-adjust: none; transform-origin: 0 0; caret-color: CanvasText; z-index: 0; --min-font-size: 1; --text-scale-factor: calc(var(--total-scale-factor) * var(--min-font-size)); --min-font-size-inv: calc(1 / var(--min-font-size)); }
.textLayer :is(span, br) { color: transparent; position: absolute; white-space: pre; cursor: text; transform-origin: 0% 0%; }
.textLayer > :not(.markedContent), .textLayer .markedContent span:not(.markedContent) { z-index: 1; --font-height: 0; font-size: calc(var(--text-scale-factor) * var(--font-height)); --scale-x: 1; --rotate: 0deg; transform: rotate(var(--rotate)) scaleX(var(--scale-x)) scale(var(--min-font-size-inv)); }
.textLayer .markedContent { display: contents; }
.textLayer ::selection { background: rgba(0, 0, 255, 0.25); }
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

/**
 * The page's Content-Security-Policy: its own inline script and style, pdf.js and its worker from
 * this server (the two fixed /pdfjs/ paths), the PDF from this server, nothing else.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src 'self' ${hash(SCRIPT)}`,
  "worker-src 'self'",
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
          `<div id="viewer" data-pdf="${pdfUrl}"><p>${escapeHtml(t(lang, 'previewPageDrawing'))} <a href="${pdfUrl}">${escapeHtml(t(lang, 'previewPageOpenPdf'))}</a></p></div>`,
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
    `<script type="module">${SCRIPT}</script>`,
    '</body></html>',
  ].join('\n');
}
