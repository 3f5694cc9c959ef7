// The embedded database's write-ahead log, kept to a bounded size.
//
// PGlite (0.4.4 on) runs no checkpointer: the one it had deadlocked after ~530 MB of WAL
// (electric-sql/pglite#965), so nothing checkpoints while the process runs and pg_wal grows by every
// byte written (3 GB during a 1M-account import). Nothing in PGlite honours max_wal_size during a run
// either; only its shutdown checkpoint reads it, to decide how many old segments to keep for reuse
// (1 GB by default, which is what was left on disk after closing). So Turf checkpoints itself, once
// enough WAL has been written since the last checkpoint, at the points that write a lot (each import
// batch, each batch of a re-evaluation's owner changes) and on a timer in the app; and it opens PGlite
// with a small max_wal_size so a checkpoint keeps few segments for reuse. PostgreSQL has its own
// checkpointer; none of this runs there.

/**
 * WAL written since the last checkpoint that makes the next one due, in MB. A checkpoint writes out
 * the dirty pages, and the first change to each page after it logs the whole page again, so
 * checkpointing much more often would mostly make more WAL.
 */
export const CHECKPOINT_AFTER_MB = 128;

/**
 * PGlite's start-up settings for the WAL (`-c` parameters). A checkpoint keeps at most max_wal_size
 * of old segments for reuse (the rest are deleted), so with it equal to the checkpoint distance,
 * pg_wal holds about that after closing, and while running that plus what is written between two
 * checks (a 25,000-account import batch just after a checkpoint logs up to ~300 MB, most of it whole
 * pages). min_wal_size is PostgreSQL's floor, two 16 MB segments.
 */
export function walStartParams(checkpointAfterMb: number): string[] {
  return ["-c", `max_wal_size=${Math.max(32, checkpointAfterMb)}MB`, "-c", "min_wal_size=32MB"];
}

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** Bytes of WAL written since the last checkpoint began (its redo point). */
export async function walSinceCheckpoint(query: Query): Promise<number> {
  const [row] = await query(
    "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::float8 AS bytes FROM pg_control_checkpoint()",
  );
  return Number(row?.bytes ?? 0);
}

/**
 * Checkpoints once checkpointAfterMb of WAL has been written since the last checkpoint, so the
 * segments before it can go. Safe inside a transaction (an import's): a checkpoint does not wait for
 * open transactions, and an open transaction does not hold WAL back. Returns whether it checkpointed.
 */
export async function checkpointWhenDue(query: Query, checkpointAfterMb: number): Promise<boolean> {
  if ((await walSinceCheckpoint(query)) < checkpointAfterMb * 2 ** 20) return false;
  await query("CHECKPOINT");
  return true;
}
