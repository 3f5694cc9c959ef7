// The three things a rule can do with an account — give it to a named rep, give it to a territory,
// or leave it with the current owner — and the shape every rule application returns.

import type { RepLoads } from "./assignment.ts";
import { assignInTerritory } from "./assignment.ts";
import type { AccountFacts } from "./matcher.ts";
import type { Staffing } from "./staffing.ts";

/** Notes are built only when an explanation is asked for, so the bulk path allocates no text. */
export type Note = () => string;

export type Applied =
  | { fired: true; repId: string; territoryId: string | null; note: Note }
  | { fired: false; note: Note };

// Bulk re-evaluation applies these to nearly every account: no closure in them captures their
// variables (V8 would allocate those on every call, note or not); the notes are made by the helpers
// at the end, on the paths that need one.

export function toRep(staffing: Staffing, repId: string, facts: AccountFacts, note: Note): Applied {
  const rep = staffing.rep(repId);
  if (rep === undefined) return notAnswered(`rep ${repId} is not a known rep`);
  if (!rep.active) return notAnswered(`${rep.name} is inactive`);
  return { fired: true, repId, territoryId: staffing.territoryOfRep(repId, facts), note };
}

// The current owner keeping an account in their territory is the commonest answer in a re-evaluation;
// it depends only on the territory and the rep, so it is made once per pair and rule set.
const keptInTerritory = new WeakMap<Staffing, Map<string, Map<string, Applied>>>();

export function toTerritory(
  staffing: Staffing,
  territoryId: string,
  currentOwnerRepId: string | null,
  loads: RepLoads | undefined,
): Applied {
  if (currentOwnerRepId !== null) {
    const kept = keptInTerritory.get(staffing)?.get(territoryId)?.get(currentOwnerRepId);
    if (kept !== undefined) return kept;
  }
  const territory = staffing.territory(territoryId);
  if (territory === undefined) return notAnswered(`territory ${territoryId} is not a known territory`);
  const pick = assignInTerritory(territory, staffing.bookReps(territoryId), currentOwnerRepId, loads);
  if (pick === null) return notAnswered(`territory ${territory.name} has no active rep carrying a book`);
  const applied: Applied = { fired: true, repId: pick.rep.id, territoryId, note: pick.note };
  if (pick.rep.id === currentOwnerRepId) {
    let byTerritory = keptInTerritory.get(staffing);
    if (byTerritory === undefined) {
      byTerritory = new Map();
      keptInTerritory.set(staffing, byTerritory);
    }
    let byRep = byTerritory.get(territoryId);
    if (byRep === undefined) {
      byRep = new Map();
      byTerritory.set(territoryId, byRep);
    }
    byRep.set(currentOwnerRepId, applied);
  }
  return applied;
}

export function keepCurrent(
  staffing: Staffing,
  currentOwnerRepId: string | null,
  facts: AccountFacts,
  why: string,
): Applied {
  if (currentOwnerRepId === null) return NO_CURRENT_OWNER;
  const rep = staffing.activeRep(currentOwnerRepId);
  if (rep === null) return currentInactive(staffing, currentOwnerRepId);
  return {
    fired: true,
    repId: rep.id,
    territoryId: staffing.territoryOfRep(rep.id, facts),
    note: repAnd(rep.name, why),
  };
}

const NO_CURRENT_OWNER: Applied = { fired: false, note: () => "there is no current owner to keep" };

function notAnswered(why: string): Applied {
  return { fired: false, note: () => why };
}

function currentInactive(staffing: Staffing, repId: string): Applied {
  return { fired: false, note: () => `current owner ${staffing.nameOf(repId)} is inactive or unknown` };
}

function repAnd(name: string, why: string): Note {
  return () => `${name} ${why}`;
}
