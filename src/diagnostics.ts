//! One user-facing problem type (Diagnostic) and one user-facing error class (SheetgenError).
//! Anything thrown that is not a SheetgenError is a bug in sheetgen and is shown with its stack.

import type { YamlPath } from './model/types.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable identifier of the kind of problem, e.g. "schema.type", "yaml.syntax", "layout.overflow". */
  code: string;
  /** The file as the user named it. */
  file?: string;
  /** Path of the field in the YAML document, if the problem belongs to one. */
  path?: YamlPath;
  /** 1-based position in the user's file. */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  /** What to do about it. */
  hint?: string;
}

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, internal: 70 } as const;

/** An error the user can fix: bad input, a missing file, a usage mistake. Never shows a stack. */
export class SheetgenError extends Error {
  readonly exitCode: number;
  readonly diagnostics: Diagnostic[];
  /** `cause`: the error it tells of (a file-system error), kept so that its words can be chosen again later. */
  constructor(message: string, opts: { exitCode?: number; diagnostics?: Diagnostic[]; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'SheetgenError';
    this.exitCode = opts.exitCode ?? EXIT.invalid;
    this.diagnostics = opts.diagnostics ?? [];
  }
}

/** Path as people read it: kpis[1].actuals.2020 */
export function formatPath(path: YamlPath | undefined): string {
  if (!path || path.length === 0) return '(root)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** Language of user-facing messages. */
export type Lang = 'ja' | 'en';

/** The locale Node reports (ICU's default: the user's locale on Windows, LANG & co. elsewhere). */
function intlLocale(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().locale;
  } catch {
    return '';
  }
}

/**
 * ja when the first set one of LC_ALL, LC_MESSAGES, LANG (as POSIX orders them) starts with "ja";
 * when none is set (Windows, where LANG is usually absent), ja when the locale Node reports is
 * Japanese (ja, ja-JP); en otherwise. "C" and "POSIX" are English.
 */
export function langFromEnv(env: NodeJS.ProcessEnv = process.env, reported: () => string = intlLocale): Lang {
  const v = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  if (v !== '') return v.toLowerCase().startsWith('ja') ? 'ja' : 'en';
  return /^ja(?:[-_]|$)/i.test(reported()) ? 'ja' : 'en';
}
