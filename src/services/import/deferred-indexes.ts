// When a big import builds the secondary indexes of the tables it fills at its end rather than
// maintaining them row by row (the SQL and why it is safe: src/db/import-indexes.ts).
//
// The rule, per table: once the import has written as many rows as the table held when it began, its
// indexes are dropped, and they are built again before the import commits; a table that was empty
// has them dropped before the first batch. From that point the build sorts at most about twice the
// rows the import writes, and a build by sort costs a small part of inserting the same rows one by
// one (200k accounts into an empty book: 15 s of writing, then 3.3 s for the checks over the whole
// file and every build), so the worst case, a file that ends right after the drop, costs little; an
// import into an empty or small book, the slow case, gains the most. A re-import that changes little
// never reaches its threshold and keeps the indexes.
//
// On PostgreSQL only a table that was empty when the import began: dropping an index locks its
// table until the import commits, and the app serving Slack from the same database would wait that
// long for a table with rows in it. An empty table has nothing to serve. Embedded, the import holds
// the database alone (one writer, src/db/data-dir.ts), so no one waits.
import type { RawTransaction } from "../../db/client.ts";
import {
  type DeferredIndex,
  dropDeferrableIndexes,
  isEmpty,
  rebuildIndexes,
  storedRows,
} from "../../db/import-indexes.ts";

export type DeferredIndexes = {
  /** Drops the indexes of each table whose threshold the rows written so far have reached. */
  beforeWriting(written: number): Promise<void>;
  /**
   * Builds every dropped index again (before the import commits; a rollback needs none), telling
   * onBuilt how many of how many are done: at 1M accounts this takes a while after the last row.
   */
  rebuild(onBuilt?: (built: number, of: number) => void): Promise<void>;
};

export async function deferredIndexes(
  session: RawTransaction,
  tables: readonly string[],
  database: "embedded" | "postgres",
): Promise<DeferredIndexes> {
  // Rows written by the import at which each table's indexes are dropped.
  const waiting = new Map<string, number>();
  for (const table of tables) {
    if (database === "embedded") waiting.set(table, await storedRows(session, table));
    else if (await isEmpty(session, table)) waiting.set(table, 0);
  }
  const dropped: DeferredIndex[] = [];
  return {
    async beforeWriting(written) {
      for (const [table, threshold] of waiting) {
        if (written < threshold) continue;
        waiting.delete(table);
        dropped.push(...(await dropDeferrableIndexes(session, table)));
      }
    },
    async rebuild(onBuilt) {
      if (dropped.length === 0) return;
      onBuilt?.(0, dropped.length);
      await rebuildIndexes(session, dropped, (built) => onBuilt?.(built, dropped.length));
    },
  };
}
