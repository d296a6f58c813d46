//! A returned workbook → sheet YAML text, checked like any sheet: the bytes are checked before
//! exceljs reads them, every field is found by its defined name (wherever the cell was moved), the
//! YAML is loaded, validated and graded, and every problem is reported at book!sheet!cell.

import type ExcelJS from 'exceljs';
import { basename, extname } from 'node:path';
import type { Diagnostic, Lang } from '../diagnostics.js';
import { hasErrors } from '../diagnostics.js';
import { gradeLoaded } from '../core/grade.js';
import { loadSheetText } from '../core/load.js';
import { t } from '../messages.js';
import type { YamlPath } from '../model/types.js';
import {
  BETTER_WORDS,
  FORM_SHEET,
  MAIN_WORDS,
  META_MARK,
  META_SHEET,
  META_VERSION,
  OP_WORDS,
  PREFIX,
  n,
  type BookMeta,
} from './names.js';
import { parsePeriod } from './period.js';
import { sheetYaml } from './yaml.js';
import { checkWorkbookBytes, type ZipProblem } from './zipcheck.js';

export interface ImportResult {
  /** The workbook as the user named it. */
  book: string;
  /** The YAML text, when the workbook gave a valid sheet. */
  yaml?: string;
  diagnostics: Diagnostic[];
}

interface CellRef {
  sheet: string;
  address: string;
  label: string;
}

function zipMessage(p: ZipProblem, lang: Lang): { message: string; hint?: string } {
  switch (p.kind) {
    case 'notZip':
      return { message: t(lang, 'xlsxNotZip'), hint: t(lang, 'xlsxSaveAsHint') };
    case 'encrypted':
      return { message: t(lang, 'xlsxEncrypted'), hint: t(lang, 'xlsxSaveAsHint') };
    case 'tooLarge':
      return { message: t(lang, 'xlsxTooLarge', { size: p.size, max: p.max }) };
    case 'corrupt':
      return { message: t(lang, 'xlsxCorrupt', { detail: p.detail }), hint: t(lang, 'xlsxSaveAsHint') };
    case 'macros':
      return { message: t(lang, 'xlsxMacros'), hint: t(lang, 'xlsxSaveAsHint') };
    case 'tooManyEntries':
      return { message: t(lang, 'xlsxTooManyEntries', { count: p.count, max: p.max }) };
    case 'bomb':
      return { message: t(lang, 'xlsxBomb', { entry: p.entry, max: p.max }) };
    case 'tooManyCells':
      return { message: t(lang, 'xlsxTooManyCells', { count: p.count, max: p.max }) };
  }
}

/** A cell's content as import understands it. */
type Content =
  | { kind: 'empty' }
  | { kind: 'number'; value: number }
  | { kind: 'text'; value: string }
  | { kind: 'date'; value: Date }
  | { kind: 'bad'; message: string; hint?: string };

/** Excel keeps 15 significant digits; a longer binary tail (0.30000000000000004 written by a tool) is cut to them. */
function excelNumber(x: number): number {
  const s = String(x);
  const digits = s.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
  return digits.length > 15 ? Number(x.toPrecision(15)) : x;
}

class BookReader {
  readonly diags: Diagnostic[] = [];
  /** YAML path (JSON) → the cell it came from. */
  readonly cells = new Map<string, CellRef>();
  /** Decimals shown by a number cell's format (85.0 → 1), by the YAML path it was read for: the digits the clerk saw. */
  readonly digits = new Map<string, number>();
  private readonly names = new Map<string, string[]>();

  constructor(
    readonly wb: ExcelJS.Workbook,
    readonly book: string,
    readonly lang: Lang,
  ) {
    for (const dn of wb.definedNames.model) if (dn.name.startsWith(PREFIX)) this.names.set(dn.name, dn.ranges);
  }

  where(ref: CellRef | undefined): string {
    return ref ? `${this.book}!${ref.sheet}!${ref.address}` : this.book;
  }

  problem(
    ref: CellRef | undefined,
    path: YamlPath | undefined,
    code: string,
    message: string,
    hint?: string,
    severity: Diagnostic['severity'] = 'error',
  ): void {
    this.diags.push({
      severity,
      code,
      file: this.where(ref),
      ...(path ? { path } : {}),
      message: ref ? `${ref.label}: ${message}` : message,
      ...(hint ? { hint } : {}),
    });
  }

