//! YAML text → plain data plus the document's nodes and line positions (yaml's LineCounter),
//! turning every syntax problem (bad indentation, tabs, duplicate keys, tags, alias bombs) into a located Diagnostic.

import {
  Composer,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Parser,
  type Document,
  type DocumentOptions,
  type Node,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';
import type { Diagnostic, Lang } from '../diagnostics.js';
import type { YamlPath } from '../model/types.js';
import { t } from '../messages.js';
import { findSlips } from './slips.js';

export interface ParsedSheet {
  file: string;
  text: string;
  doc: Document.Parsed | null;
  lineCounter: LineCounter;
  /** The document as plain data; undefined when it could not be read at all. */
  data: unknown;
  diagnostics: Diagnostic[];
}

/** How many alias dereferences a file may make: a real sheet has none; a "billion laughs" file has millions. */
export const MAX_ALIAS_COUNT = 100;

/** Deepest nesting accepted; the v1 format nests 5 levels. */
export const MAX_DEPTH = 32;

/**
 * Most values a document may stand for once its aliases are expanded. A real sheet has a few
 * hundred; the alias count alone does not bound this (one alias to a list of 300,000 numbers,
 * repeated 50 times, is 15 million values and half a gigabyte), so the expanded size is counted
 * on the parsed nodes before any data is built.
 */
export const MAX_EXPANDED_NODES = 100_000;

/**
 * Most lexical tokens a file may have. A real sheet has a few thousand; building yaml's document
 * costs about 400 bytes per token, so 1 MiB of `[1,1,1,…]` would take 400 MB and seconds. The
 * lexer alone is cheap (60 MB, 0.4 s for 900,000 tokens), so tokens are counted first.
 */
export const MAX_TOKENS = 100_000;

/**
 * yaml's parseAllDocuments over tokens already lexed: the same Parser and Composer steps it takes
 * (the Parser's documented way to feed it another lexer's tokens), so a file is lexed once, not
 * once to count its tokens and again to parse it.
 */
function parseAllTokens(
  tokens: readonly string[],
  lineCounter: LineCounter,
  options: DocumentOptions & ParseOptions & SchemaOptions,
): Document.Parsed[] {
  const parser = new Parser(lineCounter.addNewLine);
  function* cst() {
    lineCounter.addNewLine(0);
    for (const lexeme of tokens) yield* parser.next(lexeme);
    yield* parser.end();
  }
  return Array.from(new Composer(options).compose(cst()));
}

export function parseSheetText(file: string, text: string, lang: Lang): ParsedSheet {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const lexemes: string[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    if (lexemes.push(lexeme) > MAX_TOKENS) {
      diagnostics.push({
        severity: 'error',
        code: 'yaml.too-many-items',
        file,
        line: 1,
        column: 1,
        message: t(lang, 'tooManyItems', { max: MAX_TOKENS }),
      });
      return { file, text, doc: null, lineCounter, data: undefined, diagnostics };
    }
  }
  const at = (offset: number, end?: number): Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'> => {
    const p = lineCounter.linePos(offset);
    const out: Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'> = { line: p.line, column: p.col };
    if (end !== undefined && end > offset) {
      const q = lineCounter.linePos(end);
      out.endLine = q.line;
      out.endColumn = q.col;
    }
    return out;
  };

  // Keys are the same when they read the same as text: "2020" and 2020 name one year of a map (the
  // data would keep only the last), so the two spellings are a duplicate like any other.
  const mixed = new Set<string>();
  const sameKey = (a: unknown, b: unknown): boolean => {
    if (a === b) return true;
    if (!isScalar(a) || !isScalar(b)) return false;
    if (a.value === b.value) return true;
    if (
      a.value !== null &&
      b.value !== null &&
      typeof a.value !== 'object' &&
      typeof b.value !== 'object' &&
      String(a.value) === String(b.value)
    ) {
      mixed.add(String(a.value));
      return true;
    }
    return false;
  };
  const list = parseAllTokens(lexemes, lineCounter, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: sameKey,
    strict: true,
    version: '1.2',
  });
  lexemes.length = 0;
  const doc = list[0] ?? null;
  if (list.length > 1) {
    const second = list[1];
    const start = second?.range?.[0] ?? 0;
    diagnostics.push({
      severity: 'error',
      code: 'yaml.multiple-documents',
      file,
      ...at(start),
      message: t(lang, 'multipleDocuments', { count: list.length }),
      hint: t(lang, 'multipleDocumentsHint'),
    });
  }
  if (!doc) {
    diagnostics.push({
      severity: 'error',
      code: 'yaml.empty',
      file,
      line: 1,
      column: 1,
      message: t(lang, 'emptyFile'),
    });
    return { file, text, doc: null, lineCounter, data: undefined, diagnostics };
  }

  // One syntax slip makes the parser report several errors at the same spot (or, after a tab
  // used as indentation, along the same line): report the first, which names the real cause.
  const seenAt = new Set<string>();
  const tabLines = new Set<number>();
  for (const e of doc.errors) {
    const [start, end] = e.pos;
    const where = at(start, end);
    if (seenAt.has(`${where.line}:${where.column}`) || tabLines.has(where.line ?? 0)) continue;
    seenAt.add(`${where.line}:${where.column}`);
    if (e.code === 'TAB_AS_INDENT') tabLines.add(where.line ?? 0);
    const opened = unclosedAt(text, start, e.message);
    if (opened !== undefined) {
      // An unclosed quote or bracket is reported where it was opened, not where the parser gave up.
      const ch = text[opened] ?? '';
      diagnostics.push({
        severity: 'error',
        code: `yaml.unclosed`,
        file,
        ...at(opened, opened + 1),
        message: t(lang, 'unclosed', { char: ch, close: CLOSERS[ch] ?? ch }),
      });
      continue;
    }
    // A stack overflow inside yaml (flow collections thousands deep) happens at a depth that depends on
    // the Node version's stack frames (Node 20 and 24 differ): report where the nesting passes the limit.
    if (/call stack/i.test(e.message)) {
      const deepAt = flowDepthExceededAt(text, MAX_DEPTH) ?? start;
      diagnostics.push({
        severity: 'error',
        code: `yaml.${e.code.toLowerCase()}`,
        file,
        ...at(deepAt, deepAt + 1),
        message: yamlMessage(lang, e.code, e.message, ''),
      });
      continue;
    }
    const source =
      e.code === 'DUPLICATE_KEY' ? (/^[^:\n]*/.exec(text.slice(start))?.[0] ?? '') : text.slice(start, end);
    const unquoted = source.trim().replace(/^(["'])(.*)\1$/, '$2');
    const message =
      e.code === 'DUPLICATE_KEY' && mixed.has(unquoted)
        ? t(lang, 'duplicateYearKey', { key: unquoted })
        : yamlMessage(lang, e.code, e.message, source);
    diagnostics.push({ severity: 'error', code: `yaml.${e.code.toLowerCase()}`, file, ...at(start, end), message });
  }
  for (const w of doc.warnings) {
    const [start, end] = w.pos;
    // An unresolved tag (!!python/object, !custom) would silently become a string: refuse it.
    diagnostics.push({
      severity: 'error',
      code: `yaml.${w.code.toLowerCase()}`,
      file,
      ...at(start, end),
      message: yamlMessage(lang, w.code, w.message, text.slice(start, end)),
    });
  }
  // An input method's slips (name：値, full-width spaces as indentation): one message each, with the
  // corrected line, instead of the parser's guesses at what follows from them.
  const slips = findSlips(text, doc, (o) => lineCounter.linePos(o).line);
  if (slips.length > 0) {
    const kept = diagnostics.filter((d) => !d.code.startsWith('yaml.') || d.code === 'yaml.multiple-documents');
    for (const s of slips) {
      kept.push({
        severity: 'error',
        code: `yaml.${s.kind}`,
        file,
        line: s.line,
        column: s.column,
        endLine: s.line,
        endColumn: s.column + 1,
        message:
          s.kind === 'full-width-colon' ? t(lang, 'fullWidthColon', { key: s.key ?? '' }) : t(lang, 'fullWidthSpace'),
        hint:
          s.kind === 'full-width-colon'
            ? t(lang, 'slipFixed', { fixed: s.fixed.trim() })
            : t(lang, 'slipIndent', { count: s.fixed.length - s.fixed.trimStart().length, fixed: s.fixed.trim() }),
      });
    }
    return { file, text, doc, lineCounter, data: undefined, diagnostics: kept };
  }
  if (doc.errors.length > 0) return { file, text, doc, lineCounter, data: undefined, diagnostics };

  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) {
    diagnostics.push({
      severity: 'error',
      code: 'yaml.empty',
      file,
      line: 1,
      column: 1,
      message: t(lang, 'emptyFile'),
    });
    return { file, text, doc, lineCounter, data: undefined, diagnostics };
  }
  if (!isMap(root)) {
    diagnostics.push({
      severity: 'error',
      code: 'yaml.root',
      file,
      ...at(root.range?.[0] ?? 0),
      message: t(lang, 'rootNotMap', { kind: isSeq(root) ? 'list' : 'scalar' }),
    });
    return { file, text, doc, lineCounter, data: undefined, diagnostics };
  }
  const deep = tooDeep(root, MAX_DEPTH);
  if (deep) {
    diagnostics.push({
      severity: 'error',
      code: 'yaml.too-deep',
      file,
      ...at(deep.range?.[0] ?? 0),
      message: t(lang, 'tooDeep', { max: MAX_DEPTH }),
    });
    return { file, text, doc, lineCounter, data: undefined, diagnostics };
  }

  const aliases = checkAliases(root);
  if (aliases) {
    const key =
      aliases.problem === 'count' ? 'aliasLimit' : aliases.problem === 'cycle' ? 'aliasCycle' : 'aliasExpansion';
    const max = aliases.problem === 'count' ? MAX_ALIAS_COUNT : MAX_EXPANDED_NODES;
    diagnostics.push({
      severity: 'error',
      code: aliases.problem === 'cycle' ? 'yaml.alias-cycle' : 'yaml.alias-limit',
      file,
      ...at(aliases.node.range?.[0] ?? 0),
      message: t(lang, key, { max }),
    });
    return { file, text, doc, lineCounter, data: undefined, diagnostics };
  }
  diagnostics.push(
    ...yearSpellings(root, text).map(
      (n): Diagnostic => ({
        severity: 'error',
        code: 'number.year-form',
        file,
        ...at(n.start, n.end),
        message: t(lang, 'yearForm', { field: n.field, value: n.value, text: n.source }),
      }),
    ),
  );
  diagnostics.push(
    ...inexactNumbers(root, text).map(
      (n): Diagnostic => ({
        severity: 'error',
        code: 'number.inexact',
        file,
        ...at(n.start, n.end),
        message: t(lang, 'numberInexact', { text: n.source, value: n.value }),
        hint: t(lang, 'numberInexactHint'),
      }),
    ),
  );

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // yaml throws a ReferenceError for excessive aliasing ("resource exhaustion attack").
    if (e instanceof ReferenceError || (e instanceof Error && /alias/i.test(e.message))) {
      diagnostics.push({
        severity: 'error',
        code: 'yaml.alias-limit',
        file,
        line: 1,
        column: 1,
        message: t(lang, 'aliasLimit', { max: MAX_ALIAS_COUNT }),
      });
      return { file, text, doc, lineCounter, data: undefined, diagnostics };
    }
    throw e;
  }
  // -0 (typed, or the result of "-0.0") is the number 0: it must not print as ▲0 or grade apart from 0.
  normalizeNegativeZero(data);
  return { file, text, doc, lineCounter, data, diagnostics };
}

