// Monthly stale-ownership return with a warning DM beforehand (see services/rebalance/hygiene).
import { sweepStaleOwnership } from "../services/rebalance/hygiene/stale-ownership.ts";
import { staleOwnershipDm } from "../slack/views/rebalance/hygiene.ts";
import { dmRep, hourly } from "./hygiene-notify.ts";
import type { Job } from "./index.ts";

/** Each instance keeps its own hourly pace (tests make their own). */
export function createHygieneStaleJob(): Job {
  const due = hourly();
  return {
    name: "hygiene-stale",
    async run({ db, services, clock, client, logger }) {
      const now = clock.now();
      if (!due(now)) return;
      const settings = services.rebalanceSettings;
      const notices = await sweepStaleOwnership(db, { now, settings });
      for (const n of notices)
        await dmRep(
          client,
          n.slackUserId,
          staleOwnershipDm(n, settings.staleAfterDays, services.timeZone),
          logger,
        );
      if (notices.length > 0)
        logger.info({ job: "hygiene-stale", notices: notices.length }, "stale ownership warned or returned");
    },
  };
}

export const hygieneStaleJob = createHygieneStaleJob();
