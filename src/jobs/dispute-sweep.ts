// The 48-hour clock's sweep, in batches: one statement claims up to BATCH due notices with a lease;
// each is prepared (reminders follow the domain clock; an escalation or sign-off expiry makes its
// state change once, by an atomic claim on the dispute); then one transaction marks the whole batch
// handled and writes every message it sends to the outbox, one row per step. Delivery is the
// outbox's job (src/services/outbox): retried with backoff, never shown twice (README "Reliability").
// Any number of instances may sweep one database.
//
// - Lost: never. A claimer that dies before its batch transaction commits leaves claims that any
//   sweep takes over once the lease has run out; after the commit the messages are in the outbox.
// - Twice: never from the sweep: a notice's messages are written in the transaction that marks it,
//   and only by the claimer that still holds it.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { ClaimedNotice } from "../db/disputes.ts";
import type { NoticeStep } from "../services/disputes/notices.ts";
import type { Services } from "../services/index.ts";
import type { Notifier, OutgoingMessage } from "../services/outbox/index.ts";
import type { Job, JobDeps, NoticeComposer } from "./job.ts";

export const LEASE_MS = 10 * 60_000;
export const BATCH = 500;
/** One id per process: claims name their claimer, so a lost claim is never marked by the wrong one. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export type SweepDeps = {
  services: Services;
  logger: Logger;
  notifier: Notifier;
  composeNotice: NoticeComposer;
  escalationChannel?: string | undefined;
};
export type SweepOptions = {
  instanceId?: string;
  leaseMs?: number;
  batch?: number;
  maxBatches?: number;
  /** Deliver the batch's messages at once (default) or leave them to the outbox job. */
  deliver?: boolean;
};
export type SweepReport = {
  claimed: number;
  sent: number;
  skipped: number;
  failed: number;
  lost: number;
  /** Outbox rows written (one per step) and delivered at once. */
  messages: number;
  delivered: number;
};

export async function sweepDisputeNotices(deps: SweepDeps, options: SweepOptions = {}): Promise<SweepReport> {
  const instance = options.instanceId ?? INSTANCE_ID;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const batch = options.batch ?? BATCH;
  const report: SweepReport = {
    claimed: 0,
    sent: 0,
    skipped: 0,
    failed: 0,
    lost: 0,
    messages: 0,
    delivered: 0,
  };
  const disputes = deps.services.disputes;
  const log = deps.logger;
  for (let round = 0; round < (options.maxBatches ?? 50); round++) {
    const claimed = await disputes.claimDueNotices({ instance, leaseMs, limit: batch });
    if (claimed.length === 0) break;
    report.claimed += claimed.length;
    const outcomes: { id: string; outcome: "sent" | "skipped" }[] = [];
    const messagesOf = new Map<string, OutgoingMessage[]>();
    for (const notice of claimed) {
      let step: NoticeStep;
      try {
        step = await disputes.prepareNotice(notice);
        const messages =
          step.action === "send"
            ? deps.composeNotice(step, { now: step.details.asOf, escalationChannel: deps.escalationChannel })
            : [];
        messagesOf.set(notice.id, messages);
        outcomes.push({ id: notice.id, outcome: step.action === "send" ? "sent" : "skipped" });
      } catch (error) {
        report.failed++;
        log.warn(
          { err: error, noticeId: notice.id, kind: notice.kind },
          "dispute notice not prepared; it will be retried",
        );
        await release(deps, notice, instance, error);
      }
    }
    let ids: string[] = [];
    const held = await disputes.settleNotices(outcomes, instance, async (tx, held) => {
      const messages = outcomes.filter((o) => held.has(o.id)).flatMap((o) => messagesOf.get(o.id) ?? []);
      ids = await deps.notifier.enqueue(messages, tx);
    });
    for (const o of outcomes) {
      if (!held.has(o.id)) report.lost++;
      else if (o.outcome === "sent") report.sent++;
      else report.skipped++;
    }
    report.messages += ids.length;
    if (options.deliver !== false && ids.length > 0)
      report.delivered += (await deps.notifier.deliver(ids)).sent;
    // A short batch means nothing else is due; a failed notice would otherwise be re-claimed at once.
    if (claimed.length < batch || report.failed > 0) break;
  }
  if (report.claimed > 0) log.info({ ...report, instance }, "dispute sweep");
  return report;
}

async function release(deps: SweepDeps, notice: ClaimedNotice, instance: string, error: unknown) {
  await deps.services.disputes
    .releaseNotice(notice, instance, error instanceof Error ? error.message : String(error))
    .catch(() => undefined);
}

export const disputeSweepJob: Job = {
  name: "dispute-sweep",
  async run(deps: JobDeps) {
    await sweepDisputeNotices({
      services: deps.services,
      logger: deps.logger,
      notifier: deps.notifier,
      composeNotice: deps.composeNotice,
      escalationChannel: deps.env.TURF_ESCALATION_CHANNEL,
    });
  },
};
