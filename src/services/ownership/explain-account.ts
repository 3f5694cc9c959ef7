// "Why does this rep own this account?": the rules engine's verdict for one account, with the trail
// of rules it considered, next to what the ownership history says today.
import { loadAccountSituation, loadReps, loadRules, loadTerritories } from "../../db/book.ts";
import type { Db, Tx } from "../../db/client.ts";
import { evaluateOwnership, type OwnershipVerdict } from "../../domain/rules/engine.ts";
import type { AccountSituation } from "../../db/book.ts";

export type AccountExplanation = AccountSituation & { verdict: OwnershipVerdict };

export async function explainAccount(db: Db | Tx, accountId: string): Promise<AccountExplanation | null> {
  const situation = await loadAccountSituation(db, accountId);
  if (!situation) return null;
  const [rules, territories, reps] = await Promise.all([loadRules(db), loadTerritories(db), loadReps(db)]);
  const verdict = evaluateOwnership(situation.facts, {
    rules,
    territories,
    reps,
    currentOwnerRepId: situation.currentOwnerRepId,
    parentOwnerRepId: situation.parentOwnerRepId,
  });
  return { ...situation, verdict };
}
