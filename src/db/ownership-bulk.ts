// Many owner changes at once (re-evaluation of the book): each closes the account's current
// ownership, opens the new one and writes its audit event, all in one transaction. On a client
// openDatabase made, one UPDATE closes the current owners (found by the ownership index, so a batch
// costs its own rows, not a scan of the table) and the new ownership rows and audit events go
// straight into their tables by COPY, as the bench's floor writes them. Inside a caller's transaction
// (a dry run), through that transaction.
import { AUDIT_COLUMNS, OWNERSHIP_COLUMNS } from "./bulk-columns.ts";
import { insertRows } from "./bulk-insert.ts";
import { checkpointWhenDueOn, type Db, type RawSession, rawDriverOf } from "./client.ts";
import { toCopyText } from "./copy-text.ts";
import { orderedId } from "./ordered-ids.ts";

export type OwnerChangeRow = { accountId: string; repId: string | null; ruleId: string | null; note: string };

// One row per change in OWNERSHIP_COLUMNS / AUDIT_COLUMNS order, for both ways of writing them.
// Ids made here (gen_random_uuid() costs PGlite about 0.2 ms a row), growing as the import's do: a
// random one puts each new row on a random page of the primary key.
const ownershipRow = <T>(c: OwnerChangeRow, now: T) => [
  orderedId(),
  c.accountId,
  c.repId,
  c.ruleId,
  c.repId === null ? "white_space" : "rule",
  c.note,
  now,
];
const auditRow = <T, D>(c: OwnerChangeRow, now: T, actor: string, details: D) => [
  now,
  actor,
  "ownership.assigned",
  "account",
  c.accountId,
  c.ruleId,
  details,
];
const auditDetails = (c: OwnerChangeRow) => ({ repId: c.repId, reason: c.note });

/**
 * Locks the accounts of owner changes before their owners are read or closed. KEY SHARE, the lock
 * their new rows' foreign key takes anyway, is enough to wait for changeOwner's FOR UPDATE.
 */
const LOCK_ACCOUNTS = `SELECT a.id FROM "Account" a JOIN unnest($1::text[]) AS c(id) ON a.id = c.id
  ORDER BY a.id FOR KEY SHARE OF a`;
/**
 * Closes the current ownership rows of the accounts $2 at $1. A join with the list rather than
 * "= ANY", which made PostgreSQL scan the whole table for a long list: each account is looked up by
 * index.
 */
const CLOSE_CURRENT_OWNERS = `UPDATE "Ownership" o SET "effectiveTo" = $1::timestamp(3)
  FROM unnest($2::text[]) AS c("accountId") WHERE o."accountId" = c."accountId" AND o."effectiveTo" IS NULL`;
const ownershipTarget = `"Ownership" (${OWNERSHIP_COLUMNS.map((c) => `"${c.name}"`).join(", ")})`;
const auditTarget = `"AuditEvent" (${AUDIT_COLUMNS.map((c) => `"${c.name}"`).join(", ")})`;

// In account-id order, the UPDATE's lookups and the new rows' index entries walk the account-id
// indexes in order rather than at random: 20k changes spread over a 1M book wrote ~8 % faster.
const byAccountId = (changes: readonly OwnerChangeRow[]) =>
  [...changes].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));

/** The changes' new ownership rows and audit events as COPY text, in account-id order. */
function newOwnerRows(changes: readonly OwnerChangeRow[], now: string, actor: string) {
  const sorted = byAccountId(changes);
  return {
    accountIds: sorted.map((c) => c.accountId),
    ownership: toCopyText(sorted.map((c) => ownershipRow(c, now))),
    audit: toCopyText(sorted.map((c) => auditRow(c, now, actor, JSON.stringify(auditDetails(c))))),
  };
}

async function copyNewOwners(tx: RawSession, rows: { ownership: string; audit: string }): Promise<void> {
  await tx.copyIn(ownershipTarget, rows.ownership);
  await tx.copyIn(auditTarget, rows.audit);
}

export async function writeOwnerChanges(
  db: Db,
  changes: readonly OwnerChangeRow[],
  at: { now: Date; actor: string },
): Promise<number> {
  if (changes.length === 0) return 0;
  const driver = rawDriverOf(db);
  if (driver === null) {
    await writeThroughPrisma(db, changes, at);
    return changes.length;
  }
  // Columns are timestamp(3) in UTC (as Prisma writes them); an ISO string keeps the driver from
  // sending the process's local time.
  const now = at.now.toISOString();
  const rows = newOwnerRows(changes, now, at.actor);
  await driver.withRawSession((session) =>
    session.transaction(async (tx) => {
      // The accounts first, as changeOwner locks them: a change of one of them in flight commits
      // before the UPDATE below reads its current owner (else both would open one).
      await tx.query(LOCK_ACCOUNTS, [rows.accountIds]);
      // Before the new rows go in (they are current too).
      await tx.query(CLOSE_CURRENT_OWNERS, [now, rows.accountIds]);
      await copyNewOwners(tx, rows);
    }),
  );
  // A re-evaluation of the whole book writes a batch like this per few thousand changes; embedded,
  // their WAL would stay on disk until the process ends (see wal.ts).
  await checkpointWhenDueOn(db);
  return changes.length;
}

