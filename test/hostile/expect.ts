//! Reads the expectations a hostile-input case carries: inline comments at the end of the case, or
//! NAME.expect beside a file that cannot hold a comment (UTF-16, invalid bytes, empty, binary).
//!   # exit: 1                              validate's exit code
//!   # error: 12:13 schema.type gist        a diagnostic at line:col with this code; the message or hint contains the gist
//!   # says: gist / # not-says: gist         validate's output contains / never contains this text
//!   # ja: gist                             with LANG=ja_JP.UTF-8 the output (validate, and build if run) contains this
//!   # build-exit: 1                        also run `build`, expecting this exit code
//!   # build-error: 9:21 code gist          a build diagnostic at line:col (code checked in-process)
//!   # build-says: gist                     build's output contains this text
//!   # build-out: KIND                      how the output path is prepared (see catalogue.test.ts)
//!   # no-file: /path                       this file must not exist afterwards (code execution probes)
//!   # max-heap-mb: 96                      validate runs with this much V8 heap: a refusal that expanded or
//!                                          built the input first would run out of memory (no timed limits:
//!                                          every run must only finish before runCli's timeout)

export interface Located {
  line: number;
  column: number;
  code: string;
  gist?: string;
}

export interface CaseExpectations {
  exit?: number;
  errors: Located[];
  says: string[];
  notSays: string[];
  ja: string[];
  buildExit?: number;
  buildErrors: Located[];
  buildSays: string[];
  buildOut?: string;
  noFiles: string[];
  maxHeapMb?: number;
}

function located(rest: string): Located {
  const m = /^(\d+):(\d+)\s+(\S+)(?:\s+(.+?))?\s*$/.exec(rest);
  if (!m) throw new Error(`bad located expectation: ${rest}`);
  return { line: Number(m[1]), column: Number(m[2]), code: m[3]!, ...(m[4] ? { gist: m[4] } : {}) };
}

export function readCaseExpectations(source: string): CaseExpectations {
  const x: CaseExpectations = {
    errors: [],
    says: [],
    notSays: [],
    ja: [],
    buildErrors: [],
    buildSays: [],
    noFiles: [],
  };
  for (const m of source.matchAll(/^#\s*([a-z-]+):\s*(.*?)\s*$/gm)) {
    const [, key, value = ''] = m;
    switch (key) {
      case 'exit':
        x.exit = Number(value);
        break;
      case 'error':
        x.errors.push(located(value));
        break;
      case 'says':
        x.says.push(value);
        break;
      case 'not-says':
        x.notSays.push(value);
        break;
      case 'ja':
        x.ja.push(value);
        break;
      case 'build-exit':
        x.buildExit = Number(value);
        break;
      case 'build-error':
        x.buildErrors.push(located(value));
        break;
      case 'build-says':
        x.buildSays.push(value);
        break;
      case 'build-out':
        x.buildOut = value;
        break;
      case 'no-file':
        x.noFiles.push(value);
        break;
      case 'max-heap-mb':
        x.maxHeapMb = Number(value);
        break;
      default:
        break; // prose comments such as "# yaml-language-server: …" are not expectations
    }
  }
  return x;
}
