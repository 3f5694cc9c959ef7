// Filing checks the written rules first: when one already decides the case, the rep gets that
// answer and no dispute opens. Territory rules do not count — disputing them is the point of a
// dispute — and the reseller-channel rule does not either, because its documented exception is a
// dispute decided for the reseller and signed off by a manager.

import { recordAudit } from "../../db/audit.ts";
import type { Tx } from "../../db/client.ts";
import { changeOwner } from "../../db/ownership.ts";
import type { DisputeCategory } from "../../domain/model.ts";
import type { OwnershipVerdict } from "../../domain/rules/engine.ts";
import type { Rule } from "../../domain/rules/rule.ts";

export type RuleAnswer = {
  ruleId: string;
  ruleKind: Rule["kind"];
  ruleText: string;
  /** The owner the rule names; null never happens for a deciding rule but is kept honest. */
  ownerRepId: string | null;
  reason: string;
  /** The dispute the rule was written from, when it is a precedent. */
  fromDisputeId: string | null;
  /** True when the rule's owner was not yet recorded and filing recorded it. */
  applied: boolean;
};

// A subsidiary in a new region is both an expansion and a parent/subsidiary case: the written rule
// that places it (the subsidiary follows its parent, asked before the expansion rule) answers a
// dispute filed under either category.
const OVERLAP_CATEGORIES: Record<string, readonly DisputeCategory[]> = {
  international_expansion: ["international_expansion"],
  parent_subsidiary: ["parent_subsidiary", "international_expansion"],
};

/** The rule that settles this case, if any; `category` is unknown until the modal is submitted. */
export function decidingRule(verdict: OwnershipVerdict, category: DisputeCategory | null): Rule | null {
  const rule = verdict.rule;
  if (rule === null || verdict.owner === null) return null;
  switch (rule.kind) {
    case "decision":
    case "manual":
    case "named":
      return rule;
    case "overlap": {
      const type = rule.overlap?.type;
      return type !== undefined && category !== null && (OVERLAP_CATEGORIES[type] ?? []).includes(category)
        ? rule
        : null;
    }
    case "territory":
      return null;
  }
}

/**
 * The answer a rep gets instead of a dispute. A decision or manual rule written for a pattern may
 * name an owner the history does not show yet (the precedent reaches a new account); the rule is
 * the decision, so the change is recorded here, with the rule as its reason.
 */
export async function answerByRule(
  tx: Tx,
  input: {
    accountId: string;
    verdict: OwnershipVerdict;
    rule: Rule;
    currentOwnerRepId: string | null;
    actor: string;
    now: Date;
  },
): Promise<RuleAnswer> {
  const { rule, verdict } = input;
  const owner = verdict.owner?.repId ?? null;
  let applied = false;
  if (
    (rule.kind === "decision" || rule.kind === "manual") &&
    owner !== null &&
    owner !== input.currentOwnerRepId
  ) {
    applied = await changeOwner(tx, {
      accountId: input.accountId,
      repId: owner,
      ruleId: rule.id,
      cause: "rule",
      causeRef: rule.provenance.disputeId ?? null,
      note: "Applied when a dispute was filed that the rule already decides",
      at: input.now,
    });
  }
  await recordAudit(tx, {
    actor: input.actor,
    action: "dispute.answered_by_rule",
    subjectType: "account",
    subjectId: input.accountId,
    ruleId: rule.id,
    details: { ownerRepId: owner, applied, fromDisputeId: rule.provenance.disputeId ?? null },
    at: input.now,
  });
  return {
    ruleId: rule.id,
    ruleKind: rule.kind,
    ruleText: rule.text,
    ownerRepId: owner,
    reason: verdict.reason,
    fromDisputeId: rule.provenance.disputeId ?? null,
    applied,
  };
}
