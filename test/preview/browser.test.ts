// `sheetgen preview` in a real browser: Debian's Chromium driven by playwright-core (no browser is
// downloaded). The page is opened once and never reloaded, by the test or by itself: the PDF is drawn
// with pdf.js and each new build swapped in place. The reader scrolls to page 2 and edits the file: the
// view stays on page 2 and its text layer shows the new figure; break it and the page shows the error
// at file:line:col; fix it and the PDF is back, still on page 2.
// CI sets SHEETGEN_REQUIRE_BROWSER=1 (.ci/run installs chromium), so a missing browser fails there;
// elsewhere the test is skipped with a loud message.
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, kpi16, pdfText, startPreview, tempSheet, type Running } from './helpers.js';

const candidates = [process.env.SHEETGEN_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (p): p is string => !!p,
);
const executablePath = candidates.find((p) => existsSync(p));
const required = process.env.SHEETGEN_REQUIRE_BROWSER === '1';

if (!executablePath && !required) {
  console.warn(
    '\n!!! test/preview/browser.test.ts SKIPPED: no Chromium found (looked at ' +
      candidates.join(', ') +
      ').\n!!! Install it with `apt-get install chromium` (as .ci/run does), or set SHEETGEN_CHROMIUM.\n',
  );
}

interface Status {
  state: string;
  build: number;
  sha256: string;
  instance: string;
}