type AliasProblem = { problem: 'count' | 'cycle' | 'size'; node: Node };

/**
 * Counts what the document expands to, following aliases to the last anchor of that name before
 * them (as YAML does), without building anything: too many aliases, an alias inside the node it
 * names (which would make cyclic data), or too large an expansion are refused.
 */
function checkAliases(root: Node): AliasProblem | null {
  const anchors = new Map<string, Node>();
  const done = new Map<Node, number>();
  const open = new Set<Node>();
  let aliasCount = 0;
  const fail = (problem: AliasProblem['problem'], node: Node): never => {
    throw Object.assign(new Error(problem), { aliasProblem: { problem, node } });
  };
  const size = (node: unknown): number => {
    if (!isNode(node)) return 0;
    if (isAlias(node)) {
      aliasCount++;
      if (aliasCount > MAX_ALIAS_COUNT) fail('count', node);
      const target = anchors.get(node.source);
      if (!target) return 1; // yaml itself reports an unknown alias
      if (open.has(target)) fail('cycle', node);
      return done.get(target) ?? 1;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    open.add(node);
    let n = 1;
    if (isMap(node)) {
      for (const pair of node.items) if (isPair(pair)) n += size(pair.key) + size(pair.value);
    } else if (isSeq(node)) {
      for (const item of node.items) n += size(item);
    }
    open.delete(node);
    if (n > MAX_EXPANDED_NODES) fail('size', node);
    done.set(node, n);
    return n;
  };
  try {
    size(root);
    return null;
  } catch (e) {
    const p = (e as { aliasProblem?: AliasProblem }).aliasProblem;
    if (p) return p;
    throw e;
  }
}

/** Fields whose value is a year (or the format version): written only as plain digits. */
const YEAR_FIELDS = new Set(['fiscal_year', 'version', 'from', 'to', 'year', 'reference_years']);

/**
 * Years (map keys that are numbers, fiscal_year, version, plan_period.from/to, year, reference_years)
 * written in any other spelling than plain digits: 0x7E4, 2020.0, +2020, 02020, 2_020 and 2.02e3 all
 * read as 2020 in YAML 1.2, but a clerk reading the file sees something else than the sheet prints.
 */
function yearSpellings(
  root: Node,
  text: string,
): { start: number; end: number; source: string; value: string; field: string }[] {
  const out: { start: number; end: number; source: string; value: string; field: string }[] = [];
  const plain = (source: string) => /^(0|[1-9]\d*)$/.test(source);
  const check = (node: unknown, field: string) => {
    if (!isScalar(node) || typeof node.value !== 'number' || !node.range) return;
    const source = text.slice(node.range[0], node.range[1]).trim();
    if (!plain(source))
      out.push({ start: node.range[0], end: node.range[1], source, value: String(node.value), field });
  };
  const stack: { node: unknown; field?: string }[] = [{ node: root }];
  while (stack.length > 0) {
    const { node, field } = stack.pop()!;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        // A number used as a key is a year (the only numeric keys of the format).
        check(pair.key, key);
        if (YEAR_FIELDS.has(key)) check(pair.value, key);
        stack.push({ node: pair.value, field: key });
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (field === 'reference_years') check(item, field);
        stack.push({ node: item });
      }
    }
  }
  return out;
}

