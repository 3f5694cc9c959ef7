// Applies published rebalances once their effective date has come. What is due is read from the
// database on every tick, so a restart or a second instance neither loses nor doubles a move.
import { applyDueRebalances } from "../services/rebalance/apply-rebalance.ts";
import type { Job } from "./job.ts";

export const rebalanceApplyJob: Job = {
  name: "rebalance-apply",
  async run({ db, clock, logger }) {
    const report = await applyDueRebalances(db, { now: clock.now() });
    if (report.applied + report.held > 0 || report.completed.length > 0)
      logger.info({ job: "rebalance-apply", ...report }, "rebalance moves applied");
  },
};