  /** Finds the cell of a defined name; reports a missing or broken name once. */
  private locate(name: string, label: string, path: YamlPath): { ref: CellRef; cell: ExcelJS.Cell } | undefined {
    const ranges = this.names.get(name);
    const range = ranges?.length === 1 ? ranges[0] : undefined;
    const m = range ? /^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]{1,3})\$?(\d+)$/.exec(range) : null;
    if (!m) {
      this.problem(
        undefined,
        path,
        'xlsx.name',
        t(this.lang, 'xlsxNameMissing', { field: label, name }),
        t(this.lang, 'xlsxNameMissingHint'),
      );
      return undefined;
    }
    const sheet = (m[1] ?? m[2] ?? '').replaceAll("''", "'");
    const address = `${m[3]}${m[4]}`;
    const ref: CellRef = { sheet, address, label };
    const ws = this.wb.getWorksheet(sheet);
    if (!ws) {
      this.problem(
        ref,
        path,
        'xlsx.name',
        t(this.lang, 'xlsxNameMissing', { field: label, name }),
        t(this.lang, 'xlsxNameMissingHint'),
      );
      return undefined;
    }
    const cell = ws.getCell(address);
    if (cell.isMerged && cell.master.address !== cell.address) {
      this.problem(
        ref,
        path,
        'xlsx.merged',
        t(this.lang, 'xlsxMerged', { master: cell.master.address }),
        t(this.lang, 'xlsxMergedHint'),
      );
      return undefined;
    }
    return { ref, cell };
  }

  /** The content of a named cell, or undefined when the name is broken (already reported). */
  read(name: string, label: string, path: YamlPath): { content: Content; ref: CellRef } | undefined {
    const at = this.locate(name, label, path);
    if (!at) return undefined;
    this.cells.set(JSON.stringify(path), at.ref);
    // The first cell read of a group stands for the group (a missing field of committee[2] is shown there).
    for (let k = 1; k < path.length; k++) {
      const key = JSON.stringify(path.slice(0, k));
      if (!this.cells.has(key)) this.cells.set(key, at.ref);
    }
    let v: ExcelJS.CellValue = at.cell.value;
    if (v !== null && typeof v === 'object' && !(v instanceof Date) && ('formula' in v || 'sharedFormula' in v)) {
      const result = (v as ExcelJS.CellFormulaValue).result;
      if (result === undefined || result === null || (typeof result === 'object' && !(result instanceof Date))) {
        return {
          ref: at.ref,
          content: { kind: 'bad', message: t(this.lang, 'xlsxFormulaNoValue'), hint: t(this.lang, 'xlsxFormulaHint') },
        };
      }
      this.problem(
        at.ref,
        path,
        'xlsx.formula',
        t(this.lang, 'xlsxFormulaUsed', { value: String(result) }),
        t(this.lang, 'xlsxFormulaHint'),
        'warning',
      );
      v = result as ExcelJS.CellValue;
    }
    const content = contentOf(v, this.lang);
    if (content.kind === 'number') {
      const dec = formatDecimals(at.cell.numFmt);
      if (dec > 0) this.digits.set(JSON.stringify(path), dec);
    }
    return { ref: at.ref, content };
  }
}

