// `sheetgen preview` without a browser: the real CLI on a temporary sheet, spoken to over HTTP.
// Where it listens, whom it answers, what it serves, how it follows saves (in place, by rename,
// deleted and back), what it shows while the file is invalid, and how it stops.
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KPI16,
  http,
  kpi16,
  pdfText,
  root,
  saveByRename,
  startPreview,
  state,
  tempSheet,
  waitForState,
  type Running,
} from './helpers.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sheetgen preview (HTTP)', () => {
  let tmp: ReturnType<typeof tempSheet>;
  let p: Running;
  let firstSha = '';

  beforeAll(async () => {
    tmp = tempSheet();
    p = await startPreview(['preview', tmp.sheet]);
    if (!p.url) throw new Error(`preview did not start: ${p.stderr()}`);
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
    tmp?.cleanup();
  });

  it('listens on 127.0.0.1 at the port it prints, and serves the seed PDF from memory', async () => {
    expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(p.stdout()).toContain(`Preview of ${tmp.sheet}: ${p.url}`);
    const s = await state(p.port);
    expect(s).toMatchObject({ build: 1, state: 'ok', diagnostics: [] });
    const pdf = await http(p.port, '/sheet.pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(sha(pdf.body)).toBe(s.sha256);
    expect(pdf.body.length).toBe(s.bytes);
    firstSha = s.sha256!;
    const text = pdfText(pdf.body);
    expect(text).toContain('旭市生涯活躍のまち構想');
    expect(text).not.toContain('137');
    // The same PDF again only when it changed (ETag), and never cached blindly.
    expect((await http(p.port, '/sheet.pdf', { headers: { 'if-none-match': `"${s.sha256}"` } })).status).toBe(304);
    expect(pdf.headers['cache-control']).toBe('no-store');
    // The page carries the state for scripts and tests to read.
    const page = await http(p.port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toMatch(
      new RegExp(`id="status" data-state="ok" data-build="1" data-instance="${s.instance}" data-sha256="${s.sha256}"`),
    );
    expect(page.text).toContain('<div id="viewer" data-pdf="/sheet.pdf?build=1">');
    // pdf.js and its worker, from the installed pdfjs-dist, the same bytes.
    for (const [path, file] of [
      ['/pdfjs/pdf.min.mjs', 'node_modules/pdfjs-dist/build/pdf.min.mjs'],
      ['/pdfjs/pdf.worker.min.mjs', 'node_modules/pdfjs-dist/build/pdf.worker.min.mjs'],
    ] as const) {
      const js = await http(p.port, path);
      expect(js.status, path).toBe(200);
      expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(sha(js.body)).toBe(sha(readFileSync(join(root, file))));
    }
    expect((await http(p.port, '/pdfjs/../package.json')).status).toBe(404);
    expect((await http(p.port, '/pdfjs/pdf.mjs')).status).toBe(404);
    // Nothing written next to the input.
    expect(readdirSync(tmp.dir)).toEqual(['sheet.yaml']);
  });

  it("is not reachable on the machine's other addresses", async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    for (const address of others) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect({ host: address, port: p.port }, () => {
          s.destroy();
          resolve(false);
        });
        s.on('error', () => resolve(true));
      });
      expect(refused, address).toBe(true);
    }
    // ::1 is not 127.0.0.1 either.
    const v6 = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '::1', port: p.port }, () => {
        s.destroy();
        resolve(false);
      });
      s.on('error', () => resolve(true));
    });
    expect(v6).toBe(true);
  });

  it('answers only requests addressed to 127.0.0.1:port or localhost:port (DNS rebinding)', async () => {
    expect((await http(p.port, '/', { host: `localhost:${p.port}` })).status).toBe(200);
    expect((await http(p.port, '/state.json', { host: `127.0.0.1:${p.port}` })).status).toBe(200);
    for (const host of [
      'evil.example',
      `evil.example:${p.port}`,
      `127.0.0.1:${p.port + 1}`,
      '127.0.0.1',
      'localhost',
      `127.0.0.1.evil.example:${p.port}`,
      `[::1]:${p.port}`,
      `0.0.0.0:${p.port}`,
    ]) {
      for (const path of ['/', '/sheet.pdf', '/state.json', '/events']) {
        const r = await http(p.port, path, { host });
        expect(r.status, `${host} ${path}`).toBe(403);
        expect(r.text).not.toContain('旭市');
        expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
      }
    }
    // HTTP/1.0 without a Host header at all.
    const raw = await new Promise<string>((resolve, reject) => {
      let got = '';
      const s = connect({ host: '127.0.0.1', port: p.port }, () => s.write('GET /state.json HTTP/1.0\r\n\r\n'));
      s.setEncoding('utf8')
        .on('data', (d: string) => (got += d))
        .on('end', () => resolve(got))
        .on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 403/);
  });

  it('serves only its fixed paths: no file, folder or traversal, only GET and HEAD, no CORS', async () => {
    for (const path of [
      '/sheet.yaml',
      '/index.html',
      '/../sheet.yaml',
      '/%2e%2e/sheet.yaml',
      '/..%2fsheet.yaml',
      '//sheet.pdf',
      '/sheet.pdf/',
      '/sheet.pdf/..',
      '/examples/asahi-2020-09.yaml',
      '/package.json',
      '/etc/passwd',
      '/..\\..\\etc\\passwd',
      '/%00',
      '/state.json%00',
      '/tmp/',
      '*',
    ]) {
      const r = await http(p.port, path);
      expect(r.status, path).toBe(404);
      expect(r.text, path).not.toContain('旭市');
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const r = await http(p.port, '/', { method, headers: { origin: 'http://evil.example' } });
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
    const head = await http(p.port, '/sheet.pdf', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const path of ['/', '/sheet.pdf', '/state.json']) {
      const r = await http(p.port, path, { headers: { origin: 'http://evil.example' } });
      expect(
        Object.keys(r.headers).filter((h) => h.startsWith('access-control-')),
        path,
      ).toEqual([]);
      expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
    const page = await http(p.port, '/');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  it('builds again on every save, in place and by rename, and announces each build on /events', async () => {
    const events: string[] = [];
    const req = (await import('node:http')).get(
      { host: '127.0.0.1', port: p.port, path: '/events', agent: false },
      (res) => {
        res.setEncoding('utf8').on('data', (d: string) => events.push(d));
      },
    );
    try {
      const before = await state(p.port);
      writeFileSync(tmp.sheet, kpi16(tmp.seed, 137));
      const a = await waitForState(
        p.port,
        (s) => s.build > before.build && s.state === 'ok' && s.sha256 !== before.sha256,
        'the build of the in-place save',
      );
      const pdfA = await http(p.port, '/sheet.pdf');
      expect(sha(pdfA.body)).toBe(a.sha256);
      expect(pdfText(pdfA.body)).toContain('137');

      saveByRename(tmp.sheet, kpi16(tmp.seed, 151));
      const b = await waitForState(
        p.port,
        (s) => s.build > a.build && s.state === 'ok' && s.sha256 !== a.sha256,
        'the build of the save by rename',
      );
      const textB = pdfText((await http(p.port, '/sheet.pdf')).body);
      expect(textB).toContain('151');
      expect(textB).not.toContain('137');

      // After a rename the watch follows the new file: a later in-place save is seen too.
      writeFileSync(tmp.sheet, kpi16(tmp.seed, 163));
      const c = await waitForState(
        p.port,
        (s) => s.build > b.build && s.state === 'ok' && s.sha256 !== b.sha256,
        'the build of an in-place save after a rename',
      );
      expect(pdfText((await http(p.port, '/sheet.pdf')).body)).toContain('163');

      // The same text as the start gives the same bytes as the start.
      writeFileSync(tmp.sheet, tmp.seed);
      const d = await waitForState(
        p.port,
        (s) => s.build > c.build && s.state === 'ok',
        'the build of the original text',
      );
      expect(d.sha256).toBe(firstSha);

      await waitForState(
        p.port,
        () => events.join('').includes(`"build":${d.build},`),
        'the event of the last build',
        10_000,
      );
      const announced = [...events.join('').matchAll(/^event: build\ndata: (.*)$/gm)].map(
        (m) => JSON.parse(m[1]!) as { build: number; sha256: string },
      );
      expect(announced.map((e) => e.build)).toEqual(expect.arrayContaining([a.build, b.build, c.build, d.build]));
      expect(announced.find((e) => e.build === b.build)?.sha256).toBe(b.sha256);
      expect(readdirSync(tmp.dir).sort()).toEqual(['sheet.yaml']);
    } finally {
      req.destroy();
    }
  }, 120_000);

  it('shows the errors of an invalid file with file:line:col instead of the PDF, escaped, until it is fixed', async () => {
    const before = await state(p.port);
    // An unknown key holding markup (shown back in the message), and an unclosed bracket later on.
    const lines = tmp.seed.split('\n');
    const progressLine = lines.findIndex((l) => l.startsWith('progress: ')) + 1;
    const broken = tmp.seed.replace('progress: 概ね順調', 'progress: [概ね順調');
    writeFileSync(tmp.sheet, broken);
    const e = await waitForState(p.port, (s) => s.build > before.build && s.state === 'error', 'the error state');
    expect(e.sha256).toBeNull();
    expect(e.diagnostics.length).toBeGreaterThan(0);
    expect(e.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    const d = e.diagnostics[0]!;
    expect(d).toMatchObject({ file: tmp.sheet, code: expect.stringMatching(/^yaml\./) });
    expect(d.line).toBeGreaterThanOrEqual(progressLine);
    expect(d.column).toBeGreaterThan(0);
    expect((await http(p.port, '/sheet.pdf')).status).toBe(404);
    const page = await http(p.port, '/');
    expect(page.text).toContain('data-state="error"');
    expect(page.text).toContain(`${tmp.sheet}:${d.line}:${d.column}`);
    expect(page.text).not.toContain('id="viewer"');
    expect(p.stderr()).toContain(`${tmp.sheet}:${d.line}:${d.column}: error:`);

    const markup = tmp.seed.replace(
      'lead_division: 企画政策課',
      'lead_division: 企画政策課\n"<img src=x onerror=alert(1)>": 1',
    );
    writeFileSync(tmp.sheet, markup);
    const m = await waitForState(
      p.port,
      (s) => s.build > e.build && s.state === 'error' && s.diagnostics.some((x) => x.message.includes('<img')),
      'the unknown-key error',
    );
    const unknown = m.diagnostics.find((x) => x.message.includes('<img'))!;
    expect(unknown.line).toBe(markup.split('\n').findIndex((l) => l.startsWith('"<img')) + 1);
    const page2 = await http(p.port, '/');
    expect(page2.text).not.toContain('<img');
    expect(page2.text).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(page2.text).toContain(`${tmp.sheet}:${unknown.line}:${unknown.column}`);
    expect(page2.text).toContain('<p class="hint">hint: Allowed here: version, municipality,');

    writeFileSync(tmp.sheet, kpi16(tmp.seed, 137));
    const ok = await waitForState(p.port, (s) => s.build > m.build && s.state === 'ok', 'the fixed file');
    expect(pdfText((await http(p.port, '/sheet.pdf')).body)).toContain('137');
    expect((await http(p.port, '/')).text).toContain(`data-sha256="${ok.sha256}"`);
  }, 120_000);

  it('shows warnings beside the PDF when the sheet builds with them', async () => {
    const before = await state(p.port);
    const policy = /^policy: \|.*\n((?: {2}.*\n)+)/m.exec(tmp.seed)![1]!;
    const long = tmp.seed.replace(policy, policy.repeat(4));
    writeFileSync(tmp.sheet, long);
    const w = await waitForState(
      p.port,
      (s) => s.build > before.build && s.state === 'ok' && s.sha256 !== before.sha256,
      'the build with warnings',
    );
    const warnings = w.diagnostics.filter((d) => d.severity === 'warning');
    expect(warnings.length).toBeGreaterThan(0);
    const page = await http(p.port, '/');
    expect(page.text).toContain('id="viewer"');
    expect(page.text).toMatch(/<aside id="warnings">/);
    for (const x of warnings) expect(page.text).toContain(`${tmp.sheet}:${x.line}:${x.column}`);
    expect(page.text).toContain(`data-warnings="${warnings.length}"`);
  }, 60_000);

  it('says when the file is gone, and builds again when it is back', async () => {
    writeFileSync(tmp.sheet, tmp.seed);
    const before = await waitForState(p.port, (s) => s.state === 'ok' && s.sha256 === firstSha, 'the seed again');
    rmSync(tmp.sheet);
    const gone = await waitForState(
      p.port,
      (s) => s.build > before.build && s.state === 'error',
      'the missing-file state',
    );
    expect(gone.diagnostics[0]).toMatchObject({ code: 'file.unreadable', message: `No such file: ${tmp.sheet}` });
    writeFileSync(tmp.sheet, kpi16(tmp.seed, 171));
    await waitForState(p.port, (s) => s.build > gone.build && s.state === 'ok', 'the file back');
    expect(pdfText((await http(p.port, '/sheet.pdf')).body)).toContain('171');
  }, 60_000);

  it('stops on Ctrl-C with exit 130 and closes the port', async () => {
    const code = await p.stop('SIGINT');
    expect(code).toBe(130);
    expect(p.stderr()).toContain('Preview stopped');
    expect(p.stderr()).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    await expect(http(p.port, '/state.json')).rejects.toThrow();
    expect(readdirSync(tmp.dir)).toEqual(['sheet.yaml']);
  });
});

describe('sheetgen preview (start and stop)', () => {
  it('exits 143 on SIGTERM', async () => {
    const tmp = tempSheet();
    try {
      const p = await startPreview(['preview', tmp.sheet]);
      expect(p.url).not.toBe('');
      expect(await p.stop('SIGTERM')).toBe(143);
    } finally {
      tmp.cleanup();
    }
  }, 60_000);

  it('refuses a missing file, a folder, a bad port and a taken port with exit 2 and no server', async () => {
    const tmp = tempSheet();
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const taken = (busy.address() as { port: number }).port;
    try {
      const cases: [string[], string][] = [
        [['preview', join(tmp.dir, 'nope.yaml')], `No such file: ${join(tmp.dir, 'nope.yaml')}`],
        [['preview', tmp.dir], 'is a directory'],
        [['preview', tmp.sheet, '--port', 'http'], '--port must be a whole number from 0 to 65535'],
        [['preview', tmp.sheet, '--port', '70000'], '--port must be a whole number from 0 to 65535'],
        [['preview', tmp.sheet, '--port', String(taken)], `Port ${taken} is already in use`],
        [['preview', tmp.sheet, '--scheme', 'no-such-scheme'], 'no-such-scheme'],
      ];
      for (const [args, message] of cases) {
        const p = await startPreview(args);
        expect(p.url, args.join(' ')).toBe('');
        expect(await p.exited, args.join(' ')).toBe(2);
        expect(p.stderr(), args.join(' ')).toContain(message);
        expect(p.stderr()).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      }
    } finally {
      busy.close();
      tmp.cleanup();
    }
  }, 120_000);

  it('starts on an invalid file and shows its errors (the point of a preview)', async () => {
    const tmp = tempSheet();
    try {
      writeFileSync(tmp.sheet, tmp.seed.replace('fiscal_year: 2020', 'fiscal_year: 二〇二〇'));
      const p = await startPreview(['preview', tmp.sheet]);
      try {
        const s = await state(p.port);
        expect(s.state).toBe('error');
        expect(s.diagnostics[0]).toMatchObject({
          file: tmp.sheet,
          line: tmp.seed.split('\n').findIndex((l) => l.startsWith('fiscal_year:')) + 1,
        });
      } finally {
        expect(await p.stop()).toBe(130);
      }
    } finally {
      tmp.cleanup();
    }
  }, 60_000);

  it('speaks Japanese when LANG is Japanese: terminal, page and state', async () => {
    const tmp = tempSheet();
    try {
      writeFileSync(tmp.sheet, tmp.seed.replace('lead_division:', 'lead_divison:'));
      const p = await startPreview(['preview', tmp.sheet], { LANG: 'ja_JP.UTF-8' });
      try {
        expect(p.stdout()).toContain(`${tmp.sheet} のプレビュー: ${p.url}`);
        const page = await http(p.port, '/');
        expect(page.text).toContain('<html lang="ja">');
        expect(page.text).toContain('エラー（');
        expect(page.text).toContain('ヒント: 「lead_division」の誤りではありませんか？');
        expect((await state(p.port)).diagnostics.map((d) => d.message).join('\n')).toContain(
          '項目「lead_divison」は使えません',
        );
        expect((await http(p.port, '/', { host: 'evil.example' })).text).toContain('このプレビューは');
      } finally {
        expect(await p.stop()).toBe(130);
        expect(p.stderr()).toContain('プレビューを終了しました');
      }
    } finally {
      tmp.cleanup();
    }
  }, 60_000);

  it('--open starts $BROWSER with the URL', async () => {
    const tmp = tempSheet();
    try {
      const fake = join(tmp.dir, 'browser.sh');
      const seen = join(tmp.dir, 'opened.txt');
      writeFileSync(fake, `#!/bin/sh\nprintf '%s' "$1" > '${seen}'\n`);
      chmodSync(fake, 0o755);
      const p = await startPreview(['preview', tmp.sheet, '--open'], { BROWSER: fake });
      try {
        const { readFileSync, existsSync } = await import('node:fs');
        const end = Date.now() + 20_000;
        while (!existsSync(seen) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
        expect(readFileSync(seen, 'utf8')).toBe(p.url);
      } finally {
        await p.stop();
      }
    } finally {
      tmp.cleanup();
    }
  }, 60_000);

  it('keeps the KPI line the tests edit', () => {
    const t = tempSheet();
    t.cleanup();
    expect(t.seed).toContain(KPI16);
  });
});
