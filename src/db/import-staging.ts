// What the staged imports (accounts, opportunities) share: COPY text for a staging table, the
// duplicate-key check, paging a plan table in file order, and the import's own audit event. A staged
// import runs in one raw transaction (Database.withRawTransaction): rows are COPied into a temporary
// table as the file streams in, checked and resolved there with set-based SQL, and only rows whose
// values change are written, in chunks so progress counts rows written.
import type { RawTransaction } from "./client.ts";

export type StagingSession = RawTransaction;

export type CopyCell = string | number | boolean | Date | null;

// COPY's text format gives a meaning to the backslash and to tab, newline and carriage return.
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function copyCell(value: CopyCell): string {
  if (value === null) return "\\N";
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === "string" ? value : String(value);
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPED[c] as string) : text;
}

/** One row of COPY text (tab-separated, \N for null, newline-terminated). */
export function copyLine(cells: readonly CopyCell[]): string {
  let line = copyCell(cells[0] ?? null);
  for (let i = 1; i < cells.length; i++) line += `\t${copyCell(cells[i] ?? null)}`;
  return `${line}\n`;
}

/**
 * Settings for the import's transaction: a batch's sorts and hashes stay in memory (16 MB holds a
 * batch's widest sort, about 8 MB), while the checks over the whole plan (duplicate keys) spill to
 * disk rather than grow: embedded, every megabyte PGlite takes is the Node process's and is never
 * given back (at 64 MB the duplicate-key check alone took 100 MB at 1M accounts). And no JIT
 * (PostgreSQL compiled each batch's plan statement again, a third of a second each, for queries that
 * run in a fraction of that).
 */
export async function prepareSession(session: StagingSession): Promise<void> {
  await session.query("SET LOCAL work_mem = '16MB'");
  await session.query("SET LOCAL jit = off");
}

/** Empties a batch table for the next batch. */
export async function clearBatch(session: StagingSession, table: string): Promise<void> {
  await session.query(`TRUNCATE ${table}`);
}

export type DuplicateKey = { line: number; key: string; firstLine: number };

/** Rows whose key (compared case-insensitively) an earlier row already has, in file order. */
export async function duplicateKeys(
  session: StagingSession,
  table: string,
  limit: number,
): Promise<DuplicateKey[]> {
  return session.query<DuplicateKey>(
    `WITH twice AS (SELECT lower(crm_id) AS key FROM ${table} GROUP BY 1 HAVING count(*) > 1)
     SELECT line, key, "firstLine" FROM (
       SELECT s.line, t.key, min(s.line) OVER (PARTITION BY t.key) AS "firstLine"
       FROM ${table} s JOIN twice t ON t.key = lower(s.crm_id)
     ) d
     WHERE line > "firstLine" ORDER BY line LIMIT $1`,
    [limit],
  );
}

/**
 * Rows of a plan table in file order, page by page (keyset on seq, which the plan's index covers),
 * so a change list of any length reaches its file without being held.
 */
export async function* planPages<T extends { seq: number }>(
  session: StagingSession,
  select: string,
  where: string,
  pageSize = 5000,
): AsyncGenerator<T[]> {
  let after = 0;
  for (;;) {
    const rows = await session.query<T>(`${select} WHERE ${where} AND seq > $1 ORDER BY seq LIMIT $2`, [
      after,
      pageSize,
    ]);
    if (rows.length === 0) return;
    yield rows;
    after = (rows.at(-1) as T).seq;
    if (rows.length < pageSize) return;
  }
}

export async function recordImportAudit(
  session: StagingSession,
  event: { actor: string; kind: string; at: Date; details: Record<string, unknown> },
): Promise<void> {
  await session.query(
    `INSERT INTO "AuditEvent" (at, actor, action, "subjectType", "subjectId", details)
     VALUES ($1::timestamp(3), $2, $3, 'import', $4, $5::jsonb)`,
    [event.at.toISOString(), event.actor, `import.${event.kind}`, event.kind, JSON.stringify(event.details)],
  );
}
