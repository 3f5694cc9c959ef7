// Closing an ownership (setting effectiveTo) must be a HOT update: the new row version stays on its
// page and no index gets an entry for it. At 1M accounts that made the closing UPDATE of a
// re-evaluation's 85,805 owners about four times cheaper (4.2 s to 1.0 s on PostgreSQL 15). It holds
// only while no index reads effectiveTo and pages keep room for the new versions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeOwner } from "../../src/db/ownership.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";

describe.each(databaseKinds())("closing an ownership on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await loadSampleData(db.prisma, new Date("2026-11-02T09:00:00Z"));
  });
  afterAll(async () => db.drop());

  it("updates the closed row in place, without new index entries (a HOT update)", async () => {
    const owned = await db.prisma.ownership.findFirstOrThrow({
      where: { effectiveTo: null, repId: { not: null } },
    });
    const other = await db.prisma.rep.findFirstOrThrow({ where: { id: { not: owned.repId as string } } });
    const counts = await db.prisma.$transaction(async (tx) => {
      const changed = await changeOwner(tx, {
        accountId: owned.accountId,
        repId: other.id,
        ruleId: null,
        cause: "manual",
        at: new Date("2026-11-03T10:00:00Z"),
      });
      expect(changed).toBe(true);
      // This transaction's own counts, so nothing else running on the database can blur them.
      const [row] = await tx.$queryRaw<{ updated: number; hot: number }[]>`
        SELECT pg_stat_get_xact_tuples_updated('"Ownership"'::regclass)::int AS updated,
               pg_stat_get_xact_tuples_hot_updated('"Ownership"'::regclass)::int AS hot`;
      return row;
    });
    expect(counts).toEqual({ updated: 1, hot: 1 });
  });

  it("keeps a fifth of each new page free for those row versions", async () => {
    const [table] = await db.prisma.$queryRaw<{ options: string[] | null }[]>`
      SELECT reloptions AS options FROM pg_class WHERE oid = '"Ownership"'::regclass`;
    expect(table?.options).toContain("fillfactor=80");
  });
});
