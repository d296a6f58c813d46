//! Page 2 of the form: （４） the related projects alone, in 15 numbered slots, described as one table
//! for the engine (./grid.ts). Rows grow with their content at one type size for the page; slots
//! that do not fit even at 6 pt continue on 別紙 (whole slots, header repeated), and so does the
//! rest of a 備考 too long for its slot (whole sentences).

import { sheetYears, type GradedSheet, type Project } from '../model/types.js';
import { REF_PLACEHOLDER, splitSentences, type LayoutContext } from './fit.js';
import { fiscalYearHeader, formatMoney } from './format.js';
import {
  atomSize,
  contentHeight,
  empty,
  FLOOR,
  holdsAll,
  LEADING,
  linesHeight,
  measure,
  placeGrid,
  rowGroups,
  sizesFrom,
  splitGroup,
  sum,
  textLines,
  reportSplitWords,
  reportWidening,
  widenForAtoms,
  type Cell,
  type Field,
  type Grid,
  type Row,
} from './grid.js';
import {
  atoms,
  CONTENT_W,
  MARGIN,
  measuredAtoms,
  PREF,
  sectionHeading,
  splitYears,
  th,
  yearHeadAtoms,
} from './page1.js';
import { A4_LANDSCAPE, type LayoutNode, type Page, type TextRun } from './types.js';

export const SLOTS = 15;
const BOTTOM = A4_LANDSCAPE.height - MARGIN.bottom;
/** Columns: No. | 主な事業 | 事務事業 | (row kind) | 単位 | years … | 備考欄. */
const C = { no: 0, main: 1, name: 2, kind: 3, unit: 4, y0: 5 };

function slotsOf(projects: readonly Project[]): (Project | undefined)[] {
  const slots: (Project | undefined)[] = new Array(SLOTS).fill(undefined);
  for (const p of projects) {
    let i = p.number - 1;
    while (i < 0 || slots[i] !== undefined) i = i < 0 ? slots.length : i + 1;
    slots[i] = p;
  }
  return slots;
}

interface SlotText {
  remarks: string;
  /** The remark was cut: its cell ends with the reference to 別紙. */
  cut?: boolean;
}

