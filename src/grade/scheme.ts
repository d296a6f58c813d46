//! Grading schemes as data: the built-in ones (imported, so bundled) and user files checked
//! against schemas/grading.schema.json, plus the checks a JSON Schema cannot express.

import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { EXIT, SheetgenError, formatPath, type Diagnostic } from '../diagnostics.js';
import type { SchemeInfo } from '../model/types.js';
import { compare, parseDecimal, type Decimal } from './decimal.js';
import type { GradingSchemeFile } from './scheme.generated.js';
// Static JSON imports: esbuild inlines them, so the built-in schemes and the scheme schema need
// no file at run time (the bundle does not know where the package's data files live).
import asahiJson from '../../grading/asahi.json' with { type: 'json' };
import fiveLevelJson from '../../grading/five-level.json' with { type: 'json' };
import gradingSchema from '../../schemas/grading.schema.json' with { type: 'json' };

/** A grading scheme, in the shape of a scheme file: generated from schemas/grading.schema.json. */
export type GradingScheme = GradingSchemeFile;

/**
 * One band on the change ratio r: r ≥ min (inclusive) or r > min; the last band has no min.
 * min is a decimal string (e.g. "0.1" for +10%) so that no float ever stands for it.
 */
export type Band = GradingSchemeFile['bands'][number];

/** A band with its bound parsed; the last one has bound null. */
export interface ParsedBand {
  grade: string;
  min: Decimal | null;
  inclusive: boolean;
}

export const BUILTIN_SCHEMES: Readonly<Record<string, GradingScheme>> = {
  asahi: asahiJson,
  'five-level': fiveLevelJson,
};

export const DEFAULT_SCHEME = 'asahi';

/** What the layout and exporters need: id, name, legend heading and legend lines. */
export function schemeInfo(s: GradingScheme): SchemeInfo {
  return { id: s.id, name: s.name, title: s.title, legend: s.legend.map((e) => ({ grade: e.grade, text: e.text })) };
}

/** The grades an override may give: those printed in the legend. */
export function legendGrades(s: GradingScheme): Set<string> {
  return new Set(s.legend.map((e) => e.grade));
}

const parsedBands = new WeakMap<GradingScheme, ParsedBand[]>();

/** The bands with their bounds parsed (memoized per scheme object). Assumes a checked scheme. */
export function bandsOf(s: GradingScheme): ParsedBand[] {
  let parsed = parsedBands.get(s);
  if (!parsed) {
    parsed = s.bands.map((b) => ({
      grade: b.grade,
      min: b.min === undefined ? null : parseDecimal(b.min),
      inclusive: b.inclusive ?? false,
    }));
    parsedBands.set(s, parsed);
  }
  return parsed;
}

/**
 * Checks a JSON Schema cannot express; returns one message per problem (empty when sound):
 * bounds decrease, only the last band is open-ended, every grade the rules can give is in the legend.
 */
export function checkScheme(s: GradingScheme): string[] {
  const problems: string[] = [];
  const grades = new Set<string>();
  for (const e of s.legend) {
    if (grades.has(e.grade)) problems.push(`legend: grade "${e.grade}" appears twice`);
    grades.add(e.grade);
  }
  s.bands.forEach((b, i) => {
    const last = i === s.bands.length - 1;
    if (last && b.min !== undefined)
      problems.push(`bands[${i}]: the last band must have no "min" (it catches every r left)`);
    if (!last && b.min === undefined) problems.push(`bands[${i}]: only the last band may omit "min"`);
  });
  let prev: { min: Decimal; inclusive: boolean; i: number } | null = null;
  s.bands.forEach((b, i) => {
    if (b.min === undefined) return;
    let min: Decimal;
    try {
      min = parseDecimal(b.min);
    } catch {
      problems.push(`bands[${i}].min: "${b.min}" is not a decimal number`);
      return;
    }
    const inclusive = b.inclusive ?? false;
    if (prev) {
      const c = compare(min, prev.min);
      // Equal bounds are only meaningful as "r > x" followed by "r ≥ x" (the next band gets r = x);
      // anything else leaves this band unreachable.
      const ok = c < 0 || (c === 0 && !prev.inclusive && inclusive);
      if (!ok) {
        problems.push(
          `bands[${i}].min: bounds must decrease from band to band, but "${b.min}" does not come below bands[${prev.i}].min "${s.bands[prev.i]?.min ?? ''}"`,
        );
      }
    }
    prev = { min, inclusive, i };
  });
  const given: [string, string][] = [
    ['noData', s.noData],
    ['targetMet', s.targetMet],
    ['zeroBaseline.improved', s.zeroBaseline.improved],
    ['zeroBaseline.equal', s.zeroBaseline.equal],
    ['zeroBaseline.worsened', s.zeroBaseline.worsened],
    ...s.bands.map((b, i): [string, string] => [`bands[${i}].grade`, b.grade]),
  ];
  for (const [where, g] of given) {
    if (!grades.has(g)) problems.push(`${where}: grade "${g}" is not in the legend`);
  }
  return problems;
}

