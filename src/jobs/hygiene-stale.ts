// Monthly stale-ownership return with a warning DM beforehand (see services/rebalance/hygiene).
// The DMs are written to the outbox in the sweep's own transaction, so a warning is never recorded
// as given without its message on the way.
import { sweepStaleOwnership } from "../services/rebalance/hygiene/stale-ownership.ts";
import { staleOwnershipDm } from "../slack/views/rebalance/hygiene.ts";
import { hourly, repDm } from "./hygiene-notify.ts";
import type { Job } from "./job.ts";

/** Each instance keeps its own hourly pace (tests make their own). */
export function createHygieneStaleJob(): Job {
  const due = hourly();
  return {
    name: "hygiene-stale",
    async run({ db, services, clock, notifier, logger }) {
      const now = clock.now();
      if (!due(now)) return;
      const settings = services.rebalanceSettings;
      let ids: string[] = [];
      const notices = await sweepStaleOwnership(db, {
        now,
        settings,
        notify: async (tx, notices) => {
          ids = await notifier.enqueue(
            notices.flatMap((n) =>
              repDm(
                n.slackUserId,
                staleOwnershipDm(n, settings.staleAfterDays, services.timeZone),
                `hygiene.stale_${n.kind}`,
                n.repId,
              ),
            ),
            tx,
          );
        },
      });
      await notifier.deliver(ids);
      if (notices.length > 0)
        logger.info({ job: "hygiene-stale", notices: notices.length }, "stale ownership warned or returned");
    },
  };
}

export const hygieneStaleJob = createHygieneStaleJob();
