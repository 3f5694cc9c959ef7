import { IndexedHeap } from "./indexed-heap.ts";
import { err, ok, type Result } from "./result.ts";

/** One account as the draft sees it: its allocation index and what constrains its owner. */
export type DraftAccount = {
  accountId: string;
  /** Allocation index from scoreAccount (non-negative). */
  index: number;
  /** Null for white space (nobody owns it yet). */
  currentOwnerRepId: string | null;
  /** Open opportunities or a named account: stays with its owner and counts toward their total. */
  locked: boolean;
  /** Reps the territory model allows to own it; null means every rep in the draft. */
  eligibleRepIds: readonly string[] | null;
};

export type DraftRep = {
  repId: string;
  /** 1.0 full ramp, 0.5 half ramp, 1.2 over capacity. */
  capacityWeight: number;
};

export type DraftInput = {
  accounts: readonly DraftAccount[];
  reps: readonly DraftRep[];
};

export type DraftErrorCode =
  | "invalid_capacity"
  | "invalid_index"
  | "duplicate_rep"
  | "duplicate_account"
  | "no_reps"
  | "locked_owner_missing"
  | "no_eligible_rep"
  | "unknown_rep";

export type DraftError = {
  code: DraftErrorCode;
  message: string;
  accountId?: string;
  repId?: string;
};

export type MoveReason =
  | "balance"
  | "unowned"
  | "owner_not_in_draft"
  | "owner_ineligible"
  | "rep_left"
  | "rep_joined";

export type DraftMove = {
  accountId: string;
  fromRepId: string | null;
  toRepId: string;
  index: number;
  locked: boolean;
  reason: MoveReason;
};

export type RepTotals = {
  repId: string;
  capacityWeight: number;
  indexTotal: number;
  /** indexTotal ÷ capacityWeight: the number the draft equalises. */
  adjustedTotal: number;
  accountCount: number;
};

export type BookSummary = {
  perRep: RepTotals[];
  maxAdjusted: number;
  minAdjusted: number;
  /** max ÷ min of adjusted totals; Infinity when some rep has nothing and another has something. */
  spread: number;
  /** max − min of adjusted totals: the quantity the fairness bound speaks about. */
  gap: number;
};

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Mutable working state of a draft, in flat typed arrays so that 100k accounts × 200 reps stays
 * within the time budget. Accounts and reps are renumbered in id order, which makes every result
 * independent of the order the caller listed them in.
 */
export class Book {
  readonly accountIds: string[];
  readonly repIds: string[];
  readonly weight: Float64Array;
  readonly locked: Uint8Array;
  /** -1: unowned or owned by someone outside the draft. */
  readonly original: Int32Array;
  readonly originalOutside: Uint8Array;
  readonly owner: Int32Array;
  readonly cap: Float64Array;
  readonly total: Float64Array;
  readonly adj: Float64Array;
  readonly count: Int32Array;
  private readonly eligAny: Uint8Array;
  private readonly eligBits: Uint32Array;
  private readonly stride: number;
  private readonly eligStart: Int32Array;
  private readonly eligList: Int32Array;
  /** Per rep, its unlocked accounts ordered by (index, account order). */
  readonly movable: number[][];
  /** canGive[x·reps + y]: unlocked accounts of x with restricted eligibility that y may own. */
  readonly canGive: Int32Array;
  /** Unlocked accounts of x that any rep may own. */
  readonly openMovable: Int32Array;

  private constructor(input: { accounts: DraftAccount[]; reps: DraftRep[]; repIndex: Map<string, number> }) {
    const { accounts, reps, repIndex } = input;
    const n = accounts.length;
    const r = reps.length;
    this.accountIds = accounts.map((a) => a.accountId);
    this.repIds = reps.map((x) => x.repId);
    this.weight = new Float64Array(n);
    this.locked = new Uint8Array(n);
    this.original = new Int32Array(n).fill(-1);
    this.originalOutside = new Uint8Array(n);
    this.owner = new Int32Array(n).fill(-1);
    this.cap = Float64Array.from(reps, (x) => x.capacityWeight);
    this.total = new Float64Array(r);
    this.adj = new Float64Array(r);
    this.count = new Int32Array(r);
    this.eligAny = new Uint8Array(n);
    this.stride = Math.ceil(r / 32);
    this.eligBits = new Uint32Array(n * this.stride);
    this.eligStart = new Int32Array(n + 1);
    const flat: number[] = [];
    for (let a = 0; a < n; a++) {
      const acc = accounts[a] as DraftAccount;
      this.weight[a] = acc.index;
      this.locked[a] = acc.locked ? 1 : 0;
      const o = acc.currentOwnerRepId === null ? undefined : repIndex.get(acc.currentOwnerRepId);
      if (o !== undefined) this.original[a] = o;
      else if (acc.currentOwnerRepId !== null) this.originalOutside[a] = 1;
      this.eligStart[a] = flat.length;
      if (acc.eligibleRepIds === null) {
        this.eligAny[a] = 1;
      } else {
        for (const id of acc.eligibleRepIds) {
          const e = repIndex.get(id);
          // Eligible reps outside the draft (inactive, on leave) are simply not candidates.
          if (e === undefined || this.isEligible(a, e)) continue;
          const slot = a * this.stride + (e >>> 5);
          this.eligBits[slot] = (this.eligBits[slot] as number) | (1 << (e & 31));
          flat.push(e);
        }
      }
    }
    this.eligStart[n] = flat.length;
    this.eligList = Int32Array.from(flat);
    this.movable = reps.map(() => []);
    this.canGive = new Int32Array(r * r);
    this.openMovable = new Int32Array(r);
  }

