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

/** A change of owner, decided while the account's owner was `fromRepId`. */
export type OwnerChangeRow = {
  accountId: string;
  fromRepId: string | null;
  repId: string | null;
  ruleId: string | null;
  note: string;
};

/** What a batch of changes wrote, and the accounts it left alone (see CHANGED_MEANWHILE). */
export type OwnerChangesWritten = { written: number; changedMeanwhile: string[] };

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
 * Of the (locked) accounts $1, those whose current owner is no longer $2, the owner their change was
 * decided from: another change (an arbiter's decision, say) came in between. Such a change is not
 * written: it was decided on what is now out of date, and the decision's rule decides the account
 * at the next re-evaluation.
 */
const CHANGED_MEANWHILE = `SELECT DISTINCT o."accountId" FROM "Ownership" o
  JOIN unnest($1::text[], $2::text[]) AS c("accountId", "fromRepId") ON o."accountId" = c."accountId"
  WHERE o."effectiveTo" IS NULL AND o."repId" IS DISTINCT FROM c."fromRepId"`;
/** CHANGED_MEANWHILE's parameters: the accounts and the owners their changes were decided from. */
const fromOwners = (changes: readonly { accountId: string; fromRepId: string | null }[]) => [
  changes.map((c) => c.accountId),
  changes.map((c) => c.fromRepId),
];
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

/** The changes without those of the accounts listed. */
function without(changes: readonly OwnerChangeRow[], accountIds: readonly string[]): OwnerChangeRow[] {
  const left = new Set(accountIds);
  return changes.filter((c) => !left.has(c.accountId));
}

export async function writeOwnerChanges(
  db: Db,
  changes: readonly OwnerChangeRow[],
  at: { now: Date; actor: string },
): Promise<OwnerChangesWritten> {
  if (changes.length === 0) return { written: 0, changedMeanwhile: [] };
  const driver = rawDriverOf(db);
  if (driver === null) return writeThroughPrisma(db, changes, at);
  // Columns are timestamp(3) in UTC (as Prisma writes them); an ISO string keeps the driver from
  // sending the process's local time.
  const now = at.now.toISOString();
  let rows = newOwnerRows(changes, now, at.actor);
  let changedMeanwhile: string[] = [];
  await driver.withRawSession((session) =>
    session.transaction(async (tx) => {
      // The accounts first, as changeOwner locks them: a change of one of them in flight commits
      // before the reads below, which then see it.
      await tx.query(LOCK_ACCOUNTS, [rows.accountIds]);
      changedMeanwhile = (await tx.query<{ accountId: string }>(CHANGED_MEANWHILE, fromOwners(changes))).map(
        (r) => r.accountId,
      );
      if (changedMeanwhile.length > 0) rows = newOwnerRows(without(changes, changedMeanwhile), now, at.actor);
      if (rows.accountIds.length === 0) return;
      // Before the new rows go in (they are current too).
      await tx.query(CLOSE_CURRENT_OWNERS, [now, rows.accountIds]);
      await copyNewOwners(tx, rows);
    }),
  );
  // A re-evaluation of the whole book writes a batch like this per few thousand changes; embedded,
  // their WAL would stay on disk until the process ends (see wal.ts).
  await checkpointWhenDueOn(db);
  return { written: rows.accountIds.length, changedMeanwhile };
}

async function writeThroughPrisma(
  db: Db,
  changes: readonly OwnerChangeRow[],
  at: { now: Date; actor: string },
): Promise<OwnerChangesWritten> {
  return db.$transaction(
    async (tx) => {
      const accountIds = changes.map((c) => c.accountId);
      await tx.$queryRawUnsafe(LOCK_ACCOUNTS, accountIds);
      const changedMeanwhile = (
        await tx.$queryRawUnsafe<{ accountId: string }[]>(CHANGED_MEANWHILE, ...fromOwners(changes))
      ).map((r) => r.accountId);
      const writing = without(changes, changedMeanwhile);
      await tx.ownership.updateMany({
        where: { accountId: { in: writing.map((c) => c.accountId) }, effectiveTo: null },
        data: { effectiveTo: at.now },
      });
      await insertRows(
        tx,
        "Ownership",
        OWNERSHIP_COLUMNS,
        writing.map((c) => ownershipRow(c, at.now)),
      );
      await insertRows(
        tx,
        "AuditEvent",
        AUDIT_COLUMNS,
        writing.map((c) => auditRow(c, at.now, at.actor, auditDetails(c))),
      );
      return { written: writing.length, changedMeanwhile };
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
  /**
   * Closes the current ownership rows of these accounts (queued on the transaction), each as long as
   * its owner is still the one given (else its change is left alone: see CHANGED_MEANWHILE).
   */
  close(accounts: readonly { accountId: string; fromRepId: string | null }[]): void;
  /** Whether `close` was given this account. */
  has(accountId: string): boolean;
  /**
   * Opens the new ownership rows of `changes` (each an account given to `close`) with their audit
   * events, reopens the rows of the accounts closed that have no change, and commits. The changes of
   * accounts whose owner had changed meanwhile are not written.
   */
  finish(changes: readonly OwnerChangeRow[]): Promise<OwnerChangesWritten>;
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
  // Accounts given to close whose owner had changed since their change was decided: not closed.
  const changedMeanwhile = new Set<string>();
  let settled = false;
  return {
    close(toClose) {
      if (settled) throw new Error("owners closed ahead were already finished");
      if (toClose.length === 0) return;
      for (const a of toClose) accounts.add(a.accountId);
      const given = [...toClose];
      queue = queue.then(async (tx) => {
        let ids = given.map((a) => a.accountId);
        // The accounts first, as every owner change locks them (see writeOwnerChanges). This is also
        // the lock the new rows' foreign key takes: on a big book it dirties a page of accounts per
        // change (and, first after a checkpoint, writes the whole page to the WAL), now rather than
        // after the read.
        await tx.query(LOCK_ACCOUNTS, [ids]);
        const meanwhile = await tx.query<{ accountId: string }>(CHANGED_MEANWHILE, fromOwners(given));
        if (meanwhile.length > 0) {
          for (const r of meanwhile) changedMeanwhile.add(r.accountId);
          ids = ids.filter((id) => !changedMeanwhile.has(id));
        }
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
      let writing: OwnerChangeRow[] = [];
      try {
        const tx = await queue;
        const changed = new Set<string>();
        for (const c of changes) {
          if (!accounts.has(c.accountId))
            throw new Error(`account ${c.accountId} changes owner but its owner was not closed ahead`);
          changed.add(c.accountId);
        }
        writing = without(changes, [...changedMeanwhile]);
        const reopen = [...closedRows].flatMap(([accountId, ids]) => (changed.has(accountId) ? [] : ids));
        if (reopen.length > 0)
          await tx.query(`UPDATE "Ownership" SET "effectiveTo" = NULL WHERE id = ANY($1::text[])`, [reopen]);
        if (writing.length > 0) await copyNewOwners(tx, newOwnerRows(writing, now, at.actor));
      } catch (error) {
        end(false);
        await session.catch(() => undefined);
        throw error;
      }
      end(true);
      await session;
      return {
        written: writing.length,
        changedMeanwhile: changes.filter((c) => changedMeanwhile.has(c.accountId)).map((c) => c.accountId),
      };
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
