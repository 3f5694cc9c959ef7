// A dispute step a person waits for in Slack (filing, deciding, signing off) runs in one transaction
// whose lock waits are bounded (db/lock-waits.ts): waiting longer for an account another change holds
// (a re-evaluation of a big book holds its accounts for its whole run) rolls it all back, and the
// answer is BUSY, in time for Slack's 3 s.
import type { Db, Tx } from "../../db/client.ts";
import { DISPUTE_LOCK_WAIT_MS, isLockWaitOver, waitForLocksAtMost } from "../../db/lock-waits.ts";
import { type Result, refuse } from "../../domain/app-error.ts";

const BUSY = refuse(
  "busy",
  "gave up waiting for a lock another transaction holds",
  "Turf is saving another change to this account right now (a re-evaluation of the book, say), so nothing was changed. Try again in a minute.",
);

type Busy = typeof BUSY.error;

export async function boundedTransaction<T, E>(
  db: Db,
  lockWaitMs: number | undefined,
  fn: (tx: Tx) => Promise<Result<T, E>>,
): Promise<Result<T, E | Busy>> {
  try {
    return await db.$transaction(async (tx) => {
      await waitForLocksAtMost(tx, lockWaitMs ?? DISPUTE_LOCK_WAIT_MS);
      return fn(tx);
    });
  } catch (error) {
    if (isLockWaitOver(error)) return BUSY;
    throw error;
  }
}