/** A decimal as sign-free digits and a power of ten, trailing zeros removed; "" for zero. */
function canonicalDecimal(s: string): { digits: string; exp: number } | null {
  const m = /^[-+]?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(s);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
  const frac = m[2] ?? '';
  let digits = `${m[1]}${frac}`.replace(/^0+/, '');
  let exp = Number(m[3] ?? 0) - frac.length;
  const trail = /0+$/.exec(digits);
  if (trail) {
    digits = digits.slice(0, trail.index);
    exp += trail[0].length;
  }
  return digits === '' ? { digits: '', exp: 0 } : { digits, exp };
}

/**
 * Numbers whose decimal text a double cannot hold (12345678901234567890 becomes …67000): the grade
 * and the printed sheet would silently use a different number than the one typed.
 */
function inexactNumbers(root: Node, text: string): { start: number; end: number; source: string; value: string }[] {
  const out: { start: number; end: number; source: string; value: string }[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) for (const pair of node.items) stack.push(pair.key, pair.value);
    else if (isSeq(node)) stack.push(...node.items);
    else if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value) && node.range) {
      const source = text.slice(node.range[0], node.range[1]).trim();
      const written = canonicalDecimal(source.replace(/_/g, ''));
      if (!written) continue; // hex, octal: exact by construction within the limits checked elsewhere
      const held = canonicalDecimal(String(Math.abs(node.value)));
      if (!held || held.digits !== written.digits || held.exp !== written.exp) {
        out.push({ start: node.range[0], end: node.range[1], source, value: String(node.value) });
      }
    }
  }
  return out;
}

