// The SQL of the accounts import (src/services/import/accounts.ts): a staging table the rows are
// COPied into, a plan table that resolves every reference and says per row what changes, and the
// writes, chunk by chunk. Same SQL on PGlite and PostgreSQL, inside the import's raw transaction.
import { type CopyCell, planPages, type StagingSession } from "./import-staging.ts";

const ROWS = "import_account_rows";
const PLAN = "import_account_plan";

/** The staging table's columns, in the order stagedAccountCells gives them. */
export const ACCOUNT_STAGING_COLUMNS = [
  "seq",
  "line",
  "new_id",
  "crm_id",
  "name",
  "normalized_name",
  "compact_name",
  "core_name",
  "acronym",
  "parent_crm_id",
  "country",
  "region",
  "industry",
  "employees",
  "size_band",
  "icp_fit",
  "last_activity_at",
  "named",
  "domains",
  "labels",
  "owner_email",
  "ownership_id",
] as const;

export type StagedAccount = {
  seq: number;
  line: number;
  newId: string;
  crmId: string;
  name: string;
  normalizedName: string;
  compactName: string;
  coreName: string;
  acronym: string | null;
  parentCrmId: string | null;
  country: string | null;
  region: string | null;
  industry: string | null;
  employees: number | null;
  sizeBand: string | null;
  icpFit: number | null;
  lastActivityAt: Date | null;
  named: boolean;
  /** Registrable domains, sorted, without repeats. */
  domains: string[];
  /** Each domain's label, in the same order. */
  labels: string[];
  ownerEmail: string | null;
  /** The id of the owner of record's Ownership row, should it be written (made here: cheaper than in PGlite). */
  ownershipId: string | null;
};

export function stagedAccountCells(a: StagedAccount): CopyCell[] {
  return [
    a.seq,
    a.line,
    a.newId,
    a.crmId,
    a.name,
    a.normalizedName,
    a.compactName,
    a.coreName,
    a.acronym,
    a.parentCrmId,
    a.country,
    a.region,
    a.industry,
    a.employees,
    a.sizeBand,
    a.icpFit,
    a.lastActivityAt,
    a.named,
    a.domains.join(";"),
    a.labels.join(";"),
    a.ownerEmail,
    a.ownershipId,
  ];
}

export const ACCOUNT_BATCH_TABLE = ROWS;
/** The tables writeAccountChunk fills. */
export const ACCOUNT_TABLES = ["Account", "AccountDomain", "Ownership", "AuditEvent"] as const;
export const ACCOUNT_PLAN_TABLE = PLAN;

export type AccountReferenceProblem = {
  line: number;
  problem: "parent_self" | "parent_missing" | "owner_missing";
  value: string;
};

/** Which columns of a stored account a plan row changes, in the order the change list names them. */
const changedColumns = (x: string) => `CASE WHEN ${x}.is_new THEN '{}'::text[] ELSE array_remove(ARRAY[
    CASE WHEN ${x}.old_name IS DISTINCT FROM ${x}.name THEN 'name' END,
    CASE WHEN ${x}.old_parent_id IS DISTINCT FROM ${x}.parent_id THEN 'parentId' END,
    CASE WHEN ${x}.old_country IS DISTINCT FROM ${x}.country THEN 'country' END,
    CASE WHEN ${x}.old_region IS DISTINCT FROM ${x}.region THEN 'region' END,
    CASE WHEN ${x}.old_industry IS DISTINCT FROM ${x}.industry THEN 'industry' END,
    CASE WHEN ${x}.old_employees IS DISTINCT FROM ${x}.employees THEN 'employees' END,
    CASE WHEN ${x}.old_size_band IS DISTINCT FROM ${x}.size_band THEN 'sizeBand' END,
    CASE WHEN ${x}.old_icp_fit IS DISTINCT FROM ${x}.icp_fit THEN 'icpFit' END,
    CASE WHEN ${x}.old_last_activity_at IS DISTINCT FROM ${x}.last_activity_at THEN 'lastActivityAt' END,
    CASE WHEN ${x}.old_named IS DISTINCT FROM ${x}.named THEN 'named' END,
    CASE WHEN ${x}.old_domains IS DISTINCT FROM ${x}.domains THEN 'domain' END,
    CASE WHEN ${x}.owner_action = 'assign' THEN 'owner_email' END
  ], NULL) END`;

