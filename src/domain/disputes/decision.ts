// What a decision means for ownership and for the two reps: the new owner, who keeps credit for
// deals already in flight, and the messages each rep receives.
import type { Opportunity } from "../model.ts";
import { type Dispute, type DisputeDecision, ownerAfter } from "./dispute.ts";
import { type RuleScope, type ScopeMatcher, scopePriority, scopeToMatcher } from "./scope.ts";

export type OpportunityCredit = { opportunityId: string; creditRepId: string };

export type DecisionMessage = { to: string; text: string };

export type DecisionPlan = {
  /** The rep who owns the account from now on; null when the current owner keeps it. */
  newOwnerRepId: string | null;
  /** Open opportunities on the account and the rep credited for each until it closes. */
  opportunityCredit: OpportunityCredit[];
  messages: DecisionMessage[];
};

/** Display names for the messages; ids are used as a last resort so a message is never empty. */
export type DecisionNames = { account?: string; reps?: Readonly<Record<string, string>> };

/**
 * On transfer the account moves, but open opportunities keep crediting the rep who works them
 * (their opportunity owner, else the previous account owner) through closure, so nobody loses a
 * deal they built at the moment it is about to land. On keep nothing moves.
 */
export function planDecision(
  dispute: Dispute,
  decision: DisputeDecision,
  openOpportunities: readonly Opportunity[],
  names: DecisionNames = {},
): DecisionPlan {
  const inFlight = openOpportunities.filter((o) => o.isOpen && o.accountId === dispute.accountId);
  const opportunityCredit: OpportunityCredit[] = [];
  for (const opportunity of inFlight) {
    const creditRepId = opportunity.ownerRepId ?? dispute.currentOwnerRepId;
    if (creditRepId !== null) opportunityCredit.push({ opportunityId: opportunity.id, creditRepId });
  }
  const transfer = decision.choice === "transfer" && dispute.proposedOwnerRepId !== dispute.currentOwnerRepId;
  const newOwnerRepId = transfer ? dispute.proposedOwnerRepId : null;
  return {
    newOwnerRepId,
    opportunityCredit,
    messages: decisionMessages(dispute, decision, opportunityCredit, names),
  };
}

function decisionMessages(
  dispute: Dispute,
  decision: DisputeDecision,
  credit: readonly OpportunityCredit[],
  names: DecisionNames,
): DecisionMessage[] {
  const account = names.account ?? "the account";
  const nameOf = (repId: string) => names.reps?.[repId] ?? repId;
  const owner = ownerAfter(dispute, decision.choice);
  const arbiter = nameOf(decision.by);
  const quoted = quote(decision.text);
  const recipients = [
    ...new Set([dispute.claimantRepId, dispute.currentOwnerRepId, dispute.proposedOwnerRepId]),
  ].filter((rep): rep is string => rep !== null);

  return recipients.map((to) => {
    const yours = to === dispute.claimantRepId ? "your dispute" : "the dispute";
    const where = owner === to ? "it is yours" : `it goes to ${owner === null ? "nobody" : nameOf(owner)}`;
    const verb = decision.choice === "keep" ? "stays with" : "moves to";
    const headline =
      decision.choice === "keep" && owner === to
        ? `${arbiter} decided ${yours} on ${account}: it stays with you.`
        : decision.choice === "keep"
          ? `${arbiter} decided ${yours} on ${account}: it ${verb} ${owner === null ? "its current owner" : nameOf(owner)}.`
          : `${arbiter} decided ${yours} on ${account}: ${where}.`;
    const lines = [headline, quoted];
    if (decision.choice === "transfer") {
      const mine = credit.filter((c) => c.creditRepId === to).length;
      if (mine > 0) {
        lines.push(
          `You keep the credit for your ${plural(mine, "open opportunity", "open opportunities")} on it until ${mine === 1 ? "it closes" : "they close"}.`,
        );
      } else if (credit.length > 0 && owner === to) {
        lines.push(
          `Deals already in flight (${credit.length}) stay credited to the rep working them until they close.`,
        );
      }
    }
    return { to, text: lines.join("\n") };
  });
}

function quote(text: string): string {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join("\n");
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export type DecisionRuleData = {
  kind: "decision";
  matcher: ScopeMatcher;
  outcome: { type: "rep"; repId: string };
  priority: number;
  text: string;
  provenance: { by: string; at: Date; disputeId: string };
};

/**
 * The rule a decision writes, so the next case matching the scope is decided without the arbiter.
 * Throws when keeping an account that has no owner: the state machine refuses that decision.
 */
export function decisionRuleFor(
  dispute: Dispute,
  decision: DisputeDecision,
  scope: RuleScope,
  now: Date,
): DecisionRuleData {
  const repId = ownerAfter(dispute, decision.choice);
  if (repId === null) {
    throw new Error(`dispute ${dispute.id}: a "keep" decision needs a current owner to keep`);
  }
  return {
    kind: "decision",
    matcher: scopeToMatcher(scope),
    outcome: { type: "rep", repId },
    priority: scopePriority(scope),
    text: decision.text.trim(),
    provenance: { by: decision.by, at: now, disputeId: dispute.id },
  };
}
