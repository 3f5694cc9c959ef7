// "Why does this rep own this account?": the rules engine's verdict for one account, with the trail
// of rules it considered, next to what the ownership history says today.
import type { AccountSituation } from "../../db/book.ts";
import type { Db, Tx } from "../../db/client.ts";
import { loadOwnerSnapshot } from "../../db/owner-card.ts";
import type { OwnershipVerdict } from "../../domain/rules/engine.ts";
import { currentRuleBook, type RuleBook } from "./rule-set-cache.ts";

export type AccountExplanation = AccountSituation & { verdict: OwnershipVerdict; book: RuleBook };

export async function explainAccount(db: Db | Tx, accountId: string): Promise<AccountExplanation | null> {
  const situation = (await loadOwnerSnapshot(db, accountId))?.situation;
  if (!situation) return null;
  const book = await currentRuleBook(db);
  const verdict = book.compiled.explain(
    situation.facts,
    situation.currentOwnerRepId,
    situation.parentOwnerRepId,
  );
  return { ...situation, verdict, book };
}
