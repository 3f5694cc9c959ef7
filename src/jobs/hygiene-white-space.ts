// White-space offers by DM to the reps with the most room (see services/rebalance/hygiene).
import { offerWhiteSpace } from "../services/rebalance/hygiene/white-space.ts";
import { whiteSpaceOfferDm } from "../slack/views/rebalance/hygiene.ts";
import { dmRep, hourly } from "./hygiene-notify.ts";
import type { Job } from "./index.ts";

/** Each instance keeps its own hourly pace (tests make their own). */
export function createHygieneWhiteSpaceJob(): Job {
  const due = hourly();
  return {
    name: "hygiene-white-space",
    async run({ db, services, clock, client, logger }) {
      const now = clock.now();
      if (!due(now)) return;
      const notices = await offerWhiteSpace(db, { now, settings: services.rebalanceSettings });
      for (const n of notices) await dmRep(client, n.slackUserId, whiteSpaceOfferDm(n), logger);
      if (notices.length > 0)
        logger.info({ job: "hygiene-white-space", reps: notices.length }, "white space offered");
    },
  };
}

export const hygieneWhiteSpaceJob = createHygieneWhiteSpaceJob();
