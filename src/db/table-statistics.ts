// The planner's statistics for tables a bulk write has just changed. PostgreSQL's autovacuum
// analyzes a table once about a tenth of it has changed, but only a while after the commit, and
// PGlite (embedded) has no autovacuum at all; until then the planner guesses at the new rows. Right
// after importing 100k accounts into an empty PostgreSQL book an /owner lookup by name took 24 ms
// instead of 3.4 ms: without statistics, each "LIMIT 50" candidate search looked cheaper as a scan of
// the whole table than through its index.
import type { RawTransaction } from "./client.ts";

/** Autovacuum's defaults: a table is analyzed again once more than 50 rows + 10 % of it changed. */
const CHANGED_ROWS = 50;
const CHANGED_SHARE = 0.1;

/** The planner's row estimate of each table (0 for one never analyzed, vacuumed or indexed). */
export async function estimatedRows(
  session: RawTransaction,
  tables: readonly string[],
): Promise<Map<string, number>> {
  const rows = await session.query<{ table: string; rows: number }>(
    `SELECT relname AS table, greatest(reltuples, 0)::float8 AS rows FROM pg_class
     WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relname = ANY($1::text[])`,
    [tables],
  );
  return new Map(rows.map((r) => [r.table, Number(r.rows)]));
}

/**
 * Analyzes each table for which `changed` rows are as many as autovacuum would wait for, given its
 * estimate before the changes (estimatedRows); returns the tables analyzed. Inside the writer's
 * transaction, so the statistics commit (or roll back) with the rows.
 */
export async function analyzeWhenStale(
  session: RawTransaction,
  before: ReadonlyMap<string, number>,
  changed: number,
): Promise<string[]> {
  const stale = [...before]
    .filter(([, rows]) => changed > CHANGED_ROWS + CHANGED_SHARE * rows)
    .map(([table]) => table);
  if (stale.length > 0) await session.query(`ANALYZE ${stale.map((t) => `"${t}"`).join(", ")}`);
  return stale;
}
