//! The preview's HTTP server: 127.0.0.1 only, GET of fixed paths (page, PDF, state, events, and pdf.js with
//! its worker from the installed pdfjs-dist), a Host check against DNS rebinding, no CORS; nothing in a
//! URL ever reaches the file system.

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { EXIT, SheetgenError, formatPath, type Lang } from '../diagnostics.js';
import { t } from '../messages.js';
import { PAGE_CSP, renderPage } from './page.js';
import type { PreviewSession, PreviewState } from './session.js';

export interface ServerOptions {
  /** 0 (the default): any free port. */
  port?: number;
  lang: Lang;
  /** File name offered when the PDF is saved from the browser. */
  pdfName: string;
}

export interface PreviewServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The state as /state.json and the events give it: no PDF bytes, no text. */
export function stateJson(s: PreviewState, instance: string) {
  return {
    instance,
    build: s.build,
    state: s.state,
    sha256: s.sha256 ?? null,
    bytes: s.pdf?.length ?? null,
    ms: Math.round(s.ms * 10) / 10,
    cpu_ms: Math.round(s.cpuMs * 10) / 10,
    finished_at: s.finishedAt.toISOString(),
    diagnostics: s.diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      file: d.file ?? null,
      line: d.line ?? null,
      column: d.column ?? null,
      field: d.path ? formatPath(d.path) : null,
      message: d.message,
      hint: d.hint ?? null,
    })),
  };
}

/**
 * The two files of pdf.js the page loads, by fixed URL path → file of the installed pdfjs-dist
 * (resolved like an import, so it is found wherever npm put it). Read once, on first request.
 */
const PDFJS_FILES: Record<string, string> = {
  '/pdfjs/pdf.min.mjs': 'pdfjs-dist/build/pdf.min.mjs',
  '/pdfjs/pdf.worker.min.mjs': 'pdfjs-dist/build/pdf.worker.min.mjs',
};
const pdfjsCache = new Map<string, Uint8Array | null>();
function pdfjsFile(path: string): Uint8Array | null {
  if (!pdfjsCache.has(path)) {
    let bytes: Uint8Array | null = null;
    try {
      bytes = readFileSync(createRequire(import.meta.url).resolve(PDFJS_FILES[path]!));
    } catch {
      // Not installed (a copy without its dependencies): the page falls back to the browser's viewer.
    }
    pdfjsCache.set(path, bytes);
  }
  return pdfjsCache.get(path)!;
}

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // Other sites may neither read (no CORS headers at all) nor embed what this server answers.
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'SAMEORIGIN',
} as const;

/** Starts serving the session's latest build; rejects with a SheetgenError (exit 2) when the port cannot be had. */
export async function startServer(session: PreviewSession, opts: ServerOptions): Promise<PreviewServer> {
  const { lang } = opts;
  const events = new Set<ServerResponse>();
  let port = 0;
  let allowedHosts = new Set<string>();

  const send = (
    res: ServerResponse,
    status: number,
    type: string,
    body: string | Uint8Array,
    head: boolean,
    extra: Record<string, string> = {},
  ) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(status, {
      ...COMMON_HEADERS,
      'content-type': type,
      'content-length': String(bytes.length),
      ...extra,
    });
    res.end(head ? undefined : bytes);
  };
  const text = (res: ServerResponse, status: number, body: string, head: boolean, extra: Record<string, string> = {}) =>
    send(res, status, 'text/plain; charset=utf-8', `${body}\n`, head, extra);

  const event = (s: PreviewState) =>
    `event: build\ndata: ${JSON.stringify({ instance: session.instance, build: s.build, state: s.state, sha256: s.sha256 ?? null, ms: Math.round(s.ms * 10) / 10, cpu_ms: Math.round(s.cpuMs * 10) / 10 })}\n\n`;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: a page of another site whose name now points at 127.0.0.1 still sends its own Host.
    const host = req.headers.host;
    if (host === undefined || !allowedHosts.has(host.toLowerCase())) {
      text(res, 403, t(lang, 'previewHostRefused', { port }), false);
      return;
    }
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      text(res, 405, 'Method Not Allowed', false, { allow: 'GET, HEAD' });
      return;
    }
    // The path is compared with four fixed strings, never decoded or joined to a folder.
    const raw = req.url ?? '';
    const q = raw.indexOf('?');
    const path = q >= 0 ? raw.slice(0, q) : raw;
    const s = session.current;
    switch (path) {
      case '/':
        send(
          res,
          200,
          'text/html; charset=utf-8',
          renderPage(s, { lang, file: session.file, instance: session.instance }),
          head,
          { 'content-security-policy': PAGE_CSP },
        );
        return;
      case '/sheet.pdf': {
        if (!s.pdf || !s.sha256) {
          text(res, 404, t(lang, 'previewNoPdf'), head);
          return;
        }
        const etag = `"${s.sha256}"`;
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, { ...COMMON_HEADERS, etag });
          res.end();
          return;
        }
        send(res, 200, 'application/pdf', s.pdf, head, {
          etag,
          'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(opts.pdfName)}`,
          'x-sheetgen-build': String(s.build),
        });
        return;
      }
      case '/state.json':
        send(res, 200, 'application/json; charset=utf-8', JSON.stringify(stateJson(s, session.instance)), head);
        return;
      case '/events':
        res.writeHead(200, {
          ...COMMON_HEADERS,
          'content-type': 'text/event-stream; charset=utf-8',
          connection: 'keep-alive',
        });
        if (head) {
          res.end();
          return;
        }
        res.write(`retry: 1000\n\n${event(s)}`);
        events.add(res);
        req.on('close', () => events.delete(res));
        return;
      case '/pdfjs/pdf.min.mjs':
      case '/pdfjs/pdf.worker.min.mjs': {
        const bytes = pdfjsFile(path);
        if (!bytes) {
          text(res, 404, t(lang, 'previewNotFound'), head);
          return;
        }
        send(res, 200, 'text/javascript; charset=utf-8', bytes, head, { 'cache-control': 'max-age=3600' });
        return;
      }
      case '/favicon.ico':
        res.writeHead(204, COMMON_HEADERS);
        res.end();
        return;
      default:
        text(res, 404, t(lang, 'previewNotFound'), head);
    }
  };

  const unsubscribe = session.onBuild((s) => {
    for (const res of events) res.write(event(s));
  });
  // Proxies and idle timers drop quiet connections: a comment line now and then keeps /events open.
  const heartbeat = setInterval(() => {
    for (const res of events) res.write(': ping\n\n');
  }, 20_000);
  heartbeat.unref();

  const server = createServer(handle);
  // Long-lived event streams must not be cut by the default request timeout.
  server.requestTimeout = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: opts.port ?? 0, host: '127.0.0.1', exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    unsubscribe();
    clearInterval(heartbeat);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new SheetgenError(t(lang, 'portInUse', { port: opts.port ?? 0 }), { exitCode: EXIT.usage });
    if (code === 'EACCES' || code === 'EPERM')
      throw new SheetgenError(t(lang, 'portDenied', { port: opts.port ?? 0, code }), { exitCode: EXIT.usage });
    throw e;
  }
  port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        clearInterval(heartbeat);
        for (const res of events) res.end();
        events.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
