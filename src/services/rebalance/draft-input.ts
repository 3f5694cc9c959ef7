// Turns the loaded book into the draft's input: four-factor scores, locks and territory eligibility.
// Pure: the same book always gives the same input.

import type { BookAccount, RebalanceBook } from "../../db/rebalance.ts";
import type { Rep, Territory } from "../../domain/model.ts";
import type { DraftAccount, DraftInput, DraftRep } from "../../domain/rebalance/draft.ts";
import { type AccountScore, type ScoringWeights, scoreAccount } from "../../domain/rebalance/scoring.ts";
import { type CompiledMatcher, compileMatcher } from "../../domain/rules/matcher.ts";
import { territoryMatcher } from "../../domain/rules/rule.ts";

export type PreparedDraft = {
  input: DraftInput;
  scores: Map<string, AccountScore>;
  byId: Map<string, BookAccount>;
  repsById: Map<string, Rep>;
  excluded: { unowned: number; ownerOutsideDraft: number };
};

/**
 * Who takes part: active reps with a positive capacity weight who either carry the rep role or
 * already own accounts (a manager with a book of their own keeps it in the balance).
 */
export function draftReps(book: RebalanceBook): Rep[] {
  const owners = new Set(book.accounts.map((a) => a.currentOwnerRepId).filter((id) => id !== null));
  return book.reps.filter(
    (r) => r.active && r.capacityWeight > 0 && (r.roles.includes("rep") || owners.has(r.id)),
  );
}

export function compileTerritories(
  territories: readonly Territory[],
): { id: string; matches: CompiledMatcher }[] {
  const out: { id: string; matches: CompiledMatcher }[] = [];
  for (const t of territories) {
    // Named territories have no criteria: their accounts are named and therefore locked anyway.
    const m = territoryMatcher(t);
    if (m.ok) out.push({ id: t.id, matches: compileMatcher(m.value) });
  }
  return out;
}

/** Reps whose territory criteria match the account. */
export function eligibleRepsFor(
  account: BookAccount["account"],
  territories: readonly { id: string; matches: CompiledMatcher }[],
  repsByTerritory: ReadonlyMap<string, readonly string[]>,
): Set<string> {
  const facts = { account, parentCrmId: null, openOpportunities: [] };
  const out = new Set<string>();
  for (const t of territories) {
    if (!t.matches(facts)) continue;
    for (const id of repsByTerritory.get(t.id) ?? []) out.add(id);
  }
  return out;
}

export function isLocked(a: BookAccount): boolean {
  return a.openOpportunities > 0 || a.account.named;
}

/**
 * Accounts enter the quarterly draft when someone in the draft owns them. White space is left to
 * the white-space hygiene job (it offers rather than assigns), and accounts of reps outside the draft
 * (inactive, on leave) to the structural mode, which handles a leaver's whole book at once.
 * The current owner always stays eligible: the ownership rules may have given them an account
 * outside their territory (international expansion, a subsidiary following its parent), and a
 * rebalance must not undo a rule just because the account sits outside the criteria.
 */
export function prepareDraft(
  book: RebalanceBook,
  weights: ScoringWeights,
  options: { reps?: readonly Rep[] } = {},
): PreparedDraft {
  const reps = options.reps ?? draftReps(book);
  const inDraft = new Set(reps.map((r) => r.id));
  const repsByTerritory = new Map<string, string[]>();
  for (const r of reps) {
    for (const t of r.territoryIds) {
      const list = repsByTerritory.get(t) ?? [];
      list.push(r.id);
      repsByTerritory.set(t, list);
    }
  }
  const territories = compileTerritories(book.territories);
  const scores = new Map<string, AccountScore>();
  const byId = new Map<string, BookAccount>();
  const accounts: DraftAccount[] = [];
  const excluded = { unowned: 0, ownerOutsideDraft: 0 };
  for (const a of book.accounts) {
    const owner = a.currentOwnerRepId;
    if (owner === null) {
      excluded.unowned++;
      continue;
    }
    if (!inDraft.has(owner)) {
      excluded.ownerOutsideDraft++;
      continue;
    }
    const score = scoreAccount(a.account, a.openOpportunities, weights);
    scores.set(a.account.id, score);
    byId.set(a.account.id, a);
    const eligible = eligibleRepsFor(a.account, territories, repsByTerritory);
    eligible.add(owner);
    accounts.push({
      accountId: a.account.id,
      index: score.index,
      currentOwnerRepId: owner,
      locked: isLocked(a),
      eligibleRepIds: [...eligible],
    });
  }
  const draftRepsList: DraftRep[] = reps.map((r) => ({ repId: r.id, capacityWeight: r.capacityWeight }));
  return {
    input: { accounts, reps: draftRepsList },
    scores,
    byId,
    repsById: new Map(book.reps.map((r) => [r.id, r])),
    excluded,
  };
}
