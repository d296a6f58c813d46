//! Checks the schema cannot express: years against the plan and the sheet's columns, unique numbers,
//! finite values, override reasons. Reads raw data defensively: it also runs on data the schema rejected,
//! so that one run reports every problem.

import { posix } from 'node:path';
import type { Lang } from '../diagnostics.js';
import { BUILTIN_SCHEMES } from '../grade/scheme.js';
import { sheetYears, type YamlPath } from '../model/types.js';
import { t } from '../messages.js';
import { windowsNameProblem } from './portable-name.js';
import type { SchemaProblem } from './schema.js';

/**
 * Longest prose field (②③④, ⑤'s text, committee opinions and responses, 備考, override reasons),
 * in characters. The seed's longest is about 600; 10,000 fill several 別紙 pages and still build
 * in about a second, while 100,000 took several seconds and pages of 6 pt text nobody reads.
 */
export const MAX_PROSE_CHARS = 10_000;
/** Longest label (names, units, titles, divisions, notes, codes): they sit in one table cell or heading. */
export const MAX_LABEL_CHARS = 200;
/**
 * Largest magnitude of any number. Money is in 千円 (a trillion 千円 is a quadrillion yen, far above
 * any city budget); below it, sums of every project and year stay exact in binary floating point.
 */
export const MAX_ABS_NUMBER = 1e12;

/** Longest plan period in fiscal years: strategies run 5 years; each year is a column on both pages, and past
 * about 10 the cells of page 1 become too narrow to read. */
export const MAX_PLAN_YEARS = 10;

/** Fields holding prose, by their key: every other string is a label. */
const PROSE_KEYS = new Set(['reasons', 'situation', 'policy', 'text', 'opinion', 'response', 'remarks', 'reason']);

/**
 * Characters no sheet means to contain: C0 controls except tab and line feed, DEL, C1 controls,
 * and lone surrogate halves (from "\ud800"-style escapes). They are invisible in an editor, cannot
 * be printed, and silently dropping them would change the text: so they are refused, located.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN_CHAR =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const own = (o: Obj, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

export interface SemanticProblem extends SchemaProblem {
  /** Where an earlier occurrence stands (for duplicates): filled into the message by the caller. */
  firstPath?: YamlPath;
}

