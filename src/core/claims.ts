//! Which sheet of a batch gets a PDF name that several sheets give: the first in the batch's file
//! order that finished a PDF for it and could write it there, whatever order the threads finish in.
//! Each PDF is placed at once.

/** What became of one sheet's finished PDF when it was offered its name. */
export type Placement =
  /** The PDF is at its name now. `replaced`: the later sheet of the batch whose PDF it replaced there. */
  | { kind: 'placed'; replaced?: number }
  /** A sheet earlier in the batch already finished a PDF of that name (and its write did not fail): this one is thrown away. */
  | { kind: 'refused' }
  /** Writing it failed (the error `write` threw); the temp file is gone. */
  | { kind: 'failed'; error: unknown };

/** How a name shared by several sheets ended, once every sheet is done. */
export interface SharedName {
  name: string;
  /**
   * The sheet whose PDF is at the name: the first of the batch whose PDF could be written there. If
   * none could, the first of the batch that named it.
   */
  keeper: number;
  /** Whether the keeper's PDF is at the name. */
  placed: boolean;
  /**
   * The other sheets that finished a PDF of this name, in file order. Those before the keeper are
   * sheets whose PDF could not be written there.
   */
  others: number[];
}

interface NameState {
  /** Placements of this name run one after the other: a decision and its rename are one step. */
  queue: Promise<unknown>;
  /** Sheets that finished a PDF of this name, in the order they finished. */
  arrived: number[];
  /** Those of them whose write failed: they hold no claim on the name. */
  failed: Set<number>;
  /** The sheet whose PDF this run put at the name. */
  holder?: number;
}

/**
 * The names of one batch's PDFs. `write(id, tmp, name)` moves a finished temp file to its name (the
 * checks against inputs and foreign files are its business); `discard(tmp)` removes one.
 * Ids are the sheets' places in the batch's file order: the lower id wins a shared name.
 */
export class OutputNames {
  private names = new Map<string, NameState>();

  constructor(
    private readonly write: (id: number, tmp: string, name: string) => Promise<void>,
    private readonly discard: (tmp: string) => Promise<void>,
  ) {}

  /**
   * Offers sheet `id`'s finished PDF (`tmp`) its name. It is placed at once unless an earlier sheet
   * of the batch has already finished one of that name; a later sheet's PDF already there is replaced
   * (it was written by this run: nothing of the user's is touched that a lone build would not touch).
   * A sheet whose write failed (a viewer holding the file) gives up its claim: the name goes to the
   * next sheet in file order whose PDF can be written, whichever of them finished first — so the
   * outcome is the same whether the earlier sheet failed before or after the later one was placed.
   */
  place(id: number, name: string, tmp: string): Promise<Placement> {
    let st = this.names.get(name);
    if (!st) {
      st = { queue: Promise.resolve(), arrived: [], failed: new Set() };
      this.names.set(name, st);
    }
    const state = st;
    const step = state.queue.then(() => this.decide(state, id, name, tmp));
    state.queue = step.catch(() => undefined);
    return step;
  }

  private async decide(st: NameState, id: number, name: string, tmp: string): Promise<Placement> {
    const earlier = st.arrived.some((a) => a < id && !st.failed.has(a));
    st.arrived.push(id);
    if (earlier) {
      await this.discard(tmp);
      return { kind: 'refused' };
    }
    try {
      await this.write(id, tmp, name);
    } catch (error) {
      st.failed.add(id);
      await this.discard(tmp);
      return { kind: 'failed', error };
    }
    const replaced = st.holder;
    st.holder = id;
    return replaced === undefined ? { kind: 'placed' } : { kind: 'placed', replaced };
  }

  /** The names that more than one sheet finished a PDF for, in the file order of their keepers. */
  shared(): SharedName[] {
    const out: SharedName[] = [];
    for (const [name, st] of this.names) {
      if (st.arrived.length < 2) continue;
      const keeper = st.holder ?? Math.min(...st.arrived);
      const others = st.arrived.filter((a) => a !== keeper).sort((a, b) => a - b);
      out.push({ name, keeper, placed: st.holder !== undefined, others });
    }
    return out.sort((a, b) => a.keeper - b.keeper);
  }
}
