// The sweep's half in the service layer: claim due notices, decide for each whether it is still
// worth sending (and for the escalation and the sign-off expiry, make the state change once), and
// record the outcome. The Slack half (src/jobs/dispute-sweep.ts) sends in between.
import { recordAudit } from "../../db/audit.ts";
import type { Db } from "../../db/client.ts";
import { type ClaimedNotice, claimStatus, loadDispute, type StoredDispute } from "../../db/disputes.ts";
import { applyDisputeEvent, NOTICE_KINDS, type NoticeKind, noticesDue } from "../../domain/disputes/index.ts";
import { type DisputeDetails, loadDisputeDetails } from "./dispute-details.ts";
import type { RepRef } from "./reps.ts";
import { signOffManagers } from "./sign-off.ts";

export type NoticeStep =
  | { action: "skip"; reason: string }
  | { action: "send"; kind: NoticeKind; details: DisputeDetails; managers: RepRef[] };

const isKind = (kind: string): kind is NoticeKind => (NOTICE_KINDS as readonly string[]).includes(kind);

/**
 * Whether the claimed notice goes out. Reminders follow the domain clock (a later notice already
 * due makes an earlier one a skip). The escalation moves the status with an atomic claim; a retry
 * after a crash finds it escalated and still sends, because the notice itself was never marked.
 */
export async function prepareNotice(db: Db, notice: ClaimedNotice, now: Date): Promise<NoticeStep> {
  if (!isKind(notice.kind)) return { action: "skip", reason: `unknown kind ${notice.kind}` };
  const kind = notice.kind;
  const dispute = await loadDispute(db, notice.disputeId);
  if (!dispute) return { action: "skip", reason: "dispute gone" };

  if (kind === "escalation") {
    if (dispute.status === "open" || dispute.status === "info_requested") {
      const transition = applyDisputeEvent(dispute, { type: "escalated" }, now);
      if (!transition.ok) return { action: "skip", reason: transition.error.code };
      const won = await db.$transaction(async (tx) => {
        const claimed = await claimStatus(tx, dispute.id, ["open", "info_requested"], {
          status: "escalated",
        });
        if (claimed) {
          await recordAudit(tx, {
            actor: "system",
            action: "dispute.escalated",
            subjectType: "dispute",
            subjectId: dispute.id,
            details: { dueAt: dispute.dueAt.toISOString() },
            at: now,
          });
        }
        return claimed;
      });
      if (!won) return prepareNotice(db, notice, now);
    } else if (dispute.status !== "escalated") {
      return { action: "skip", reason: `dispute is ${dispute.status}` };
    }
    return send(db, dispute, kind, now);
  }

  if (kind === "sign_off_expiry") {
    if (dispute.signedOffAt !== null) return { action: "skip", reason: "signed off" };
    if (dispute.signOffExpiredAt === null) {
      const transition = applyDisputeEvent(dispute, { type: "sign_off_expired" }, now);
      if (!transition.ok) return { action: "skip", reason: transition.error.code };
      const won = await db.$transaction(async (tx) => {
        const { count } = await tx.dispute.updateMany({
          where: {
            id: dispute.id,
            status: "resolved",
            signOffRequired: true,
            signedOffAt: null,
            signOffExpiredAt: null,
          },
          data: { signOffExpiredAt: now },
        });
        if (count === 1) {
          await recordAudit(tx, {
            actor: "system",
            action: "dispute.sign_off_expired",
            subjectType: "dispute",
            subjectId: dispute.id,
            at: now,
          });
        }
        return count === 1;
      });
      if (!won) return prepareNotice(db, notice, now);
    }
    return send(db, dispute, kind, now);
  }

  const due = noticesDue(dispute, now).find((d) => d.kind === kind);
  if (!due) return { action: "skip", reason: `not due for a ${dispute.status} dispute` };
  if (due.action === "skip") return { action: "skip", reason: "a later notice on the same clock is due" };
  return send(db, dispute, kind, now);
}

async function send(db: Db, dispute: StoredDispute, kind: NoticeKind, now: Date): Promise<NoticeStep> {
  const details = await loadDisputeDetails(db, dispute.id, { now });
  if (!details) return { action: "skip", reason: "dispute gone" };
  const managers = kind.startsWith("sign_off") ? await signOffManagers(db, dispute) : [];
  return { action: "send", kind, details, managers };
}

export async function auditNoticeSent(
  db: Db,
  notice: ClaimedNotice,
  instance: string,
  now: Date,
): Promise<void> {
  await db.$transaction((tx) =>
    recordAudit(tx, {
      actor: "system",
      action: `dispute.notice_sent`,
      subjectType: "dispute",
      subjectId: notice.disputeId,
      details: { kind: notice.kind, instance, attempts: notice.attempts },
      at: now,
    }),
  );
}
