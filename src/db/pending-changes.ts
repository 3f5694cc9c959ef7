// Effective-dated ownership changes (the named-account list's "first of the next quarter", a dated
// rule): stored when re-evaluation decides them, shown in every answer until then, and claimed once
// by the pending-change job on their date. One open change per account: scheduling a different one
// cancels the old; re-scheduling the same one is a no-op, so a re-run adds nothing.
import type { Db, Tx } from "./client.ts";

export type PendingChangeInput = {
  accountId: string;
  fromRepId: string | null;
  toRepId: string | null;
  ruleId: string | null;
  deferral: string;
  note: string;
  effectiveAt: Date;
};

export type PendingChangeRow = PendingChangeInput & { id: string; createdAt: Date; createdBy: string };

/** An open change as an answer shows it: who it moves to, when and why. */
export type PendingMove = {
  id: string;
  toRepId: string | null;
  toRepName: string | null;
  effectiveAt: Date;
  deferral: string;
  ruleText: string | null;
};

/** Open changes by account, for a run that decides which to keep, add or cancel. */
export async function loadOpenPendingChanges(
  db: Db | Tx,
  accountIds?: readonly string[],
): Promise<Map<string, PendingChangeRow>> {
  const rows = await db.$queryRawUnsafe<PendingChangeRow[]>(
    `SELECT id, "accountId", "fromRepId", "toRepId", "ruleId", deferral, note, "effectiveAt", "createdAt", "createdBy"
     FROM "PendingChange" WHERE status = 'pending' ${accountIds ? `AND "accountId" = ANY($1::text[])` : ""}`,
    ...(accountIds ? [accountIds] : []),
  );
  return new Map(rows.map((r) => [r.accountId, r]));
}

/**
 * Stores changes as pending, cancelling any other open change on the same accounts. A change that is
 * already open is left as it is; one cancelled earlier is re-opened. Returns how many are new.
 */
