// Periodic work. Deadlines are stored in the database and claimed atomically by whichever instance
// sweeps first, so a restart or several instances never lose or double a notice. An interval timer
// here only decides *when to look*; what is due is always read from the database.
//
// Isolation: every job runs on its own; a run that is still going when the next tick comes is not
// started again, and the others run regardless. A run past its deadline is logged (and its own
// Slack calls time out in the transport), so one stuck job never freezes the rest.
import { disputeSweepJob } from "./dispute-sweep.ts";
import { hygieneStaleJob } from "./hygiene-stale.ts";
import { hygieneWhiteSpaceJob } from "./hygiene-white-space.ts";
import { type Job, type JobDeps, jobDeadlineMs } from "./job.ts";
import { outboxJob } from "./outbox.ts";
import { pendingChangesApplyJob } from "./pending-changes-apply.ts";
import { rebalanceApplyJob } from "./rebalance-apply.ts";
import { signalDeliveryJob } from "./signal-delivery.ts";
import { walCheckpointJob } from "./wal-checkpoint.ts";

export type { Job, JobDeps, NoticeComposer } from "./job.ts";

export const JOBS: Job[] = [
  rebalanceApplyJob,
  disputeSweepJob,
  outboxJob,
  signalDeliveryJob,
  hygieneWhiteSpaceJob,
  hygieneStaleJob,
  pendingChangesApplyJob,
  walCheckpointJob,
];

/** Runs each job once, in parallel, skipping those whose previous run has not finished. */
export function createJobRunner(deps: JobDeps, jobs: readonly Job[] = JOBS) {
  const running = new Map<string, Promise<void>>();
  const deadlineMs = jobDeadlineMs(deps.env.TURF_SWEEP_INTERVAL_SECONDS);
  const runOne = (job: Job): Promise<void> => {
    if (running.has(job.name)) {
      deps.logger.warn({ job: job.name }, "job still running from an earlier tick; this tick skips it");
      return Promise.resolve();
    }
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        deps.logger.error({ job: job.name, deadlineMs }, "job run passed its deadline; the other jobs go on");
        resolve();
      }, deadlineMs);
      timer.unref();
    });
    const run = job
      .run(deps)
      .catch((error: unknown) => {
        deps.logger.error({ err: error, job: job.name }, "job failed; it will run again at the next tick");
      })
      .finally(() => {
        clearTimeout(timer);
        running.delete(job.name);
      });
    running.set(job.name, run);
    // The tick waits for the run or its deadline, whichever is first; the run itself goes on.
    return Promise.race([run, overdue]);
  };
  return {
    tick: () => Promise.all(jobs.map(runOne)).then(() => undefined),
    /** Every run still going (for a clean stop). */
    settled: () => Promise.all([...running.values()]).then(() => undefined),
  };
}

export function startJobs(deps: JobDeps): { stop(): Promise<void> } {
  const runner = createJobRunner(deps);
  const timer = setInterval(() => void runner.tick(), deps.env.TURF_SWEEP_INTERVAL_SECONDS * 1000);
  void runner.tick();
  return {
    async stop() {
      clearInterval(timer);
      await runner.settled();
    },
  };
}
