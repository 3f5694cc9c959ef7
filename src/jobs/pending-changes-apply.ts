// Applies effective-dated ownership changes (named-account moves on the first day of the quarter,
// dated rules) once their date has come. What is due is read from the database on every tick.
import { applyDuePendingChanges } from "../services/rules/apply-pending-changes.ts";
import type { Job } from "./job.ts";

export const pendingChangesApplyJob: Job = {
  name: "pending-changes-apply",
  async run({ db, clock, logger }) {
    const report = await applyDuePendingChanges(db, { now: clock.now() });
    if (report.applied + report.cancelled > 0)
      logger.info({ job: "pending-changes-apply", ...report }, "effective-dated ownership changes applied");
  },
};
