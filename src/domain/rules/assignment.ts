// Assignment inside a territory: which of the territory's reps gets an account the territory rule
// hands it. The current owner keeps it when they carry a book there (re-evaluation never reshuffles);
// otherwise the rep with the most room for their capacity — fewest accounts per unit of capacity
// weight (the guide's 1.0 full ramp, 0.5 half ramp, 1.2 over capacity) — then the higher capacity,
// then name and e-mail. Never by id, so the same book always gives the same owners.

import type { Rep, Territory } from "../model.ts";

/** How many accounts each rep holds now; re-evaluation moves counts as it assigns. */
export type RepLoads = {
  accountsOf(repId: string): number;
  /**
   * True when the answers are placeholders: the caller only wants to know whether a verdict reads
   * the loads and will make it again once they are known, so the first read may end the pick.
   */
  readonly probing?: boolean;
  /**
   * The rep of `reps` (a territory's reps carrying a book, always the same array for a territory)
   * with the most room, picked exactly as assignInTerritory's scan would. Optional: loads that keep
   * each territory's reps in order as accounts move answer without weighing every rep, which a whole
   * book's re-evaluation asks for every account it hands out.
   */
  mostRoomOf?(reps: readonly Rep[]): Rep | undefined;
};

/** A mutable count of accounts per rep, for a run that assigns accounts one after another. */
export class BookLoads implements RepLoads {
  private readonly counts = new Map<string, number>();
  /** Each territory's reps by room, made on its first pick and kept in order as accounts move. */
  private readonly rooms = new Map<readonly Rep[], RoomOrder>();
  /** The orders a rep is in (a rep can carry a book in several territories). */
  private readonly roomsOfRep = new Map<string, RoomOrder[]>();

  static fromOwners(owners: Iterable<string | null>): BookLoads {
    const loads = new BookLoads();
    for (const o of owners) if (o !== null) loads.counts.set(o, (loads.counts.get(o) ?? 0) + 1);
    return loads;
  }

  /** From how many accounts each rep owns (a rep may appear more than once; null is nobody). */
  static fromCounts(counts: Iterable<{ repId: string | null; accounts: number }>): BookLoads {
    const loads = new BookLoads();
    for (const { repId, accounts } of counts)
      if (repId !== null) loads.counts.set(repId, (loads.counts.get(repId) ?? 0) + accounts);
    return loads;
  }

  accountsOf(repId: string): number {
    return this.counts.get(repId) ?? 0;
  }

  move(from: string | null, to: string | null): void {
    if (from === to) return;
    if (from !== null) this.counts.set(from, Math.max(0, (this.counts.get(from) ?? 0) - 1));
    if (to !== null) this.counts.set(to, (this.counts.get(to) ?? 0) + 1);
    for (const repId of [from, to]) {
      if (repId === null) continue;
      for (const order of this.roomsOfRep.get(repId) ?? []) order.update(repId, this.accountsOf(repId));
    }
  }

  mostRoomOf(reps: readonly Rep[]): Rep | undefined {
    let order = this.rooms.get(reps);
    if (order === undefined) {
      order = new RoomOrder(reps, (repId) => this.accountsOf(repId));
      this.rooms.set(reps, order);
      for (const rep of reps) {
        const orders = this.roomsOfRep.get(rep.id);
        if (orders) orders.push(order);
        else this.roomsOfRep.set(rep.id, [order]);
      }
    }
    return order.first();
  }
}

/**
 * A territory's reps in a binary heap by room: fewest accounts per unit of capacity first, then the
 * larger capacity, then their place in the territory's list (name order) — the order in which
 * assignInTerritory's scan keeps the first best rep it meets. A rep's count changing moves only that
 * rep, in log(reps) steps.
 */
class RoomOrder {
  /** Heap of positions in `reps`. */
  private readonly heap: Int32Array;
  /** Where each position sits in the heap. */
  private readonly at: Int32Array;
  private readonly ratio: Float64Array;
  private readonly positionOf = new Map<string, number>();

  constructor(
    private readonly reps: readonly Rep[],
    accountsOf: (repId: string) => number,
  ) {
    const n = reps.length;
    this.heap = new Int32Array(n);
    this.at = new Int32Array(n);
    this.ratio = new Float64Array(n);
    reps.forEach((rep, i) => {
      this.positionOf.set(rep.id, i);
      this.ratio[i] = accountsOf(rep.id) / rep.capacityWeight;
      this.heap[i] = i;
      this.at[i] = i;
    });
    for (let i = (n >> 1) - 1; i >= 0; i--) this.down(i);
  }

  first(): Rep | undefined {
    return this.reps.length === 0 ? undefined : this.reps[this.heap[0] as number];
  }