/** Decimals a number format shows in its first section (#,##0.0;"▲"#,##0.0 → 1); 0 for General or none. */
function formatDecimals(fmt: string | undefined): number {
  const first = (fmt ?? '').split(';')[0] ?? '';
  const m = /\.(0+)/.exec(first.replace(/"[^"]*"/g, ''));
  return m ? Math.min(m[1]!.length, 10) : 0;
}

function contentOf(v: ExcelJS.CellValue, lang: Lang): Content {
  if (v === null || v === undefined) return { kind: 'empty' };
  if (typeof v === 'number')
    return Number.isFinite(v)
      ? { kind: 'number', value: excelNumber(v) }
      : { kind: 'bad', message: t(lang, 'xlsxErrorValue', { value: String(v) }) };
  if (typeof v === 'string')
    return v.trim() === '' ? { kind: 'empty' } : { kind: 'text', value: v.replace(/\r\n?/g, '\n') };
  if (typeof v === 'boolean') return { kind: 'text', value: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) return { kind: 'date', value: v };
  if (typeof v === 'object') {
    if ('richText' in v) return contentOf((v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join(''), lang);
    if ('error' in v)
      return {
        kind: 'bad',
        message: t(lang, 'xlsxErrorValue', { value: String((v as ExcelJS.CellErrorValue).error) }),
      };
    if ('text' in v) return contentOf((v as ExcelJS.CellHyperlinkValue).text, lang);
  }
  return { kind: 'bad', message: t(lang, 'xlsxErrorValue', { value: String(v) }) };
}

const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

/** Builds the sheet object from the named cells, keys in the format's order. */
function readSheet(r: BookReader, meta: BookMeta): Record<string, unknown> {
  const lang = r.lang;
  const bad = (ref: CellRef, path: YamlPath, c: Content & { kind: 'bad' }) =>
    r.problem(ref, path, 'xlsx.cell', c.message, c.hint);

  /** Text: undefined when empty. */
  const text = (name: string, label: string, path: YamlPath, opts: { trim?: boolean } = {}): string | undefined => {
    const got = r.read(name, label, path);
    if (!got) return undefined;
    const c = got.content;
    if (c.kind === 'empty') return undefined;
    if (c.kind === 'number') return String(c.value);
    if (c.kind === 'date') return isoDate(c.value);
    if (c.kind === 'bad') {
      bad(got.ref, path, c);
      return undefined;
    }
    return opts.trim === false ? c.value.replace(/\s+$/u, '') : c.value.trim();
  };
  /** A number: typed text goes to the loader as text, so that it says what the number should be. */
  const number = (name: string, label: string, path: YamlPath): number | string | undefined => {
    const got = r.read(name, label, path);
    if (!got) return undefined;
    const c = got.content;
    if (c.kind === 'empty') return undefined;
    if (c.kind === 'number') return c.value;
    if (c.kind === 'date') {
      r.problem(
        got.ref,
        path,
        'xlsx.date',
        t(lang, 'xlsxDateInNumber', { date: isoDate(c.value) }),
        t(lang, 'xlsxDateInNumberHint'),
      );
      return undefined;
    }
    if (c.kind === 'bad') {
      bad(got.ref, path, c);
      return undefined;
    }
    const s = c.value.trim();
    // A plain number stored as text (Excel's green triangle) is that number.
    if (/^-?\d+(\.\d+)?$/.test(s)) return excelNumber(Number(s));
    return s;
  };
  const lines = (name: string, label: string, path: YamlPath): string[] =>
    (text(name, label, path) ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  const word = <T>(
    name: string,
    label: string,
    path: YamlPath,
    table: Readonly<Record<string, T>>,
  ): T | string | undefined => {
    const got = r.read(name, label, path);
    if (!got) return undefined;
    const c = got.content;
    if (c.kind === 'empty') return undefined;
    const s = c.kind === 'text' ? c.value.trim() : c.kind === 'number' ? String(c.value) : '';
    if (Object.hasOwn(table, s)) return table[s];
    r.problem(
      got.ref,
      path,
      'xlsx.choice',
      t(lang, 'xlsxChoice', {
        value: s,
        list: Object.keys(table)
          .filter((k) => /[^\x20-\x7e]/.test(k))
          .join('、'),
      }),
      t(lang, 'xlsxChoiceHint'),
    );
    return undefined;
  };
  /** A value with its 期間・注記 cell: a number, or { value, year?, calendar?, note? }. */
  const measured = (valueName: string, periodName: string, label: string, path: YamlPath): unknown => {
    const v = number(valueName, label, [...path, 'value']);
    r.cells.set(JSON.stringify(path), r.cells.get(JSON.stringify([...path, 'value']))!);
    const ptext = text(periodName, `${label}（期間・注記）`, [...path, 'note'], { trim: false });
    const pref = r.cells.get(JSON.stringify([...path, 'note']));
    if (pref) for (const k of ['year', 'calendar']) r.cells.set(JSON.stringify([...path, k]), pref);
    const p = parsePeriod(ptext ?? '');
    if (v === undefined) {
      if (ptext !== undefined && pref)
        r.problem(
          pref,
          path,
          'xlsx.period-alone',
          t(lang, 'xlsxPeriodAlone'),
          t(lang, 'xlsxPeriodAloneHint'),
          'warning',
        );
      return undefined;
    }
    if (p.year === undefined && !p.calendar && p.note === undefined) {
      // A bare number stands where the mapping would: its digits go with it.
      const d = r.digits.get(JSON.stringify([...path, 'value']));
      if (d !== undefined) r.digits.set(JSON.stringify(path), d);
      return v;
    }
    return {
      value: v,
      ...(p.year !== undefined ? { year: p.year } : {}),
      ...(p.calendar ? { calendar: true } : {}),
      ...(p.note !== undefined ? { note: p.note } : {}),
    };
  };
  const yearMap = (entries: [number, unknown][]): Map<number, unknown> | undefined => {
    const m = new Map(entries.filter(([, v]) => v !== undefined));
    return m.size > 0 ? m : undefined;
  };
  const drop = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

  const indicator = (id: string, path: YamlPath, title: string, kpi: boolean): Record<string, unknown> => {
    // A KPI is named by its number as the clerk sees it (KPI16), when the number cell holds one.
    const kpiNumber = kpi ? number(n.ind(id, 'number'), `${title} KPI番号`, [...path, 'number']) : undefined;
    const L = (s: string) => `${typeof kpiNumber === 'number' ? `KPI${kpiNumber}` : title} ${s}`;
    const targetValue = number(n.ind(id, 'target'), L('目標値'), [...path, 'target', 'value']);
    const label = text(n.ind(id, 'target_label'), L('目標（言葉）'), [...path, 'target', 'label']);
    const op = word(n.ind(id, 'target_op'), L('達成の条件'), [...path, 'target', 'met_when'], OP_WORDS);
    const opValue = number(n.ind(id, 'target_op_value'), L('条件の値'), [
      ...path,
      'target',
      'met_when',
      typeof op === 'string' && op in OP_WORDS ? op : 'above',
    ]);
    const targetYear = number(n.ind(id, 'target_year'), L('目標年度'), [...path, 'target', 'year']);
    // met_when keys are the YAML's (above, …); the path of the value cell is registered under every key.
    const opRef = r.cells.get(JSON.stringify([...path, 'target', 'met_when', typeof op === 'string' ? op : 'above']));
    if (opRef)
      for (const k of Object.keys(OP_WORDS)) r.cells.set(JSON.stringify([...path, 'target', 'met_when', k]), opRef);
    const tRef = r.cells.get(JSON.stringify([...path, 'target', 'value']));
    if (tRef) r.cells.set(JSON.stringify([...path, 'target']), tRef);
    let target: unknown;
    if (
      targetValue !== undefined &&
      label === undefined &&
      op === undefined &&
      opValue === undefined &&
      targetYear === undefined
    ) {
      target = targetValue;
      const d = r.digits.get(JSON.stringify([...path, 'target', 'value']));
      if (d !== undefined) r.digits.set(JSON.stringify([...path, 'target']), d);
    } else if (
      targetValue !== undefined ||
      label !== undefined ||
      op !== undefined ||
      opValue !== undefined ||
      targetYear !== undefined
    ) {
      const metWhen =
        op !== undefined || opValue !== undefined
          ? { [typeof op === 'string' ? op : 'above']: opValue ?? null }
          : undefined;
      target = drop({ value: targetValue, year: targetYear, label, met_when: metWhen });
    }
    const overrideGrade = text(n.ind(id, 'override'), L('達成状況の上書き'), [...path, 'grade_override', 'grade']);
    const overrideReason = text(
      n.ind(id, 'override_reason'),
      L('上書きの理由'),
      [...path, 'grade_override', 'reason'],
      { trim: false },
    );
    const oRef = r.cells.get(JSON.stringify([...path, 'grade_override', 'grade']));
    if (oRef) r.cells.set(JSON.stringify([...path, 'grade_override']), oRef);
    return drop({
      number: kpiNumber,
      name: text(n.ind(id, 'name'), L('指標名'), [...path, 'name']) ?? '',
      note: text(n.ind(id, 'note'), L('補足'), [...path, 'note']),
      unit: text(n.ind(id, 'unit'), L('単位'), [...path, 'unit']) ?? '',
      better: word(n.ind(id, 'better'), L('良い方向'), [...path, 'better'], BETTER_WORDS) ?? 'higher',
      baseline: measured(n.ind(id, 'baseline'), n.ind(id, 'baseline_p'), L('基準値'), [...path, 'baseline']),
      target,
      actuals: yearMap(
        meta.years.map((y) => [
          y,
          measured(n.actual(id, y), n.actualPeriod(id, y), L(`実績値 ${y}年度`), [...path, 'actuals', String(y)]),
        ]),
      ),
      grade_override:
        overrideGrade !== undefined || overrideReason !== undefined
          ? { grade: overrideGrade ?? '', reason: overrideReason ?? '' }
          : undefined,
    });
  };

  const asOfGot = r.read(n.asOf, '時点', ['as_of']);
  let asOf: string | null = null;
  if (asOfGot) {
    const c = asOfGot.content;
    if (c.kind === 'date') asOf = isoDate(c.value);
    else if (c.kind === 'number' && c.value > 0 && c.value < 2958466)
      asOf = isoDate(new Date(Math.round((c.value - 25569) * 86400000)));
    else if (c.kind === 'text') {
      const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(
        c.value.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)),
      );
      asOf = m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : c.value.trim();
    } else if (c.kind === 'bad') bad(asOfGot.ref, ['as_of'], c);
  }

  const committee: Record<string, unknown>[] = [];
  for (let i = 0; i < meta.committee; i++) {
    const path: YamlPath = ['committee', committee.length];
    const num = number(n.committee(i, 'number'), `推進委員会の意見${i + 1} 意見番号`, [...path, 'number']);
    const opinion = text(n.committee(i, 'opinion'), `推進委員会の意見${i + 1} 意見`, [...path, 'opinion'], {
      trim: false,
    });
    const response = text(n.committee(i, 'response'), `推進委員会の意見${i + 1} 担当課の考え`, [...path, 'response'], {
      trim: false,
    });
    if (num === undefined && opinion === undefined && response === undefined) continue;
    committee.push(drop({ number: num, opinion: opinion ?? '', response: response ?? '' }));
  }

  const projects: Record<string, unknown>[] = [];
  meta.projects.forEach((outcomeRows, i) => {
    const path: YamlPath = ['projects', projects.length];
    const L = (s: string) => `（４）事業${i + 1} ${s}`;
    const num = number(n.project(i, 'number'), L('No.'), [...path, 'number']);
    const main = word(
      n.project(i, 'main'),
      L('主な事業'),
      [...path, 'main'],
      Object.fromEntries(MAIN_WORDS.map((w) => [w, true])),
    );
    const code = text(n.project(i, 'code'), L('事務事業コード'), [...path, 'code']);
    const name = text(n.project(i, 'name'), L('事務事業名'), [...path, 'name']);
    const cost = yearMap(
      meta.years.map((y) => [y, number(n.cost(i, y), L(`事業費 ${y}年度`), [...path, 'cost', String(y)])]),
    );
    const fund = yearMap(
      meta.years.map((y) => [y, number(n.fund(i, y), L(`一般財源 ${y}年度`), [...path, 'general_fund', String(y)])]),
    );
    const outcomes: Record<string, unknown>[] = [];
    for (let j = 0; j < outcomeRows; j++) {
      const opath: YamlPath = [...path, 'outcomes', outcomes.length];
      const OL = (s: string) => L(`成果指標${j + 1} ${s}`);
      const oname = text(n.outcome(i, j, 'name'), OL('成果指標名'), [...opath, 'name']);
      const unit = text(n.outcome(i, j, 'unit'), OL('単位'), [...opath, 'unit']);
      const values = yearMap(
        meta.years.map((y) => [
          y,
          measured(n.outcomeValue(i, j, y), n.outcomePeriod(i, j, y), OL(`${y}年度`), [...opath, 'values', String(y)]),
        ]),
      );
      if (oname === undefined && unit === undefined && values === undefined) continue;
      outcomes.push(drop({ name: oname ?? '', unit: unit ?? '', values }));
    }
    const remarks = text(n.project(i, 'remarks'), L('備考'), [...path, 'remarks'], { trim: false });
    if ([num, main, code, name, cost, fund, remarks].every((v) => v === undefined) && outcomes.length === 0) return;
    projects.push(
      drop({
        number: num,
        main,
        code,
        name: name ?? '',
        cost,
        general_fund: fund,
        outcomes: outcomes.length > 0 ? outcomes : undefined,
        remarks,
      }),
    );
  });

  const item5Title = text(n.item5Title, '⑤ 見出し', ['item5', 'title']);
  const item5Text = text(n.item5Text, '⑤ 本文', ['item5', 'text'], { trim: false });
  const refYears = text(n.referenceYears, '参考年度', ['reference_years']);
  const grading = text(n.grading, '評価方式', ['grading']);
  const goal = indicator('g', ['goal'], '数値目標', false);
  // ② as the workbook was made: free text in one cell, or one cell per indicator (reasons: { goal, kpis }).
  const reasonsOf = (): unknown => {
    const list = Array.isArray(meta.reasons)
      ? meta.reasons.filter((x) => x === 'goal' || typeof x === 'number')
      : undefined;
    if (!list) return text(n.reasons, '② 理由等', ['reasons'], { trim: false }) ?? '';
    const out: { goal?: string; kpis?: Record<string, string> } = {};
    for (const which of list) {
      const path: YamlPath = which === 'goal' ? ['reasons', 'goal'] : ['reasons', 'kpis', String(which)];
      const v = text(n.reasonFor(which), which === 'goal' ? '② 数値目標' : `② KPI${which}`, path, { trim: false });
      if (v === undefined) continue;
      if (which === 'goal') out.goal = v;
      else (out.kpis ??= {})[String(which)] = v;
    }
    return out;
  };
  const kpis = Array.from({ length: meta.kpis }, (_, i) =>
    indicator(`k${i}`, ['kpis', i], `KPI（${i + 1}行目）`, true),
  );
  return drop({
    version: meta.version ? 1 : undefined,
    municipality: text(n.municipality, '自治体名', ['municipality']) ?? '',
    fiscal_year: number(n.fiscalYear, '評価対象年度', ['fiscal_year']),
    stage: text(n.stage, '段階', ['stage']) ?? '',
    as_of: asOf,
    plan_period: {
      from: number(n.planFrom, '計画期間（開始）', ['plan_period', 'from']),
      to: number(n.planTo, '計画期間（終了）', ['plan_period', 'to']),
    },
    reference_years:
      refYears === undefined
        ? undefined
        : refYears
            .split(/[,、，\s]+/)
            .filter(Boolean)
            .map((y) => (/^\d+$/.test(y) ? Number(y) : y)),
    basic_goal: number(n.basicGoal, '基本目標', ['basic_goal']),
    measure: {
      number: number(n.measureNumber, '重点施策番号', ['measure', 'number']),
      title: text(n.measureTitle, '重点施策名', ['measure', 'title']) ?? '',
    },
    lead_division: text(n.leadDivision, '主管課', ['lead_division']) ?? '',
    team: text(n.team, '担当班', ['team']) ?? null,
    related_divisions: lines(n.relatedDivisions, '関係課', ['related_divisions']),
    grading,
    goal,
    kpis,
    // Not chosen yet (a rolled-over sheet): null, as the YAML writes it; validate warns.
    progress: text(n.progress, '① 進捗状況', ['progress']) ?? null,
    reasons: reasonsOf(),
    situation: text(n.situation, '③ 現状と課題、方向性', ['situation'], { trim: false }) ?? '',
    policy: text(n.policy, '④ 施策の方針', ['policy'], { trim: false }) ?? '',
    item5:
      item5Title !== undefined || item5Text !== undefined
        ? { title: item5Title ?? '', text: item5Text ?? '' }
        : undefined,
    related_policy_projects: lines(n.relatedPolicyProjects, '⑥ 関連する事務事業名', ['related_policy_projects']),
    committee,
    projects,
  });
}

/** The cell a diagnostic's YAML path came from: the path itself, else its nearest parent that was read. */
function cellOf(cells: Map<string, CellRef>, path: YamlPath | undefined): CellRef | undefined {
  if (!path) return undefined;
  for (let k = path.length; k > 0; k--) {
    const ref = cells.get(JSON.stringify(path.slice(0, k)));
    if (ref) return ref;
  }
  return undefined;
}

/** Reads one workbook's bytes into sheet YAML; `book` is the name used in messages and as the YAML's file name. */
export async function importWorkbook(book: string, bytes: Uint8Array, lang: Lang): Promise<ImportResult> {
  const shown = basename(book);
  const fail = (code: string, message: string, hint?: string): ImportResult => ({
    book,
    diagnostics: [{ severity: 'error', code, file: shown, message, ...(hint ? { hint } : {}) }],
  });
  if (/\.xlsm$/i.test(book)) return fail('xlsx.macros', t(lang, 'xlsxMacros'), t(lang, 'xlsxSaveAsHint'));
  const problem = checkWorkbookBytes(bytes);
  if (problem) {
    const m = zipMessage(problem, lang);
    return fail(`xlsx.${problem.kind}`, m.message, m.hint);
  }
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    return fail(
      'xlsx.corrupt',
      t(lang, 'xlsxCorrupt', { detail: (e as Error).message.slice(0, 200) }),
      t(lang, 'xlsxSaveAsHint'),
    );
  }
  const ms = wb.getWorksheet(META_SHEET);
  // Another program may save the meta cells as rich text (LibreOffice does): read their plain text.
  const metaText = (a: string): string => {
    const c = ms ? contentOf(ms.getCell(a).value, lang) : { kind: 'empty' as const };
    return c.kind === 'text' ? c.value : c.kind === 'number' ? String(c.value) : '';
  };
  if (!ms || metaText('A1') !== META_MARK)
    return fail('xlsx.not-sheetgen', t(lang, 'xlsxNotSheetgen', { sheet: FORM_SHEET }), t(lang, 'xlsxNotSheetgenHint'));
  if (metaText('B1') !== String(META_VERSION))
    return fail('xlsx.version', t(lang, 'xlsxVersion', { version: metaText('B1') }), t(lang, 'xlsxNotSheetgenHint'));
  let meta: BookMeta;
  try {
    meta = JSON.parse(metaText('B2')) as BookMeta;
    if (
      !Array.isArray(meta.years) ||
      !Array.isArray(meta.projects) ||
      typeof meta.kpis !== 'number' ||
      typeof meta.committee !== 'number' ||
      meta.kpis > 1000 ||
      meta.committee > 1000 ||
      meta.projects.length > 100 ||
      meta.years.length > 100
    )
      throw new Error('shape');
  } catch {
    return fail('xlsx.not-sheetgen', t(lang, 'xlsxNotSheetgen', { sheet: FORM_SHEET }), t(lang, 'xlsxNotSheetgenHint'));
  }
  const reader = new BookReader(wb, shown, lang);
  const data = readSheet(reader, meta);
  if (hasErrors(reader.diags)) return { book, diagnostics: reader.diags };
  const yaml = sheetYaml(data, Array.isArray(meta.header) ? meta.header.map(String) : [], reader.digits);
  // The YAML is checked as any sheet: the loader and the grader are the authority.
  const yamlName = `${basename(book, extname(book))}.yaml`;
  const loaded = loadSheetText(yamlName, yaml, lang);
  const graded = loaded.sheet ? gradeLoaded(loaded, { lang }) : loaded;
  const located = graded.diagnostics.map((d): Diagnostic => {
    const ref = cellOf(reader.cells, d.path);
    const { line: _l, column: _c, endLine: _el, endColumn: _ec, ...rest } = d;
    return { ...rest, file: reader.where(ref), message: ref ? `${ref.label}: ${d.message}` : d.message };
  });
  const diagnostics = [...reader.diags, ...located];
  return hasErrors(diagnostics) ? { book, diagnostics } : { book, yaml, diagnostics };
}