function projectsGrid(
  g: GradedSheet,
  widths: number[],
  slots: (Project | undefined)[],
  texts: SlotText[],
  years: number[] = sheetYears(g.sheet),
  last = true,
): Grid {
  const s = g.sheet;
  const remarksCol = last ? C.y0 + years.length : -1;
  const rows: Row[] = [
    {
      cells: [
        th(C.no, 'Ｎｏ．'),
        { ...th(C.main, '主な事業'), content: { kind: 'atoms', atoms: ['主な', '事業'], font: 'bold' } },
        th(C.name, '事務事業', { colSpan: 2 }),
        th(C.unit, '単位'),
        ...yearHeadAtoms(g, years, 'money').map(
          (a, i): Cell => ({
            col: C.y0 + i,
            tag: 'TH',
            scope: 'Column',
            shade: true,
            content: { kind: 'atoms', atoms: a, font: 'bold' },
          }),
        ),
        ...(last ? [th(remarksCol, '備考欄')] : []),
      ],
    },
  ];
  slots.forEach((p, idx) => {
    const label = `（４）No.${idx + 1}`;
    const outcomes = p?.outcomes ?? [];
    const n = 2 + Math.max(1, outcomes.length);
    const money = (map: ReadonlyMap<number, number> | undefined, what: string): Cell[] =>
      years.map((yr, i) => {
        if (!p || !map) return empty(C.y0 + i);
        const v = map.get(yr);
        const list = v !== undefined ? [formatMoney(v)] : yr <= s.fiscalYear ? ['-'] : [];
        return atoms(
          C.y0 + i,
          list,
          {
            path: [...p.path, what === '事業費' ? 'cost' : 'general_fund', String(yr)],
            label: `${label} ${what} ${fiscalYearHeader(yr, true)}`,
          },
          'right',
        );
      });
    const remark = texts[idx]?.remarks ?? '';
    const first: Cell[] = [
      {
        col: C.no,
        rowSpan: n,
        tag: 'TH',
        scope: 'Row',
        content: { kind: 'atoms', atoms: [String(p?.number ?? idx + 1)] },
      },
      p?.main
        ? { col: C.main, rowSpan: n, tag: 'TD', content: { kind: 'atoms', atoms: ['〇'] } }
        : empty(C.main, { rowSpan: n }),
      p
        ? {
            col: C.name,
            rowSpan: n,
            tag: 'TH',
            scope: 'Row',
            content: {
              kind: 'text',
              text: p.code ? `${p.code}　${p.name}` : p.name,
              field: { path: [...p.path, 'name'], label: `${label} 事務事業名` },
            },
            // Repeated beside the rest of a slot divided between pages: 「…事業（続き）」.
            markContinued: true,
          }
        : empty(C.name, { rowSpan: n }),
      { col: C.kind, tag: 'TH', scope: 'Row', content: { kind: 'text', text: '事業費', align: 'center' } },
      { ...atoms(C.unit, ['千円']), rowSpan: 2 },
      ...money(p?.cost, '事業費'),
      ...(!last
        ? []
        : remark && p
          ? [
              {
                col: remarksCol,
                rowSpan: n,
                tag: 'TD',
                content: {
                  kind: 'text',
                  text: remark,
                  valign: 'top',
                  field: { path: [...p.path, 'remarks'], label: `${label} 備考欄` },
                },
              } as Cell,
            ]
          : [empty(remarksCol, { rowSpan: n })]),
    ];
    rows.push({ cells: first });
    rows.push({
      cells: [
        { col: C.kind, tag: 'TH', scope: 'Row', content: { kind: 'text', text: '一般財源', align: 'center' } },
        ...money(p?.generalFund, '一般財源'),
      ],
    });
    const k = Math.max(1, outcomes.length);
    for (let j = 0; j < k; j++) {
      const o = outcomes[j];
      const cells: Cell[] = [];
      if (j === 0)
        cells.push({
          col: C.kind,
          rowSpan: k,
          tag: 'TH',
          scope: 'Row',
          content: { kind: 'atoms', atoms: ['成果', '指標'] },
        });
      if (o && p) {
        // The outcome's name with its unit: the unit is printed even when no year has a value.
        cells.push({
          col: C.unit,
          tag: 'TH',
          scope: 'Row',
          content: {
            kind: 'text',
            text: o.unit ? `${o.name}（${o.unit}）` : o.name,
            field: { path: [...o.path, 'name'], label: `${label} 成果指標名` },
          },
        });
        years.forEach((yr, i) => {
          const m = o.values.get(yr);
          const list = m ? measuredAtoms(m, o.unit, yr) : yr <= s.fiscalYear ? ['-'] : [];
          cells.push(
            atoms(
              C.y0 + i,
              list,
              { path: m?.path ?? [...o.path, 'values'], label: `${label} ${o.name} ${fiscalYearHeader(yr, true)}` },
              'right',
            ),
          );
        });
      } else {
        cells.push(p ? atoms(C.unit, ['-']) : empty(C.unit));
        years.forEach((_, i) => cells.push(empty(C.y0 + i)));
      }
      rows.push({ cells });
    }
  });
  return { widths, rows };
}

