// Channel exceptions: a reseller-channel dispute decided for the reseller applies only when a
// manager signs it off within 48 hours. Sign-off and expiry race on one row; exactly one wins.

import { recordAudit } from "../../db/audit.ts";
import type { Db, Tx } from "../../db/client.ts";
import { loadDispute, type StoredDispute } from "../../db/disputes.ts";
import { type Refusal, type Result, refuse } from "../../domain/app-error.ts";
import { applyDisputeEvent, type DecisionMessage, type DisputeError } from "../../domain/disputes/index.ts";
import { boundedTransaction } from "./bounded-transaction.ts";
import { applyDecision } from "./decide-dispute.ts";
import { activeRepsWithRole, type RepRef, repBySlackId, repsById } from "./reps.ts";

/** Managers asked to sign off: the gaining rep's team first, then the direct rep's, then any manager. */
export async function signOffManagers(db: Db | Tx, dispute: StoredDispute): Promise<RepRef[]> {
  return (await signOffManagersOf(db, [dispute])).get(dispute.id) ?? [];
}

/** signOffManagers for many disputes in two reads, by dispute id. */
export async function signOffManagersOf(
  db: Db | Tx,
  disputes: readonly StoredDispute[],
): Promise<Map<string, RepRef[]>> {
  if (disputes.length === 0) return new Map();
  const [active, reps] = await Promise.all([
    activeRepsWithRole(db, "manager"),
    repsById(
      db,
      disputes.flatMap((d) => [d.proposedOwnerRepId, d.currentOwnerRepId]),
    ),
  ]);
  const pick = (dispute: StoredDispute): RepRef[] => {
    const managers = active.filter(
      (m) => m.id !== dispute.claimantRepId && m.id !== dispute.proposedOwnerRepId,
    );
    for (const repId of [dispute.proposedOwnerRepId, dispute.currentOwnerRepId]) {
      const team = repId ? reps.get(repId)?.team : null;
      const mine = team ? managers.filter((m) => m.team === team) : [];
      if (mine.length > 0) return mine;
    }
    return managers;
  };
  return new Map(disputes.map((d) => [d.id, pick(d)]));
}

type SignOffResult = Result<{ dispute: StoredDispute; messages: DecisionMessage[] }, DisputeError | Refusal>;

export async function signOffDispute(
  db: Db,
  input: { disputeId: string; actorSlackUserId: string },
  now: Date,
  options: { lockWaitMs?: number | undefined } = {},
): Promise<SignOffResult> {
  return boundedTransaction(db, options.lockWaitMs, async (tx): Promise<SignOffResult> => {
    const [dispute, actor] = await Promise.all([
      loadDispute(tx, input.disputeId),
      repBySlackId(tx, input.actorSlackUserId),
    ]);
    if (!dispute || !actor) {
      return refuse(
        "not_authorized",
        "unknown dispute or actor",
        "Only a manager can sign off a channel exception, so nothing was changed.",
      );
    }
    const transition = applyDisputeEvent(
      dispute,
      { type: "signed_off", by: actor.id, byRoles: actor.roles },
      now,
    );
    if (!transition.ok) return transition;
    const { count } = await tx.dispute.updateMany({
      where: {
        id: dispute.id,
        status: "resolved",
        signOffRequired: true,
        signedOffAt: null,
        signOffExpiredAt: null,
      },
      data: { signedOffAt: now, signedOffByRepId: actor.id },
    });
    if (count !== 1) {
      return refuse(
        "no_sign_off_pending",
        "lost the sign-off claim",
        "This channel exception is no longer waiting for a sign-off.",
      );
    }
    const effect = transition.effects.find((e) => e.type === "apply_decision");
    if (effect?.type !== "apply_decision")
      throw new Error(`dispute ${dispute.id}: sign-off without a decision to apply`);
    const applied = await applyDecision(tx, transition.dispute, effect.decision, effect.scope, now);
    await recordAudit(tx, {
      actor: actor.id,
      action: "dispute.signed_off",
      subjectType: "dispute",
      subjectId: dispute.id,
      ruleId: applied.ruleId,
      at: now,
    });
    return {
      ok: true as const,
      value: { dispute: (await loadDispute(tx, dispute.id)) as StoredDispute, messages: applied.messages },
    };
  });
}