async function writeThroughPrisma(
  db: Db,
  changes: readonly OwnerChangeRow[],
  at: { now: Date; actor: string },
): Promise<void> {
  await db.$transaction(
    async (tx) => {
      await tx.ownership.updateMany({
        where: { accountId: { in: changes.map((c) => c.accountId) }, effectiveTo: null },
        data: { effectiveTo: at.now },
      });
      await insertRows(
        tx,
        "Ownership",
        OWNERSHIP_COLUMNS,
        changes.map((c) => ownershipRow(c, at.now)),
      );
      await insertRows(
        tx,
        "AuditEvent",
        AUDIT_COLUMNS,
        changes.map((c) => auditRow(c, at.now, at.actor, auditDetails(c))),
      );
    },
    { timeout: 120_000 },
  );
}

/**
 * Owner changes whose accounts are known before their new owners are: re-evaluation learns while it
 * reads the book which accounts a territory will hand to the rep with the most room (their owner is
 * not one of its reps), but which rep only once the whole book is read. Their current ownership rows
 * are closed as they are learnt, in one transaction held open until `finish` writes the new rows: the
 * account locks, the close and the WAL they write then cost the database while Turf is still reading,
 * not after. Other readers see the old owners until the commit; a change
 * of one of these accounts elsewhere (changeOwner) waits for it. An account closed here that in the
 * end keeps its owner (its change waits for a later date) gets its row back.
 */
export type OwnersClosedAhead = {
  /** Closes the current ownership rows of these accounts (queued on the transaction). */
  close(accountIds: readonly string[]): void;
  /** Whether `close` was given this account. */
  has(accountId: string): boolean;
  /**
   * Opens the new ownership rows of `changes` (each an account given to `close`) with their audit
   * events, reopens the rows of the accounts closed that have no change, and commits.
   */
  finish(changes: readonly OwnerChangeRow[]): Promise<number>;
  /** Rolls back: every row closed here is current again. */
  abandon(): Promise<void>;
};

/**
 * A transaction for closing owners ahead, on its own PostgreSQL connection; null on any other client
 * (embedded, a transaction held open would hold PGlite's only connection).
 */
export function closeOwnersAhead(db: Db, at: { now: Date; actor: string }): OwnersClosedAhead | null {
  const driver = rawDriverOf(db);
  if (driver === null || driver.kind !== "postgres") return null;
  const now = at.now.toISOString();
  let end: (commit: boolean) => void = () => {};
  const ended = new Promise<boolean>((resolve) => {
    end = resolve;
  });
  let opened: (tx: RawSession) => void = () => {};
  const open = new Promise<RawSession>((resolve) => {
    opened = resolve;
  });
  // Statements on the transaction, in order; until it is open, waiting for it (or for its failure).
  let queue: Promise<RawSession> = open;
  const session = driver.withRawSession((s) =>
    s.transaction(async (tx) => {
      opened(tx);
      const commit = await ended;
      // Statements still queued run before the transaction ends, not after it in a transaction of
      // their own (abandon can come before the first close has even started).
      await queue.catch(() => undefined);
      if (!commit) throw ROLLBACK;
    }),
  );
  // Its failure (no connection, say) is what the queued statements wait on, and what finish throws.
  const running = session.then(() => {
    throw new Error("the transaction closing owners ahead ended before it was finished");
  });
  running.catch(() => undefined);
  queue = Promise.race([open, running]);
  queue.catch(() => undefined);
  const accounts = new Set<string>();
  // The rows closed, by account: put back for an account that in the end keeps its owner.
  const closedRows = new Map<string, string[]>();
  let settled = false;
  return {
    close(accountIds) {
      if (settled) throw new Error("owners closed ahead were already finished");
      if (accountIds.length === 0) return;
      for (const id of accountIds) accounts.add(id);
      const ids = [...accountIds];
      queue = queue.then(async (tx) => {
        // The accounts first, as every owner change locks them (see writeOwnerChanges). This is also
        // the lock the new rows' foreign key takes: on a big book it dirties a page of accounts per
        // change (and, first after a checkpoint, writes the whole page to the WAL), now rather than
        // after the read.
        await tx.query(LOCK_ACCOUNTS, [ids]);
        const rows = await tx.query<{ id: string; accountId: string }>(
          `${CLOSE_CURRENT_OWNERS} RETURNING o.id, o."accountId"`,
          [now, ids],
        );
        for (const r of rows) {
          const list = closedRows.get(r.accountId);
          if (list) list.push(r.id);
          else closedRows.set(r.accountId, [r.id]);
        }
        return tx;
      });
      queue.catch(() => undefined);
    },
    has: (accountId) => accounts.has(accountId),
    async finish(changes) {
      if (settled) throw new Error("owners closed ahead were already finished");
      settled = true;
      try {
        const tx = await queue;
        const changed = new Set<string>();
        for (const c of changes) {
          if (!accounts.has(c.accountId))
            throw new Error(`account ${c.accountId} changes owner but its owner was not closed ahead`);
          changed.add(c.accountId);
        }
        const reopen = [...closedRows].flatMap(([accountId, ids]) => (changed.has(accountId) ? [] : ids));
        if (reopen.length > 0)
          await tx.query(`UPDATE "Ownership" SET "effectiveTo" = NULL WHERE id = ANY($1::text[])`, [reopen]);
        if (changes.length > 0) await copyNewOwners(tx, newOwnerRows(changes, now, at.actor));
      } catch (error) {
        end(false);
        await session.catch(() => undefined);
        throw error;
      }
      end(true);
      await session;
      return changes.length;
    },
    async abandon() {
      if (settled) return;
      settled = true;
      end(false);
      await session.catch(() => undefined);
    },
  };
}

const ROLLBACK = new Error("owners closed ahead: rolled back");
