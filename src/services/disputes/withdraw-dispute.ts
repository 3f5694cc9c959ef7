// The claimant withdraws an open dispute (filed by mistake, or settled between the reps): the state
// machine checks it is theirs and still open, the reminders and the escalation still pending are
// marked skipped in the same transaction, and the caller updates the arbiter's card.
import { recordAudit } from "../../db/audit.ts";
import type { Db } from "../../db/client.ts";
import { claimStatus, loadDispute, type StoredDispute } from "../../db/disputes.ts";
import { type Refusal, type Result, refuse } from "../../domain/app-error.ts";
import { applyDisputeEvent, type DisputeError } from "../../domain/disputes/index.ts";
import { repBySlackId } from "./reps.ts";

export async function withdrawDispute(
  db: Db,
  input: { disputeId: string; actorSlackUserId: string },
  now: Date,
): Promise<Result<{ dispute: StoredDispute; noticesStopped: number }, DisputeError | Refusal>> {
  return db.$transaction(async (tx) => {
    const [dispute, actor] = await Promise.all([
      loadDispute(tx, input.disputeId),
      repBySlackId(tx, input.actorSlackUserId),
    ]);
    if (!dispute)
      return refuse("not_found", `no dispute ${input.disputeId}`, "Turf can't find that dispute any more.");
    if (!actor)
      return refuse(
        "not_a_rep",
        `slack user ${input.actorSlackUserId} is not a rep`,
        "Only the rep who filed this dispute can withdraw it.",
      );
    const transition = applyDisputeEvent(dispute, { type: "withdrawn", by: actor.id }, now);
    if (!transition.ok) return transition;
    if (!(await claimStatus(tx, dispute.id, [dispute.status], { status: "withdrawn" }))) {
      return refuse(
        "conflict",
        "status moved",
        "The dispute changed just now; look at it again before withdrawing.",
      );
    }
    const { count } = await tx.disputeNotice.updateMany({
      where: { disputeId: dispute.id, sentAt: null, skippedAt: null },
      data: { skippedAt: now, lastError: "dispute withdrawn" },
    });
    await recordAudit(tx, {
      actor: actor.id,
      action: "dispute.withdrawn",
      subjectType: "dispute",
      subjectId: dispute.id,
      details: { from: dispute.status, noticesStopped: count },
      at: now,
    });
    return {
      ok: true as const,
      value: { dispute: transition.dispute as StoredDispute, noticesStopped: count },
    };
  });
}
