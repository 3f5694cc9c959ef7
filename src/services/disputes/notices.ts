// The sweep's half in the service layer, one batch at a time and all of it in one transaction:
// claim due notices, decide for each whether it is still worth sending (the escalation and the
// sign-off expiry make their state change once, by an atomic claim on the dispute), word the
// messages, mark every notice and write its messages to the outbox. The statements are set-based,
// so a batch costs the same dozen or so statements whether it holds one notice or five hundred.
// If the process dies anywhere before the commit, the claim and everything after it roll back and
// the next sweep takes the notices again; after the commit the messages are in the outbox.
import type { Db, Tx } from "../../db/client.ts";
import {
  type ClaimedNotice,
  claimDueNotices,
  escalateDisputes,
  expireSignOffs,
  loadDisputes,
  type NoticeOutcome,
  type StoredDispute,
  settleClaimedNotices,
} from "../../db/disputes.ts";
import type { OutgoingMessage } from "../../db/outbox.ts";
import { applyDisputeEvent, NOTICE_KINDS, type NoticeKind, noticesDue } from "../../domain/disputes/index.ts";
import { type DisputeDetails, detailsOfDisputes } from "./dispute-details.ts";
import type { RepRef } from "./reps.ts";
import { signOffManagersOf } from "./sign-off.ts";

export type NoticeStep =
  | { action: "skip"; reason: string }
  | { action: "send"; kind: NoticeKind; details: DisputeDetails; managers: RepRef[] };

export type SendStep = Extract<NoticeStep, { action: "send" }>;

/** How the sweep words and stores a batch's messages (the Slack layer words, the outbox stores). */
export type NoticeWriter = {
  /** The messages one notice sends; a throw fails that notice alone (its claim is given back). */
  compose(step: SendStep): OutgoingMessage[];
  /** Writes messages to the outbox inside the batch's transaction; returns their ids. */
  enqueue(messages: readonly OutgoingMessage[], tx: Tx): Promise<string[]>;
};

export type NoticeBatch = {
  claimed: number;
  sent: number;
  skipped: number;
  /** Notices given back to be retried, with why. */
  failures: { noticeId: string; kind: string; error: string }[];
  /** Claimed but no longer held when marking (cannot happen while the claim is in the same transaction). */
  lost: number;
  /** Outbox ids of the batch's messages, in order. */
  outboxIds: string[];
};

const isKind = (kind: string): kind is NoticeKind => (NOTICE_KINDS as readonly string[]).includes(kind);

const BUSY =
  "someone was changing the dispute while the sweep escalated it (a decision, a withdrawal); retried at the next sweep";

type Decision =
  | { action: "skip"; reason: string }
  | { action: "send"; kind: NoticeKind; dispute: StoredDispute }
  | { action: "escalate" | "expire"; kind: NoticeKind; dispute: StoredDispute }
  | { action: "fail"; error: string };

/**
 * One notice against its dispute as last read. Reminders follow the domain clock (a later notice
 * already due makes an earlier one a skip); the escalation and the sign-off expiry ask for their
 * state change unless it has happened (a retry after a crash finds it done and still sends).
 */
function decide(notice: ClaimedNotice, dispute: StoredDispute | undefined, now: Date): Decision {
  if (!isKind(notice.kind)) return { action: "skip", reason: `unknown kind ${notice.kind}` };
  const kind = notice.kind;
  if (!dispute) return { action: "skip", reason: "dispute gone" };
  if (kind === "escalation") {
    if (dispute.status === "open" || dispute.status === "info_requested") {
      const transition = applyDisputeEvent(dispute, { type: "escalated" }, now);
      if (!transition.ok) return { action: "skip", reason: transition.error.code };
      return { action: "escalate", kind, dispute };
    }
    if (dispute.status !== "escalated") return { action: "skip", reason: `dispute is ${dispute.status}` };
    return { action: "send", kind, dispute };
  }
  if (kind === "sign_off_expiry") {
    if (dispute.signedOffAt !== null) return { action: "skip", reason: "signed off" };
    if (dispute.signOffExpiredAt === null) {
      const transition = applyDisputeEvent(dispute, { type: "sign_off_expired" }, now);
      if (!transition.ok) return { action: "skip", reason: transition.error.code };
      return { action: "expire", kind, dispute };
    }
    return { action: "send", kind, dispute };
  }
  const due = noticesDue(dispute, now).find((d) => d.kind === kind);
  if (!due) return { action: "skip", reason: `not due for a ${dispute.status} dispute` };
  if (due.action === "skip") return { action: "skip", reason: "a later notice on the same clock is due" };
  return { action: "send", kind, dispute };
}

