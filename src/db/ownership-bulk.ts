// Many owner changes at once (re-evaluation of the book): each closes the account's current
// ownership, opens the new one and writes its audit event, all in one transaction. On a client
// openDatabase made, the changes go to the server once, by COPY into a temporary table, and three
// set-based statements apply them (87k changes: about 2 s, where row arrays cost more and a
// statement per account far more). Inside a caller's transaction (a dry run), through that transaction.
import { randomUUID } from "node:crypto";
import { AUDIT_COLUMNS, OWNERSHIP_COLUMNS } from "./bulk-columns.ts";
import { insertRows } from "./bulk-insert.ts";
import { type Db, rawDriverOf } from "./client.ts";
import { toCopyText } from "./copy-text.ts";

export type OwnerChangeRow = { accountId: string; repId: string | null; ruleId: string | null; note: string };

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
  await driver.withRawSession((session) =>
    session.transaction(async (tx) => {
      // Closing the current owners hashes the ownership table once; in the default 4 MB it spills.
      if (driver.kind === "postgres") await tx.query("SET LOCAL work_mem = '64MB'");
      await tx.query(
        `CREATE TEMP TABLE turf_owner_changes (id text, "accountId" text, "repId" text, "ruleId" text, note text) ON COMMIT DROP`,
      );
      await tx.copyIn(
        `turf_owner_changes (id, "accountId", "repId", "ruleId", note)`,
        // Ids made here, as Prisma would: gen_random_uuid() costs PGlite about 0.2 ms a row.
        toCopyText(changes.map((c) => [randomUUID(), c.accountId, c.repId, c.ruleId, c.note])),
      );
      await tx.query(
        `UPDATE "Ownership" o SET "effectiveTo" = $1::timestamp(3) FROM turf_owner_changes c
         WHERE o."accountId" = c."accountId" AND o."effectiveTo" IS NULL`,
        [now],
      );
      await tx.query(
        `INSERT INTO "Ownership" (id, "accountId", "repId", "ruleId", cause, note, "effectiveFrom")
         SELECT c.id, c."accountId", c."repId", c."ruleId",
                (CASE WHEN c."repId" IS NULL THEN 'white_space' ELSE 'rule' END)::"OwnershipCause", c.note, $1::timestamp(3)
         FROM turf_owner_changes c`,
        [now],
      );
      await tx.query(
        `INSERT INTO "AuditEvent" (at, actor, action, "subjectType", "subjectId", "ruleId", details)
         SELECT $1::timestamp(3), $2, 'ownership.assigned', 'account', c."accountId", c."ruleId",
                jsonb_build_object('repId', c."repId", 'reason', c.note)
         FROM turf_owner_changes c`,
        [now, at.actor],
      );
    }),
  );
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
        changes.map((c) => [
          randomUUID(),
          c.accountId,
          c.repId,
          c.ruleId,
          c.repId === null ? "white_space" : "rule",
          c.note,
          at.now,
        ]),
      );
      await insertRows(
        tx,
        "AuditEvent",
        AUDIT_COLUMNS,
        changes.map((c) => [
          at.now,
          at.actor,
          "ownership.assigned",
          "account",
          c.accountId,
          c.ruleId,
          { repId: c.repId, reason: c.note },
        ]),
      );
    },
    { timeout: 120_000 },
  );
}
