// Two sheets of a parallel batch naming the same PDF: the first in the file order keeps the name,
// whatever order the threads finish in. The participants are wrapped (vi.mock of pool.js) so that a
// test decides the finishing order: real worker threads held back, or fake participants with random delays.
// Moving a sheet's PDF to its name can be made to fail (vi.mock of node:fs/promises: rename), as it does
// on Windows when a PDF viewer holds the file.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildBatch, type BatchReport, type ProgressEvent, type SheetReport } from '../../src/core/batch.js';
import { failedSheets } from '../../src/core/index-pdf.js';
import type { Participant } from '../../src/core/pool.js';
import type { BuildResult, JobOptions } from '../../src/core/sheetjob.js';
import { Progress } from '../../src/cli/progress.js';
import { sameMeasureOtherNumbers } from '../helpers/seed-variants.js';

/**
 * What the wrapped participants do. `real`: worker threads whose answer for a file waits for
 * `hold(file)`. `fake`: no rendering; a sheet file holds `{ name, ok }` as JSON, its "PDF" is
 * `%PDF-fake <file>`, and its answer comes after `delay(file)` turns of the event loop.
 */
const control = vi.hoisted(() => ({
  mode: 'real' as 'real' | 'fake',
  hold: (_file: string): Promise<void> => Promise.resolve(),
  delay: (_file: string): number => 0,
  /** The sheet file whose PDF each temp file is. */
  tmpOf: new Map<string, string>(),
  /** The errno with which moving `file`'s PDF to its name fails, if it does. */
  renameFails: (_file: string): string | undefined => undefined,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      const file = control.tmpOf.get(from);
      const code = file === undefined ? undefined : control.renameFails(file);
      if (code) throw Object.assign(new Error(`${code}: rename '${from}' -> '${to}'`), { code, syscall: 'rename' });
      return real.rename(from, to);
    },
  };
});

vi.mock('../../src/core/pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/pool.js')>();
  const { tempName } = await import('../../src/core/sheetjob.js');
  const turn = () => new Promise<void>((r) => setImmediate(r));

  class Fake implements Participant {
    readonly alive = true;
    async build(id: number, file: string, outDir: string): Promise<BuildResult> {
      const { name, ok } = JSON.parse(readFileSync(file, 'utf8')) as { name: string; ok: boolean };
      for (let i = control.delay(file); i > 0; i--) await turn();
      const facts = {
        fiscalYear: { value: 2020, line: 1, column: 14 },
        stage: { value: '事後・決算', line: 2, column: 8 },
        measure: { value: Number(name.slice(5, -4)), line: 3 + (id % 5), column: 20 },
        kpis: [],
        committee: [],
      };
      if (!ok)
        return {
          file,
          ok: false,
          name,
          facts,
          diagnostics: [{ severity: 'error', code: 'fake.bad', file, line: 4, message: 'a bad sheet' }],
        };
      const tmp = tempName(outDir, name);
      control.tmpOf.set(tmp, file);
      const pdf = `%PDF-fake ${file}`;
      await writeFile(tmp, pdf, { flag: 'wx' });
      for (let i = control.delay(`${file}#after`); i > 0; i--) await turn();
      return { file, ok: true, name, facts, diagnostics: [], tmp, bytes: pdf.length };
    }
    async terminate(): Promise<void> {}
  }

  class Held extends real.ThreadParticipant {
    override async build(id: number, file: string, outDir: string): Promise<BuildResult> {
      const r = await super.build(id, file, outDir);
      if (r.tmp) control.tmpOf.set(r.tmp, file);
      await control.hold(file);
      return r;
    }
  }

  // The batch makes its participants with `new`: a function that returns an object gives that object.
  function ThreadParticipant(opts: JobOptions): Participant {
    return control.mode === 'fake' ? new Fake() : new Held(opts);
  }
  function InProcess(opts: JobOptions): Participant {
    return control.mode === 'fake' ? new Fake() : new real.InProcess(opts);
  }
  return { ...real, ThreadParticipant, InProcess };
});

const made: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sheetgen-collide-'));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** Every file of a folder with its bytes. */
const contents = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f)).toString('latin1')]),
  );

/** What a batch report says (paths in the output folder as OUT/…), without the time it took or the threads. */
const said = (r: BatchReport, out: string) => JSON.stringify({ ...r, ms: 0, jobs: 0 }).replaceAll(out, 'OUT');

