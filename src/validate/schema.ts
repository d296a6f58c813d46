//! Checks sheet data against schemas/sheet.schema.json (ajv, compiled once per process, all errors)
//! and turns ajv's errors into one clear diagnostic per problem: the deepest branch of a oneOf/anyOf
//! that fits the value, the field's Japanese title, "did you mean" for misspelt keys, hints for numbers typed as text.

import type { ErrorObject, ValidateFunction } from 'ajv';
import schema from '../../schemas/sheet.schema.json' with { type: 'json' };
import type { Lang } from '../diagnostics.js';
import type { YamlPath } from '../model/types.js';
import { t } from '../messages.js';
import { dateHint, numberHint, yearHint } from './numbers.js';
import precompiled from './sheet-validator.generated.js';
import localizeJaModule from 'ajv-i18n/localize/ja/index.js';

type Localize = (errors?: ErrorObject[] | null) => void;
// ajv-i18n is CommonJS with a default export; take the function whichever way the loader hands it over.
const localizeJa: Localize =
  (localizeJaModule as unknown as { default?: Localize }).default ?? (localizeJaModule as unknown as Localize);

/** ajv's own message for an error, localized to Japanese when asked (ajv-i18n rewrites .message in place). */
function ajvMessage(e: ErrorObject, lang: Lang): string {
  if (lang !== 'ja') return e.message ?? e.keyword;
  const copy = { ...e };
  localizeJa([copy]);
  return copy.message ?? e.keyword;
}

/** The schema compiled to code at build time (scripts/gen-validator.mjs): no compile cost at start-up. */
function validator(): ValidateFunction {
  return precompiled;
}

/** A schema problem before it is placed in the file: path, whether to point at the key, message, hint. */
export interface SchemaProblem {
  path: YamlPath;
  atKey: boolean;
  code: string;
  message: string;
  hint?: string;
  /** For a misspelt key: the field it most likely meant. */
  suggestion?: string;
}