export async function schedulePendingChanges(
  tx: Tx,
  changes: readonly PendingChangeInput[],
  at: { now: Date; actor: string },
): Promise<number> {
  if (changes.length === 0) return 0;
  await tx.$executeRawUnsafe(
    `UPDATE "PendingChange" p SET status = 'cancelled', "cancelledAt" = $4, "cancelReason" = 'superseded by a newer decision'
     FROM unnest($1::text[], $2::text[], $3::timestamp[]) AS c("accountId", "toRepId", "effectiveAt")
     WHERE p.status = 'pending' AND p."accountId" = c."accountId"
       AND (p."toRepId" IS DISTINCT FROM c."toRepId" OR p."effectiveAt" <> c."effectiveAt")`,
    changes.map((c) => c.accountId),
    changes.map((c) => c.toRepId),
    changes.map((c) => c.effectiveAt),
    at.now,
  );
  const inserted = await tx.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO "PendingChange" (id, "accountId", "fromRepId", "toRepId", "ruleId", deferral, note, "effectiveAt", status, "createdAt", "createdBy")
     SELECT gen_random_uuid()::text, c.*, 'pending', $8, $9
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamp[])
       AS c("accountId", "fromRepId", "toRepId", "ruleId", deferral, note, "effectiveAt")
     ON CONFLICT ("accountId", "toRepId", "effectiveAt") DO UPDATE
       SET status = 'pending', "cancelledAt" = NULL, "cancelReason" = NULL, note = EXCLUDED.note,
           "fromRepId" = EXCLUDED."fromRepId", "ruleId" = EXCLUDED."ruleId"
       WHERE "PendingChange".status = 'cancelled'
     RETURNING id`,
    changes.map((c) => c.accountId),
    changes.map((c) => c.fromRepId),
    changes.map((c) => c.toRepId),
    changes.map((c) => c.ruleId),
    changes.map((c) => c.deferral),
    changes.map((c) => c.note),
    changes.map((c) => c.effectiveAt),
    at.now,
    at.actor,
  );
  return inserted.length;
}

/** Cancels the open change on each account (the rules no longer call for it). */
export async function cancelPendingChanges(
  tx: Db | Tx,
  accountIds: readonly string[],
  reason: string,
  now: Date,
): Promise<number> {
  if (accountIds.length === 0) return 0;
  return tx.$executeRawUnsafe(
    `UPDATE "PendingChange" SET status = 'cancelled', "cancelledAt" = $2, "cancelReason" = $3
     WHERE status = 'pending' AND "accountId" = ANY($1::text[])`,
    accountIds,
    now,
    reason,
  );
}

/**
 * Claims due changes: each row flips from pending to applied in one statement, so two sweeps or two
 * instances never both get it. The caller applies them in the same transaction.
 */
export async function claimDuePendingChanges(tx: Tx, now: Date, limit: number): Promise<PendingChangeRow[]> {
  return tx.$queryRawUnsafe<PendingChangeRow[]>(
    `UPDATE "PendingChange" SET status = 'applied', "appliedAt" = $1
     WHERE id IN (SELECT id FROM "PendingChange" WHERE status = 'pending' AND "effectiveAt" <= $1
                  ORDER BY "effectiveAt", id LIMIT $2 FOR UPDATE SKIP LOCKED)
       AND status = 'pending'
     RETURNING id, "accountId", "fromRepId", "toRepId", "ruleId", deferral, note, "effectiveAt", "createdAt", "createdBy"`,
    now,
    limit,
  );
}

/** A claimed change that no longer holds is recorded as cancelled instead of applied. */
export async function markClaimedCancelled(tx: Tx, id: string, reason: string, now: Date): Promise<void> {
  await tx.pendingChange.update({
    where: { id },
    data: { status: "cancelled", appliedAt: null, cancelledAt: now, cancelReason: reason },
  });
}

/** The open change on one account, with names, for /owner, /owner why, rules explain and App Home. */
export async function pendingMoveFor(db: Db | Tx, accountId: string): Promise<PendingMove | null> {
  const rows = await db.$queryRawUnsafe<PendingMove[]>(
    `SELECT p.id, p."toRepId", r.name AS "toRepName", p."effectiveAt", p.deferral, ru.text AS "ruleText"
     FROM "PendingChange" p
     LEFT JOIN "Rep" r ON r.id = p."toRepId"
     LEFT JOIN "Rule" ru ON ru.id = p."ruleId"
     WHERE p."accountId" = $1 AND p.status = 'pending'
     ORDER BY p."effectiveAt" LIMIT 1`,
    accountId,
  );
  return rows[0] ?? null;
}

/** Open changes that move accounts into or out of a rep's book, for their App Home. */
export async function pendingMovesForRep(
  db: Db | Tx,
  repId: string,
  limit = 10,
): Promise<(PendingMove & { accountName: string; fromRepId: string | null })[]> {
  return db.$queryRawUnsafe(
    `SELECT p.id, p."toRepId", r.name AS "toRepName", p."effectiveAt", p.deferral, ru.text AS "ruleText",
            a.name AS "accountName", p."fromRepId"
     FROM "PendingChange" p
     JOIN "Account" a ON a.id = p."accountId"
     LEFT JOIN "Rep" r ON r.id = p."toRepId"
     LEFT JOIN "Rule" ru ON ru.id = p."ruleId"
     WHERE p.status = 'pending' AND (p."toRepId" = $1 OR p."fromRepId" = $1)
     ORDER BY p."effectiveAt", a.name LIMIT $2`,
    repId,
    limit,
  );
}

/** Accounts each rep holds now, for assignment by room in an explanation. */
export async function bookSizes(db: Db | Tx): Promise<Map<string, number>> {
  const rows = await db.$queryRawUnsafe<{ repId: string; n: number }[]>(
    `SELECT "repId", count(*)::int AS n FROM "Ownership" WHERE "effectiveTo" IS NULL AND "repId" IS NOT NULL GROUP BY "repId"`,
  );
  return new Map(rows.map((r) => [r.repId, r.n]));
}
