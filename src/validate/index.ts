//! Validation of one parsed sheet: schema problems and semantic problems, each placed at
//! file:line:col of the user's own text.

import type { Diagnostic, Lang } from '../diagnostics.js';
import { locate } from '../load/locate.js';
import type { ParsedSheet } from '../load/parse.js';
import { clerkWarnings, foldSlips } from './clerk.js';
import { checkSchema, type SchemaProblem } from './schema.js';
import { checkReasons, type ReasonsProblem } from './marks.js';
import { checkSemantics, type SemanticProblem } from './semantic.js';

/** All schema and semantic diagnostics of a parsed sheet (none when the YAML itself could not be read). */
export function validateParsed(parsed: ParsedSheet, lang: Lang): Diagnostic[] {
  if (parsed.data === undefined) return [];
  const problems = foldSlips<ReasonsProblem>(
    [...checkSchema(parsed.data, lang), ...checkSemantics(parsed.data, lang), ...checkReasons(parsed.data, lang)],
    parsed,
    lang,
  );
  const warnings = clerkWarnings(parsed.data, lang).map((p) => place(parsed, p, 'warning'));
  return [...problems.map((p) => place(parsed, p, p.severity)), ...warnings].sort(byPosition);
}

/** A problem at a path, turned into a diagnostic at the path's place in the file. */
export function place(
  parsed: ParsedSheet,
  p: SchemaProblem & { firstPath?: SemanticProblem['firstPath'] },
  severity: Diagnostic['severity'] = 'error',
): Diagnostic {
  const span = locate(parsed, p.path, { key: p.atKey });
  let message = p.message;
  if (p.firstPath) {
    const first = locate(parsed, p.firstPath);
    message = message.replace('{line}', String(first?.line ?? '?'));
  }
  return {
    severity,
    code: p.code,
    file: parsed.file,
    path: p.path,
    ...(span ?? {}),
    message,
    ...(p.hint ? { hint: p.hint } : {}),
  };
}

export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
