// An arbiter decides an account while `turf rules reevaluate` is running, after the run read the book
// and before it wrote that account: the run's change was decided on the old owner, so the decision
// stands, and the run says which account it left alone. PostgreSQL: embedded, a decision cannot come
// in between (one connection).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.ts";
import { type ReevaluatedChange, reevaluateBook } from "../../src/services/ownership/reevaluate-book.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { decisionInFlight, someoneWaits } from "../support/decision-in-flight.ts";

const NOW = new Date("2026-11-02T09:00:00Z");

describe.runIf(databaseKinds().includes("postgres"))("a decision during `rules reevaluate`", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase("postgres");
    await loadSampleData(db.prisma, NOW);
  });
  afterAll(async () => db.drop());

  it("keeps the decision and reports the account it left alone", async () => {
    // An account the rules would move (the sample company has some).
    const wouldMove: ReevaluatedChange[] = [];
    await reevaluateBook(db.prisma, {
      now: NOW,
      actor: "test",
      dryRun: true,
      onChange: (c) => wouldMove.push(c),
    });
    const moving = wouldMove[0];
    if (!moving) throw new Error("the sample company should have an account to move");
    const reps = await db.prisma.rep.findMany({ orderBy: { id: "asc" } });
    const arbiterPick = reps.find((r) => r.id !== moving.fromRepId && r.id !== moving.toRepId);
    if (!arbiterPick) throw new Error("the sample company has too few reps");

    // The arbiter's decision, in flight: it holds the account until released.
    const decision = await decisionInFlight(db, {
      accountId: moving.accountId,
      repId: arbiterPick.id,
      at: NOW,
    });
    const out: string[] = [];
    const run = runCli(["rules", "reevaluate", "--yes"], {
      env: { LOG_LEVEL: "silent" },
      now: NOW,
      database: db,
      out: (line) => out.push(line),
      err: () => {},
    });
    // The run has read the book (the old owner) and waits to write the account.
    await someoneWaits(db);
    decision.release();
    await decision.decided;
    expect(await run).toBe(0);

    const current = await db.prisma.ownership.findMany({
      where: { accountId: moving.accountId, effectiveTo: null },
    });
    expect(current.map((o) => [o.repId, o.cause])).toEqual([[arbiterPick.id, "dispute"]]);
    const text = out.join("\n");
    expect(text).toContain(`left alone: ${moving.name} (${moving.crmId})`);
    expect(text).toMatch(/its owner changed while Turf read the book/);
    expect(text).toMatch(new RegExp(`Changed the owner of ${wouldMove.length - 1} account`));
  }, 60_000);
});
