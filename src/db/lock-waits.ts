// How long a transaction answering a person waits for a row another transaction holds. A re-evaluation
// of a big book holds its accounts' locks while it runs (at 1M accounts, several seconds: see
// ownership-bulk.ts), and a dispute step that changes one of those accounts' owner (a decision, or a
// filing a rule already decides) would wait for all of it, past Slack's 3 s for an answer. With a
// bound, the step gives up, rolls back whole, and the person is asked to try again.
import type { Tx } from "./client.ts";

/** Leaves Slack's 3 s room for the rest of the answer. */
export const DISPUTE_LOCK_WAIT_MS = 1_500;

/** PostgreSQL's lock_not_available: a statement gave up waiting for a lock (lock_timeout or NOWAIT). */
const LOCK_NOT_AVAILABLE = "55P03";

/** For the rest of the transaction, a statement that waits longer than `ms` for a lock fails instead. */
export async function waitForLocksAtMost(tx: Tx, ms: number): Promise<void> {
  await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(ms))}`);
}

/** Whether the error is a statement giving up on a lock (as Prisma's driver adapters report it). */
export function isLockWaitOver(error: unknown): boolean {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } })?.meta
    ?.driverAdapterError?.cause;
  return cause?.originalCode === LOCK_NOT_AVAILABLE;
}
