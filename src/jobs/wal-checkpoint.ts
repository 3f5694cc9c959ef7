// Keeps the embedded database's WAL bounded while the app runs: PGlite has no checkpointer, so the
// WAL of everything the app writes (Slack actions, sweeps, re-evaluations) would otherwise stay on disk
// until it stops (see db/wal.ts). Each tick only reads how much WAL has been written since the last
// checkpoint and checkpoints once that is enough, so what triggers it is the WAL written, not the time.
// On PostgreSQL it does nothing.
import { checkpointWhenDueOn } from "../db/client.ts";
import type { Job } from "./job.ts";

export const walCheckpointJob: Job = {
  name: "wal-checkpoint",
  async run({ db, logger }) {
    if (await checkpointWhenDueOn(db))
      logger.debug({ job: "wal-checkpoint" }, "checkpointed the embedded database");
  },
};