  update(repId: string, accounts: number): void {
    const p = this.positionOf.get(repId);
    if (p === undefined) return;
    this.ratio[p] = accounts / (this.reps[p] as Rep).capacityWeight;
    const i = this.at[p] as number;
    this.up(i);
    this.down(this.at[p] as number);
  }

  /** Whether position a has more room than position b (ties as the scan breaks them). */
  private before(a: number, b: number): boolean {
    const ra = this.ratio[a] as number;
    const rb = this.ratio[b] as number;
    if (ra !== rb) return ra < rb;
    const ca = (this.reps[a] as Rep).capacityWeight;
    const cb = (this.reps[b] as Rep).capacityWeight;
    if (ca !== cb) return ca > cb;
    return a < b;
  }

  private up(i: number): void {
    const { heap } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i] as number, heap[parent] as number)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const { heap } = this;
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      let best = left;
      if (right < n && this.before(heap[right] as number, heap[left] as number)) best = right;
      if (!this.before(heap[best] as number, heap[i] as number)) return;
      this.swap(i, best);
      i = best;
    }
  }

  private swap(i: number, j: number): void {
    const { heap, at } = this;
    const a = heap[i] as number;
    const b = heap[j] as number;
    heap[i] = b;
    heap[j] = a;
    at[b] = i;
    at[a] = j;
  }
}

/**
 * Book loads that note whether an evaluation read them. Only a territory handing an account to the
 * rep with the most room reads them; a verdict that did not is the same whatever was assigned before
 * it, so a run may make such verdicts in any order and keep the ones that read loads for a fixed one.
 * While `probing`, a read only notes that it happened and answers 0: the verdict is to be made again.
 */
export class WatchedLoads implements RepLoads {
  /** Whether accountsOf was called since this was last set to false. */
  read = false;
  probing = false;

  constructor(private readonly loads: RepLoads) {}

  accountsOf(repId: string): number {
    this.read = true;
    return this.probing ? 0 : this.loads.accountsOf(repId);
  }

  mostRoomOf(reps: readonly Rep[]): Rep | undefined {
    this.read = true;
    // A probe's verdict is thrown away: any rep will do.
    if (this.probing) return reps[0];
    return pickMostRoom(reps, this.loads);
  }
}

export type TerritoryPick = { rep: Rep; note: () => string };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `reps` are the territory's reps carrying a book, in name order. */
export function assignInTerritory(
  territory: Territory,
  reps: readonly Rep[],
  currentOwnerRepId: string | null,
  loads: RepLoads | undefined,
): TerritoryPick | null {
  // A loop and note helpers, not closures over this call's variables: bulk re-evaluation calls this
  // for every account that changes hands.
  for (const rep of reps) if (rep.id === currentOwnerRepId) return alreadyOwns(rep, territory);
  const best = pickMostRoom(reps, loads);
  if (best === undefined) return null;
  // A probe's verdict is thrown away: no need to read the chosen rep's count for its note.
  const held = loads === undefined || loads.probing ? 0 : loads.accountsOf(best.id);
  return mostRoom(territory, reps.length, best, held);
}

/** The rep with the most room: from the loads' own order when they keep one, else by weighing all. */
function pickMostRoom(reps: readonly Rep[], loads: RepLoads | undefined): Rep | undefined {
  return loads?.mostRoomOf ? loads.mostRoomOf(reps) : scanForRoom(reps, loads);
}

/** The rep with the most room, weighing every rep (loads that keep no order, or none at all). */
function scanForRoom(reps: readonly Rep[], loads: RepLoads | undefined): Rep | undefined {
  let best: Rep | undefined;
  let bestRatio = Number.POSITIVE_INFINITY;
  for (const rep of reps) {
    const ratio = (loads?.accountsOf(rep.id) ?? 0) / rep.capacityWeight;
    // A probe's verdict is thrown away: weighing every rep of a big territory would be wasted.
    if (loads?.probing) return rep;
    // Strictly better room wins; equal room goes to the larger capacity; reps arrive in name order.
    if (
      ratio < bestRatio ||
      (ratio === bestRatio && best !== undefined && rep.capacityWeight > best.capacityWeight)
    ) {
      best = rep;
      bestRatio = ratio;
    }
  }
  return best;
}

function alreadyOwns(rep: Rep, territory: Territory): TerritoryPick {
  return { rep, note: () => `${rep.name} already owns it in ${territory.name}` };
}

function mostRoom(territory: Territory, reps: number, chosen: Rep, held: number): TerritoryPick {
  return {
    rep: chosen,
    note: () =>
      `${territory.name} has ${plural(reps, "rep")}; ${chosen.name} had the most room for their capacity ${chosen.capacityWeight.toFixed(1)} (${plural(held, "account")} held)`,
  };
}
