// The SQL behind `turf export`: each export is read in pages ordered by a unique key (keyset paging),
// so a 1M-account book streams out in bounded memory on PGlite and PostgreSQL alike.
import type { Db } from "./client.ts";

const PAGE = 5000;

type Row = Record<string, unknown>;

/** Pages through `sql`, which must take $1 (the last key, '' first), $2 (page size), then params. */
async function* pages(db: Db, sql: string, key: string, params: unknown[] = []): AsyncGenerator<Row> {
  let after: unknown = "";
  for (;;) {
    const rows = await db.$queryRawUnsafe<Row[]>(sql, after, PAGE, ...params);
    for (const row of rows) yield row;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]?.[key];
  }
}

export function ownershipRows(db: Db): AsyncGenerator<Row> {
  return pages(
    db,
    `SELECT a."crmId" AS crm_id, a.name AS account,
            (SELECT string_agg(d.domain, ';' ORDER BY d.domain) FROM "AccountDomain" d WHERE d."accountId" = a.id) AS domains,
            r.email AS owner_email, r.name AS owner_name, o."effectiveFrom" AS owner_since,
            o.cause::text AS cause, o."ruleId" AS rule_id, o.note AS reason
     FROM "Account" a
     LEFT JOIN "Ownership" o ON o."accountId" = a.id AND o."effectiveTo" IS NULL
     LEFT JOIN "Rep" r ON r.id = o."repId"
     WHERE a."crmId" > $1 ORDER BY a."crmId" LIMIT $2`,
    "crm_id",
  );
}

/** Accounts whose owner changed since a date: the current owner, for the CRM's owner field. */
export function changedOwnerRows(db: Db, since: Date): AsyncGenerator<Row> {
  return pages(
    db,
    `SELECT a."crmId" AS crm_id, a.name AS account, r.email AS owner_email,
            (SELECT pr.email FROM "Ownership" p LEFT JOIN "Rep" pr ON pr.id = p."repId"
              WHERE p."accountId" = a.id AND p."effectiveTo" IS NOT NULL AND p."effectiveFrom" < $3
              ORDER BY p."effectiveFrom" DESC LIMIT 1) AS previous_owner_email,
            o."effectiveFrom" AS changed_at, o.cause::text AS cause, o."ruleId" AS rule_id, o.note AS reason
     FROM "Ownership" o
     JOIN "Account" a ON a.id = o."accountId"
     LEFT JOIN "Rep" r ON r.id = o."repId"
     WHERE o."effectiveTo" IS NULL AND o."effectiveFrom" >= $3 AND a."crmId" > $1
     ORDER BY a."crmId" LIMIT $2`,
    "crm_id",
    [since],
  );
}

export function auditRows(db: Db, since: Date | null): AsyncGenerator<Row> {
  return pages(
    db,
    `SELECT lpad(id::text, 20, '0') AS key, id::text AS id, at, actor, action, "subjectType" AS subject_type,
            "subjectId" AS subject_id, "ruleId" AS rule_id, details::text AS details
     FROM "AuditEvent"
     WHERE lpad(id::text, 20, '0') > $1 AND ($3::timestamp IS NULL OR at >= $3::timestamp)
     ORDER BY lpad(id::text, 20, '0') LIMIT $2`,
    "key",
    [since],
  );
}

export function disputeRows(db: Db): AsyncGenerator<Row> {
  return pages(
    db,
    `SELECT d.id, a."crmId" AS account_crm_id, a.name AS account, d.status::text AS status,
            d.category::text AS category, c.email AS claimant_email, cur.email AS current_owner_email,
            p.email AS proposed_owner_email, arb.email AS arbiter_email, d."openedAt" AS opened_at,
            d."dueAt" AS due_at, d.decision::text AS decision, d."decidedAt" AS decided_at,
            d."resultingRuleId" AS resulting_rule_id, d.reason
     FROM "Dispute" d
     JOIN "Account" a ON a.id = d."accountId"
     JOIN "Rep" c ON c.id = d."claimantRepId"
     LEFT JOIN "Rep" cur ON cur.id = d."currentOwnerRepId"
     JOIN "Rep" p ON p.id = d."proposedOwnerRepId"
     JOIN "Rep" arb ON arb.id = d."arbiterRepId"
     WHERE d.id > $1 ORDER BY d.id LIMIT $2`,
    "id",
  );
}

/** The newest rebalance's moves (or the one named). */
export function rebalanceMoveRows(db: Db, rebalanceId: string | null): AsyncGenerator<Row> {
  return pages(
    db,
    `SELECT m.id, rb.quarter, rb.status::text AS status, a."crmId" AS account_crm_id, a.name AS account,
            f.email AS from_owner_email, t.email AS to_owner_email, m."allocationIdx" AS allocation_index,
            rb."effectiveFrom" AS effective_from, m."appliedAt" AS applied_at, m."heldReason" AS held_reason
     FROM "RebalanceMove" m
     JOIN "Rebalance" rb ON rb.id = m."rebalanceId"
     JOIN "Account" a ON a.id = m."accountId"
     LEFT JOIN "Rep" f ON f.id = m."fromRepId"
     JOIN "Rep" t ON t.id = m."toRepId"
     WHERE m."rebalanceId" = COALESCE($3, (SELECT id FROM "Rebalance" ORDER BY "createdAt" DESC LIMIT 1))
       AND m.id > $1
     ORDER BY m.id LIMIT $2`,
    "id",
    [rebalanceId],
  );
}