const ACCOUNT_FIELDS = `ARRAY['name', 'parentId', 'country', 'region', 'industry', 'employees', 'sizeBand', 'icpFit',
  'lastActivityAt', 'named']`;

/**
 * One batch's plan rows: each row resolved against what is stored (earlier batches included): the
 * account it updates (by CRM id), its parent's id (stored, or new in this batch; a parent further on
 * in the file is linked at the end), the CRM owner's rep, Turf's current owner and why, the stored
 * domains; and what changes. The CRM owner is applied only where Turf has no say of its own (a new
 * account, no current owner, or an owner from an earlier import); otherwise the row is a
 * disagreement and Turf's owner stands.
 */
const PLAN_SELECT = `
  SELECT r.*,
         r.is_new OR cardinality(r.columns) > 0 AS needs_write,
         NOT r.is_new AND r.columns && ${ACCOUNT_FIELDS} AS account_changed,
         NOT r.is_new AND 'domain' = ANY (r.columns) AS domains_changed,
         false AS late_parent
  FROM (
    SELECT x.*, ${changedColumns("x")} AS columns
    FROM (
      SELECT s.*,
             coalesce(a.id, s.new_id) AS id,
             a.id IS NULL AS is_new,
             coalesce(pa.id, ps.new_id) AS parent_id,
             rep.id AS owner_rep_id,
             CASE
               WHEN rep.id IS NULL THEN NULL
               WHEN a.id IS NULL THEN 'assign'
               WHEN o."repId" IS NOT DISTINCT FROM rep.id THEN NULL
               WHEN o."accountId" IS NULL OR o.cause = 'import' THEN 'assign'
               ELSE 'disagree'
             END AS owner_action,
             o."accountId" IS NOT NULL AS has_owner,
             turf.email AS turf_owner_email, o.cause::text AS turf_cause, o."ruleId" AS turf_rule_id,
             o.note AS turf_note,
             a.name AS old_name, a."parentId" AS old_parent_id, a.country AS old_country,
             a.region AS old_region, a.industry AS old_industry, a.employees AS old_employees,
             a."sizeBand" AS old_size_band, a."icpFit" AS old_icp_fit,
             a."lastActivityAt" AS old_last_activity_at, a.named AS old_named,
             coalesce(d.domains, '') AS old_domains
      FROM ${ROWS} s
      LEFT JOIN LATERAL (SELECT * FROM "Account" WHERE "crmId" = s.crm_id LIMIT 1) a ON true
      LEFT JOIN ${ROWS} ps ON ps.crm_id = s.parent_crm_id
      LEFT JOIN LATERAL (SELECT id FROM "Account" WHERE "crmId" = s.parent_crm_id LIMIT 1) pa ON true
      LEFT JOIN "Rep" rep ON lower(rep.email) = s.owner_email
      LEFT JOIN LATERAL (
        SELECT "accountId", "repId", cause, "ruleId", note FROM "Ownership"
        WHERE "accountId" = a.id AND "effectiveTo" IS NULL
        ORDER BY "effectiveFrom" DESC LIMIT 1
      ) o ON true
      LEFT JOIN "Rep" turf ON turf.id = o."repId"
      LEFT JOIN LATERAL (
        SELECT string_agg(domain, ';' ORDER BY domain COLLATE "C") AS domains
        FROM "AccountDomain" WHERE "accountId" = a.id
      ) d ON true
    ) x
  ) r`;

/** The batch table rows are COPied into, and the plan table every batch's plan rows are added to. */
export async function createAccountStaging(session: StagingSession): Promise<void> {
  await session.query(
    `CREATE TEMP TABLE ${ROWS} (
       seq integer NOT NULL, line integer NOT NULL, new_id text NOT NULL, crm_id text NOT NULL,
       name text NOT NULL, normalized_name text NOT NULL, compact_name text NOT NULL, core_name text NOT NULL,
       acronym text, parent_crm_id text, country text, region text, industry text, employees integer,
       size_band "SizeBand", icp_fit integer, last_activity_at timestamp(3), named boolean NOT NULL,
       domains text NOT NULL, labels text NOT NULL, owner_email text, ownership_id text
     ) ON COMMIT DROP`,
  );
  await session.query(`CREATE TEMP TABLE ${PLAN} ON COMMIT DROP AS ${PLAN_SELECT} WITH NO DATA`);
  await session.query(`CREATE INDEX ON ${PLAN} (seq)`);
}

