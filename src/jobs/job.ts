// What a job is and what it gets. Its own module, so jobs and the runner (index.ts) import it without
// importing each other.
import type { Logger } from "pino";
import type { Clock } from "../config/clock.ts";
import type { AppEnv } from "../config/env.ts";
import type { Db } from "../db/client.ts";
import type { NoticeStep } from "../services/disputes/notices.ts";
import type { Services } from "../services/index.ts";
import type { Notifier, OutgoingMessage } from "../services/outbox/index.ts";
import type { SignalSlack } from "../services/signals/deliver-messages.ts";

/** Turns a notice the sweep decided to send into outbox rows (the Slack layer's, handed in by main.ts). */
export type NoticeComposer = (
  step: Extract<NoticeStep, { action: "send" }>,
  options: { now: Date; escalationChannel?: string | undefined },
) => OutgoingMessage[];

export type JobDeps = {
  db: Db;
  services: Services;
  logger: Logger;
  env: Pick<AppEnv, "TURF_ESCALATION_CHANNEL" | "TURF_SWEEP_INTERVAL_SECONDS">;
  clock: Clock;
  /** The one way jobs send anything to Slack. */
  notifier: Notifier;
  composeNotice: NoticeComposer;
  /** Signal DMs: the rep's time zone and the rendered DM (sent through `notifier`). */
  signalSlack: SignalSlack;
};

export type Job = { name: string; run(deps: JobDeps): Promise<void> };

/** How long one run may take before it is reported as stuck; the interval, at least 30 s. */
export function jobDeadlineMs(intervalSeconds: number): number {
  return Math.max(30, intervalSeconds) * 1000;
}