export function checkSchema(data: unknown, lang: Lang): SchemaProblem[] {
  const validate = validator();
  if (validate(data)) return [];
  const errors = collapseCombinators(validate.errors ?? []);
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const p = describe(e, data, lang);
    if (!p) continue;
    const key = `${p.path.join('\u0000')}|${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return problems;
}

/** Splits an ajv instancePath (/kpis/1/actuals/2020) into segments, array indices as numbers. */
function splitPath(instancePath: string, data?: unknown): (string | number)[] {
  if (instancePath === '') return [];
  const segs = instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const out: (string | number)[] = [];
  let cur: unknown = data;
  for (const s of segs) {
    if (Array.isArray(cur) && /^\d+$/.test(s)) {
      out.push(Number(s));
      cur = cur[Number(s)];
    } else {
      out.push(s);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[s] : undefined;
    }
  }
  return out;
}

const COMBINATORS = new Set(['anyOf', 'oneOf']);

/**
 * Replaces each failed anyOf/oneOf by the errors of the branch whose type fits the value (so
 * "actuals.2020: 'abc'" says "must be a number", not three branch failures); when no branch's type
 * fits, by one type error naming the accepted types.
 */
function collapseCombinators(errors: ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const added: ErrorObject[] = [];
  const combos = errors
    .filter((e) => COMBINATORS.has(e.keyword))
    .sort((a, b) => a.instancePath.length - b.instancePath.length || a.schemaPath.length - b.schemaPath.length);
  for (const c of combos) {
    if (dropped.has(c)) continue;
    dropped.add(c);
    const branches = (c.schema as unknown[]) ?? [];
    // A branch's own errors have the branch (or, through $ref, the definition it names) as their
    // parentSchema; ajv's schemaPath restarts inside a referenced definition, so it cannot tell.
    const branchSchemas = branches.map((b) => [b, derefAll(b)]);
    const within = (e: ErrorObject): boolean =>
      e.instancePath === c.instancePath || e.instancePath.startsWith(`${c.instancePath}/`);
    const inside = errors.filter((e) => !dropped.has(e) && e !== c && within(e));
    const byBranch = new Map<number, ErrorObject[]>();
    const unattributed: ErrorObject[] = [];
    for (const e of inside) {
      const idx =
        e.instancePath === c.instancePath
          ? branchSchemas.findIndex((ps) => ps.some((b) => sameSchema(b, e.parentSchema)))
          : -1;
      if (idx < 0) {
        // Deeper errors from a nested definition belong to the branch that accepted the value's type.
        if (e.instancePath !== c.instancePath) unattributed.push(e);
        continue;
      }
      const list = byBranch.get(idx) ?? [];
      list.push(e);
      byBranch.set(idx, list);
    }
    let chosen: number | undefined;
    for (let i = 0; i < branches.length; i++) {
      const errs = byBranch.get(i) ?? [];
      const typeMismatch = errs.some((e) => e.keyword === 'type' && e.instancePath === c.instancePath);
      if (!typeMismatch && (errs.length > 0 || unattributed.length > 0)) {
        chosen = i;
        break;
      }
    }
    for (const [i, errs] of byBranch) if (i !== chosen) for (const e of errs) dropped.add(e);
    if (chosen === undefined) {
      for (const e of unattributed) dropped.add(e);
      const types = branches.flatMap((b) => branchTypes(b));
      added.push({ ...c, keyword: 'type', params: { type: [...new Set(types)] } });
    }
  }
  return [...errors.filter((e) => !dropped.has(e)), ...added].sort((a, b) =>
    a.instancePath < b.instancePath ? -1 : a.instancePath > b.instancePath ? 1 : 0,
  );
}

function branchTypes(branch: unknown): string[] {
  if (branch === null || typeof branch !== 'object') return [];
  const b = branch as { type?: string | string[]; $ref?: string; properties?: unknown; const?: unknown };
  if (Array.isArray(b.type)) return b.type;
  if (typeof b.type === 'string') return [b.type];
  if (b.$ref) {
    const def = resolveRef(b.$ref);
    return def ? branchTypes(def) : [];
  }
  if (b.properties) return ['object'];
  return [];
}

/** The generated validator carries its own copy of the schema: compare schemas by content. */
function sameSchema(a: unknown, b: unknown): boolean {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
}

/** A schema with its chain of $refs followed to the end. */
function derefAll(s: unknown): unknown {
  let cur = s;
  for (
    let i = 0;
    i < 10 && cur !== null && typeof cur === 'object' && typeof (cur as { $ref?: unknown }).$ref === 'string';
    i++
  ) {
    cur = resolveRef((cur as { $ref: string }).$ref);
  }
  return cur;
}

function resolveRef(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let cur: unknown = schema;
  for (const seg of ref.slice(2).split('/')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function typeName(lang: Lang, type: string): string {
  return t(lang, `type.${type}`);
}

function actualType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function describe(e: ErrorObject, data: unknown, lang: Lang): SchemaProblem | undefined {
  const path = splitPath(e.instancePath, data);
  const title = (e.parentSchema as { title?: string } | undefined)?.title;
  const withTitle = (msg: string): string => (title && lang === 'ja' ? `${msg}（${title}）` : msg);
  const join = (xs: unknown[]): string => xs.map((x) => String(x)).join(lang === 'ja' ? '、' : ', ');
  switch (e.keyword) {
    case 'required': {
      const field = (e.params as { missingProperty: string }).missingProperty;
      const props = (e.parentSchema as { properties?: Record<string, { title?: string }> } | undefined)?.properties;
      const fieldTitle = props?.[field]?.title;
      const name = fieldTitle && lang === 'ja' ? `${field}（${fieldTitle}）` : field;
      return {
        path: [...path, field],
        atKey: true,
        code: 'schema.required',
        message: t(lang, 'required', { field: name }),
      };
    }
    case 'additionalProperties': {
      const field = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = closest(field, allowed);
      const hint = suggestion
        ? t(lang, 'didYouMean', { suggestion })
        : allowed.length
          ? t(lang, 'allowedFields', { list: allowed.join(', ') })
          : undefined;
      return {
        path: [...path, field],
        atKey: true,
        code: 'schema.unknown-key',
        message: t(lang, 'unknownKey', { field }),
        ...(hint ? { hint } : {}),
        ...(suggestion ? { suggestion } : {}),
      };
    }
    case 'type': {
      // NaN and ±Infinity fail ajv's number type; the semantic check reports them more clearly.
      if (typeof e.data === 'number' && !Number.isFinite(e.data)) return undefined;
      const expected = ([] as string[]).concat((e.params as { type: string | string[] }).type);
      const wantsNumber = expected.includes('number') || expected.includes('integer');
      const hint = wantsNumber && typeof e.data === 'string' ? numberHint(e.data, lang) : undefined;
      const message = withTitle(
        t(lang, 'type', {
          expected: expected.map((x) => typeName(lang, x)).join(lang === 'ja' ? 'または' : ' or '),
          actual: typeName(lang, actualType(e.data)),
        }),
      );
      return { path, atKey: false, code: 'schema.type', message, ...(hint ? { hint } : {}) };
    }
    case 'enum':
      return {
        path,
        atKey: false,
        code: 'schema.enum',
        message: withTitle(t(lang, 'enum', { list: join((e.params as { allowedValues: unknown[] }).allowedValues) })),
      };
    case 'const':
      return {
        path,
        atKey: false,
        code: 'schema.const',
        message: withTitle(t(lang, 'const', { value: String((e.params as { allowedValue: unknown }).allowedValue) })),
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
      return {
        path,
        atKey: false,
        code: `schema.${e.keyword}`,
        message: withTitle(t(lang, e.keyword, { limit: String((e.params as { limit: number }).limit) })),
      };
    case 'minItems':
      return {
        path,
        atKey: false,
        code: 'schema.min-items',
        message: withTitle(t(lang, 'minItems', { limit: (e.params as { limit: number }).limit })),
      };
    case 'maxItems':
      return {
        path,
        atKey: false,
        code: 'schema.max-items',
        message: withTitle(
          t(lang, 'maxItems', {
            limit: (e.params as { limit: number }).limit,
            count: Array.isArray(e.data) ? e.data.length : '?',
          }),
        ),
      };
    case 'minLength':
      return { path, atKey: false, code: 'schema.min-length', message: withTitle(t(lang, 'minLength')) };
    case 'propertyNames': {
      // The inner error (pattern) carries the same key; report once, here.
      const key = (e.params as { propertyName: string }).propertyName;
      // `{ 2020: 1,234 }` reads as 2020: 1 and a key "234": a thousands separator inside { }.
      const hint = /^\d{3}$/.test(key) ? t(lang, 'yearKeyComma') : yearHint(key, lang);
      return {
        path: [...path, key],
        atKey: true,
        code: 'schema.year-key',
        message: t(lang, 'yearKey', { key }),
        ...(hint ? { hint } : {}),
      };
    }
    case 'pattern':
      if ((e.params as { propertyName?: string }).propertyName !== undefined || e.propertyName !== undefined)
        return undefined;
      return {
        path,
        atKey: false,
        code: 'schema.pattern',
        message: withTitle(t(lang, 'schemaOther', { detail: e.message ?? 'pattern' })),
      };
    case 'minProperties':
    case 'maxProperties': {
      const names = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      if ((e.params as { limit: number }).limit === 1 && names.length > 0) {
        return {
          path,
          atKey: false,
          code: `schema.${e.keyword}`,
          message: withTitle(t(lang, 'exactlyOneOf', { list: join(names) })),
        };
      }
      return {
        path,
        atKey: false,
        code: `schema.${e.keyword}`,
        message: withTitle(t(lang, 'schemaOther', { detail: ajvMessage(e, lang) })),
      };
    }
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      return {
        path: [...path, i],
        atKey: false,
        code: 'schema.unique-items',
        message: withTitle(t(lang, 'uniqueItems', { first: j + 1, second: i + 1 })),
      };
    }
    case 'format': {
      const hint = dateHint(e.data, lang);
      return {
        path,
        atKey: false,
        code: 'schema.format',
        message: withTitle(t(lang, 'format_date')),
        ...(hint ? { hint } : {}),
      };
    }
    case 'not':
    case 'if':
      return undefined;
    default:
      // Keywords without a message of our own: ajv's text, in Japanese through ajv-i18n.
      return {
        path,
        atKey: false,
        code: `schema.${e.keyword}`,
        message: withTitle(t(lang, 'schemaOther', { detail: ajvMessage(e, lang) })),
      };
  }
}

/** The allowed name nearest to a misspelt one (edit distance ≤ 2, or one contains the other). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  if (bestD <= limit) return best;
  const contained = candidates.find(
    (c) => c.length >= 3 && (w.includes(c.toLowerCase()) || c.toLowerCase().includes(w)) && w.length >= 3,
  );
  return contained;
}

/** Edit distance counting a swap of two neighbouring letters (unti → unit) as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