/** How many of a batch's rows each write statement has to do (a statement with none is skipped). */
export type AccountWork = {
  inserts: number;
  updates: number;
  domains: number;
  assigns: number;
  closes: number;
};

/**
 * Plans the batch: how many of its rows change, and its references that can never resolve (a
 * missing parent may still come later in the file).
 */
export async function planAccountBatch(
  session: StagingSession,
  limit: number,
): Promise<{ toWrite: number; work: AccountWork; problems: AccountReferenceProblem[] }> {
  const [result] = await session.query<
    AccountWork & { toWrite: number; problems: AccountReferenceProblem[] | null }
  >(
    `WITH planned AS (
       INSERT INTO ${PLAN} ${PLAN_SELECT}
       RETURNING seq, line, crm_id, parent_crm_id, owner_email, owner_rep_id, needs_write, is_new, account_changed,
                 domains_changed, owner_action, has_owner
     ), problems AS (
       SELECT seq, line, 1 AS k, 'parent_self' AS problem, parent_crm_id AS value FROM planned
       WHERE parent_crm_id = crm_id
       UNION ALL
       SELECT seq, line, 2, 'owner_missing', owner_email FROM planned
       WHERE owner_email IS NOT NULL AND owner_rep_id IS NULL
       ORDER BY seq, k LIMIT $1
     )
     SELECT count(*) FILTER (WHERE needs_write)::int AS "toWrite",
            count(*) FILTER (WHERE is_new)::int AS inserts,
            count(*) FILTER (WHERE account_changed)::int AS updates,
            count(*) FILTER (WHERE domains_changed)::int AS domains,
            count(*) FILTER (WHERE owner_action = 'assign')::int AS assigns,
            count(*) FILTER (WHERE owner_action = 'assign' AND has_owner)::int AS closes,
            (SELECT json_agg(json_build_object('line', line, 'problem', problem, 'value', value) ORDER BY seq, k)
             FROM problems) AS problems
     FROM planned`,
    [limit],
  );
  const {
    toWrite = 0,
    problems,
    ...work
  } = result ?? { inserts: 0, updates: 0, domains: 0, assigns: 0, closes: 0 };
  return { toWrite, work: work as AccountWork, problems: problems ?? [] };
}

/**
 * Rows whose parent was not in Turf nor in their batch: linked now that every row is in (when
 * written is true), and those whose parent is nowhere in the file or in Turf returned.
 */
export async function resolveLaterParents(
  session: StagingSession,
  context: { now: Date; written: boolean; limit: number },
): Promise<AccountReferenceProblem[]> {
  const waiting = await session.query<{ seq: number }>(
    `SELECT seq FROM ${PLAN} WHERE parent_id IS NULL AND parent_crm_id IS NOT NULL LIMIT 1`,
  );
  if (waiting.length === 0) return [];
  const missing = await session.query<AccountReferenceProblem>(
    `SELECT p.line, 'parent_missing' AS problem, p.parent_crm_id AS value FROM ${PLAN} p
     WHERE p.parent_id IS NULL AND p.parent_crm_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM "Account" a WHERE a."crmId" = p.parent_crm_id)
       AND NOT EXISTS (SELECT 1 FROM ${PLAN} q WHERE q.crm_id = p.parent_crm_id)
     ORDER BY p.seq LIMIT $1`,
    [context.limit],
  );
  if (missing.length > 0 || !context.written) return missing;
  await session.query(
    `UPDATE ${PLAN} p SET parent_id = a.id, late_parent = true
     FROM "Account" a WHERE a."crmId" = p.parent_crm_id AND p.parent_id IS NULL AND p.parent_crm_id IS NOT NULL`,
  );
  await session.query(`UPDATE ${PLAN} p SET columns = ${changedColumns("p")} WHERE p.late_parent`);
  await session.query(
    `UPDATE ${PLAN} p SET needs_write = p.is_new OR cardinality(p.columns) > 0,
       account_changed = NOT p.is_new AND p.columns && ${ACCOUNT_FIELDS}
     WHERE p.late_parent`,
  );
  await session.query(
    `UPDATE "Account" a SET "parentId" = p.parent_id, "updatedAt" = $1::timestamp(3)
     FROM ${PLAN} p WHERE a.id = p.id AND p.late_parent`,
    [context.now.toISOString()],
  );
  return [];
}

