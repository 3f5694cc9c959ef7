// The secondary indexes a big import builds once at its end instead of maintaining row by row.
//
// Inserting a million accounts one row at a time into their indexes (a GIN trigram index on
// "compactName" and nine B-trees over Account, AccountDomain, Ownership and AuditEvent; two more on
// Opportunity) is most of what a large import costs: each row lands on a random page of each index,
// and at 1M rows the indexes no longer fit in shared_buffers (embedded, with 32 MB of them, the 1M
// import took 737 s; its indexes built at the end, 128 s).
// Building an index by one sort of the finished table costs a fraction of that. So an import drops
// the indexes it never reads of the tables it fills, loads, and creates them again before it commits.
//
// All of it happens inside the import's one transaction: PostgreSQL's DDL is transactional, so a
// failed import, a rollback (dry run) or a process that dies half-way (the next open recovers and
// discards the unfinished transaction) leaves every index exactly as it was. Nothing is ever
// committed without its indexes, so there is nothing to repair on the next open.
//
// Kept always: primary keys and unique indexes (the import's duplicate checks and its upserts by CRM
// id rely on them, and foreign keys check against primary keys), and the indexes the import's own
// statements read (below), without which each batch would scan what earlier batches wrote.
import type { RawTransaction } from "./client.ts";

/** A dropped index: its table and the statement that creates it again (pg_indexes.indexdef). */
export type DeferredIndex = { name: string; table: string; definition: string };

/** Read by the accounts import's plan (the account's current owner) and by its closing of owners. */
const READ_BY_IMPORT = ["Ownership_accountId_idx"];

/**
 * Memory for each index build's sort. Embedded it comes out of the Node process and is never given
 * back (PGlite's heap only grows), so it is kept well inside the import's 500 MB; a bigger sort spills
 * to disk in a few merge passes, which costs little next to the build itself.
 */
const BUILD_MEMORY = "32MB";

/** Rows stored in the table (embedded, whether and how far an import's writes outnumber them). */
export async function storedRows(session: RawTransaction, table: string): Promise<number> {
  const [row] = await session.query<{ n: number }>(`SELECT count(*)::float8 AS n FROM "${table}"`);
  return Number(row?.n ?? 0);
}

/** Whether the table has no row (without counting a big one). */
export async function isEmpty(session: RawTransaction, table: string): Promise<boolean> {
  const [row] = await session.query<{ empty: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM "${table}") AS empty`,
  );
  return row?.empty === true;
}

/**
 * Drops the table's indexes that an import may defer (not a primary key, not unique, not backing a
 * constraint, not read by the import) and returns them, to be created again by rebuildIndexes.
 */
export async function dropDeferrableIndexes(
  session: RawTransaction,
  table: string,
): Promise<DeferredIndex[]> {
  const indexes = await session.query<DeferredIndex>(
    `SELECT i.indexname AS name, i.tablename AS table, i.indexdef AS definition
     FROM pg_indexes i
     JOIN pg_class c ON c.relname = i.indexname
     JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = i.schemaname
     JOIN pg_index x ON x.indexrelid = c.oid
     WHERE i.schemaname = current_schema() AND i.tablename = $1
       AND NOT x.indisunique AND NOT x.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
       AND i.indexname <> ALL ($2::text[])
     ORDER BY i.indexname`,
    [table, READ_BY_IMPORT],
  );
  for (const index of indexes) await session.query(`DROP INDEX "${index.name}"`);
  return indexes;
}

/** Creates the dropped indexes again, each by one sort of its table. */
export async function rebuildIndexes(
  session: RawTransaction,
  indexes: readonly DeferredIndex[],
  onBuilt?: (built: number) => void,
): Promise<void> {
  if (indexes.length === 0) return;
  await session.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY}'`);
  let built = 0;
  for (const index of indexes) {
    await session.query(index.definition);
    onBuilt?.(++built);
  }
}