export function checkSemantics(data: unknown, lang: Lang): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  if (!isObj(data)) return out;
  const push = (path: YamlPath, code: string, message: string, extra: Partial<SemanticProblem> = {}): void => {
    out.push({ path, atKey: false, code, message, ...extra });
  };

  // Every number must be finite (.nan, .inf and 1e309 parse as numbers in YAML) and of a sane size.
  walkNumbers(data, [], (v, path) => {
    if (!Number.isFinite(v))
      push(path, 'semantic.not-finite', t(lang, 'notFinite', { value: String(v) }), { hint: t(lang, 'notFiniteHint') });
    else if (Math.abs(v) >= MAX_ABS_NUMBER)
      push(
        path,
        'semantic.number-too-large',
        t(lang, 'numberTooLarge', { value: String(v), max: '1,000,000,000,000' }),
      );
  });

  // Every string: no invisible control characters, and a length the sheet can hold.
  walkStrings(data, [], (v, path) => {
    const bad = FORBIDDEN_CHAR.exec(v);
    if (bad) {
      const at = [...v.slice(0, bad.index)].length + 1;
      const code = `U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      push(path, 'semantic.control-char', t(lang, 'controlChar', { code, at }), { hint: t(lang, 'controlCharHint') });
    }
    const key = [...path].reverse().find((seg): seg is string => typeof seg === 'string');
    // ② written per indicator is prose under every key (reasons.goal, reasons.kpis.16).
    const prose = path[0] === 'reasons' || (key !== undefined && PROSE_KEYS.has(key));
    const max = prose ? MAX_PROSE_CHARS : MAX_LABEL_CHARS;
    // Counted as a clerk counts: characters (𠮷 is one), without the line break a `|` block ends with.
    const body = v.replace(/\s+$/, '');
    if (body.length > max) {
      const chars = [...body].length;
      if (chars > max)
        push(path, 'semantic.text-too-long', t(lang, 'textTooLong', { chars, max }), {
          hint: t(lang, max === MAX_PROSE_CHARS ? 'textTooLongHint' : 'labelTooLongHint'),
        });
    }
  });

  // A sheet may name a scheme file, but only a .json file in its own folder (or below it): a
  // sheet must not make sheetgen read arbitrary files (grading: /etc/passwd). Other files come
  // from the command line (--scheme), which the person running sheetgen controls.
  const grading = own(data, 'grading');
  if (typeof grading === 'string' && grading !== '' && !Object.hasOwn(BUILTIN_SCHEMES, grading)) {
    if (!schemeFileInFolder(grading))
      push(
        ['grading'],
        'semantic.grading-path',
        t(lang, 'gradingPath', { builtins: Object.keys(BUILTIN_SCHEMES).join(', ') }),
        { hint: t(lang, 'gradingPathHint') },
      );
    else {
      // A name Windows refuses would fail on the city's PCs (and CON.json would open the console there).
      const bad = windowsUnsafeSegment(grading);
      if (bad !== undefined)
        push(['grading'], 'semantic.grading-windows-name', t(lang, 'gradingWindowsName', { name: bad }));
    }
  }

  const plan = own(data, 'plan_period');
  const fy = own(data, 'fiscal_year');
  let columns: number[] | undefined;
  if (isObj(plan) && isInt(own(plan, 'from')) && isInt(own(plan, 'to'))) {
    const from = own(plan, 'from') as number;
    const to = own(plan, 'to') as number;
    if (from > to) push(['plan_period'], 'semantic.plan-reversed', t(lang, 'planReversed', { from, to }));
    // Past this the year checks below would not run and the sheet would get one column per year:
    // far more than any strategy has (often a typo such as 2204 for 2024), so it is an error, not a skip.
    else if (to - from + 1 > MAX_PLAN_YEARS)
      push(
        ['plan_period'],
        'semantic.plan-too-long',
        t(lang, 'planTooLong', { from, to, years: to - from + 1, max: MAX_PLAN_YEARS }),
      );
    else {
      if (isInt(fy) && (fy < from || fy > to))
        push(['fiscal_year'], 'semantic.fiscal-year', t(lang, 'fiscalYearOutsidePlan', { year: fy, from, to }));
      const refsRaw = own(data, 'reference_years');
      const refs = Array.isArray(refsRaw) ? refsRaw.filter(isInt) : [];
      if (Array.isArray(refsRaw)) {
        refsRaw.forEach((y, i) => {
          if (isInt(y) && y >= from && y <= to)
            push(['reference_years', i], 'semantic.reference-year', t(lang, 'referenceInPlan', { year: y, from, to }));
        });
      }
      columns = sheetYears({ referenceYears: refs, planPeriod: { from, to } });
    }
  }

  const checkYears = (map: unknown, path: YamlPath): void => {
    if (!columns || !isObj(map)) return;
    for (const key of Object.keys(map)) {
      if (!/^\d{4}$/.test(key)) continue; // the schema reports malformed keys
      if (!columns.includes(Number(key))) {
        out.push({
          path: [...path, key],
          atKey: true,
          code: 'semantic.year-column',
          message: t(lang, 'yearOutsideColumns', { year: key, years: columns.join(', ') }),
        });
      }
    }
  };

  const checkIndicator = (ind: unknown, path: YamlPath): void => {
    if (!isObj(ind)) return;
    checkYears(own(ind, 'actuals'), [...path, 'actuals']);
    const target = own(ind, 'target');
    if (isObj(target) && isInt(own(target, 'year')) && isObj(plan)) {
      const y = own(target, 'year') as number;
      const from = own(plan, 'from');
      const to = own(plan, 'to');
      if (isInt(from) && isInt(to) && (y < from || y > to))
        push([...path, 'target', 'year'], 'semantic.target-year', t(lang, 'targetYearOutside', { year: y, from, to }));
    }
    // A word target met "below 0" on a higher-is-better indicator would grade a worse actual S and a
    // better one C: the criterion must point the way the indicator improves.
    if (isObj(target) && isObj(own(target, 'met_when'))) {
      const mw = own(target, 'met_when') as Obj;
      const better = own(ind, 'better') === 'lower' ? 'lower' : 'higher';
      const wrong = better === 'higher' ? ['below', 'at_most'] : ['above', 'at_least'];
      for (const op of wrong) {
        if (Object.hasOwn(mw, op)) {
          push(
            [...path, 'target', 'met_when', op],
            'semantic.criterion-direction',
            t(lang, 'criterionDirection', { op, better }),
            {
              atKey: true,
              hint: t(lang, better === 'higher' ? 'criterionDirectionHigher' : 'criterionDirectionLower'),
            },
          );
        }
      }
    }
    const ov = own(ind, 'grade_override');
    if (isObj(ov)) {
      const reason = own(ov, 'reason');
      if (typeof reason === 'string' && reason.trim() === '')
        push([...path, 'grade_override', 'reason'], 'semantic.override-reason', t(lang, 'overrideNoReason'));
    }
  };

  checkIndicator(own(data, 'goal'), ['goal']);
  const kpis = own(data, 'kpis');
  if (Array.isArray(kpis)) {
    kpis.forEach((k, i) => checkIndicator(k, ['kpis', i]));
    duplicates(kpis, ['kpis'], 'semantic.duplicate-kpi', 'duplicateKpi', lang, out);
  }
  const projects = own(data, 'projects');
  if (Array.isArray(projects)) {
    projects.forEach((p, i) => {
      if (!isObj(p)) return;
      checkYears(own(p, 'cost'), ['projects', i, 'cost']);
      checkYears(own(p, 'general_fund'), ['projects', i, 'general_fund']);
      const outcomes = own(p, 'outcomes');
      if (Array.isArray(outcomes))
        outcomes.forEach((o, j) => isObj(o) && checkYears(own(o, 'values'), ['projects', i, 'outcomes', j, 'values']));
    });
    duplicates(projects, ['projects'], 'semantic.duplicate-project', 'duplicateProject', lang, out);
  }
  const committee = own(data, 'committee');
  if (Array.isArray(committee))
    duplicates(committee, ['committee'], 'semantic.duplicate-committee', 'duplicateCommittee', lang, out);
  return out;
}

/** Reports every entry whose `number` repeats an earlier entry's. */
function duplicates(
  list: unknown[],
  path: YamlPath,
  code: string,
  key: string,
  lang: Lang,
  out: SemanticProblem[],
): void {
  const first = new Map<number, number>();
  list.forEach((item, i) => {
    if (!isObj(item)) return;
    const n = own(item, 'number');
    if (!isInt(n)) return;
    const prev = first.get(n);
    if (prev === undefined) first.set(n, i);
    else
      out.push({
        path: [...path, i, 'number'],
        atKey: false,
        code,
        message: t(lang, key, { number: n, line: '{line}' }),
        firstPath: [...path, prev, 'number'],
      });
  });
}

/**
 * A relative path to a .json file that stays inside the folder it is taken from. `\` and `/` both
 * separate folders (a sheet may come from a Windows PC); refused: a drive (`C:\x.json`, drive-relative
 * `C:x.json`), a rooted or UNC path (`\x.json`, `\\server\share\x.json`, `/etc/x.json`), `~`, any
 * other `:` (an NTFS stream, `x:y.json`), and a way out through `..`.
 */
export function schemeFileInFolder(p: string): boolean {
  if (!/\.json$/i.test(p) || /^([a-zA-Z]:|[\\/]|~)/.test(p) || p.includes(':')) return false;
  const norm = posix.normalize(p.replace(/\\/g, '/'));
  return norm !== '..' && !norm.startsWith('../');
}

/** The first folder or file name in a relative path that Windows refuses (CON, `a.`, `x?`), if any. */
export function windowsUnsafeSegment(p: string): string | undefined {
  return p
    .split(/[\\/]/)
    .find((seg) => seg !== '' && windowsNameProblem(seg) !== undefined && seg !== '.' && seg !== '..');
}

function walkStrings(v: unknown, path: YamlPath, visit: (s: string, path: YamlPath) => void): void {
  if (typeof v === 'string') visit(v, path);
  else if (Array.isArray(v)) v.forEach((x, i) => walkStrings(x, [...path, i], visit));
  else if (isObj(v)) for (const k of Object.keys(v)) walkStrings(v[k], [...path, k], visit);
}

function walkNumbers(v: unknown, path: YamlPath, visit: (n: number, path: YamlPath) => void): void {
  if (typeof v === 'number') visit(v, path);
  else if (Array.isArray(v)) v.forEach((x, i) => walkNumbers(x, [...path, i], visit));
  else if (isObj(v)) for (const k of Object.keys(v)) walkNumbers(v[k], [...path, k], visit);
}