/** Replaces every -0 in plain data by 0, in place. */
function normalizeNegativeZero(v: unknown): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (Object.is(x, -0)) v[i] = 0;
      else normalizeNegativeZero(x);
    });
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (Object.is(o[k], -0)) o[k] = 0;
      else normalizeNegativeZero(o[k]);
    }
  }
}

/** The first node nested deeper than max, if any (iterative: a deep file must not overflow our stack). */
function tooDeep(root: Node, max: number): Node | null {
  const stack: [Node, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return node;
    if (isMap(node)) {
      for (const pair of node.items) if (isNode(pair.value)) stack.push([pair.value, depth + 1]);
    } else if (isSeq(node)) {
      for (const item of node.items) if (isNode(item)) stack.push([item, depth + 1]);
    }
  }
  return null;
}

const CLOSERS: Record<string, string> = { '"': '"', "'": "'", '[': ']', '{': '}' };

/** Offset of the quote or bracket an "unclosed" parse error is about, or undefined for other errors. */
function unclosedAt(text: string, pos: number, message: string): number | undefined {
  let open: string | undefined;
  if (/Missing closing "quote/.test(message)) open = '"';
  else if (/Missing closing 'quote/.test(message)) open = "'";
  else if (/end with a \]/.test(message)) open = '[';
  else if (/end with a \}/.test(message)) open = '{';
  if (!open) return undefined;
  const at = text.lastIndexOf(open, Math.max(0, pos - 1));
  return at >= 0 ? at : undefined;
}

