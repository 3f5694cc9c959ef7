// "Why does this rep own this account?": the rules engine's verdict for one account, with the trail
// of rules it considered, next to what the ownership history says today. With a date and calendar
// the verdict also says when a change takes effect (named-account moves wait for the next quarter),
// and territory assignment weighs today's book sizes, as re-evaluation does.
import type { AccountSituation } from "../../db/book.ts";
import type { Db, Tx } from "../../db/client.ts";
import { loadOwnerSnapshot } from "../../db/owner-card.ts";
import { bookSizes } from "../../db/pending-changes.ts";
import type { FiscalCalendarInput } from "../../domain/rebalance/quarters.ts";
import type { OwnershipVerdict } from "../../domain/rules/engine.ts";
import { scheduleFor } from "../rules/pending-schedule.ts";
import { currentRuleBook, type RuleBook } from "./rule-set-cache.ts";

export type AccountExplanation = AccountSituation & { verdict: OwnershipVerdict; book: RuleBook };

export type ExplainOptions = { now?: Date; calendar?: FiscalCalendarInput };

export async function explainAccount(
  db: Db | Tx,
  accountId: string,
  options: ExplainOptions = {},
): Promise<AccountExplanation | null> {
  const situation = (await loadOwnerSnapshot(db, accountId))?.situation;
  if (!situation) return null;
  const [book, sizes] = await Promise.all([currentRuleBook(db), bookSizes(db)]);
  const verdict = book.compiled.explain(
    situation.facts,
    situation.currentOwnerRepId,
    situation.parentOwnerRepId,
    {
      loads: { accountsOf: (repId) => sizes.get(repId) ?? 0 },
      ...(options.now ? { schedule: scheduleFor(options.now, options.calendar) } : {}),
    },
  );
  return { ...situation, verdict, book };
}
