// Delivers what the outbox holds: retries after Slack errors, rows whose sender died, and anything a
// listener wrote but could not deliver at once. Bounded by a deadline so a tick always ends.
import { type Job, jobDeadlineMs } from "./job.ts";

export const outboxJob: Job = {
  name: "outbox",
  async run({ notifier, clock, env }) {
    const deadline = new Date(clock.now().getTime() + jobDeadlineMs(env.TURF_SWEEP_INTERVAL_SECONDS) / 2);
    await notifier.deliverDue({ deadline });
  },
};
