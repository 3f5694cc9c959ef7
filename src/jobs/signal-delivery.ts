// Delivers queued signal DMs (claimed in batches, retried, never in the rep's night unless urgent)
// and re-posts snoozed ones whose time has come. See src/services/signals/deliver-messages.ts.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { slackSignalSender } from "../slack/senders/signal-sender.ts";
import type { Job } from "./index.ts";

const CLAIMER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export const signalDeliveryJob: Job = {
  name: "signal-delivery",
  async run({ services, client, logger }) {
    const sender = slackSignalSender(client, services.timeZone);
    // Drain what is due in batches; a batch that delivers nothing (all failed or deferred) stops the loop.
    for (let round = 0; round < 20; round++) {
      const report = await services.signals.deliver(sender, CLAIMER);
      if (report.delivered + report.deferred + report.failed > 0)
        logger.info({ job: "signal-delivery", ...report }, "signal messages delivered");
      if (report.delivered === 0 || report.delivered + report.deferred + report.failed < 50) break;
    }
  },
};
