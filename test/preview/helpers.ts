//! Runs the real `sheetgen preview` (bin/sheetgen.js over the dist/ bundle `npm test` builds first) on a
//! temporary copy of the seed, and talks to it over HTTP as a browser would, Host header included.

import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as mupdf from 'mupdf';

export const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'sheetgen.js');

/** A temporary folder holding sheet.yaml, a copy of the seed. */
export function tempSheet(): { dir: string; sheet: string; seed: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sheetgen-preview-test-'));
  const sheet = join(dir, 'sheet.yaml');
  copyFileSync(join(root, 'examples', 'asahi-2020-09.yaml'), sheet);
  return {
    dir,
    sheet,
    seed: readFileSync(sheet, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Writes the file as an editor with "safe write" does: a new file renamed over the old one. */
export function saveByRename(file: string, text: string): void {
  writeFileSync(`${file}.tmp~`, text);
  renameSync(`${file}.tmp~`, file);
}

export interface Running {
  proc: ChildProcess;
  url: string;
  port: number;
  stdout: () => string;
  stderr: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  exited: Promise<number | null>;
}

/** Starts `sheetgen preview` with the given arguments and waits for its URL (or its exit). */
export async function startPreview(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const proc = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', LANG: 'C', SOURCE_DATE_EPOCH: '1617148800', ...env },
  });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = await new Promise<string | undefined>((resolve) => {
    const check = () => {
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve(m[0]);
    };
    proc.stdout!.on('data', check);
    void exited.then(() => resolve(undefined));
  });
  const stop = async (signal: NodeJS.Signals = 'SIGINT') => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    return exited;
  };
  if (url === undefined) {
    return { proc, url: '', port: 0, stdout: () => out, stderr: () => err, stop, exited };
  }
  return { proc, url, port: Number(new URL(url).port), stdout: () => out, stderr: () => err, stop, exited };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** One HTTP request to the preview; `path` is sent as is (no normalisation), `host` replaces the Host header. */
export function http(
  port: number,
  path: string,
  opts: { method?: string; host?: string; headers?: Record<string, string>; address?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: opts.address ?? '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: opts.host ?? `127.0.0.1:${port}`, ...opts.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer to ${path}`)));
    req.end();
  });
}

export interface StateJson {
  instance: string;
  build: number;
  state: 'ok' | 'error';
  sha256: string | null;
  bytes: number | null;
  diagnostics: {
    severity: string;
    code: string;
    file: string | null;
    line: number | null;
    column: number | null;
    message: string;
    hint: string | null;
  }[];
}

export async function state(port: number): Promise<StateJson> {
  const r = await http(port, '/state.json');
  return JSON.parse(r.text) as StateJson;
}

/** Polls /state.json until `pred` holds (the preview builds in the background after each save). */
export async function waitForState(
  port: number,
  pred: (s: StateJson) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<StateJson> {
  const end = Date.now() + timeoutMs;
  let last: StateJson | undefined;
  while (Date.now() < end) {
    last = await state(port);
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last)}`);
}

/** The text of every page of a PDF, as a reader extracts it. */
export function pdfText(bytes: Uint8Array): string {
  const doc = mupdf.Document.openDocument(bytes, 'application/pdf');
  const pages: string[] = [];
  for (let i = 0; i < doc.countPages(); i++) pages.push(doc.loadPage(i).toStructuredText('').asText());
  return pages.join('\n');
}

/** The seed's KPI 16 actuals line, the number the tests change. */
export const KPI16 = 'actuals: { 2019: 85, 2020: 114 }';
export const kpi16 = (seed: string, value: number): string => {
  if (!seed.includes(KPI16)) throw new Error('the seed no longer has the KPI 16 line the preview tests edit');
  return seed.replace(KPI16, `actuals: { 2019: 85, 2020: ${value} }`);
};