/** The page's status element, read again until `pred` holds (the page reloads itself meanwhile). */
async function waitForStatus(
  page: Page,
  pred: (s: Status) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<Status> {
  const end = Date.now() + timeoutMs;
  let last: Status | undefined;
  while (Date.now() < end) {
    try {
      const d = await page
        .locator('#status')
        .evaluate(
          (el) => ({ ...(el as unknown as { dataset: Record<string, string | undefined> }).dataset }),
          undefined,
          { timeout: 2000 },
        );
      last = { state: d.state ?? '', build: Number(d.build), sha256: d.sha256 ?? '', instance: d.instance ?? '' };
      if (pred(last)) return last;
    } catch {
      // Between two documents while the page reloads itself.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; the page last showed ${JSON.stringify(last)}`);
}

/**
 * The PDF as the page links it: the page fetches it and hashes it (Web Crypto); the test fetches the
 * same URL over HTTP, checks the bytes are the ones the page saw, and reads their text.
 */
async function pagePdf(page: Page, port: number): Promise<{ sha256: string; text: string }> {
  const href = await page.locator('#open-pdf').getAttribute('href');
  expect(href).toMatch(/^\/sheet\.pdf\?build=\d+$/);
  const inPage = await page.evaluate(async (url: string) => {
    const bytes = await (await fetch(url)).arrayBuffer();
    return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
  }, href!);
  const r = await http(port, href!);
  expect(createHash('sha256').update(r.body).digest('hex')).toBe(inPage);
  return { sha256: inPage, text: pdfText(r.body) };
}

const flat = (s: string): string => s.replace(/\s+/gu, '');

/** The viewer once it shows `build`: its page count and PDF URL (pdf.js draws off screen, then swaps). */
async function waitForView(page: Page, build: number, timeoutMs = 30_000): Promise<{ pages: number; pdf: string }> {
  await page.waitForFunction(
    (b) => {
      // Runs in the page (the test's tsconfig has no DOM types).
      const doc = (globalThis as unknown as { document: { getElementById: (id: string) => unknown } }).document;
      const v = doc.getElementById('viewer') as {
        dataset: Record<string, string>;
        querySelectorAll: (s: string) => ArrayLike<unknown>;
      } | null;
      return v?.dataset.build === String(b) && v.querySelectorAll('.page canvas').length > 0;
    },
    build,
    { timeout: timeoutMs },
  );
  return page.locator('#viewer').evaluate((v) => ({
    pages: v.querySelectorAll('.page').length,
    pdf: (v as unknown as { dataset: Record<string, string> }).dataset.pdf ?? '',
  }));
}

/** The page at the top of the viewer (1-based) and the viewer's scroll offset. */
async function where(page: Page): Promise<{ page: number; scrollTop: number }> {
  return page.locator('#viewer').evaluate((v) => {
    const el = v as unknown as { scrollTop: number; querySelectorAll: (s: string) => ArrayLike<{ offsetTop: number }> };
    const pages = el.querySelectorAll('.page');
    let i = 0;
    while (i + 1 < pages.length && pages[i + 1]!.offsetTop <= el.scrollTop + 1) i++;
    return { page: i + 1, scrollTop: el.scrollTop };
  });
}

/** The text of page n's text layer (what pdf.js extracted and placed over the canvas). */
async function layerText(page: Page, n: number): Promise<string> {
  return (await page.locator(`#viewer .page[data-page="${n}"] .textLayer`).textContent()) ?? '';
}

/** A hash of page n's canvas pixels. */
async function canvasHash(page: Page, n: number): Promise<string> {
  return page.locator(`#viewer .page[data-page="${n}"] canvas`).evaluate(async (c) => {
    const url = (c as unknown as { toDataURL: () => string }).toDataURL();
    const bytes = new TextEncoder().encode(url);
    return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
  });
}

describe.skipIf(!executablePath && !required)('sheetgen preview in Chromium', () => {
  let browser: Browser | undefined;
  let tmp: ReturnType<typeof tempSheet>;
  let p: Running | undefined;

  beforeAll(async () => {
    tmp = tempSheet();
    if (!executablePath)
      throw new Error(
        `SHEETGEN_REQUIRE_BROWSER=1 but no Chromium at ${candidates.join(', ')}: .ci/run installs Debian's chromium`,
      );
    p = await startPreview(['preview', tmp.sheet]);
    if (!p.url) throw new Error(`preview did not start: ${p.stderr()}`);
    browser = await chromium.launch({ executablePath, headless: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
    tmp?.cleanup();
  });

  it('follows edits by itself, in place: the reader stays on page 2 with the new content; the error; the PDF again', async () => {
    const page = await browser!.newPage({ viewport: { width: 1200, height: 800 } });
    const loads: string[] = [];
    page.on('load', () => loads.push(page.url()));
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(p!.url);

    // The sheet as it starts, drawn by pdf.js: two pages, each a canvas with its text layer.
    const s1 = await waitForStatus(page, (s) => s.state === 'ok' && s.build >= 1, 'the first build');
    expect(await page.title()).toContain(tmp.sheet);
    const v1 = await waitForView(page, s1.build);
    expect(v1.pages).toBe(2);
    expect(v1.pdf).toBe(`/sheet.pdf?build=${s1.build}`);
    const pdf1 = await pagePdf(page, p!.port);
    expect(pdf1.sha256).toBe(s1.sha256);
    expect(pdf1.text).toContain('旭市生涯活躍のまち構想');
    expect(pdf1.text).not.toContain('137');
    expect(flat(await layerText(page, 1))).toContain('旭市生涯活躍のまち構想');
    expect(flat(await layerText(page, 2))).toContain('537,409');
    expect(await page.locator('#diagnostics').count()).toBe(0);
    const canvas1 = await canvasHash(page, 2);

    // The reader scrolls to page 2 (a little into it).
    await page.locator('#viewer').evaluate((v) => {
      const p2 = v.querySelector('.page[data-page="2"]') as unknown as { offsetTop: number };
      (v as unknown as { scrollTop: number }).scrollTop = p2.offsetTop + 40;
    });
    const at = await where(page);
    expect(at.page).toBe(2);

    // Edit: KPI 16's actual 114 → 137 (page 1) and the project's cost 537409 → 612345 (page 2).
    const edited = kpi16(tmp.seed, 137).replace('2020: 537409', '2020: 612345');
    expect(edited).toContain('612345');
    writeFileSync(tmp.sheet, edited);
    const s2 = await waitForStatus(
      page,
      (s) => s.state === 'ok' && s.build > s1.build && s.sha256 !== s1.sha256,
      'the page after the edit',
    );
    await waitForView(page, s2.build);
    // Still on page 2, at the same spot, and page 2 shows the new figure.
    const after = await where(page);
    expect(after.page).toBe(2);
    expect(Math.abs(after.scrollTop - at.scrollTop)).toBeLessThanOrEqual(2);
    expect(flat(await layerText(page, 2))).toContain('612,345');
    expect(flat(await layerText(page, 2))).not.toContain('537,409');
    expect(flat(await layerText(page, 1))).toContain('137');
    expect(await canvasHash(page, 2)).not.toBe(canvas1);
    const pdf2 = await pagePdf(page, p!.port);
    expect(pdf2.sha256).toBe(s2.sha256);
    expect(pdf2.text).toContain('137');
    expect(s2.instance).toBe(s1.instance);

    // Break it: an unclosed bracket. The page shows the error where it is, and no PDF.
    const broken = edited.replace('progress: 概ね順調', 'progress: [概ね順調');
    writeFileSync(tmp.sheet, broken);
    const s3 = await waitForStatus(
      page,
      (s) => s.state === 'error' && s.build > s2.build,
      'the page showing the error',
    );
    expect(s3.sha256).toBe('');
    expect(await page.locator('#viewer').count()).toBe(0);
    const items = page.locator('#diagnostics li[data-severity="error"]');
    expect(await items.count()).toBeGreaterThan(0);
    const line = Number(await items.first().getAttribute('data-line'));
    const column = Number(await items.first().getAttribute('data-column'));
    expect(line).toBeGreaterThanOrEqual(broken.split('\n').findIndex((l) => l.startsWith('progress: [')) + 1);
    expect(column).toBeGreaterThan(0);
    expect(await items.first().locator('.where').textContent()).toBe(`${tmp.sheet}:${line}:${column}`);
    expect(await items.first().locator('.message').textContent()).toMatch(/\[/);
    expect(await items.first().locator('pre.frame mark').count()).toBe(1);
    expect((await http(p!.port, '/sheet.pdf')).status).toBe(404);

    // Fix it: the PDF is back, the same bytes as before the break, and the view is on page 2 again.
    writeFileSync(tmp.sheet, edited);
    const s4 = await waitForStatus(page, (s) => s.state === 'ok' && s.build > s3.build, 'the page after the fix');
    expect(s4.sha256).toBe(s2.sha256);
    await waitForView(page, s4.build);
    expect((await where(page)).page).toBe(2);
    expect(flat(await layerText(page, 2))).toContain('612,345');
    const pdf4 = await pagePdf(page, p!.port);
    expect(pdf4.sha256).toBe(s4.sha256);
    expect(await page.locator('#diagnostics').count()).toBe(0);

    // The page never reloaded (the test navigated once), and its script and pdf.js ran under the CSP.
    expect(loads.length).toBe(1);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused|Error/.test(e))).toEqual([]);
    await page.close();
  }, 180_000);

  it('says when the preview has stopped, and finds it again when it is back', async () => {
    const page = await browser!.newPage();
    await page.goto(p!.url);
    const before = await waitForStatus(page, (s) => s.state === 'ok', 'the page');
    expect(await page.locator('#lost').isHidden()).toBe(true);
    const port = p!.port;
    expect(await p!.stop()).toBe(130);
    await page.locator('#lost').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.locator('#lost').textContent()).toContain('Lost the connection');
    // A new run of the preview on the same port, on a changed file: the open page finds it and shows its build.
    writeFileSync(tmp.sheet, kpi16(tmp.seed, 149));
    p = await startPreview(['preview', tmp.sheet, '--port', String(port)]);
    expect(p.url).toBe(`http://127.0.0.1:${port}/`);
    const after = await waitForStatus(
      page,
      (s) => s.state === 'ok' && s.instance !== before.instance,
      'the page of the new run',
    );
    expect(await page.locator('#lost').isHidden()).toBe(true);
    expect((await pagePdf(page, port)).text).toContain('149');
    expect(after.sha256).not.toBe(before.sha256);
    await page.close();
  }, 60_000);
});
