// On PostgreSQL a lookup's two statements (candidates, owner card) are prepared once per connection
// (src/db/prepared.ts) instead of planned on every lookup, and `?pgbouncer=true` turns that off.
// pg_prepared_statements shows one connection's statements: the lookups here run one after another,
// so the pool hands them, and the query that looks, the same connection (pg's pool reuses the
// connection released last).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { lookupOwner } from "../../src/services/ownership/lookup-owner.ts";
import { settledSearchIndex } from "../../src/services/ownership/search-index-cache.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";

const now = new Date("2026-11-03T10:00:00Z");

type Statement = { name: string; statement: string };

async function preparedOn(db: Database): Promise<Statement[]> {
  return db.prisma.$queryRawUnsafe<Statement[]>(
    `SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'turf\\_%' ORDER BY name`,
  );
}

describe.runIf(databaseKinds().includes("postgres"))("prepared lookup statements (PostgreSQL)", () => {
  let db: TestDatabase;
  let name: string;
  let domain: string;
  beforeAll(async () => {
    db = await freshDatabase("postgres");
    await loadSampleData(db.prisma, now);
    const account = await db.prisma.account.findFirstOrThrow({
      where: { domains: { some: {} } },
      include: { domains: true },
      orderBy: { crmId: "asc" },
    });
    name = account.name;
    domain = account.domains[0]?.domain as string;
  });
  afterAll(async () => db.drop());

  const lookups = async (target: Database) => {
    for (const query of [name, domain, name, domain]) {
      const answer = await lookupOwner(target.prisma, query, { slackUserId: null, now });
      expect(answer.status, query).toBe("found");
    }
    // No index build left running on another connection, which would be the one released last.
    await settledSearchIndex(target.prisma);
  };

  it("prepares the candidate and owner card statements once and reuses them", async () => {
    await lookups(db); // warms the rule book and the fuzzy index, which read on several connections
    const first = await preparedOn(db);
    await lookups(db);
    const again = await preparedOn(db);
    // One candidate statement per kind of query (a name, a domain) and the owner card.
    expect(first.map((s) => s.statement)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`"compactName" IN ($2, $4)`),
        expect.stringContaining(`FROM "AccountDomain" WHERE domain = $2`),
        expect.stringContaining(`AS "ruleBookVersion"`),
      ]),
    );
    expect(first).toHaveLength(3);
    expect(again).toEqual(first);
  });

  it("prepares nothing behind a pooler in transaction mode (pgbouncer=true)", async () => {
    const url = new URL(db.url as string);
    url.searchParams.set("pgbouncer", "true");
    const pooled = await openDatabase({ databaseUrl: url.toString() });
    try {
      await lookups(pooled);
      await lookups(pooled);
      expect(await preparedOn(pooled)).toEqual([]);
    } finally {
      await pooled.close();
    }
  });
});