describe('a shared name with worker threads, both finishing orders', () => {
  const seed = readFileSync('examples/asahi-2020-09.yaml', 'utf8');
  const dir = tmp();
  // two.yaml: the same measure (2020-09.pdf), its KPIs renumbered, so its PDF differs from one.yaml's.
  writeFileSync(join(dir, 'one.yaml'), seed);
  writeFileSync(join(dir, 'two.yaml'), sameMeasureOtherNumbers(seed));
  const files = ['one.yaml', 'two.yaml'].map((f) => join(dir, f));

  /** Builds the pair with two threads, `first` finishing (and placed) before the other answers. */
  async function run(first: 'one.yaml' | 'two.yaml', lang: 'en' | 'ja' = 'en', folder = `out-${first}-${lang}`) {
    control.mode = 'real';
    let release = () => {};
    const released = new Promise<void>((r) => {
      release = r;
    });
    control.hold = (file) => (file.endsWith(first) ? Promise.resolve() : released);
    const out = join(dir, folder);
    const events: { event: ProgressEvent; status: string; atName?: string }[] = [];
    const report = await buildBatch(files, {
      lang,
      outDir: out,
      jobs: 2,
      sourceDateEpoch: 0,
      onProgress: (event) => {
        // What the progress line is told, as it stands when it is told (the report changes later).
        const r = event.report;
        events.push({
          event: { ...event, report: { ...r } },
          status: r.status,
          ...(r.output ? { atName: readFileSync(r.output).toString('latin1') } : {}),
        });
        if (r.file.endsWith(first)) release();
      },
    });
    control.hold = () => Promise.resolve();
    return { report, out, events };
  }

  it('one.yaml, first in the file order, keeps 2020-09.pdf whichever thread finishes first', async () => {
    const a = await run('one.yaml');
    const b = await run('two.yaml');
    // The orders really were the two: the progress events came in them.
    expect(a.events.map((e) => e.event.report.file)).toEqual(files);
    expect(b.events.map((e) => e.event.report.file)).toEqual([files[1], files[0]]);
    for (const { report, out } of [a, b]) {
      const [one, two] = report.sheets as [SheetReport, SheetReport];
      expect(one.status).toBe('built');
      expect(one.output).toBe(join(out, '2020-09.pdf'));
      expect(two.status).toBe('failed');
      expect(two.output).toBeUndefined();
      // Only a built sheet reports the size of a PDF it wrote.
      expect(one.bytes).toBeGreaterThan(0);
      expect(two.bytes).toBeUndefined();
      const kept = one.diagnostics.filter((d) => d.code === 'output.collision');
      expect(kept.map((d) => d.severity)).toEqual(['warning']);
      expect(kept[0]!.message).toContain(`${files[1]}:13`);
      const refused = two.diagnostics.filter((d) => d.code === 'output.collision');
      expect(refused.map((d) => [d.severity, d.line, d.column, d.path?.join('.')])).toEqual([
        ['error', 13, 20, 'measure.number'],
      ]);
      expect(refused[0]!.message).toContain(`${files[0]}:13`);
      expect(refused[0]!.message).toContain('comes first in the batch');
    }
    // Its error is true in both orders: when two.yaml finished first its PDF was shown written, then replaced.
    expect(b.report.sheets[1]!.diagnostics.at(-1)!.message).toContain(
      "2020-09.pdf is not this sheet's PDF (if its progress line showed it written, that PDF was replaced)",
    );
    // The same bytes at the name, the same index, grades and projects files, byte for byte.
    const ca = contents(a.out);
    const cb = contents(b.out);
    expect(Object.keys(ca)).toEqual([
      '2020-09.pdf',
      'grades.csv',
      'grades.json',
      'index.pdf',
      'projects.csv',
      'projects.json',
    ]);
    expect(cb).toEqual(ca);
    // And the PDF is one.yaml's as one.yaml alone builds it.
    const single = await buildBatch([files[0]!], {
      lang: 'en',
      outDir: join(dir, 'alone'),
      jobs: 1,
      sourceDateEpoch: 0,
    });
    expect(ca['2020-09.pdf']).toBe(readFileSync(single.sheets[0]!.output!).toString('latin1'));
    // What the caller is told at the end is the same, but for the order of the progress events.
    expect(said(b.report, b.out)).toBe(said(a.report, a.out));
  }, 120_000);

  it('a later sheet placed first: its "ok → X" was true when shown, and the earlier sheet then says it replaced it', async () => {
    const { events, out } = await run('two.yaml');
    const [early, late] = [events[0]!, events[1]!];
    // two.yaml was shown built, and 2020-09.pdf held its PDF at that moment.
    expect(early.status).toBe('built');
    expect(early.event.report.file).toBe(files[1]);
    expect(early.atName).toMatch(/^%PDF-/);
    // one.yaml's event names the sheet whose PDF it replaced; the file now holds one.yaml's PDF.
    expect(late.status).toBe('built');
    expect(late.event.replaced?.file).toBe(files[1]);
    expect(late.atName).not.toBe(early.atName);
    expect(readFileSync(join(out, '2020-09.pdf')).toString('latin1')).toBe(late.atName);
    // The progress lines say it, and the counts of the bar move the replaced sheet to the failed.
    let lines = '';
    const p = new Progress('lines', 2, 'en', (s) => {
      lines += s;
    });
    for (const e of events) p.update(e.event);
    expect(lines.split('\n')).toEqual([
      `[1/2] ok     ${files[1]} → ${join(out, '2020-09.pdf')}`,
      `[2/2] ok     ${files[0]} → ${join(out, '2020-09.pdf')}`,
      `      FAILED ${files[1]} no longer counts as built: ${join(out, '2020-09.pdf')} now holds the PDF of ${files[0]}, which names the same file and comes first in the batch`,
      '',
    ]);
    let bar = '';
    const q = new Progress('bar', 2, 'en', (s) => {
      bar += s;
    });
    for (const e of events) q.update(e.event);
    // The bar shows no sheet by name, but this one it says above itself: a PDF it counted is gone.
    expect(bar.split('\n')).toEqual([
      expect.stringMatching(
        `FAILED ${files[1]} no longer counts as built: ${join(out, '2020-09.pdf')} now holds the PDF of ${files[0]}, which names the same file and comes first in the batch$`,
      ),
      expect.stringMatching(/^\r\[#+\] 2\/2 {2}1 built, 1 failed {2}ETA 0:00\u001b\[K$/),
    ]);
  }, 120_000);

  it('says the same in Japanese whichever finishes first', async () => {
    const a = await run('one.yaml', 'ja');
    const b = await run('two.yaml', 'ja');
    expect(said(b.report, b.out)).toBe(said(a.report, a.out));
    const msgs = (r: BatchReport) => r.sheets.map((s) => s.diagnostics.filter((d) => d.code === 'output.collision'));
    const [keptA, refusedA] = msgs(a.report) as [SheetReport['diagnostics'], SheetReport['diagnostics']];
    expect(keptA[0]!.message).toContain('一括作成の順で先');
    expect(refusedA[0]!.message).toContain('このシートは作成されていません');
    const [keptB, refusedB] = msgs(b.report) as [SheetReport['diagnostics'], SheetReport['diagnostics']];
    expect(refusedA[0]!.message).toContain('その PDF は置き換えました');
    expect(keptB).toEqual(keptA);
    expect(refusedB).toEqual(refusedA);
    expect(contents(b.out)).toEqual(contents(a.out));
  }, 120_000);

  it('a viewer holds 2020-09.pdf when one.yaml’s PDF is moved there: two.yaml keeps it whichever finishes first, and both say so', async () => {
    control.renameFails = (file) => (file.endsWith('one.yaml') ? 'EBUSY' : undefined);
    // Both orders write to the same folder (emptied between them): the index's notes name it.
    let a: Awaited<ReturnType<typeof run>>;
    let b: Awaited<ReturnType<typeof run>>;
    let ca: Record<string, string>;
    try {
      a = await run('one.yaml', 'en', 'out-held');
      ca = contents(a.out);
      rmSync(a.out, { recursive: true });
      b = await run('two.yaml', 'en', 'out-held');
    } finally {
      control.renameFails = () => undefined;
    }
    // one.yaml's move failed before two.yaml's PDF was placed (a), and over it (b).
    expect(a.events.map((e) => [e.event.report.file, e.status])).toEqual([
      [files[0], 'failed'],
      [files[1], 'built'],
    ]);
    expect(b.events.map((e) => [e.event.report.file, e.status])).toEqual([
      [files[1], 'built'],
      [files[0], 'failed'],
    ]);
    expect([...a.events, ...b.events].map((e) => e.event.replaced)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    for (const { report, out } of [a, b]) {
      const [one, two] = report.sheets as [SheetReport, SheetReport];
      const name = join(out, '2020-09.pdf');
      expect(two.status).toBe('built');
      expect(two.output).toBe(name);
      expect(two.bytes).toBeGreaterThan(0);
      expect(one.status).toBe('failed');
      expect(one.output).toBeUndefined();
      expect(one.bytes).toBeUndefined();
      // one.yaml: the file-system sentence (what to do), then plainly which sheet's PDF the name holds.
      expect(one.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message])).toEqual([
        [
          'output.write',
          `Cannot replace ${name}: it may be open in a PDF viewer. Close it and run again (the old file is kept)`,
        ],
        [
          'output.collision',
          `2020-09.pdf holds the PDF of ${files[1]}:13, which also names it: this sheet comes first in the batch, but its PDF could not be written there (see the error above), so this sheet is not built and 2020-09.pdf is that sheet's PDF`,
        ],
      ]);
      expect(
        two.diagnostics.filter((d) => d.code === 'output.collision').map((d) => [d.severity, d.line, d.message]),
      ).toEqual([
        [
          'warning',
          13,
          `${files[0]}:13 also names 2020-09.pdf and comes first in the batch, but its PDF could not be written there; 2020-09.pdf is the PDF of this sheet, not that sheet's`,
        ],
      ]);
    }
    // The same report, the same files byte for byte, and no temp file left.
    expect(said(b.report, b.out)).toBe(said(a.report, a.out));
    expect(Object.keys(ca)).toEqual([
      '2020-09.pdf',
      'grades.csv',
      'grades.json',
      'index.pdf',
      'projects.csv',
      'projects.json',
    ]);
    expect(contents(b.out)).toEqual(ca);
    // The PDF at the name is two.yaml's, as two.yaml alone builds it.
    const single = await buildBatch([files[1]!], {
      lang: 'en',
      outDir: join(dir, 'alone-two'),
      jobs: 1,
      sourceDateEpoch: 0,
    });
    expect(ca['2020-09.pdf']).toBe(readFileSync(single.sheets[0]!.output!).toString('latin1'));
  }, 120_000);
});

describe('any batch, any finishing order (fake participants)', () => {
  /**
   * A generated batch: each sheet names one of a few PDFs (so names are shared often) and may be bad;
   * the move of a sheet's PDF to its name may fail (`held`: EBUSY, a viewer holds the file).
   */
  const sheet = fc.record({
    name: fc.integer({ min: 1, max: 4 }),
    ok: fc.boolean(),
    held: fc.constantFrom(false, false, false, true),
  });
  const batch = fc.record({
    sheets: fc.array(sheet, { minLength: 1, maxLength: 9 }),
    // What the output folder held before the run: an old PDF (replaced) or a user's file (kept).
    before: fc.dictionary(
      fc.constantFrom('1', '2', '3', '4'),
      fc.constantFrom('%PDF-old run', 'the user notes, not a PDF'),
    ),
    jobs: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 2 }),
    // Two schedules: how long each sheet takes, before and after its temp file is written.
    delays: fc.array(fc.array(fc.nat({ max: 40 }), { minLength: 18, maxLength: 18 }), { minLength: 2, maxLength: 2 }),
  });
  const pdfName = (n: number) => `2020-0${n}.pdf`;

  it('which PDF is at each name and which sheets fail depend only on the file order and which moves fail', async () => {
    await fc
      .assert(
        fc.asyncProperty(batch, async ({ sheets, before, jobs, delays }) => {
          control.mode = 'fake';
          const dir = tmp();
          const files = sheets.map((s, i) => {
            const f = join(dir, `s${i}.yaml`);
            writeFileSync(f, JSON.stringify({ name: pdfName(s.name), ok: s.ok }));
            return f;
          });
          control.renameFails = (file) => (sheets[files.indexOf(file)]?.held ? 'EBUSY' : undefined);
          // Both schedules write to the same folder (emptied between them), so that messages naming it compare.
          const out = join(dir, 'out');
          const runs: { report: BatchReport; onDisk: Record<string, string> }[] = [];
          for (const k of [0, 1]) {
            rmSync(out, { recursive: true, force: true });
            mkdirSync(out);
            for (const [n, text] of Object.entries(before)) writeFileSync(join(out, pdfName(Number(n))), text);
            const d = delays[k]!;
            control.delay = (file) => {
              const i = files.indexOf(file.replace(/#after$/, ''));
              return d[(2 * i + (file.endsWith('#after') ? 1 : 0)) % d.length]!;
            };
            const report = await buildBatch(files, {
              lang: 'en',
              outDir: out,
              jobs: jobs[k]!,
              onProgress: (e) => {
                // "ok → X": X holds this sheet's PDF when it is said.
                if (e.report.status === 'built')
                  expect(readFileSync(e.report.output!, 'latin1')).toBe(`%PDF-fake ${e.report.file}`);
              },
            });
            runs.push({ report, onDisk: contents(out) });
          }
          const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];

          // The model: a name goes to the first good sheet that gives it and whose PDF can be moved there,
          // unless the user's own file is there. If none can, the first good sheet is named as keeping it.
          const first = new Map<number, number>();
          const movable = new Map<number, number>();
          sheets.forEach((s, i) => s.ok && !first.has(s.name) && first.set(s.name, i));
          sheets.forEach((s, i) => s.ok && !s.held && !movable.has(s.name) && movable.set(s.name, i));
          for (const { report, onDisk } of runs) {
            const want: Record<string, string> = {};
            for (const [n, text] of Object.entries(before)) want[pdfName(Number(n))] = text;
            sheets.forEach((s, i) => {
              const r = report.sheets[i]!;
              const userFile = before[String(s.name)]?.startsWith('%PDF-') === false;
              const placed = userFile ? undefined : movable.get(s.name);
              const keeper = placed ?? first.get(s.name)!;
              const keeps = s.ok && placed === i;
              expect(r.status, `sheet ${i}`).toBe(keeps ? 'built' : 'failed');
              expect(r.output).toBe(keeps ? join(out, pdfName(s.name)) : undefined);
              if (keeps) want[pdfName(s.name)] = `%PDF-fake ${files[i]}`;
              const collisions = r.diagnostics.filter((x) => x.code === 'output.collision');
              const writes = r.diagnostics.filter((x) => x.code === 'output.write');
              const others = sheets.filter((t, j) => j !== i && t.ok && t.name === s.name).length;
              if (!s.ok) expect(collisions).toEqual([]);
              else if (keeper === i) {
                // The keeper: a warning per other sheet if its PDF is there; a write error if it could not be moved.
                expect(collisions.map((x) => x.severity)).toEqual(Array(keeps ? others : 0).fill('warning'));
                expect(writes.length).toBe(keeps ? 0 : 1);
              } else if (i < keeper) {
                // Before the keeper: its PDF could not be moved over the keeper's; both said, in that order.
                expect(writes.map((x) => x.message)).toEqual([
                  `Cannot replace ${join(out, pdfName(s.name))}: it may be open in a PDF viewer. Close it and run again (the old file is kept)`,
                ]);
                expect(collisions.map((x) => [x.severity, x.file, x.line, x.path?.join('.')])).toEqual([
                  ['error', files[i], 3 + (i % 5), 'measure.number'],
                ]);
                expect(collisions[0]!.message).toContain(`holds the PDF of ${files[keeper]}:`);
                expect(r.diagnostics.indexOf(writes[0]!)).toBeLessThan(r.diagnostics.indexOf(collisions[0]!));
              } else {
                expect(collisions.map((x) => [x.severity, x.file, x.line, x.path?.join('.')])).toEqual([
                  ['error', files[i], 3 + (i % 5), 'measure.number'],
                ]);
                expect(collisions[0]!.message).toContain(`${files[keeper]}:`);
                expect(r.diagnostics.filter((x) => x.code === 'output.write')).toEqual([]);
              }
            });
            const pdfs = { ...onDisk };
            for (const f of ['grades.csv', 'grades.json', 'index.pdf', 'projects.csv', 'projects.json']) delete pdfs[f];
            expect(pdfs).toEqual(want);
          }
          // Both schedules: the same report (statuses, outputs, every diagnostic in its order), the same
          // failed-sheet notes of the index, the same bytes in the folder.
          expect(said(b.report, out)).toBe(said(a.report, out));
          expect(failedSheets(b.report.sheets)).toEqual(failedSheets(a.report.sheets));
          expect(b.onDisk).toEqual(a.onDisk);
          rmSync(dir, { recursive: true, force: true });
        }),
        { numRuns: 40 },
      )
      .finally(() => {
        control.renameFails = () => undefined;
      });
  }, 300_000);
});