  /** Whether rep x holds an unlocked account that rep y may own. */
  canPass(x: number, y: number): boolean {
    return (this.openMovable[x] as number) > 0 || (this.canGive[x * this.repCount + y] as number) > 0;
  }

  private countMovable(a: number, r: number, delta: number): void {
    if (this.eligAny[a] === 1) {
      this.openMovable[r] = (this.openMovable[r] as number) + delta;
      return;
    }
    const base = r * this.repCount;
    for (const y of this.eligibleReps(a)) this.canGive[base + y] = (this.canGive[base + y] as number) + delta;
  }

  static create(input: DraftInput): Result<Book, DraftError> {
    if (input.reps.length === 0) return err({ code: "no_reps", message: "A draft needs at least one rep." });
    const reps = [...input.reps].sort((a, b) => cmpStr(a.repId, b.repId));
    const repIndex = new Map<string, number>();
    for (const [i, rep] of reps.entries()) {
      if (repIndex.has(rep.repId)) {
        return err({ code: "duplicate_rep", repId: rep.repId, message: `Rep ${rep.repId} is listed twice.` });
      }
      if (!(Number.isFinite(rep.capacityWeight) && rep.capacityWeight > 0)) {
        return err({
          code: "invalid_capacity",
          repId: rep.repId,
          message: `Rep ${rep.repId} has capacity weight ${rep.capacityWeight}; it must be a positive number.`,
        });
      }
      repIndex.set(rep.repId, i);
    }
    const accounts = [...input.accounts].sort((a, b) => cmpStr(a.accountId, b.accountId));
    for (let i = 0; i < accounts.length; i++) {
      const acc = accounts[i] as DraftAccount;
      if (i > 0 && (accounts[i - 1] as DraftAccount).accountId === acc.accountId) {
        return err({
          code: "duplicate_account",
          accountId: acc.accountId,
          message: `Account ${acc.accountId} is listed twice.`,
        });
      }
      if (!(Number.isFinite(acc.index) && acc.index >= 0)) {
        return err({
          code: "invalid_index",
          accountId: acc.accountId,
          message: `Account ${acc.accountId} has allocation index ${acc.index}; it must be a non-negative number.`,
        });
      }
      if (acc.locked && (acc.currentOwnerRepId === null || !repIndex.has(acc.currentOwnerRepId))) {
        return err({
          code: "locked_owner_missing",
          accountId: acc.accountId,
          message: `Account ${acc.accountId} is locked to ${acc.currentOwnerRepId ?? "nobody"}, who is not in this draft.`,
        });
      }
    }
    return ok(new Book({ accounts, reps, repIndex }));
  }

  get accountCount(): number {
    return this.weight.length;
  }

  get repCount(): number {
    return this.cap.length;
  }

  isEligible(a: number, r: number): boolean {
    if (this.eligAny[a] === 1) return true;
    return (((this.eligBits[a * this.stride + (r >>> 5)] as number) >>> (r & 31)) & 1) === 1;
  }

  eligibleAny(a: number): boolean {
    return this.eligAny[a] === 1;
  }

  eligibleReps(a: number): Int32Array {
    return this.eligList.subarray(this.eligStart[a] as number, this.eligStart[a + 1] as number);
  }