/** Decides every claimed notice, making the batch's escalations and expiries in one statement each. */
async function decideAll(
  tx: Tx,
  claimed: readonly ClaimedNotice[],
  now: Date,
): Promise<Map<string, Decision>> {
  const decisions = new Map<string, Decision>();
  const disputes = await loadDisputes(
    tx,
    claimed.map((n) => n.disputeId),
  );
  let pending = [...claimed];
  // An escalation or expiry claim skips a dispute another transaction holds (never waiting on it,
  // so a decision or withdrawal racing the sweep cannot deadlock with it). What it did not win is
  // read again: a dispute that moved on (decided, withdrawn, signed off) decides differently now; one
  // still held elsewhere is given back to be retried.
  for (let round = 0; round < 2 && pending.length > 0; round++) {
    if (round > 0) {
      const reread = await loadDisputes(
        tx,
        pending.map((n) => n.disputeId),
      );
      for (const n of pending) {
        const d = reread.get(n.disputeId);
        if (d) disputes.set(n.disputeId, d);
        else disputes.delete(n.disputeId);
      }
    }
    const escalate: { notice: ClaimedNotice; dispute: StoredDispute }[] = [];
    const expire: { notice: ClaimedNotice; dispute: StoredDispute }[] = [];
    for (const notice of pending) {
      let decision = decide(notice, disputes.get(notice.disputeId), now);
      if (round > 0 && (decision.action === "escalate" || decision.action === "expire"))
        decision = { action: "fail", error: BUSY };
      if (decision.action === "escalate") escalate.push({ notice, dispute: decision.dispute });
      else if (decision.action === "expire") expire.push({ notice, dispute: decision.dispute });
      decisions.set(notice.id, decision);
    }
    const escalated = await escalateDisputes(
      tx,
      escalate.map((e) => e.dispute),
      now,
    );
    const expired = await expireSignOffs(
      tx,
      expire.map((e) => e.dispute.id),
      now,
    );
    pending = [];
    for (const { notice, dispute } of escalate) {
      if (escalated.has(dispute.id))
        decisions.set(notice.id, {
          action: "send",
          kind: "escalation",
          dispute: { ...dispute, status: "escalated" },
        });
      else pending.push(notice);
    }
    for (const { notice, dispute } of expire) {
      if (expired.has(dispute.id))
        decisions.set(notice.id, {
          action: "send",
          kind: "sign_off_expiry",
          dispute: { ...dispute, signOffExpiredAt: now },
        });
      else pending.push(notice);
    }
  }
  return decisions;
}

/** The steps for claimed notices, by notice id: what to send, with the details its messages show. */
export async function prepareNotices(
  tx: Tx,
  claimed: readonly ClaimedNotice[],
  now: Date,
): Promise<Map<string, NoticeStep | { action: "fail"; error: string }>> {
  const decisions = await decideAll(tx, claimed, now);
  const sending = new Map<string, StoredDispute>();
  const signingOff = new Map<string, StoredDispute>();
  for (const d of decisions.values()) {
    if (d.action !== "send") continue;
    sending.set(d.dispute.id, d.dispute);
    if (d.kind.startsWith("sign_off")) signingOff.set(d.dispute.id, d.dispute);
  }
  const [details, managers] = await Promise.all([
    detailsOfDisputes(tx, [...sending.values()], now),
    signOffManagersOf(tx, [...signingOff.values()]),
  ]);
  const detailsOf = new Map(details.map((d) => [d.dispute.id, d]));
  const steps = new Map<string, NoticeStep | { action: "fail"; error: string }>();
  for (const notice of claimed) {
    const d = decisions.get(notice.id);
    if (!d) continue;
    if (d.action === "send") {
      const loaded = detailsOf.get(d.dispute.id);
      steps.set(
        notice.id,
        loaded
          ? { action: "send", kind: d.kind, details: loaded, managers: managers.get(d.dispute.id) ?? [] }
          : { action: "skip", reason: "dispute gone" },
      );
    } else if (d.action === "skip" || d.action === "fail") steps.set(notice.id, d);
  }
  return steps;
}

/**
 * One batch of the sweep, inside `tx`: one claim, the set-based reads and state changes, the
 * messages worded and written to the outbox in one insert, and every notice marked in one update.
 */
export async function sweepNoticeBatch(
  tx: Tx,
  now: Date,
  claim: { instance: string; leaseMs: number; limit: number },
  writer: NoticeWriter,
): Promise<NoticeBatch> {
  const batch: NoticeBatch = { claimed: 0, sent: 0, skipped: 0, failures: [], lost: 0, outboxIds: [] };
  const claimed = await claimDueNotices(tx, { ...claim, now });
  batch.claimed = claimed.length;
  if (claimed.length === 0) return batch;
  const steps = await prepareNotices(tx, claimed, now);
  const outcomes: NoticeOutcome[] = [];
  const messagesOf = new Map<string, OutgoingMessage[]>();
  for (const notice of claimed) {
    const step = steps.get(notice.id) ?? { action: "fail" as const, error: "not prepared" };
    let error: string | null = step.action === "fail" ? step.error : null;
    if (step.action === "send") {
      try {
        messagesOf.set(notice.id, writer.compose(step));
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    }
    if (error !== null) {
      outcomes.push({ id: notice.id, outcome: "failed", error });
      batch.failures.push({ noticeId: notice.id, kind: notice.kind, error });
    } else outcomes.push({ id: notice.id, outcome: step.action === "send" ? "sent" : "skipped" });
  }
  const held = await settleClaimedNotices(tx, outcomes, claim.instance, now);
  for (const o of outcomes) {
    if (o.outcome === "failed") continue;
    if (!held.has(o.id)) batch.lost++;
    else if (o.outcome === "sent") batch.sent++;
    else batch.skipped++;
  }
  // Only notices this claimer marked get their messages written: the mark and the messages commit together.
  const messages = claimed.filter((n) => held.has(n.id)).flatMap((n) => messagesOf.get(n.id) ?? []);
  batch.outboxIds = await writer.enqueue(messages, tx);
  return batch;
}

/** One batch in its own transaction; a failure anywhere rolls the claim back with everything else. */
export function sweepNotices(
  db: Db,
  now: Date,
  claim: { instance: string; leaseMs: number; limit: number },
  writer: NoticeWriter,
): Promise<NoticeBatch> {
  // A batch of hundreds on a loaded machine can outlast Prisma's 5 s default for an interactive transaction.
  return db.$transaction((tx) => sweepNoticeBatch(tx, now, claim, writer), {
    timeout: 120_000,
    maxWait: 30_000,
  });
}
