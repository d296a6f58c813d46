// `sheetgen preview` in a real browser: Debian's Chromium driven by playwright-core (no browser is
// downloaded). The page is opened once and never reloaded by the test: edit the file and the page
// changes by itself (new build, new PDF hash, the new number in the PDF); break it and the page shows
// the error at file:line:col; fix it and the PDF is back.
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

  it('follows edits by itself: new PDF, the error at file:line:col, the PDF again', async () => {
    const page = await browser!.newPage();
    const loads: string[] = [];
    page.on('load', () => loads.push(page.url()));
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(p!.url);

    // The sheet as it starts.
    const s1 = await waitForStatus(page, (s) => s.state === 'ok' && s.build >= 1, 'the first build');
    expect(await page.title()).toContain(tmp.sheet);
    expect(await page.locator('#viewer').getAttribute('data')).toBe(`/sheet.pdf?build=${s1.build}`);
    expect(await page.locator('#viewer').getAttribute('type')).toBe('application/pdf');
    const pdf1 = await pagePdf(page, p!.port);
    expect(pdf1.sha256).toBe(s1.sha256);
    expect(pdf1.text).toContain('旭市生涯活躍のまち構想');
    expect(pdf1.text).not.toContain('137');
    expect(await page.locator('#diagnostics').count()).toBe(0);

    // Edit: KPI 16's actual 114 → 137.
    writeFileSync(tmp.sheet, kpi16(tmp.seed, 137));
    const s2 = await waitForStatus(
      page,
      (s) => s.state === 'ok' && s.build > s1.build && s.sha256 !== s1.sha256,
      'the page after the edit',
    );
    const pdf2 = await pagePdf(page, p!.port);
    expect(pdf2.sha256).toBe(s2.sha256);
    expect(pdf2.text).toContain('137');
    expect(s2.instance).toBe(s1.instance);

    // Break it: an unclosed bracket. The page shows the error where it is, and no PDF.
    const broken = kpi16(tmp.seed, 137).replace('progress: 概ね順調', 'progress: [概ね順調');
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

    // Fix it: the PDF is back, the same bytes as before the break.
    writeFileSync(tmp.sheet, kpi16(tmp.seed, 137));
    const s4 = await waitForStatus(page, (s) => s.state === 'ok' && s.build > s3.build, 'the page after the fix');
    expect(s4.sha256).toBe(s2.sha256);
    const pdf4 = await pagePdf(page, p!.port);
    expect(pdf4.sha256).toBe(s4.sha256);
    expect(pdf4.text).toContain('137');
    expect(await page.locator('#diagnostics').count()).toBe(0);

    // The page reloaded itself for each change (the test navigated once), and its script ran under the CSP.
    expect(loads.length).toBeGreaterThanOrEqual(4);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
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