  /** Sorted position of account a in a movable list, by (index, account order). */
  private lowerBound(list: number[], w: number, a: number): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = list[mid] as number;
      const wm = this.weight[m] as number;
      if (wm < w || (wm === w && m < a)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position in a rep's movable list whose index is ≥ w. */
  positionOf(r: number, w: number): number {
    return this.lowerBound(this.movable[r] as number[], w, -1);
  }

  assign(a: number, r: number): void {
    const w = this.weight[a] as number;
    this.owner[a] = r;
    this.total[r] = (this.total[r] as number) + w;
    this.adj[r] = (this.total[r] as number) / (this.cap[r] as number);
    this.count[r] = (this.count[r] as number) + 1;
    if (this.locked[a] === 0) {
      const list = this.movable[r] as number[];
      list.splice(this.lowerBound(list, w, a), 0, a);
      this.countMovable(a, r, 1);
    }
  }

  unassign(a: number): void {
    const r = this.owner[a] as number;
    if (r < 0) return;
    const w = this.weight[a] as number;
    this.owner[a] = -1;
    this.total[r] = (this.total[r] as number) - w;
    this.count[r] = (this.count[r] as number) - 1;
    // Recompute from zero when the book empties so float residue never makes an empty book look non-empty.
    if (this.count[r] === 0) this.total[r] = 0;
    this.adj[r] = (this.total[r] as number) / (this.cap[r] as number);
    if (this.locked[a] === 0) {
      const list = this.movable[r] as number[];
      const i = this.lowerBound(list, w, a);
      if (list[i] === a) list.splice(i, 1);
      this.countMovable(a, r, -1);
    }
  }

  move(a: number, to: number): void {
    this.unassign(a);
    this.assign(a, to);
  }

  /** Greedy placement target: the eligible rep whose adjusted total after taking a is smallest. */
  cheapestEligible(a: number, picker: CapacityClassPicker, exclude = -1): number {
    const w = this.weight[a] as number;
    if (this.eligAny[a] === 1) return picker.pick(w, exclude);
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    for (const r of this.eligibleReps(a)) {
      if (r === exclude) continue;
      const cost = ((this.total[r] as number) + w) / (this.cap[r] as number);
      if (cost < bestCost || (cost === bestCost && r < best)) {
        best = r;
        bestCost = cost;
      }
    }
    return best;
  }

  summary(): BookSummary {
    const perRep: RepTotals[] = this.repIds.map((repId, r) => ({
      repId,
      capacityWeight: this.cap[r] as number,
      indexTotal: this.total[r] as number,
      adjustedTotal: this.adj[r] as number,
      accountCount: this.count[r] as number,
    }));
    return summarise(perRep);
  }
}

export function summarise(perRep: RepTotals[]): BookSummary {
  let maxAdjusted = Number.NEGATIVE_INFINITY;
  let minAdjusted = Number.POSITIVE_INFINITY;
  for (const t of perRep) {
    maxAdjusted = Math.max(maxAdjusted, t.adjustedTotal);
    minAdjusted = Math.min(minAdjusted, t.adjustedTotal);
  }
  if (perRep.length === 0) {
    maxAdjusted = 0;
    minAdjusted = 0;
  }
  return {
    perRep,
    maxAdjusted,
    minAdjusted,
    spread: ratio(maxAdjusted, minAdjusted),
    gap: maxAdjusted - minAdjusted,
  };
}

export function ratio(max: number, min: number): number {
  if (max <= 0) return 1;
  if (min <= 0) return Number.POSITIVE_INFINITY;
  return max / min;
}

/**
 * Greedy placement for accounts any rep may own: the best rep is the one minimising
 * (total + w) ÷ capacity. Within one capacity class that is simply the smallest total, so one
 * heap per distinct capacity weight (a handful in practice) answers in O(classes · log reps).
 */
export class CapacityClassPicker {
  private readonly classes: { cap: number; heap: IndexedHeap }[] = [];
  private readonly classOf: Int32Array;

  constructor(private readonly book: Book) {
    const byCap = new Map<number, number>();
    this.classOf = new Int32Array(book.repCount);
    for (let r = 0; r < book.repCount; r++) {
      const cap = book.cap[r] as number;
      let c = byCap.get(cap);
      if (c === undefined) {
        c = this.classes.length;
        byCap.set(cap, c);
        this.classes.push({
          cap,
          heap: new IndexedHeap(book.repCount, (x, y) => {
            const tx = book.total[x] as number;
            const ty = book.total[y] as number;
            return tx < ty || (tx === ty && x < y);
          }),
        });
      }
      this.classOf[r] = c;
    }
    for (let r = 0; r < book.repCount; r++) this.heapOf(r).push(r);
  }

  private heapOf(r: number): IndexedHeap {
    return (this.classes[this.classOf[r] as number] as { heap: IndexedHeap }).heap;
  }

  /** Call after rep r's total changed. */
  changed(r: number): void {
    this.heapOf(r).update(r);
  }

  /** Take rep r out of consideration (a leaver). */
  drop(r: number): void {
    this.heapOf(r).remove(r);
  }

  pick(w: number, exclude: number): number {
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    for (const { cap, heap } of this.classes) {
      let r = heap.peek();
      if (r === undefined) continue;
      if (r === exclude) {
        // Rare path (structural mode only): the excluded rep is on top, so look past it once.
        heap.remove(r);
        const next = heap.peek();
        heap.push(r);
        if (next === undefined) continue;
        r = next;
      }
      const cost = ((this.book.total[r] as number) + w) / cap;
      if (cost < bestCost || (cost === bestCost && r < best)) {
        best = r;
        bestCost = cost;
      }
    }
    return best;
  }
}
