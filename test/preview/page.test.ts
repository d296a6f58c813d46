// The preview page: whatever a sheet, a message or a file name holds, it shows as text and never
// becomes markup (checked on many generated diagnostics); and what the status element says.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { PAGE_CSP, escapeHtml, renderPage } from '../../src/preview/page.js';
import type { PreviewState } from '../../src/preview/session.js';

const ctx = { lang: 'en' as const, file: 'sheets/a.yaml', instance: 'abc123' };

function stateOf(diagnostics: Diagnostic[], text: string | undefined, ok: boolean): PreviewState {
  return {
    build: 7,
    state: ok ? 'ok' : 'error',
    ...(ok ? { pdf: new Uint8Array([1]), sha256: 'f'.repeat(64) } : {}),
    diagnostics,
    ...(text !== undefined ? { text } : {}),
    ms: 12.3,
    cpuMs: 11,
    finishedAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 0)),
  };
}

const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describe('preview page', () => {
  it('escapes every character that could start markup or end an attribute', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const e = escapeHtml(s);
        expect(e).not.toMatch(/[<>"']/);
        expect(e.replace(/&#\d+;/g, '')).not.toContain('&');
        // Printable text comes back unchanged when the entities are read.
        // eslint-disable-next-line no-control-regex
        if (!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(s)) expect(unescape(e)).toBe(s);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('never turns a message, hint, field, code, file name or sheet line into markup', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const diag = fc.record({
      severity: fc.constantFrom<'error' | 'warning'>('error', 'warning'),
      code: text,
      file: text,
      path: fc.array(fc.oneof(text, fc.nat(5)), { maxLength: 3 }),
      line: fc.integer({ min: 1, max: 6 }),
      column: fc.integer({ min: 1, max: 50 }),
      message: text,
      hint: text,
    });
    // The same shape with harmless text: empty stays empty, line breaks stay where they were.
    const x = (s: string | undefined) => (s ? 'x' : s);
    const plain = (d: Diagnostic): Diagnostic => ({
      ...d,
      code: x(d.code)!,
      file: x(d.file)!,
      path: d.path?.map((p) => (typeof p === 'number' ? p : 'p')),
      message: x(d.message)!,
      hint: x(d.hint)!,
    });
    fc.assert(
      fc.property(
        fc.array(diag, { minLength: 1, maxLength: 4 }),
        fc.array(text, { minLength: 1, maxLength: 6 }),
        text,
        fc.boolean(),
        (diags, lines, file, ok) => {
          const ds = ok ? diags.map((d) => ({ ...d, severity: 'warning' as const })) : diags;
          const page = renderPage(stateOf(ds, lines.join('\n'), ok), { ...ctx, file });
          const calm = renderPage(
            stateOf(ds.map(plain), lines.map((l) => l.replace(/[^\r\n]/gu, 'x')).join('\n'), ok),
            { ...ctx, file: 'f' },
          );
          // Only the page's own tags: as many '<' as with harmless texts, one script, one style.
          expect(page.split('<').length).toBe(calm.split('<').length);
          expect(page.match(/<script/g)).toHaveLength(1);
          expect(page.match(/<\/script>/g)).toHaveLength(1);
          // Every diagnostic is listed, in order, with its place.
          const items = [
            ...page.matchAll(/<li data-severity="(error|warning)"[^>]*data-line="(\d+)" data-column="(\d+)">/g),
          ];
          expect(items.map((m) => [Number(m[2]), Number(m[3])])).toEqual(
            ds.filter((d) => ok || d.severity === 'error').map((d) => [d.line, d.column]),
          );
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);

  it('puts the build in the status element, the PDF URL in the viewer (drawn by pdf.js) with a fallback link, and problems in a list', () => {
    const ok = renderPage(
      stateOf(
        [
          {
            severity: 'warning',
            code: 'layout.shrink',
            file: 'sheets/a.yaml',
            line: 2,
            column: 4,
            message: 'shrunk',
            hint: 'shorten',
          },
        ],
        'a: 1\nb: 2\n',
        true,
      ),
      ctx,
    );
    expect(ok).toContain('<span id="status" data-state="ok" data-build="7" data-instance="abc123" data-sha256="ffff');
    expect(ok).toMatch(
      /<div id="viewer" data-pdf="\/sheet\.pdf\?build=7"><p>[^<]*<a href="\/sheet\.pdf\?build=7">Open the PDF<\/a><\/p><\/div>/,
    );
    expect(ok).toContain('<aside id="warnings"><h2>Warnings (1)</h2>');
    expect(ok).toContain('<span class="where">sheets/a.yaml:2:4</span>');
    expect(ok).toContain('<span class="at">2 | b: <mark>2</mark></span>');
    const err = renderPage(
      stateOf(
        [{ severity: 'error', code: 'yaml.syntax', file: 'sheets/a.yaml', line: 1, column: 1, message: 'bad' }],
        'a: [\n',
        false,
      ),
      { ...ctx, lang: 'ja' },
    );
    expect(err).toContain('data-state="error"');
    expect(err).not.toContain('id="viewer"');
    expect(err).toContain('<section id="problems"><h2>エラー（1 件）</h2>');
    expect(err).toContain('<html lang="ja">');
  });

  it('allows its own inline script and style by hash, and nothing from elsewhere', () => {
    // Scripts: this server's (pdf.js at its fixed paths) and the page's own by hash; the worker from this server.
    expect(PAGE_CSP).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    expect(PAGE_CSP).toContain("worker-src 'self'");
    expect(PAGE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(PAGE_CSP).toContain("connect-src 'self'");
  });
});
