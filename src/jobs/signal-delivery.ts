// Hands due signal DMs to the outbox (claimed in batches, never in the rep's night unless urgent) and
// re-posts snoozed ones whose time has come. See src/services/signals/deliver-messages.ts.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Job } from "./job.ts";

const CLAIMER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const BATCH = 50;

export const signalDeliveryJob: Job = {
  name: "signal-delivery",
  async run({ services, signalSlack, notifier, logger }) {
    // Drain what is due in batches; stop at a short batch or one that delivered nothing.
    for (let round = 0; round < 20; round++) {
      const report = await services.signals.deliver({ ...signalSlack, notifier }, CLAIMER);
      const handled = report.queued + report.deferred + report.failed;
      if (handled > 0) logger.info({ job: "signal-delivery", ...report }, "signal messages delivered");
      if (report.queued === 0 || handled < BATCH) break;
    }
  },
};
