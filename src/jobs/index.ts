// Periodic work. Deadlines are stored in the database and claimed atomically by whichever instance
// sweeps first, so a restart or several instances never lose or double a notice. An interval timer
// here only decides *when to look*; what is due is always read from the database.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Clock } from "../config/clock.ts";
import type { AppEnv } from "../config/env.ts";
import type { Db } from "../db/client.ts";
import type { Services } from "../services/index.ts";
import { disputeSweepJob } from "./dispute-sweep.ts";
import { hygieneStaleJob } from "./hygiene-stale.ts";
import { hygieneWhiteSpaceJob } from "./hygiene-white-space.ts";
import { pendingChangesApplyJob } from "./pending-changes-apply.ts";
import { rebalanceApplyJob } from "./rebalance-apply.ts";

export type JobDeps = {
  db: Db;
  services: Services;
  logger: Logger;
  env: AppEnv;
  clock: Clock;
  client: WebClient;
};

export type Job = { name: string; run(deps: JobDeps): Promise<void> };

export const JOBS: Job[] = [
  rebalanceApplyJob,
  disputeSweepJob,
  hygieneWhiteSpaceJob,
  hygieneStaleJob,
  pendingChangesApplyJob,
];

export function startJobs(deps: JobDeps): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(async () => {
      for (const job of JOBS) {
        try {
          await job.run(deps);
        } catch (error) {
          deps.logger.error({ err: error, job: job.name }, "job failed; it will run again at the next tick");
        }
      }
    });
  };
  const timer = setInterval(tick, deps.env.TURF_SWEEP_INTERVAL_SECONDS * 1000);
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
