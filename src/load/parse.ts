//! YAML text → plain data plus the document's nodes and line positions (yaml's LineCounter),
//! turning every syntax problem (bad indentation, tabs, duplicate keys, tags, alias bombs) into a located Diagnostic.

import { isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Diagnostic, Lang } from '../diagnostics.js';
import type { YamlPath } from '../model/types.js';
import { t } from '../messages.js';

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
const MAX_ALIAS_COUNT = 100;

/** Deepest nesting accepted; the v1 format nests 5 levels. */
const MAX_DEPTH = 32;

export function parseSheetText(file: string, text: string, lang: Lang): ParsedSheet {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
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

  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' });
  // parseAllDocuments returns an EmptyStream (an array with no documents) for an empty file.
  const list = Array.isArray(docs) ? docs : [docs];
  const doc = list[0] ?? null;
  if (list.length > 1) {
    const second = list[1];
    const start = second?.range?.[0] ?? 0;
    diagnostics.push({ severity: 'error', code: 'yaml.multiple-documents', file, ...at(start), message: t(lang, 'multipleDocuments', { count: list.length }), hint: t(lang, 'multipleDocumentsHint') });
  }
  if (!doc) {
    diagnostics.push({ severity: 'error', code: 'yaml.empty', file, line: 1, column: 1, message: t(lang, 'emptyFile') });
    return { file, text, doc: null, lineCounter, data: undefined, diagnostics };
  }

  for (const e of doc.errors) {
    const [start, end] = e.pos;
    const opened = unclosedAt(text, start, e.message);
    if (opened !== undefined) {
      // An unclosed quote or bracket is reported where it was opened, not where the parser gave up.
      const ch = text[opened] ?? '';
      diagnostics.push({ severity: 'error', code: `yaml.unclosed`, file, ...at(opened, opened + 1), message: t(lang, 'unclosed', { char: ch, close: CLOSERS[ch] ?? ch }) });
      continue;
    }
    const source = e.code === 'DUPLICATE_KEY' ? (/^[^:\n]*/.exec(text.slice(start))?.[0] ?? '') : text.slice(start, end);
    diagnostics.push({ severity: 'error', code: `yaml.${e.code.toLowerCase()}`, file, ...at(start, end), message: yamlMessage(lang, e.code, e.message, source) });
  }
  for (const w of doc.warnings) {
    const [start, end] = w.pos;
    // An unresolved tag (!!python/object, !custom) would silently become a string: refuse it.
    diagnostics.push({ severity: 'error', code: `yaml.${w.code.toLowerCase()}`, file, ...at(start, end), message: yamlMessage(lang, w.code, w.message, text.slice(start, end)) });
  }
  if (doc.errors.length > 0) return { file, text, doc, lineCounter, data: undefined, diagnostics };

  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) {
    diagnostics.push({ severity: 'error', code: 'yaml.empty', file, line: 1, column: 1, message: t(lang, 'emptyFile') });
    return { file, text, doc, lineCounter, data: undefined, diagnostics };
  }
  if (!isMap(root)) {
    diagnostics.push({ severity: 'error', code: 'yaml.root', file, ...at(root.range?.[0] ?? 0), message: t(lang, 'rootNotMap', { kind: isSeq(root) ? 'list' : 'scalar' }) });
    return { file, text, doc, lineCounter, data: undefined, diagnostics };
  }
  const deep = tooDeep(root, MAX_DEPTH);
  if (deep) {
    diagnostics.push({ severity: 'error', code: 'yaml.too-deep', file, ...at(deep.range?.[0] ?? 0), message: t(lang, 'tooDeep', { max: MAX_DEPTH }) });
    return { file, text, doc, lineCounter, data: undefined, diagnostics };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // yaml throws a ReferenceError for excessive aliasing ("resource exhaustion attack").
    if (e instanceof ReferenceError || (e instanceof Error && /alias/i.test(e.message))) {
      diagnostics.push({ severity: 'error', code: 'yaml.alias-limit', file, line: 1, column: 1, message: t(lang, 'aliasLimit', { max: MAX_ALIAS_COUNT }) });
      return { file, text, doc, lineCounter, data: undefined, diagnostics };
    }
    throw e;
  }
  return { file, text, doc, lineCounter, data, diagnostics };
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

/** A clerk-readable message for a yaml error code, falling back to the library's English text. */
function yamlMessage(lang: Lang, code: string, original: string, source: string): string {
  const firstLine = original.split('\n')[0] ?? original;
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
