// "Ask for info" pauses nothing: the clock keeps running, the claimant is asked in a DM thread, and
// their reply in that thread becomes a note the arbiter sees.

import { recordAudit } from "../../db/audit.ts";
import type { Db } from "../../db/client.ts";
import { claimStatus, loadDispute, type StoredDispute } from "../../db/disputes.ts";
import { type Refusal, type Result, refuse } from "../../domain/app-error.ts";
import { applyDisputeEvent, type DisputeError } from "../../domain/disputes/index.ts";
import { authorizeArbiter } from "./decide-dispute.ts";
import { repBySlackId } from "./reps.ts";

type InfoRefusal = DisputeError | Refusal;

export async function requestInfo(
  db: Db,
  input: { disputeId: string; actorSlackUserId: string; question: string },
  now: Date,
): Promise<Result<{ dispute: StoredDispute; noteId: string }, InfoRefusal>> {
  return db.$transaction(async (tx) => {
    const authorized = await authorizeArbiter(tx, input.disputeId, input.actorSlackUserId);
    if (!authorized.ok) return authorized;
    const { dispute, actorRepId } = authorized.value;
    const transition = applyDisputeEvent(
      dispute,
      { type: "info_requested", by: actorRepId, question: input.question },
      now,
    );
    if (!transition.ok) return transition;
    if (!(await claimStatus(tx, dispute.id, [dispute.status], { status: transition.dispute.status }))) {
      return refuse("conflict", "status moved", "The dispute changed while you were asking; open it again.");
    }
    const note = await tx.disputeNote.create({
      data: {
        disputeId: dispute.id,
        authorRepId: actorRepId,
        kind: "info_request",
        text: input.question.trim(),
        createdAt: now,
      },
    });
    await recordAudit(tx, {
      actor: actorRepId,
      action: "dispute.info_requested",
      subjectType: "dispute",
      subjectId: dispute.id,
      details: { question: input.question.trim() },
      at: now,
    });
    return { ok: true as const, value: { dispute: transition.dispute as StoredDispute, noteId: note.id } };
  });
}

/** Remembers the DM that asked, so a reply in its thread can be matched to the dispute. */
export async function setQuestionTs(db: Db, noteId: string, channel: string, ts: string): Promise<void> {
  await db.disputeNote.update({ where: { id: noteId }, data: { slackTs: `${channel}:${ts}` } });
}

/**
 * A DM reply that answers no question of ours: an ordinary message to the bot. The listener stays
 * silent on this code, so userMessage is never shown.
 */
export const NOT_A_DISPUTE_THREAD = refuse(
  "not_a_dispute_thread",
  "reply is not in a dispute question thread",
  "That message is not a reply to a dispute question.",
);

export async function recordInfoReply(
  db: Db,
  input: { slackUserId: string; channel: string; threadTs: string; ts: string; text: string },
  now: Date,
): Promise<Result<{ disputeId: string }, InfoRefusal>> {
  const question = await db.disputeNote.findFirst({
    where: { kind: "info_request", slackTs: `${input.channel}:${input.threadTs}` },
    select: { disputeId: true },
  });
  if (!question) return NOT_A_DISPUTE_THREAD;
  return db.$transaction(async (tx) => {
    const [dispute, rep] = await Promise.all([
      loadDispute(tx, question.disputeId),
      repBySlackId(tx, input.slackUserId),
    ]);
    if (!dispute || !rep) return NOT_A_DISPUTE_THREAD;
    const transition = applyDisputeEvent(
      dispute,
      { type: "info_provided", by: rep.id, text: input.text },
      now,
    );
    if (!transition.ok) return transition;
    if (!(await claimStatus(tx, dispute.id, [dispute.status], { status: transition.dispute.status }))) {
      return refuse(
        "conflict",
        "status moved",
        "Your reply arrived while the dispute changed; send it again.",
      );
    }
    await tx.disputeNote.create({
      data: {
        disputeId: dispute.id,
        authorRepId: rep.id,
        kind: "info_reply",
        text: input.text.trim(),
        slackTs: `${input.channel}:${input.ts}`,
        createdAt: now,
      },
    });
    await recordAudit(tx, {
      actor: rep.id,
      action: "dispute.info_provided",
      subjectType: "dispute",
      subjectId: dispute.id,
      details: { length: input.text.trim().length },
      at: now,
    });
    return { ok: true as const, value: { disputeId: dispute.id } };
  });
}
