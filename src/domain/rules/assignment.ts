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
};

/** A mutable count of accounts per rep, for a run that assigns accounts one after another. */
export class BookLoads implements RepLoads {
  private readonly counts = new Map<string, number>();

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
  let best: Rep | undefined;
  let bestRatio = Number.POSITIVE_INFINITY;
  for (const rep of reps) {
    const ratio = (loads?.accountsOf(rep.id) ?? 0) / rep.capacityWeight;
    // A probe's verdict is thrown away: weighing every rep of a big territory would be wasted.
    if (loads?.probing) return mostRoom(territory, reps.length, rep, 0);
    // Strictly better room wins; equal room goes to the larger capacity; reps arrive in name order.
    if (
      ratio < bestRatio ||
      (ratio === bestRatio && best !== undefined && rep.capacityWeight > best.capacityWeight)
    ) {
      best = rep;
      bestRatio = ratio;
    }
  }
  if (best === undefined) return null;
  return mostRoom(territory, reps.length, best, loads?.accountsOf(best.id) ?? 0);
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
