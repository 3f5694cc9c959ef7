import type { z } from "zod";
import { Book, type DraftError, type DraftInput, type DraftMove, type RepTotals } from "./book.ts";
import {
  collectMoves,
  findCandidate,
  originalSummary,
  placeGreedily,
  strictLimit,
  ZDraftOptions,
} from "./draft.ts";
import { IndexedHeap } from "./indexed-heap.ts";
import { err, ok, type Result } from "./result.ts";

/** A rep joins or leaves: the one reason the guide allows moves in the middle of a quarter. */
export type StructuralChange = { kind: "leaver"; repId: string } | { kind: "joiner"; repId: string };

export const ZStructuralOptions = ZDraftOptions.pick({ tolerance: true, maxProbes: true });
export type StructuralOptions = z.input<typeof ZStructuralOptions>;

export type StructuralResult = {
  change: StructuralChange;
  moves: DraftMove[];
  before: RepTotals[];
  /** Per rep after the change; a leaver is no longer listed. */
  after: RepTotals[];
  spreadBefore: number;
  spread: number;
};

/**
 * Structural change mode. Nobody else's book is touched beyond what the change needs:
 * - leaver: every account of the departing rep, locked ones included (the owner is gone; the
 *   service keeps in-flight opportunity credit, see `locked` on each move), is dealt biggest index
 *   first to the eligible remaining rep whose adjusted total after taking it is smallest;
 * - joiner: the joiner (listed in input.reps with its capacity weight) takes unlocked accounts it is
 *   eligible for, each time from the rep with the largest adjusted total, choosing the account
 *   closest to what brings the joiner to the team's level (total index ÷ total capacity), until it is
 *   within tolerance of that level or nobody can give. Only moves into the joiner are made.
 */
export function redistributeBook(
  input: DraftInput,
  change: StructuralChange,
  options: StructuralOptions = {},
): Result<StructuralResult, DraftError> {
  const opts = ZStructuralOptions.parse(options);
  const created = Book.create(input);
  if (!created.ok) return created;
  const book = created.value;
  const who = book.repIds.indexOf(change.repId);
  if (who < 0) {
    return err({
      code: "unknown_rep",
      repId: change.repId,
      message: `Rep ${change.repId} is not in this draft.`,
    });
  }
  for (let a = 0; a < book.accountCount; a++) {
    const o = book.original[a] as number;
    if (o >= 0 && !(change.kind === "leaver" && o === who)) book.assign(a, o);
  }
  const before = originalSummary(book);

  if (change.kind === "leaver") {
    const leaverAccounts: number[] = [];
    for (let a = 0; a < book.accountCount; a++) if (book.original[a] === who) leaverAccounts.push(a);
    const placed = placeGreedily(book, leaverAccounts, who);
    if (!placed.ok) return placed;
  } else {
    fillJoiner(book, who, opts.tolerance, opts.maxProbes);
  }

  const after = book.summary();
  const perRep =
    change.kind === "leaver" ? after.perRep.filter((t) => t.repId !== change.repId) : after.perRep;
  const adjusted = perRep.map((t) => t.adjustedTotal);
  const max = Math.max(0, ...adjusted);
  const min = Math.min(...adjusted);
  return ok({
    change,
    // Accounts the change never touched (white space, owners outside the draft) are not moves.
    moves: collectMoves(book, new Map(), change.kind === "leaver" ? "rep_left" : "rep_joined").filter(
      (m) => m.fromRepId !== null,
    ),
    before: before.perRep,
    after: perRep,
    spreadBefore: before.spread,
    spread: max <= 0 ? 1 : min <= 0 ? Number.POSITIVE_INFINITY : max / min,
  });
}

function fillJoiner(book: Book, j: number, tolerance: number, maxProbes: number): void {
  let sumTotal = 0;
  let sumCap = 0;
  for (let r = 0; r < book.repCount; r++) {
    sumTotal += book.total[r] as number;
    sumCap += book.cap[r] as number;
  }
  const level = sumTotal / sumCap;
  const capJ = book.cap[j] as number;
  const adj = book.adj;
  const donors = new IndexedHeap(
    book.repCount,
    (x, y) => (adj[x] as number) > (adj[y] as number) || (adj[x] === adj[y] && x < y),
  );
  for (let r = 0; r < book.repCount; r++) if (r !== j) donors.push(r);

  for (;;) {
    const aj = adj[j] as number;
    if (aj * (1 + tolerance) >= level) return;
    const d = donors.peek();
    if (d === undefined) return;
    const gap = (adj[d] as number) - aj;
    if (gap <= 0) return;
    // Never take more than the pair's equaliser nor more than the joiner still needs.
    const pairTarget = gap / (1 / (book.cap[d] as number) + 1 / capJ);
    const target = Math.min(pairTarget, (level - aj) * capJ);
    const a = findCandidate(book, d, j, target, strictLimit(target), maxProbes);
    if (a < 0) {
      donors.remove(d);
      continue;
    }
    book.move(a, j);
    donors.update(d);
  }
}
