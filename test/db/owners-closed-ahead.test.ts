// Re-evaluation closes the owners of accounts about to change hands while it still reads the book,
// and writes their new owners once decided (src/db/ownership-bulk.ts, closeOwnersAhead). Whatever
// happens in between, each account must end with exactly one current owner: the new one when it
// changed, its old row (the same row) when it did not, and all old rows when the run gives up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeOwnersAhead } from "../../src/db/ownership-bulk.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";

const t0 = new Date("2026-11-02T09:00:00Z");
const now = new Date("2026-11-03T10:11:12.345Z");

describe.runIf(databaseKinds().includes("postgres"))("owners closed ahead (PostgreSQL)", () => {
  let db: TestDatabase;
  let accounts: { accountId: string; ownershipId: string; repId: string | null }[];
  let otherRep: string;

  beforeAll(async () => {
    db = await freshDatabase("postgres");
    await loadSampleData(db.prisma, t0);
    const owned = await db.prisma.ownership.findMany({
      where: { effectiveTo: null, repId: { not: null } },
      orderBy: { accountId: "asc" },
      take: 4,
    });
    expect(owned).toHaveLength(4);
    accounts = owned.map((o) => ({ accountId: o.accountId, ownershipId: o.id, repId: o.repId }));
    const rep = await db.prisma.rep.findFirstOrThrow({
      where: { id: { notIn: owned.map((o) => o.repId as string) } },
    });
    otherRep = rep.id;
  });
  afterAll(async () => db.drop());

  const current = async (accountId: string) =>
    db.prisma.ownership.findMany({ where: { accountId, effectiveTo: null } });

  it("opens the new owners on finish and gives the accounts that kept theirs their own row back", async () => {
    const [a, b, c] = accounts as [(typeof accounts)[0], (typeof accounts)[0], (typeof accounts)[0]];
    const ahead = closeOwnersAhead(db.prisma, { now, actor: "test" });
    if (ahead === null) throw new Error("PostgreSQL should hold a transaction open");
    ahead.close([a.accountId, b.accountId]);
    ahead.close([c.accountId]);
    expect(ahead.has(c.accountId)).toBe(true);
    expect(ahead.has(accounts[3]?.accountId as string)).toBe(false);
    // Until the commit, everyone else still sees the old owners.
    expect((await current(a.accountId)).map((o) => o.id)).toEqual([a.ownershipId]);

    const changed = await ahead.finish([
      { accountId: a.accountId, repId: otherRep, ruleId: null, note: "Most room" },
      { accountId: b.accountId, repId: null, ruleId: null, note: "No rule assigns this account" },
    ]);
    expect(changed).toBe(2);

    const [nowA] = await current(a.accountId);
    expect(nowA).toMatchObject({ repId: otherRep, cause: "rule", note: "Most room", effectiveFrom: now });
    expect((await current(b.accountId)).map((o) => [o.repId, o.cause])).toEqual([[null, "white_space"]]);
    const closed = await db.prisma.ownership.findUniqueOrThrow({ where: { id: a.ownershipId } });
    expect(closed.effectiveTo).toEqual(now);
    // c kept its owner: the very row it had, current again.
    expect((await current(c.accountId)).map((o) => o.id)).toEqual([c.ownershipId]);
    const events = await db.prisma.auditEvent.findMany({ where: { at: now, actor: "test" } });
    expect(events.map((e) => e.subjectId).sort()).toEqual([a.accountId, b.accountId].sort());
  });

  it("puts every closed owner back when the run gives up, or finishes with an account it did not close", async () => {
    const d = accounts[3] as (typeof accounts)[0];
    const before = await current(d.accountId);
    const later = new Date(now.getTime() + 60_000);

    const abandoned = closeOwnersAhead(db.prisma, { now: later, actor: "test" });
    abandoned?.close([d.accountId]);
    await abandoned?.abandon();
    expect(await current(d.accountId)).toEqual(before);

    const wrong = closeOwnersAhead(db.prisma, { now: later, actor: "test" });
    wrong?.close([d.accountId]);
    await expect(
      wrong?.finish([{ accountId: "not-closed", repId: otherRep, ruleId: null, note: "x" }]),
    ).rejects.toThrow(/not-closed changes owner but its owner was not closed ahead/);
    expect(await current(d.accountId)).toEqual(before);
    expect(await db.prisma.ownership.count({ where: { effectiveFrom: later } })).toBe(0);
  });
});

describe("owners closed ahead (embedded)", () => {
  it("is not offered: a transaction held open would hold PGlite's only connection", async () => {
    const db = await freshDatabase("embedded");
    try {
      expect(closeOwnersAhead(db.prisma, { now, actor: "test" })).toBeNull();
    } finally {
      await db.drop();
    }
  });
});
