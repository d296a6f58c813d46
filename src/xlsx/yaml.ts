//! Sheet data read from a workbook → YAML text in the examples' style: the schema modeline and the
//! source's header comments first, keys in the format's order, small mappings in flow style, year
//! keys bare, multi-line texts as literal blocks.

import { Document, isMap, isPair, isScalar, isSeq, Scalar, type YAMLMap } from 'yaml';

/** The modeline written when the workbook does not carry the source's header. */
export const DEFAULT_HEADER = ['yaml-language-server: $schema=../schemas/sheet.schema.json'];

/** Keys whose mapping or list values are written in flow style ({ from: 2020, to: 2024 }). */
const FLOW_KEYS = new Set([
  'plan_period',
  'measure',
  'reference_years',
  'related_divisions',
  'baseline',
  'target',
  'met_when',
  'cost',
  'general_fund',
  'grade_override',
]);
/** Section comments, as in the examples. */
const COMMENTS: Record<string, string> = {
  goal: ' ① 目標指標（数値目標）',
  kpis: ' ② KPI',
  projects: ' （４）; （３） is computed from these',
};

function styleNode(node: unknown, key: string | undefined, parentKey: string | undefined): void {
  if (isMap(node)) {
    const map = node as YAMLMap;
    if (key !== undefined && FLOW_KEYS.has(key)) map.flow = true;
    // actuals / values: flow when every value is a plain number; one line each otherwise.
    if ((key === 'actuals' || key === 'values') && map.items.every((p) => isPair(p) && isScalar(p.value)))
      map.flow = true;
    // A measured value ({ value, year, calendar, note }) inside a year map: flow.
    if (parentKey === 'actuals' || parentKey === 'values') map.flow = true;
    for (const p of map.items) {
      if (!isPair(p)) continue;
      const k = isScalar(p.key) ? String(p.key.value) : undefined;
      styleNode(p.value, k, key);
    }
    return;
  }
  if (isSeq(node)) {
    if (key !== undefined && FLOW_KEYS.has(key)) node.flow = true;
    if (node.items.length === 0) node.flow = true;
    for (const item of node.items) {
      // An outcome ({ name, unit, values }) on one line, as in the examples.
      if (key === 'outcomes' && isMap(item)) (item as YAMLMap).flow = true;
      styleNode(item, undefined, key);
    }
    return;
  }
  // A date quoted, as the examples do (a YAML 1.1 reader would turn a bare one into a Date).
  if (isScalar(node) && key === 'as_of' && typeof node.value === 'string') node.type = Scalar.QUOTE_DOUBLE;
  if (isScalar(node) && typeof node.value === 'string' && node.value.includes('\n')) {
    // `|` as in the examples (the final newline is dropped again when the sheet is read).
    if (!node.value.endsWith('\n')) node.value = `${node.value}\n`;
    node.type = Scalar.BLOCK_LITERAL;
  }
}

/** The YAML text of a sheet object whose keys are already in the format's order. */
export function sheetYaml(
  data: Record<string, unknown>,
  header: readonly string[],
  digits: ReadonlyMap<string, number> = new Map(),
): string {
  const doc = new Document(data, { version: '1.2' });
  styleNode(doc.contents, undefined, undefined);
  // Numbers keep the decimals their cell showed (85.0 stays 85.0, not 85): the sheet prints numbers as written.
  for (const [key, dec] of digits) {
    const path = (JSON.parse(key) as (string | number)[]).map((seg) =>
      typeof seg === 'string' && /^\d{4}$/.test(seg) ? Number(seg) : seg,
    );
    const node = doc.getIn(path, true);
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value)) {
      const shown = String(node.value);
      if (!/e/i.test(shown)) node.minFractionDigits = dec;
    }
  }
  // The schema modeline first (added when the source had none), then the source's own header comments.
  const withModeline = header.some((l) => l.includes('yaml-language-server:'))
    ? header
    : [...DEFAULT_HEADER, ...header];
  const lines = withModeline.map((l) => `#${l.startsWith(' ') || l === '' ? l : ` ${l}`}`);
  let body = doc.toString({ lineWidth: 0, flowCollectionPadding: true });
  // Section comments on the key's line, as the examples have them; flow lists without padding ([2019]).
  for (const [key, c] of Object.entries(COMMENTS))
    body = body.replace(new RegExp(`^${key}:(.*)$`, 'm'), (_m, rest: string) => `${`${key}:${rest}`.padEnd(30)} #${c}`);
  body = body.replace(/^((?:reference_years|related_divisions|related_policy_projects): )\[ (.*) \]$/gm, '$1[$2]');
  return `${lines.join('\n')}\n${body}`;
}
