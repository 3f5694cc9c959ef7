// The labelled query set (test/fixtures/matching) through the database path the app uses:
// candidate retrieval in SQL (exact keys + pg_trgm) and the same ranker. The in-memory accuracy test
// checks the ranker; this checks that retrieval hands it the right candidates.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchAccount } from "../../src/services/ownership/lookup-owner.ts";
import { judge, loadQueries } from "../fixtures/matching/evaluate.ts";
import { loadLabelledBook } from "../fixtures/matching/load-into-db.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";

describe("fuzzy matching through the database (embedded)", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase("embedded");
    await loadLabelledBook(db.prisma);
  });
  afterAll(async () => db.drop());

  it("answers the labelled set with top-1 ≥ 98 % and no wrong answer", async () => {
    const queries = loadQueries();
    let correct = 0;
    const wrong: string[] = [];
    for (const item of queries) {
      const outcome = judge(item, await matchAccount(db.prisma, item.query));
      if (outcome === "correct") correct++;
      if (outcome === "wrong") wrong.push(`${item.query} (expected ${item.expect})`);
    }
    expect(queries.length).toBeGreaterThanOrEqual(500);
    expect(wrong).toEqual([]);
    expect(correct / queries.length).toBeGreaterThanOrEqual(0.98);
  }, 120_000);
});
