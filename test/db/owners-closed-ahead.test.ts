// Re-evaluation closes the owners of accounts about to change hands while it still reads the book,
// and writes their new owners once decided (src/db/ownership-bulk.ts, closeOwnersAhead). Whatever
// happens in between, each account must end with exactly one current owner: the new one when it
// changed, its old row (the same row) when it did not, and all old rows when the run gives up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeOwner } from "../../src/db/ownership.ts";
import { closeOwnersAhead, writeOwnerChanges } from "../../src/db/ownership-bulk.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { decisionInFlight, someoneWaits } from "../support/decision-in-flight.ts";

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
  const from = (a: (typeof accounts)[0]) => ({ accountId: a.accountId, fromRepId: a.repId });

  it("opens the new owners on finish and gives the accounts that kept theirs their own row back", async () => {
    const [a, b, c] = accounts as [(typeof accounts)[0], (typeof accounts)[0], (typeof accounts)[0]];
    const ahead = closeOwnersAhead(db.prisma, { now, actor: "test" });
    if (ahead === null) throw new Error("PostgreSQL should hold a transaction open");
    ahead.close([from(a), from(b)]);
    ahead.close([from(c)]);
    expect(ahead.has(c.accountId)).toBe(true);
    expect(ahead.has(accounts[3]?.accountId as string)).toBe(false);
    // Until the commit, everyone else still sees the old owners.
    expect((await current(a.accountId)).map((o) => o.id)).toEqual([a.ownershipId]);

    const changed = await ahead.finish([
      { ...from(a), repId: otherRep, ruleId: null, note: "Most room" },
      { ...from(b), repId: null, ruleId: null, note: "No rule assigns this account" },
    ]);
    expect(changed).toEqual({ written: 2, changedMeanwhile: [] });

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
    abandoned?.close([from(d)]);
    await abandoned?.abandon();
    expect(await current(d.accountId)).toEqual(before);

    const wrong = closeOwnersAhead(db.prisma, { now: later, actor: "test" });
    wrong?.close([from(d)]);
    await expect(
      wrong?.finish([{ accountId: "not-closed", fromRepId: null, repId: otherRep, ruleId: null, note: "x" }]),
    ).rejects.toThrow(/not-closed changes owner but its owner was not closed ahead/);
    expect(await current(d.accountId)).toEqual(before);
    expect(await db.prisma.ownership.count({ where: { effectiveFrom: later } })).toBe(0);
  });
});

