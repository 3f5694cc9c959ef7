// The 48-hour clock's sweep: claim due notices atomically with a lease, send each through Slack,
// then mark it sent. Any number of instances may run it against one database.
//
// Guarantees and the one remaining window:
// - Lost: never. A notice is marked only after Slack accepted it; a claimer that dies (crash,
//   SIGKILL, deploy) leaves a claim that any sweep takes over once the lease has run out.
// - Twice: only if the claimer dies after Slack accepted the message and before the one-row
//   UPDATE that sets sentAt commits — a single database round trip, typically 1–5 ms — or if one
//   send outlives the lease (LEASE_MS, 10 minutes, against Slack's own request timeout of
//   seconds), so that another instance re-claims a notice that is still being sent. A failed send
//   releases its claim at once (lastError kept), so Slack outages cost one retry per sweep, not a lease.
// The state change behind a notice (escalated, sign-off expired) is a separate atomic claim on the
// dispute row, so it happens exactly once however often its message is retried.

import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Services } from "../services/index.ts";
import { deliverNotice } from "../slack/listeners/disputes/send.ts";
import type { Job, JobDeps } from "./index.ts";

export const LEASE_MS = 10 * 60_000;
export const BATCH = 100;
const CONCURRENCY = 8;
/** One id per process: claims name their claimer, so a lost claim is never marked by the wrong one. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export type SweepDeps = Pick<JobDeps, "services" | "logger" | "client"> & {
  escalationChannel?: string | undefined;
};
export type SweepOptions = { instanceId?: string; leaseMs?: number; batch?: number; maxBatches?: number };
export type SweepReport = { claimed: number; sent: number; skipped: number; failed: number; lost: number };

export async function sweepDisputeNotices(deps: SweepDeps, options: SweepOptions = {}): Promise<SweepReport> {
  const instance = options.instanceId ?? INSTANCE_ID;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const batch = options.batch ?? BATCH;
  const report: SweepReport = { claimed: 0, sent: 0, skipped: 0, failed: 0, lost: 0 };
  const disputes = deps.services.disputes;
  for (let round = 0; round < (options.maxBatches ?? 50); round++) {
    const claimed = await disputes.claimDueNotices({ instance, leaseMs, limit: batch });
    report.claimed += claimed.length;
    // Notices are independent, so a few are in flight at once: Slack's round trips overlap.
    await inParallel(claimed, CONCURRENCY, async (notice) => {
      try {
        const step = await disputes.prepareNotice(notice);
        if (step.action === "skip") {
          if (await disputes.completeNotice(notice, instance, "skipped")) report.skipped++;
          else report.lost++;
          return;
        }
        await deliverNotice(deps.client as WebClient, step, {
          now: step.details.asOf,
          escalationChannel: deps.escalationChannel,
        });
        if (await disputes.completeNotice(notice, instance, "sent")) report.sent++;
        else report.lost++;
      } catch (error) {
        report.failed++;
        (deps.logger as Logger).warn(
          { err: error, noticeId: notice.id, kind: notice.kind },
          "dispute notice not sent; it will be retried",
        );
        await disputes.releaseNotice(
          notice,
          instance,
          error instanceof Error ? error.message : String(error),
        );
      }
    });
    // A short batch means nothing else is due; a failed notice would otherwise be re-claimed at once.
    if (claimed.length < batch || report.failed > 0) break;
  }
  if (report.claimed > 0) (deps.logger as Logger).info({ ...report, instance }, "dispute sweep");
  return report;
}

export const disputeSweepJob: Job = {
  name: "dispute-sweep",
  async run(deps: JobDeps) {
    await sweepDisputeNotices({
      services: deps.services as Services,
      logger: deps.logger,
      client: deps.client,
      escalationChannel: deps.env.TURF_ESCALATION_CHANNEL,
    });
  },
};

async function inParallel<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
