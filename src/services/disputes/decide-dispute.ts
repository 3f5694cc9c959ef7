// Deciding: only the assigned arbiter (or the backup after escalation) may act. The decision, the
// ownership change, the decision rule and the audit commit together behind an atomic status claim,
// so a double click, a retried request or a decision racing the escalation resolves once.

import { recordAudit } from "../../db/audit.ts";
import { loadAccountSituation, loadReps, loadTerritories } from "../../db/book.ts";
import type { Db, Tx } from "../../db/client.ts";
import {
  claimStatus,
  countScopeAccounts,
  insertNotices,
  loadDispute,
  OPEN_STATUSES,
  type StoredDispute,
} from "../../db/disputes.ts";
import { changeOwner } from "../../db/ownership.ts";
import { type Refusal, type Result, refuse } from "../../domain/app-error.ts";
import {
  applyDisputeEvent,
  canActOnDispute,
  type DecisionChoice,
  type DecisionMessage,
  type Dispute,
  type DisputeDecision,
  type DisputeError,
  decisionRuleFor,
  planDecision,
  proposeRuleScopes,
  type RepCoverage,
  type RuleScope,
  SIGN_OFF_NOTICE_KINDS,
  ZRuleScope,
} from "../../domain/disputes/index.ts";
import type { Rep } from "../../domain/model.ts";
import { insertRule } from "../rules/add-rule.ts";
import { boundedTransaction } from "./bounded-transaction.ts";
import { repBySlackId } from "./reps.ts";

export type ScopeOption = { scope: RuleScope; label: string; affected: number };

/** Why an arbiter action did not happen; the state machine's refusals plus the two found here. */
export type ArbiterRefusal = DisputeError | Refusal<"not_found" | "not_a_rep" | "busy">;

const NOT_FOUND = refuse("not_found", "no such dispute", "Turf can't find that dispute any more.");
const NOT_A_REP = refuse(
  "not_a_rep",
  "actor is not a rep",
  "Only the arbiter assigned to this dispute can act on it, so nothing was changed.",
);

/** Refuses anyone but the arbiter (or backup after escalation), and anything already decided. */
export async function authorizeArbiter(
  db: Db | Tx,
  disputeId: string,
  actorSlackUserId: string,
): Promise<Result<{ dispute: StoredDispute; actorRepId: string }, ArbiterRefusal>> {
  const [dispute, actor] = await Promise.all([
    loadDispute(db, disputeId),
    repBySlackId(db, actorSlackUserId),
  ]);
  if (!dispute) return NOT_FOUND;
  if (!actor) return NOT_A_REP;
  const allowed = canActOnDispute(dispute, actor.id);
  if (!allowed.ok) return allowed;
  if (dispute.status === "resolved" || dispute.status === "withdrawn") {
    // Ask the state machine for the wording, so a late click reads the same as a refused decision.
    const refused = applyDisputeEvent(dispute, { type: "withdrawn", by: dispute.claimantRepId }, new Date(0));
    if (!refused.ok) return refused;
  }
  return { ok: true, value: { dispute, actorRepId: actor.id } };
}

function coverage(
  rep: Rep | undefined,
  territories: Awaited<ReturnType<typeof loadTerritories>>,
): RepCoverage | null {
  if (!rep) return null;
  const mine = territories.filter((t) => rep.territoryIds.includes(t.id));
  return {
    repId: rep.id,
    regions: [...new Set(mine.flatMap((t) => t.regions))],
    teams: rep.team ? [rep.team] : [],
    sizeBands: [...new Set(mine.flatMap((t) => t.sizeBands))],
  };
}

/** The rule scopes the decision modal offers, each with how many accounts it would cover today. */
export async function decisionScopes(db: Db | Tx, dispute: StoredDispute): Promise<ScopeOption[]> {
  const [situation, reps, territories] = await Promise.all([
    loadAccountSituation(db, dispute.accountId),
    loadReps(db),
    loadTerritories(db),
  ]);
  if (!situation) return [];
  const parent = situation.facts.account.parentId
    ? await db.account.findUnique({ where: { id: situation.facts.account.parentId }, select: { name: true } })
    : null;
  const byId = new Map(reps.map((r) => [r.id, r]));
  const proposals = proposeRuleScopes({
    account: situation.facts.account,
    parentCrmId: situation.facts.parentCrmId,
    parentName: parent?.name ?? null,
    category: dispute.category,
    openOpportunities: situation.facts.openOpportunities,
    claimant: coverage(byId.get(dispute.proposedOwnerRepId), territories) ?? {
      repId: dispute.proposedOwnerRepId,
      regions: [],
      teams: [],
      sizeBands: [],
    },
    owner: coverage(dispute.currentOwnerRepId ? byId.get(dispute.currentOwnerRepId) : undefined, territories),
  });
  return Promise.all(proposals.map(async (p) => ({ ...p, affected: await countScopeAccounts(db, p.scope) })));
}

export type DecisionInput = {
  disputeId: string;
  actorSlackUserId: string;
  choice: DecisionChoice;
  text: string;
  scope: unknown;
};

export type Decided = {
  dispute: StoredDispute;
  /** Messages for both reps (planDecision), in the arbiter's words. */
  messages: DecisionMessage[];
  /** A channel exception: nothing applied yet, a manager must sign off within 48 h. */
  awaitingSignOff: boolean;
  ruleId: string | null;
};

