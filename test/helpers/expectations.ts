//! Reads the expectations a fixture carries inline, as comments:
//!   # error: 12:13 schema.type ▲      (line:col, diagnostic code, optional text the message or hint must contain)
//!   # warning: 3:1 layout.shrink
//!   # exit: 1

export interface Expected {
  severity: 'error' | 'warning';
  line: number;
  column: number;
  code: string;
  text?: string;
}

export function readExpectations(source: string): { expected: Expected[]; exit?: number } {
  const expected: Expected[] = [];
  let exit: number | undefined;
  for (const m of source.matchAll(/^#[ \t]*(error|warning):[ \t]*(\d+):(\d+)[ \t]+(\S+)(?:[ \t]+(.+?))?[ \t]*$/gm)) {
    expected.push({
      severity: m[1] as Expected['severity'],
      line: Number(m[2]),
      column: Number(m[3]),
      code: m[4]!,
      ...(m[5] ? { text: m[5] } : {}),
    });
  }
  const e = /^#\s*exit:\s*(\d+)\s*$/m.exec(source);
  if (e) exit = Number(e[1]);
  return { expected, ...(exit !== undefined ? { exit } : {}) };
}
