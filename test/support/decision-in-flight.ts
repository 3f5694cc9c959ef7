// A decision caught halfway, for tests of what happens while another change holds an account: it has
// changed the owner (and holds the account's lock) but not committed until released.
import { changeOwner } from "../../src/db/ownership.ts";
import type { TestDatabase } from "./databases.ts";

export type DecisionInFlight = {
  /** Commits the decision. */
  release(): void;
  /** Settles once it has committed. */
  decided: Promise<void>;
};

/** Resolves once the decision holds the account (its change made, not committed). */
export async function decisionInFlight(
  db: TestDatabase,
  change: { accountId: string; repId: string; at: Date },
): Promise<DecisionInFlight> {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = () => {};
  const holding = new Promise<void>((resolve) => {
    held = resolve;
  });
  const decided = db.prisma.$transaction(
    async (tx) => {
      await changeOwner(tx, { ...change, ruleId: null, cause: "dispute", note: "Arbiter" });
      held();
      await gate;
    },
    { timeout: 60_000 },
  );
  await Promise.race([holding, decided]);
  return { release, decided };
}

/** Resolves once some session of the test database waits for a lock. */
export async function someoneWaits(db: TestDatabase): Promise<void> {
  for (;;) {
    const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if ((row?.n ?? 0) > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