export type AccountPlanCounts = { rows: number; created: number; updated: number; disagreements: number };

export async function accountPlanCounts(session: StagingSession): Promise<AccountPlanCounts> {
  const [counts] = await session.query<AccountPlanCounts>(
    `SELECT count(*)::int AS rows, count(*) FILTER (WHERE is_new)::int AS created,
            count(*) FILTER (WHERE needs_write AND NOT is_new)::int AS updated,
            count(*) FILTER (WHERE owner_action = 'disagree')::int AS disagreements
     FROM ${PLAN}`,
  );
  return counts as AccountPlanCounts;
}

const CHUNK_WHERE = "p.needs_write AND p.seq BETWEEN $1 AND $2";

/**
 * Writes the batch's rows (seq in [from, to]) whose values change: new accounts, changed accounts, their
 * domains, owners of record (closing the import's earlier one) and their audit events.
 */
export async function writeAccountChunk(
  session: StagingSession,
  range: { from: number; to: number },
  context: { now: Date; actor: string },
  work: AccountWork,
): Promise<void> {
  const at = context.now.toISOString();
  const bounds = [range.from, range.to];
  // Skipping what has nothing to do also keeps the planner from scanning a big table for nothing.
  if (work.inserts > 0)
    await session.query(
      `INSERT INTO "Account" (id, "crmId", name, "normalizedName", "compactName", "coreName", acronym, "parentId",
                            country, region, industry, employees, "sizeBand", "icpFit", "lastActivityAt", named,
                            "updatedAt")
     SELECT p.id, p.crm_id, p.name, p.normalized_name, p.compact_name, p.core_name, p.acronym, p.parent_id,
            p.country, p.region, p.industry, p.employees, p.size_band, p.icp_fit, p.last_activity_at, p.named,
            $3::timestamp(3)
     FROM ${PLAN} p WHERE ${CHUNK_WHERE} AND p.is_new`,
      [...bounds, at],
    );
  if (work.updates > 0)
    await session.query(
      `UPDATE "Account" a
     SET name = p.name, "normalizedName" = p.normalized_name, "compactName" = p.compact_name,
         "coreName" = p.core_name, acronym = p.acronym, "parentId" = p.parent_id, country = p.country,
         region = p.region, industry = p.industry, employees = p.employees, "sizeBand" = p.size_band,
         "icpFit" = p.icp_fit, "lastActivityAt" = p.last_activity_at, named = p.named,
         "updatedAt" = $3::timestamp(3)
     FROM ${PLAN} p WHERE a.id = p.id AND ${CHUNK_WHERE} AND p.account_changed`,
      [...bounds, at],
    );
  if (work.domains > 0)
    await session.query(
      `DELETE FROM "AccountDomain" d USING ${PLAN} p
     WHERE d."accountId" = p.id AND ${CHUNK_WHERE} AND p.domains_changed`,
      bounds,
    );
  if (work.inserts > 0 || work.domains > 0)
    await session.query(
      `INSERT INTO "AccountDomain" ("accountId", domain, label)
     SELECT p.id, x.domain, x.label
     FROM ${PLAN} p, unnest(string_to_array(p.domains, ';'), string_to_array(p.labels, ';')) AS x(domain, label)
     WHERE ${CHUNK_WHERE} AND (p.is_new OR p.domains_changed) AND p.domains <> ''`,
      bounds,
    );
  if (work.closes > 0)
    await session.query(
      `UPDATE "Ownership" o SET "effectiveTo" = $3::timestamp(3)
     FROM ${PLAN} p
     WHERE o."accountId" = p.id AND o."effectiveTo" IS NULL AND ${CHUNK_WHERE}
       AND p.owner_action = 'assign' AND p.has_owner`,
      [...bounds, at],
    );
  // Every assignment is audited, including the owners of record an import brings in.
  if (work.assigns > 0)
    await session.query(
      `WITH assigned AS (
       INSERT INTO "Ownership" (id, "accountId", "repId", "ruleId", cause, note, "effectiveFrom")
       SELECT p.ownership_id, p.id, p.owner_rep_id, NULL, 'import', 'Owner of record in the CRM import',
              $3::timestamp(3)
       FROM ${PLAN} p WHERE ${CHUNK_WHERE} AND p.owner_action = 'assign'
       RETURNING "accountId", "repId"
     )
     INSERT INTO "AuditEvent" (at, actor, action, "subjectType", "subjectId", details)
     SELECT $3::timestamp(3), $4, 'ownership.imported', 'account', "accountId", jsonb_build_object('repId', "repId")
     FROM assigned`,
      [...bounds, at, context.actor],
    );
}

