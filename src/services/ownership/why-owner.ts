// "/owner why <account>": the rule trail the engine walks today and the ownership history, so a rep
// can see both what decided the account and how it got where it is.
import { type AccountSignal, recentSignalsOfAccount } from "../../db/account-signals.ts";
import type { Db } from "../../db/client.ts";
import type { OwnerCard } from "../../db/owner-card.ts";
import { ownershipHistory } from "../../db/ownership.ts";
import type { OwnershipVerdict } from "../../domain/rules/engine.ts";
import { type PendingNotice, pendingNoticeFor } from "../rules/pending-answer.ts";
import { type ExplainOptions, explainAccount } from "./explain-account.ts";
import { lookupOwnerByAccountId } from "./lookup-owner.ts";

export type WhyAnswer = {
  card: OwnerCard;
  verdict: OwnershipVerdict;
  /** A change the rules have dated for later, already scheduled. */
  pending?: PendingNotice | null;
  /** Rep and territory names by id, for the plain-language trail. */
  repName(id: string): string | undefined;
  territoryName(id: string): string | undefined;
  history: {
    repName: string | null;
    from: Date;
    to: Date | null;
    cause: string;
    ruleText: string | null;
    note: string | null;
  }[];
  /** The latest buying signals on the account, newest first, and where each went. */
  signals: AccountSignal[];
};

export async function whyOwner(
  db: Db,
  accountId: string,
  options: ExplainOptions = {},
): Promise<WhyAnswer | null> {
  const timeZone = options.calendar?.timeZone ?? "UTC";
  const [card, explanation, pending] = await Promise.all([
    lookupOwnerByAccountId(db, accountId),
    explainAccount(db, accountId, options),
    pendingNoticeFor(db, accountId, timeZone),
  ]);
  if (!card || !explanation) return null;
  const [history, signals] = await Promise.all([
    ownershipHistory(db, accountId, 8),
    recentSignalsOfAccount(db, accountId),
  ]);
  const reps = new Map(explanation.book.reps.map((r) => [r.id, r.name]));
  const territories = new Map(explanation.book.territories.map((t) => [t.id, t.name]));
  return {
    card,
    verdict: explanation.verdict,
    pending,
    repName: (id) => reps.get(id),
    territoryName: (id) => territories.get(id),
    history: history.map((h) => ({
      repName: h.rep?.name ?? null,
      from: h.effectiveFrom,
      to: h.effectiveTo,
      cause: h.cause,
      ruleText: h.rule?.text ?? null,
      note: h.note,
    })),
    signals,
  };
}