// A change of one account (an arbiter's decision, a signal's claim) while re-evaluation writes the
// same account. Neither may read the current owner before the other commits, or both open one. The
// decision stands either way: after re-evaluation's commit it closes re-evaluation's owner; before
// it, re-evaluation finds the owner it decided from gone and leaves the account.
describe.runIf(databaseKinds().includes("postgres"))("one account changed twice at once (PostgreSQL)", () => {
  let db: TestDatabase;
  let reps: string[];

  beforeAll(async () => {
    db = await freshDatabase("postgres");
    await loadSampleData(db.prisma, t0);
    reps = (await db.prisma.rep.findMany({ orderBy: { id: "asc" }, take: 2 })).map((r) => r.id);
  });
  afterAll(async () => db.drop());

  const ownedAccount = async (skip: number) =>
    (
      await db.prisma.ownership.findFirstOrThrow({
        where: { effectiveTo: null, repId: { notIn: reps } },
        orderBy: { accountId: "asc" },
        skip,
      })
    ).accountId;
  const current = async (accountId: string) =>
    db.prisma.ownership.findMany({ where: { accountId, effectiveTo: null } });
  const ownerOf = async (accountId: string) => (await current(accountId))[0]?.repId ?? null;
  const decide = (accountId: string, repId: string, at: Date) =>
    db.prisma.$transaction(
      (tx) => changeOwner(tx, { accountId, repId, ruleId: null, cause: "dispute", note: "Arbiter", at }),
      { timeout: 30_000 },
    );

  it("a decision while re-evaluation holds the account waits, then closes re-evaluation's owner", async () => {
    const accountId = await ownedAccount(0);
    const ahead = closeOwnersAhead(db.prisma, { now, actor: "test" });
    if (ahead === null) throw new Error("PostgreSQL should hold a transaction open");
    ahead.close([{ accountId, fromRepId: await ownerOf(accountId) }]);
    // The close has run once the old row is locked: a NOWAIT lock of it fails.
    const [old] = await current(accountId);
    for (;;) {
      const locked = await db.prisma
        .$transaction(
          (tx) => tx.$queryRaw`SELECT id FROM "Ownership" WHERE id = ${old?.id} FOR UPDATE NOWAIT`,
        )
        .then(
          () => false,
          () => true,
        );
      if (locked) break;
    }
    const decided = decide(accountId, reps[1] as string, new Date(now.getTime() + 1000));
    await someoneWaits(db);
    const fromRepId = await ownerOf(accountId);
    await ahead.finish([{ accountId, fromRepId, repId: reps[0] as string, ruleId: null, note: "Most room" }]);
    expect(await decided).toBe(true);
    const owners = await current(accountId);
    expect(owners.map((o) => [o.repId, o.cause])).toEqual([[reps[1], "dispute"]]);
    const reevaluated = await db.prisma.ownership.findFirstOrThrow({
      where: { accountId, note: "Most room" },
    });
    expect(reevaluated.effectiveTo).toEqual(new Date(now.getTime() + 1000));
  });

  it("re-evaluation's batch waits for a decision in flight, then leaves the decided owner", async () => {
    const accountId = await ownedAccount(1);
    const fromRepId = await ownerOf(accountId);
    const decision = await decisionInFlight(db, { accountId, repId: reps[1] as string, at: now });
    const later = new Date(now.getTime() + 2000);
    const written = writeOwnerChanges(
      db.prisma,
      [{ accountId, fromRepId, repId: reps[0] as string, ruleId: null, note: "Most room" }],
      { now: later, actor: "test" },
    );
    await someoneWaits(db);
    decision.release();
    await decision.decided;
    // The batch was decided from the owner before the decision: out of date, so not written.
    expect(await written).toEqual({ written: 0, changedMeanwhile: [accountId] });
    expect((await current(accountId)).map((o) => [o.repId, o.cause])).toEqual([[reps[1], "dispute"]]);
    expect(await db.prisma.ownership.count({ where: { accountId, note: "Most room" } })).toBe(0);
  });

  it("closing ahead leaves out an account decided since the book was read, and finish skips its change", async () => {
    const [decidedAccount, otherAccount] = [await ownedAccount(2), await ownedAccount(3)];
    const read = [
      { accountId: decidedAccount, fromRepId: await ownerOf(decidedAccount) },
      { accountId: otherAccount, fromRepId: await ownerOf(otherAccount) },
    ];
    expect(await decide(decidedAccount, reps[1] as string, now)).toBe(true);
    const later = new Date(now.getTime() + 3000);
    const ahead = closeOwnersAhead(db.prisma, { now: later, actor: "test" });
    if (ahead === null) throw new Error("PostgreSQL should hold a transaction open");
    ahead.close(read);
    const result = await ahead.finish(
      read.map((r) => ({ ...r, repId: reps[0] as string, ruleId: null, note: "Most room" })),
    );
    expect(result).toEqual({ written: 1, changedMeanwhile: [decidedAccount] });
    expect((await current(decidedAccount)).map((o) => [o.repId, o.cause])).toEqual([[reps[1], "dispute"]]);
    expect((await current(otherAccount)).map((o) => [o.repId, o.note])).toEqual([[reps[0], "Most room"]]);
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

// The same on every database, one after the other: a batch decided from an owner that has changed
// since (an arbiter decided in between) writes the rest and leaves that account as decided.
describe.each(databaseKinds())("a batch decided from an out-of-date owner (%s)", (kind) => {
  it("writes the other changes and leaves the decided account alone", async () => {
    const db = await freshDatabase(kind);
    try {
      await loadSampleData(db.prisma, t0);
      const reps = (await db.prisma.rep.findMany({ orderBy: { id: "asc" }, take: 2 })).map((r) => r.id);
      const owned = await db.prisma.ownership.findMany({
        where: { effectiveTo: null, repId: { notIn: reps } },
        orderBy: { accountId: "asc" },
        take: 2,
      });
      const [decided, other] = owned as [(typeof owned)[0], (typeof owned)[0]];
      await db.prisma.$transaction((tx) =>
        changeOwner(tx, {
          accountId: decided.accountId,
          repId: reps[1] as string,
          ruleId: null,
          cause: "dispute",
          note: "Arbiter",
          at: now,
        }),
      );
      const later = new Date(now.getTime() + 1000);
      const result = await writeOwnerChanges(
        db.prisma,
        [decided, other].map((o) => ({
          accountId: o.accountId,
          fromRepId: o.repId,
          repId: reps[0] as string,
          ruleId: null,
          note: "Most room",
        })),
        { now: later, actor: "test" },
      );
      expect(result).toEqual({ written: 1, changedMeanwhile: [decided.accountId] });
      const owners = await db.prisma.ownership.findMany({
        where: { accountId: { in: [decided.accountId, other.accountId] }, effectiveTo: null },
      });
      expect(owners.map((o) => [o.accountId, o.repId, o.cause]).sort()).toEqual(
        [
          [decided.accountId, reps[1], "dispute"],
          [other.accountId, reps[0], "rule"],
        ].sort(),
      );
    } finally {
      await db.drop();
    }
  });
});
