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

export function toRep(staffing: Staffing, repId: string, facts: AccountFacts, note: Note): Applied {
  const rep = staffing.rep(repId);
  if (rep === undefined) return { fired: false, note: () => `rep ${repId} is not a known rep` };
  if (!rep.active) return { fired: false, note: () => `${rep.name} is inactive` };
  return { fired: true, repId, territoryId: staffing.territoryOfRep(repId, facts), note };
}

export function toTerritory(
  staffing: Staffing,
  territoryId: string,
  currentOwnerRepId: string | null,
  loads: RepLoads | undefined,
): Applied {
  const territory = staffing.territory(territoryId);
  if (territory === undefined)
    return { fired: false, note: () => `territory ${territoryId} is not a known territory` };
  const pick = assignInTerritory(territory, staffing.bookReps(territoryId), currentOwnerRepId, loads);
  if (pick === null)
    return { fired: false, note: () => `territory ${territory.name} has no active rep carrying a book` };
  return { fired: true, repId: pick.rep.id, territoryId, note: pick.note };
}

export function keepCurrent(
  staffing: Staffing,
  currentOwnerRepId: string | null,
  facts: AccountFacts,
  why: string,
): Applied {
  if (currentOwnerRepId === null) return { fired: false, note: () => "there is no current owner to keep" };
  const rep = staffing.activeRep(currentOwnerRepId);
  if (rep === null)
    return {
      fired: false,
      note: () => `current owner ${staffing.nameOf(currentOwnerRepId)} is inactive or unknown`,
    };
  return {
    fired: true,
    repId: rep.id,
    territoryId: staffing.territoryOfRep(rep.id, facts),
    note: () => `${rep.name} ${why}`,
  };
}