export type DecisionResult = Result<Decided, ArbiterRefusal>;

export async function decideDispute(
  db: Db,
  input: DecisionInput,
  now: Date,
  options: { lockWaitMs?: number | undefined } = {},
): Promise<DecisionResult> {
  const scope = ZRuleScope.safeParse(input.scope);
  if (!scope.success) {
    return refuse(
      "invalid_transition",
      "unreadable rule scope",
      "Choose which accounts the rule should cover.",
    );
  }
  return boundedTransaction(db, options.lockWaitMs, async (tx): Promise<DecisionResult> => {
    const authorized = await authorizeArbiter(tx, input.disputeId, input.actorSlackUserId);
    if (!authorized.ok) return authorized;
    const { dispute, actorRepId } = authorized.value;
    const transition = applyDisputeEvent(
      dispute,
      { type: "decided", by: actorRepId, decision: input.choice, text: input.text, scope: scope.data },
      now,
    );
    if (!transition.ok) return transition;
    const next = transition.dispute;
    const won = await claimStatus(tx, dispute.id, OPEN_STATUSES, {
      status: "resolved",
      decision: next.decision,
      decisionText: next.decisionText,
      decidedAt: next.decidedAt,
      decidedByRepId: next.decidedByRepId,
      decisionScope: scope.data as object,
      signOffRequired: next.signOffRequired,
      signOffDueAt: next.signOffDueAt,
    });
    if (!won) {
      const current = (await loadDispute(tx, dispute.id)) ?? dispute;
      const refused = applyDisputeEvent(
        current,
        { type: "decided", by: actorRepId, decision: input.choice, text: input.text, scope: scope.data },
        now,
      );
      return refused.ok
        ? refuse(
            "already_decided",
            "lost the status claim",
            "This dispute has already been decided, so nothing was changed.",
          )
        : refused;
    }
    const decision: DisputeDecision = {
      choice: input.choice,
      text: next.decisionText ?? input.text,
      by: actorRepId,
    };
    let ruleId: string | null = null;
    let messages: DecisionMessage[] = [];
    for (const effect of transition.effects) {
      if (effect.type === "apply_decision") {
        const applied = await applyDecision(tx, next, effect.decision, effect.scope, now);
        ruleId = applied.ruleId;
        messages = applied.messages;
      } else if (effect.type === "request_sign_off") {
        await insertNotices(tx, dispute.id, SIGN_OFF_NOTICE_KINDS, effect.dueAt);
        messages = (await planFor(tx, next, decision)).messages;
      }
    }
    await recordAudit(tx, {
      actor: actorRepId,
      action: transition.effects.some((e) => e.type === "request_sign_off")
        ? "dispute.decided_pending_sign_off"
        : "dispute.decided",
      subjectType: "dispute",
      subjectId: dispute.id,
      ruleId,
      details: {
        decision: input.choice,
        text: decision.text,
        scope: scope.data,
        signOffDueAt: next.signOffDueAt?.toISOString() ?? null,
      },
      at: now,
    });
    const stored = (await loadDispute(tx, dispute.id)) as StoredDispute;
    return {
      ok: true as const,
      value: { dispute: stored, messages, awaitingSignOff: next.signOffRequired, ruleId },
    };
  });
}

async function planFor(tx: Tx, dispute: Dispute, decision: DisputeDecision) {
  const [situation, reps] = await Promise.all([loadAccountSituation(tx, dispute.accountId), loadReps(tx)]);
  return planDecision(dispute, decision, situation?.facts.openOpportunities ?? [], {
    account: situation?.facts.account.name,
    reps: Object.fromEntries(reps.map((r) => [r.id, r.name])),
  });
}

/**
 * Writes the decision rule and moves the account. Open opportunities are not touched: their
 * ownerRepId keeps crediting the rep who works them until they close (planDecision says so to both).
 * Used by the decision itself and, for a channel exception, by the manager's sign-off.
 */
export async function applyDecision(
  tx: Tx,
  dispute: Dispute,
  decision: DisputeDecision,
  scope: RuleScope,
  now: Date,
): Promise<{ ruleId: string; messages: DecisionMessage[] }> {
  const ruleData = decisionRuleFor(dispute, decision, scope, now);
  const inserted = await insertRule(tx, ruleData, decision.by, now);
  if (!inserted.ok)
    throw new Error(`dispute ${dispute.id}: decision rule rejected: ${inserted.errors.join("; ")}`);
  const ruleId = inserted.rule.id;
  const plan = await planFor(tx, dispute, decision);
  if (plan.newOwnerRepId !== null) {
    await changeOwner(tx, {
      accountId: dispute.accountId,
      repId: plan.newOwnerRepId,
      ruleId,
      cause: "dispute",
      causeRef: dispute.id,
      note: decision.text.slice(0, 500),
      at: now,
    });
  }
  await tx.dispute.update({ where: { id: dispute.id }, data: { resultingRuleId: ruleId } });
  await recordAudit(tx, {
    actor: decision.by,
    action: "dispute.applied",
    subjectType: "dispute",
    subjectId: dispute.id,
    ruleId,
    details: { newOwnerRepId: plan.newOwnerRepId, opportunityCredit: plan.opportunityCredit },
    at: now,
  });
  return { ruleId, messages: plan.messages };
}
