// OutputNames on its own, with a pretend disk: whatever order the sheets' PDFs arrive in and however
// long each move takes, a shared name ends with the PDF of the first sheet of the file order whose
// move does not fail.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutputNames, type Placement } from '../../src/core/claims.js';

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};

/**
 * A batch of sheets offering their PDFs in `arrival` order, `lag` turns apart, each move taking `slow`
 * turns. A name in `blocked` cannot be written by any sheet (the user's file); a sheet in `failing`
 * cannot write its PDF (a viewer holds the file when its move comes).
 */
async function run(
  names: number[],
  arrival: number[],
  lag: number[],
  slow: number[],
  blocked: Set<number>,
  failing = new Set<number>(),
) {
  const disk = new Map<string, number>();
  const discarded: string[] = [];
  const seenAtPlace: [number, number | undefined][] = [];
  const table = new OutputNames(
    async (id, tmp, name) => {
      await turns(slow[id]!);
      if (blocked.has(Number(name))) throw new Error(`${name} is the user's file`);
      if (failing.has(id)) throw new Error(`${name} is held open`);
      expect(tmp).toBe(`tmp${id}`);
      disk.set(name, id);
    },
    async (tmp) => {
      await turns(1);
      discarded.push(tmp);
    },
  );
  const outcomes: Placement[] = [];
  await Promise.all(
    arrival.map(async (id, k) => {
      await turns(lag[k]!);
      const p = await table.place(id, String(names[id]), `tmp${id}`);
      outcomes[id] = p;
      // A PDF said placed is at its name when the caller hears so.
      if (p.kind === 'placed') seenAtPlace.push([id, disk.get(String(names[id]))]);
    }),
  );
  return { disk, discarded, outcomes, seenAtPlace, shared: table.shared() };
}

describe('OutputNames', () => {
  it('a later sheet placed first is replaced by the earlier one, which is told whose PDF it replaced', async () => {
    const r = await run([7, 7], [1, 0], [0, 5], [0, 0], new Set());
    expect(r.outcomes).toEqual([{ kind: 'placed', replaced: 1 }, { kind: 'placed' }]);
    expect(r.disk.get('7')).toBe(0);
    expect(r.shared).toEqual([{ name: '7', keeper: 0, placed: true, others: [1] }]);
    expect(r.discarded).toEqual([]);
  });

  it('a later sheet arriving after the earlier one is refused and its temp file removed', async () => {
    const r = await run([7, 7], [0, 1], [0, 5], [0, 0], new Set());
    expect(r.outcomes).toEqual([{ kind: 'placed' }, { kind: 'refused' }]);
    expect(r.discarded).toEqual(['tmp1']);
  });

  it('an earlier sheet arriving while a later one is still being moved waits for that move, then replaces it', async () => {
    // Sheet 1's move takes long; sheet 0 arrives in the middle of it.
    const r = await run([7, 7], [1, 0], [0, 2], [0, 30], new Set<number>());
    expect(r.disk.get('7')).toBe(0);
    expect(r.outcomes[0]).toEqual({ kind: 'placed', replaced: 1 });
  });

  it('a name no sheet can write (the user’s file): every PDF is thrown away, the first sheet keeps the name', async () => {
    const r = await run([7, 7, 7], [2, 1, 0], [0, 0, 0], [0, 0, 0], new Set([7]));
    expect(r.outcomes.map((o) => o.kind)).toEqual(['failed', 'failed', 'failed']);
    expect(r.disk.size).toBe(0);
    expect(r.discarded.sort()).toEqual(['tmp0', 'tmp1', 'tmp2']);
    expect(r.shared).toEqual([{ name: '7', keeper: 0, placed: false, others: [1, 2] }]);
  });

  it('the earlier sheet’s write fails: the later sheet keeps the name, whether it was placed before or after', async () => {
    // Sheet 1 first (placed, then sheet 0 fails to replace it), and sheet 0 first (fails, then sheet 1 is placed).
    for (const arrival of [
      [1, 0],
      [0, 1],
    ]) {
      const r = await run([7, 7], arrival, [0, 3], [0, 0], new Set(), new Set([0]));
      expect(r.outcomes, `arrival ${arrival}`).toEqual([
        { kind: 'failed', error: expect.any(Error) },
        { kind: 'placed' },
      ]);
      expect(r.disk.get('7')).toBe(1);
      expect(r.discarded).toEqual(['tmp0']);
      expect(r.shared).toEqual([{ name: '7', keeper: 1, placed: true, others: [0] }]);
    }
  });

  it('any arrival order, any move times, any failing moves: each name ends with the first movable sheet’s PDF', async () => {
    const batch = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 8 }).chain((names) =>
      fc.record({
        names: fc.constant(names),
        arrival: fc.shuffledSubarray(
          names.map((_, i) => i),
          { minLength: names.length, maxLength: names.length },
        ),
        lag: fc.array(fc.nat({ max: 12 }), { minLength: names.length, maxLength: names.length }),
        slow: fc.array(fc.nat({ max: 12 }), { minLength: names.length, maxLength: names.length }),
        blocked: fc.subarray([1, 2, 3]),
        failing: fc.subarray(names.map((_, i) => i)),
      }),
    );
    await fc.assert(
      fc.asyncProperty(batch, async ({ names, arrival, lag, slow, blocked, failing }) => {
        const r = await run(names, arrival, lag, slow, new Set(blocked), new Set(failing));
        // The name goes to the first sheet of the file order whose PDF can be written there.
        const first = (n: number) => names.findIndex((m, i) => m === n && !failing.includes(i));
        for (const n of new Set(names)) {
          const placed = !blocked.includes(n) && first(n) >= 0;
          expect(r.disk.get(String(n))).toBe(placed ? first(n) : undefined);
          const all = names.flatMap((m, i) => (m === n ? [i] : []));
          const keeper = placed ? first(n) : all[0]!;
          if (all.length > 1)
            expect(r.shared.find((s) => s.name === String(n))).toEqual({
              name: String(n),
              keeper,
              placed,
              others: all.filter((i) => i !== keeper),
            });
        }
        for (const [id, atName] of r.seenAtPlace) expect(atName).toBe(id);
        // Every temp file is moved or removed, never both; a replaced PDF is a later sheet's.
        names.forEach((n, id) => {
          const o = r.outcomes[id]!;
          expect(r.discarded.includes(`tmp${id}`)).toBe(o.kind !== 'placed');
          if (o.kind === 'placed' && o.replaced !== undefined) {
            expect(o.replaced).toBeGreaterThan(id);
            expect(names[o.replaced]).toBe(n);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
