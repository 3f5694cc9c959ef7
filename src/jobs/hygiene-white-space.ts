// White-space offers by DM to the reps with the most room (see services/rebalance/hygiene). The DMs
// are written to the outbox in the offer's own transaction.
import { offerWhiteSpace } from "../services/rebalance/hygiene/white-space.ts";
import { whiteSpaceOfferDm } from "../slack/views/rebalance/hygiene.ts";
import { hourly, repDm } from "./hygiene-notify.ts";
import type { Job } from "./job.ts";

/** Each instance keeps its own hourly pace (tests make their own). */
export function createHygieneWhiteSpaceJob(): Job {
  const due = hourly();
  return {
    name: "hygiene-white-space",
    async run({ db, services, clock, notifier, logger }) {
      const now = clock.now();
      if (!due(now)) return;
      let ids: string[] = [];
      const notices = await offerWhiteSpace(db, {
        now,
        settings: services.rebalanceSettings,
        notify: async (tx, notices) => {
          ids = await notifier.enqueue(
            notices.flatMap((n) =>
              repDm(n.slackUserId, whiteSpaceOfferDm(n), "hygiene.white_space", n.repId),
            ),
            tx,
          );
        },
      });
      await notifier.deliver(ids);
      if (notices.length > 0)
        logger.info({ job: "hygiene-white-space", reps: notices.length }, "white space offered");
    },
  };
}

export const hygieneWhiteSpaceJob = createHygieneWhiteSpaceJob();
