// Who staffs what, looked up once per rule set: reps and territories by id, the reps who carry a
// book in each territory, and the territory an owner holds an account in.

import type { Rep, Territory } from "../model.ts";
import type { AccountFacts, CompiledMatcher } from "./matcher.ts";
import { compileMatcher } from "./matcher.ts";
import { compareStrings } from "./ordering.ts";
import { territoryMatcher } from "./rule.ts";

/**
 * A rep carries a book when they are active, hold the rep role and have capacity. Managers, admins
 * and arbiters get accounts from a territory only when they are also reps with capacity above 0.
 */
export function carriesBook(rep: Rep): boolean {
  return rep.active && rep.roles.includes("rep") && rep.capacityWeight > 0;
}

export type Staffing = {
  rep(repId: string): Rep | undefined;
  territory(territoryId: string): Territory | undefined;
  territories(): readonly Territory[];
  /** Reps carrying a book in the territory, in a fixed order (name, e-mail, id). */
  bookReps(territoryId: string): readonly Rep[];
  /** The rep if known and active, else null. */
  activeRep(repId: string | null): Rep | null;
  nameOf(repId: string): string;
  territoryNameOf(territoryId: string): string;
  /** The territory an owner holds this account in: their first territory whose criteria match. */
  territoryOfRep(repId: string, facts: AccountFacts): string | null;
};

function compareReps(a: Rep, b: Rep): number {
  return compareStrings(a.name, b.name) || compareStrings(a.email, b.email) || compareStrings(a.id, b.id);
}

export function buildStaffing(territories: readonly Territory[], reps: readonly Rep[]): Staffing {
  const repById = new Map(reps.map((r) => [r.id, r]));
  const territoryById = new Map(territories.map((t) => [t.id, t]));
  const criteria = new Map<string, CompiledMatcher>();
  for (const t of territories) {
    const m = territoryMatcher(t);
    if (m.ok) criteria.set(t.id, compileMatcher(m.value));
  }
  const bookReps = new Map<string, Rep[]>();
  for (const rep of [...reps].sort(compareReps)) {
    if (!carriesBook(rep)) continue;
    for (const tid of rep.territoryIds) {
      const list = bookReps.get(tid) ?? [];
      list.push(rep);
      bookReps.set(tid, list);
    }
  }
  const sortedTerritoryIdsOfRep = new Map(reps.map((r) => [r.id, [...r.territoryIds].sort(compareStrings)]));
  const sortedTerritories = [...territories].sort((a, b) => compareStrings(a.id, b.id));
  return {
    rep: (id) => repById.get(id),
    territory: (id) => territoryById.get(id),
    territories: () => sortedTerritories,
    bookReps: (id) => bookReps.get(id) ?? [],
    activeRep(repId) {
      if (repId === null) return null;
      const rep = repById.get(repId);
      return rep?.active ? rep : null;
    },
    nameOf: (id) => repById.get(id)?.name ?? id,
    territoryNameOf: (id) => territoryById.get(id)?.name ?? id,
    territoryOfRep(repId, facts) {
      const tids = sortedTerritoryIdsOfRep.get(repId) ?? [];
      for (const tid of tids) if (criteria.get(tid)?.(facts)) return tid;
      return tids.length === 1 ? (tids[0] ?? null) : null;
    },
  };
}