/**
 * Offset of the first `[` or `{` that opens a flow collection deeper than `max`, scanning the text
 * (quoted strings and comments skipped), or undefined. Only used to place a stack-overflow error.
 */
function flowDepthExceededAt(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      // Skip the quoted string ('' is an escaped quote in single quotes, \" in double quotes).
      for (i++; i < text.length && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** A clerk-readable message for a yaml error code, falling back to the library's English text. */
function yamlMessage(lang: Lang, code: string, original: string, source: string): string {
  const firstLine = original.split('\n')[0] ?? original;
  // yaml recurses over flow collections: [[[[…]]]] thousands deep overflows its stack, caught as an error.
  if (/call stack/i.test(original)) return t(lang, 'tooDeep', { max: MAX_DEPTH });
  switch (code) {
    case 'DUPLICATE_KEY':
      return t(lang, 'duplicateKey', { key: source.trim() });
    case 'TAB_AS_INDENT':
      return t(lang, 'tabIndent');
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'UNEXPECTED_TOKEN':
    case 'BAD_SCALAR_START':
      return t(lang, `yaml_${code}`, { detail: firstLine });
    case 'TAG_RESOLVE_FAILED':
      return t(lang, 'unknownTag', { tag: source.split(/\s/)[0] ?? source });
    default:
      return t(lang, 'yamlSyntax', { detail: firstLine });
  }
}

export type { YamlPath };