/**
 * The first row (in file order) whose new or changed parent makes a cycle, with the cycle's CRM ids
 * from that row round to where it repeats; null when the hierarchy stays a tree. Runs after the
 * writes, on the accounts as they now stand, so stored and new links are walked alike.
 */
export async function firstParentCycle(
  session: StagingSession,
): Promise<{ line: number; path: string[] } | null> {
  // Usually no row is on a cycle and the second query never runs; joining the walk with the plan in
  // one statement made the planner probe the walk once per plan row. Each walk climbs by the primary
  // key and CYCLE stops one that loops without coming back to its start: a UNION would keep every
  // step in a hash table no work_mem bounds (embedded, 140 MB of the process at 1M accounts).
  const onCycle = await session.query<{ id: string }>(
    `WITH RECURSIVE walk(start, node) AS (
       SELECT p.id, p.parent_id FROM ${PLAN} p
       WHERE p.parent_id IS NOT NULL AND (p.is_new OR 'parentId' = ANY (p.columns))
       UNION ALL
       SELECT w.start, up."parentId" FROM walk w
       CROSS JOIN LATERAL (SELECT "parentId" FROM "Account" WHERE id = w.node LIMIT 1) up
       WHERE up."parentId" IS NOT NULL AND w.node <> w.start
     ) CYCLE node SET looped USING path
     SELECT DISTINCT start AS id FROM walk WHERE node = start`,
  );
  if (onCycle.length === 0) return null;
  const [start] = await session.query<{ line: number; id: string }>(
    `SELECT line, id FROM ${PLAN} WHERE id = ANY ($1::text[]) ORDER BY seq LIMIT 1`,
    [onCycle.map((c) => c.id)],
  );
  if (!start) return null;
  const path: string[] = [];
  const seen = new Set<string>();
  let id: string | null = start.id;
  while (id !== null) {
    const [account]: { crmId: string; parentId: string | null }[] = await session.query(
      `SELECT "crmId", "parentId" FROM "Account" WHERE id = $1`,
      [id],
    );
    if (!account) break;
    path.push(account.crmId);
    if (seen.has(id)) break;
    seen.add(id);
    id = account.parentId;
  }
  return { line: start.line, path };
}

export type AccountChangeRow = { seq: number; line: number; key: string; isNew: boolean; columns: string[] };

/** Every row that changes, in file order, page by page. */
export function accountChangePages(session: StagingSession) {
  return planPages<AccountChangeRow>(
    session,
    `SELECT seq, line, crm_id AS key, is_new AS "isNew", columns FROM ${PLAN}`,
    "needs_write",
  );
}

export type AccountDisagreementRow = {
  seq: number;
  line: number;
  crmId: string;
  account: string;
  crmOwner: string;
  turfOwner: string | null;
  cause: string;
  ruleId: string | null;
  note: string | null;
};

/** Every row whose CRM owner Turf disagrees with, in file order, page by page. */
export function accountDisagreementPages(session: StagingSession) {
  return planPages<AccountDisagreementRow>(
    session,
    `SELECT seq, line, crm_id AS "crmId", name AS account, owner_email AS "crmOwner",
            turf_owner_email AS "turfOwner", turf_cause AS cause, turf_rule_id AS "ruleId", turf_note AS note
     FROM ${PLAN}`,
    "owner_action = 'disagree'",
  );
}