export function layoutPage2(ctx: LayoutContext, g: GradedSheet): Page[] {
  const s = g.sheet;
  const x0 = MARGIN.left;
  const slots = slotsOf(s.projects);
  const full: SlotText[] = slots.map((p) => ({
    remarks: (p?.remarks ?? '').replace(/\r\n?/g, '\n').replace(/\s+$/u, ''),
  }));
  const fixed = [24, 24, 124, 36, 126];
  const widthsFor = (years: number[], last: boolean): number[] => {
    const rem = last ? 120 : 0;
    const yw = Math.min(last ? 60 : 90, (CONTENT_W - sum(fixed) - rem) / Math.max(1, years.length));
    return [...fixed, ...years.map(() => yw), ...(last ? [CONTENT_W - sum(fixed) - yw * years.length] : [])];
  };
  const flexOf = (years: number[], last: boolean) => [C.name, C.unit, ...(last ? [C.y0 + years.length] : [])];
  const mins = (years: number[], last: boolean) =>
    new Map([[C.name, 50], [C.unit, 50], ...(last ? [[C.y0 + years.length, 60] as [number, number]] : [])]);
  // Columns: a number wider than its column at the floor widens it, taken from the text columns; past
  // that, the year columns continue in further bands (the table again, with the next years).
  const all = sheetYears(s);
  // The fewest bands that hold every number whole, in cells and in names alike; else the fewest that
  // hold the numbers of the cells (a run of digits in a name then breaks, with a warning).
  const widen = (ys: number[], last: boolean) =>
    widenForAtoms(ctx, projectsGrid(g, widthsFor(ys, last), slots, full, ys, last), flexOf(ys, last), mins(ys, last));
  const holds = (ps: number[][], strict: boolean): boolean =>
    ps.every((ys, b) => {
      const r = widen(ys, b === ps.length - 1);
      return strict ? holdsAll(r) : r.impossible.length === 0;
    });
  const bandsOf = (n: number): number[][] => (n === 1 ? [all] : splitYears(all, n));
  let strictN = 0;
  for (let n = 1; n <= all.length && strictN === 0; n++) if (holds(bandsOf(n), true)) strictN = n;
  let parts: number[][] = [all];
  for (let n = 1; n <= all.length; n++) {
    parts = bandsOf(n);
    const ok = strictN > 0 ? n === strictN : holds(parts, false);
    if (ok) {
      if (n > 1)
        ctx.warn(
          'layout.bands',
          ['plan_period'],
          `数値が 6pt でも列に収まらないため、（４）の年度の列を ${n} 段に分けて印刷しました（2 段目以降は別紙）`,
          `a number does not fit its column even at 6 pt: the year columns of （４） print in ${n} bands (the later ones on 別紙)`,
        );
      break;
    }
  }
  const bandWidths = parts.map((ys, b) => {
    const last = b === parts.length - 1;
    const r = widen(ys, last);
    reportWidening(ctx, r);
    const widths = r.impossible.length === 0 ? r.widths : widthsFor(ys, last);
    reportSplitWords(ctx, projectsGrid(g, widths, slots, full, ys, last));
    return widths;
  });
  const years = parts[0]!;
  const firstLast = parts.length === 1;
  const widths = bandWidths[0]!;
  const remarksCol = firstLast ? widths.length - 1 : -1;
  const pg = (w: number[], t: SlotText[]) => projectsGrid(g, w, slots, t, years, firstLast);

  const top = MARGIN.top + 9 * 1.5;
  const room = BOTTOM - top;
  let texts = full;
  let grid = pg(widths, texts);
  const smax = atomSize(ctx, grid, PREF.projects);
  // grid is pg(widths, full): the same table at every size tried.
  let size = sizesFrom(smax).find((sz) => sum(measure(ctx, grid, sz)) <= room);
  const pending: { idx: number; rest: string; field: Field }[] = [];
  if (size === undefined) {
    size = FLOOR;
    // Remarks first: each slot keeps the height its other cells need, and long remarks share what is left.
    const bare = pg(
      widths,
      full.map(() => ({ remarks: '' })),
    );
    const bh = measure(ctx, bare, size);
    const groups = rowGroups(bare).slice(1);
    const base = groups.map(([a, b]) => sum(bh.slice(a, b)));
    const remW = remarksCol >= 0 ? widths[remarksCol]! : 0;
    const demand = full.map((t, i) =>
      Math.max(base[i]!, t.remarks ? contentHeight(ctx, { kind: 'text', text: t.remarks }, remW, size!) : 0),
    );
    const extra = Math.max(0, room - bh[0]! - sum(base));
    const want = demand.map((d, i) => d - base[i]!);
    const alloc = sharedExtra(want, extra);
    texts = full.map((t, i) => {
      const p = slots[i];
      if (!p || !t.remarks || remarksCol < 0 || want[i]! <= alloc[i]! + 0.01) return t;
      const h = base[i]! + alloc[i]!;
      const n = Math.max(0, Math.floor((h - 2 + 0.01) / (size! * LEADING)) - 1);
      const lines = textLines(ctx, t.remarks, remW, size!);
      const { shown, rest } = splitSentences(t.remarks, lines, Math.max(n, 0));
      if (!rest) return t;
      pending.push({ idx: i, rest, field: { path: [...p.path, 'remarks'], label: `（４）No.${i + 1} 備考欄` } });
      return { remarks: shown ? `${shown}\n${REF_PLACEHOLDER}` : REF_PLACEHOLDER, cut: true };
    });
  }
  if (size < smax) {
    const longest = slots
      .map((p, i) => ({
        p,
        n: (full[i]?.remarks.length ?? 0) + (p?.outcomes.length ?? 0) * 20 + (p?.name.length ?? 0),
      }))
      .filter((x) => x.p)
      .sort((a, b) => b.n - a.n)[0];
    if (longest?.p)
      ctx.warn(
        'layout.shrink',
        longest.p.path,
        `（４）重点施策関連事業が 1 ページに収まるよう、文字を ${smax}pt から ${size}pt に縮小しました（No.${longest.p.number} など）`,
        `（４） prints at ${size} pt instead of ${smax} pt to fit its page (No. ${longest.p.number} and others need the room)`,
        '備考や成果指標名を短くすると元の大きさで印刷されます',
        'shorter remarks or outcome names print at the regular size',
      );
  }

  // A first slot taller than the page (outcomes by the dozen) is divided at a line: its first part
  // here, the rest on 別紙 with its No. and name repeated.
  const firstTooTall = (gr: Grid, hs: number[]): [number, number] | undefined => {
    const first = rowGroups(gr).slice(1)[0];
    return first !== undefined && sum(hs.slice(first[0], first[1])) > room - hs[0]! + 0.01 ? first : undefined;
  };
  // A slot that does not stand whole on page 2 (divided, or on 別紙) keeps its whole 備考: its row
  // carries it on, divided where it is taller than a page, so that the 備考 continues in one place in
  // reading order — not cut at a sentence and continued a second time after the table.
  const keepWhole = (idx: number) => {
    const i = pending.findIndex((q) => q.idx === idx);
    if (i < 0) return false;
    pending.splice(i, 1);
    texts = texts.map((t, k) => (k === idx ? full[k]! : t));
    return true;
  };
  let divided = false;
  let h: number[] = [];
  let groups: [number, number][] = [];
  const arrange = () => {
    grid = pg(widths, texts);
    h = measure(ctx, grid, size!);
    const first = firstTooTall(grid, h);
    divided = false;
    if (first && keepWhole(0)) return arrange();
    if (first) {
      const split = splitGroup(ctx, grid, size!, first[0], first[1], room - h[0]!);
      if (split) {
        divided = true;
        grid = split.grid;
        h = measure(ctx, grid, size!);
      }
    }
    groups = rowGroups(grid).slice(1);
  };
  arrange();
  // The group of slot `idx`: one more after the first when the first slot is divided.
  const groupOf = (idx: number) => (divided && idx > 0 ? idx + 1 : idx);
  // Whole slots on page 2 while they fit; the rest continue on 別紙.
  const placeSlots = () => {
    let used = h[0]!;
    let n = 0;
    for (const [a, b] of groups) {
      const gh = sum(h.slice(a, b));
      if (used + gh > room + 0.01 && n > 0) break;
      used += gh;
      n++;
    }
    return { used, n };
  };
  let { used, n: count } = placeSlots();
  // Slots continued on 別紙 whole: their 備考 uncut. Their rows only grow, and the rows on page 2 are
  // the same (a slot's height is its own), so the same slots stay on page 2.
  const onAnnex = pending.filter((q) => groupOf(q.idx) >= count).map((q) => q.idx);
  if (onAnnex.map(keepWhole).some(Boolean)) {
    arrange();
    ({ used, n: count } = placeSlots());
  }
  const placedRows = [0, ...groups.slice(0, count).flatMap(([a, b]) => range(a, b))];
  if (count === groups.length) {
    // Spare height is shared by the rows (the form fills its page).
    const spare = room - used;
    if (spare > 0) for (let i = 1; i < h.length; i++) h[i] = Math.floor((h[i]! + spare / (h.length - 1)) * 100) / 100;
  }
  const nodes: LayoutNode[] = [];
  const sect: LayoutNode[] = [];
  const hd = sectionHeading(ctx, '（４）重点施策関連事業', x0, MARGIN.top);
  sect.push(hd.node);
  const placed = placeGrid(ctx, grid, h, size, x0, top, placedRows);
  sect.push(...placed.nodes);
  nodes.push({ type: 'group', tag: 'Sect', children: sect });

  // References: a cut remark ends with one; slots continued on 別紙 get a line under the table.
  const refsIn = (idx: number): TextRun[] => {
    const [a] = groups[groupOf(idx)]!;
    const table = placed.nodes.find((n) => n.type === 'group' && n.tag === 'Table');
    if (table?.type !== 'group') return [];
    const tr = table.children[placedRows.indexOf(a)];
    if (tr?.type !== 'group') return [];
    return tr.children.flatMap((c) => (c.type === 'text' ? c.runs.filter((r) => r.text === REF_PLACEHOLDER) : []));
  };
  if (count < groups.length) {
    const rest = groups.slice(count).flatMap(([a, b]) => range(a, b));
    // The first slot on 別紙: the divided one, or the first of those that did not fit.
    const firstSlot = divided ? Math.max(0, count - 1) : count;
    const firstP = slots.slice(firstSlot).find((p) => p);
    const box = { x: x0, y: placed.bottom, w: CONTENT_W, h: 7 * 1.4 };
    const run: TextRun = {
      text: REF_PLACEHOLDER,
      x: x0,
      y: Math.round((placed.bottom + 7 * 1.1) * 100) / 100,
      size: 7,
      font: 'regular',
    };
    if (placed.bottom + box.h <= BOTTOM + MARGIN.bottom - 2)
      nodes.push({ type: 'text', tag: 'Note', runs: [run], cell: box });
    ctx.annex.push({
      kind: 'table',
      heading: '（４）重点施策関連事業（続き）',
      grid,
      head: [0],
      body: rest,
      size,
      path: firstP?.path ?? ['projects'],
      label: `（４）No.${firstSlot + 1} 以降`,
      refs: [run],
    });
  }
  // Later bands of year columns: the table again on 別紙, whole, with 備考欄 in the last band.
  parts.slice(1).forEach((ys, k) => {
    const b = k + 1;
    const last = b === parts.length - 1;
    const bg = projectsGrid(g, bandWidths[b]!, slots, full, ys, last);
    const first = s.projects[0];
    ctx.annex.push({
      kind: 'table',
      heading: `（４）重点施策関連事業（${fiscalYearHeader(ys[0]!, true)}〜${fiscalYearHeader(ys[ys.length - 1]!, true)}）`,
      grid: bg,
      head: [0],
      body: bg.rows.map((_, i) => i).slice(1),
      size: atomSize(ctx, bg, PREF.projects),
      path: first?.path ?? ['projects'],
      label: `（４）${fiscalYearHeader(ys[0]!, true)}〜`,
      refs: [],
    });
  });
  for (const p of pending) {
    // A reference that went with the part of a divided slot on 別紙 is found there (as one of a slot on 別紙).
    const refs = groupOf(p.idx) < count ? refsIn(p.idx) : [];
    ctx.annex.push({
      kind: 'prose',
      heading: `${p.field.label}（続き）`,
      text: p.rest,
      path: p.field.path,
      label: p.field.label,
      refs,
      ...(refs.length === 0 ? { fromTable: true } : {}),
    });
  }
  return [{ ...A4_LANDSCAPE, nodes }];
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}

/** Shares `extra` among wants: small wants are met whole, large ones share the rest equally. */
function sharedExtra(want: number[], extra: number): number[] {
  const out = want.map(() => 0);
  const order = [...want.keys()].filter((i) => want[i]! > 0).sort((a, b) => want[a]! - want[b]!);
  let left = extra;
  order.forEach((i, k) => {
    const fair = left / (order.length - k);
    out[i] = Math.min(want[i]!, fair);
    left -= out[i]!;
  });
  return out;
}

export { linesHeight };