// Compiled on first use of a scheme file: the built-in schemes never need ajv.
let validateScheme: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  validateScheme ??= new Ajv({ allErrors: true }).compile(gradingSchema);
  return validateScheme;
}

function describeAjvError(e: ErrorObject): string {
  // JSON Pointer → the same bands[0].min form the other checks and formatPath use.
  const segments = e.instancePath
    .split('/')
    .slice(1)
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg.replaceAll('~1', '/').replaceAll('~0', '~')));
  const where = formatPath(segments);
  if (e.keyword === 'additionalProperties') {
    return `${where}: unknown property "${String((e.params as { additionalProperty?: unknown }).additionalProperty)}"`;
  }
  return `${where}: ${e.message ?? e.keyword}`;
}

function invalid(file: string, problems: string[]): SheetgenError {
  const diagnostics: Diagnostic[] = problems.map((message) => ({
    severity: 'error',
    code: 'grading.invalid',
    file,
    message,
  }));
  return new SheetgenError(`grading scheme ${file} is not valid:\n  ${problems.join('\n  ')}`, {
    exitCode: EXIT.invalid,
    diagnostics,
  });
}

/** Validates parsed JSON as a scheme; throws SheetgenError (exit 1) naming the file. */
export function parseScheme(data: unknown, file: string): GradingScheme {
  const validate = schemaValidator();
  if (!validate(data)) {
    throw invalid(file, (validate.errors ?? []).map(describeAjvError));
  }
  const scheme = data as GradingScheme;
  const problems = checkScheme(scheme);
  if (problems.length > 0) throw invalid(file, problems);
  return scheme;
}

/**
 * A scheme by built-in name ('asahi', the default, or 'five-level') or by the path of a JSON file
 * (relative paths are taken from the working directory; callers resolve a sheet's own reference).
 * Throws SheetgenError: exit 2 when the file cannot be read, exit 1 when its content is invalid.
 */
export function loadScheme(nameOrPath?: string): GradingScheme {
  const key = nameOrPath ?? DEFAULT_SCHEME;
  const builtin = Object.hasOwn(BUILTIN_SCHEMES, key) ? BUILTIN_SCHEMES[key] : undefined;
  if (builtin) return builtin;
  let text: string;
  try {
    text = readFileSync(key, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new SheetgenError(
      `cannot read grading scheme ${key}: ${why} (built-in schemes: ${Object.keys(BUILTIN_SCHEMES).join(', ')})`,
      {
        exitCode: EXIT.usage,
        diagnostics: [
          { severity: 'error', code: 'grading.missing', file: key, message: `cannot read grading scheme: ${why}` },
        ],
      },
    );
  }
  let data: unknown;
  try {
    // A BOM is legal in a UTF-8 file written by some editors but not in JSON.parse.
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    // Only the position: JSON.parse's message quotes the file's first bytes, which could be any file's.
    const pos = /position (\d+)/.exec((err as Error).message)?.[1];
    throw invalid(key, [`not valid JSON${pos ? ` (at character ${pos})` : ''}`]);
  }
  return parseScheme(data, key);
}
