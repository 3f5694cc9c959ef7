// The 48-hour clock's sweep, in batches. Each batch is one transaction (src/services/disputes/
// notices.ts): one statement claims up to BATCH due notices, a fixed handful of set-based reads
// prepare them (reminders follow the domain clock; an escalation or sign-off expiry makes its state
// change once, by an atomic claim on the dispute), one insert writes every message to the outbox
// and one update marks the batch. Delivery is the outbox's job (src/services/outbox): retried with
// backoff, never shown twice (README "Reliability"). Any number of instances may sweep one database.
//
// - Lost: never. A sweep that dies before its batch commits rolls its claim back with the rest; a
//   claim left by anything else is taken over once its lease has run out. After the commit the
//   messages are in the outbox.
// - Twice: never from the sweep: a notice's messages are written in the transaction that claims and
//   marks it, and FOR UPDATE SKIP LOCKED gives concurrent sweeps disjoint notices.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Services } from "../services/index.ts";
import type { Notifier } from "../services/outbox/index.ts";
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
  const log = deps.logger;
  const writer = {
    compose: (step: Parameters<NoticeComposer>[0]) =>
      deps.composeNotice(step, { now: step.details.asOf, escalationChannel: deps.escalationChannel }),
    enqueue: (messages: Parameters<Notifier["enqueue"]>[0], tx: Parameters<Notifier["enqueue"]>[1]) =>
      deps.notifier.enqueue(messages, tx),
  };
  for (let round = 0; round < (options.maxBatches ?? 50); round++) {
    const done = await deps.services.disputes.sweepNotices({ instance, leaseMs, limit: batch }, writer);
    if (done.claimed === 0) break;
    report.claimed += done.claimed;
    report.sent += done.sent;
    report.skipped += done.skipped;
    report.lost += done.lost;
    report.failed += done.failures.length;
    report.messages += done.outboxIds.length;
    for (const f of done.failures)
      log.warn(
        { err: f.error, noticeId: f.noticeId, kind: f.kind },
        "dispute notice not prepared; it will be retried",
      );
    if (options.deliver !== false && done.outboxIds.length > 0)
      report.delivered += (await deps.notifier.deliver(done.outboxIds)).sent;
    // A short batch means nothing else is due; a failed notice would otherwise be re-claimed at once.
    if (done.claimed < batch || done.failures.length > 0) break;
  }
  if (report.claimed > 0) log.info({ ...report, instance }, "dispute sweep");
  return report;
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
