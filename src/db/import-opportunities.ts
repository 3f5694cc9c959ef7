// The SQL of the opportunities import (src/services/import/opportunities.ts): staging table, plan
// (the account and rep each row names, the stored opportunity it updates, what changes), chunked
// writes. Same SQL on PGlite and PostgreSQL, inside the import's raw transaction.
import { type CopyCell, planPages, type StagingSession } from "./import-staging.ts";

const ROWS = "import_opportunity_rows";
const PLAN = "import_opportunity_plan";

export const OPPORTUNITY_BATCH_TABLE = ROWS;
/** The table writeOpportunityChunk fills. */
export const OPPORTUNITY_TABLES = ["Opportunity"] as const;
export const OPPORTUNITY_PLAN_TABLE = PLAN;

export const OPPORTUNITY_STAGING_COLUMNS = [
  "seq",
  "line",
  "new_id",
  "crm_id",
  "account_crm_id",
  "owner_email",
  "amount",
  "stage",
  "is_open",
  "source",
  "reseller",
] as const;

export type StagedOpportunity = {
  seq: number;
  line: number;
  newId: string;
  crmId: string;
  accountCrmId: string;
  ownerEmail: string | null;
  amount: string;
  stage: string;
  isOpen: boolean;
  source: string;
  reseller: string | null;
};

export function stagedOpportunityCells(o: StagedOpportunity): CopyCell[] {
  return [
    o.seq,
    o.line,
    o.newId,
    o.crmId,
    o.accountCrmId,
    o.ownerEmail,
    o.amount,
    o.stage,
    o.isOpen,
    o.source,
    o.reseller,
  ];
}

/** One batch's plan rows: the account and rep each row names, the stored opportunity, what changes. */
const PLAN_SELECT = `
  SELECT x.*, x.is_new OR cardinality(x.columns) > 0 AS needs_write
  FROM (
    SELECT s.*,
           coalesce(o.id, s.new_id) AS id,
           o.id IS NULL AS is_new,
           a.id AS account_id,
           rep.id AS owner_rep_id,
           CASE WHEN o.id IS NULL THEN '{}'::text[] ELSE array_remove(ARRAY[
             CASE WHEN o."accountId" IS DISTINCT FROM a.id THEN 'accountId' END,
             CASE WHEN o."ownerRepId" IS DISTINCT FROM rep.id THEN 'ownerRepId' END,
             CASE WHEN o.amount IS DISTINCT FROM s.amount THEN 'amount' END,
             CASE WHEN o.stage IS DISTINCT FROM s.stage THEN 'stage' END,
             CASE WHEN o."isOpen" IS DISTINCT FROM s.is_open THEN 'isOpen' END,
             CASE WHEN o.source IS DISTINCT FROM s.source THEN 'source' END,
             CASE WHEN o.reseller IS DISTINCT FROM s.reseller THEN 'reseller' END
           ], NULL) END AS columns
    FROM ${ROWS} s
    LEFT JOIN LATERAL (SELECT id FROM "Account" WHERE "crmId" = s.account_crm_id LIMIT 1) a ON true
    LEFT JOIN "Rep" rep ON lower(rep.email) = s.owner_email
    LEFT JOIN LATERAL (SELECT * FROM "Opportunity" WHERE "crmId" = s.crm_id LIMIT 1) o ON true
  ) x`;

export async function createOpportunityStaging(session: StagingSession): Promise<void> {
  await session.query(
    `CREATE TEMP TABLE ${ROWS} (
       seq integer NOT NULL, line integer NOT NULL, new_id text NOT NULL, crm_id text NOT NULL,
       account_crm_id text NOT NULL, owner_email text, amount numeric(14,2) NOT NULL, stage text NOT NULL,
       is_open boolean NOT NULL, source "OpportunitySource" NOT NULL, reseller text
     ) ON COMMIT DROP`,
  );
  await session.query(`CREATE TEMP TABLE ${PLAN} ON COMMIT DROP AS ${PLAN_SELECT} WITH NO DATA`);
  await session.query(`CREATE INDEX ON ${PLAN} (seq)`);
}

export type OpportunityReferenceProblem = {
  line: number;
  problem: "account_missing" | "owner_missing";
  value: string;
};

/** How many of a batch's rows are inserted and updated (a statement with none is skipped). */
export type OpportunityWork = { inserts: number; updates: number };

/** Plans the batch: how many of its rows change, and the accounts and reps they name that Turf lacks. */
export async function planOpportunityBatch(
  session: StagingSession,
  limit: number,
): Promise<{ toWrite: number; work: OpportunityWork; problems: OpportunityReferenceProblem[] }> {
  const [result] = await session.query<
    OpportunityWork & { toWrite: number; problems: OpportunityReferenceProblem[] | null }
  >(
    `WITH planned AS (
       INSERT INTO ${PLAN} ${PLAN_SELECT}
       RETURNING seq, line, account_crm_id, account_id, owner_email, owner_rep_id, needs_write, is_new
     ), problems AS (
       SELECT seq, line, 1 AS k, 'account_missing' AS problem, account_crm_id AS value FROM planned
       WHERE account_id IS NULL
       UNION ALL
       SELECT seq, line, 2, 'owner_missing', owner_email FROM planned
       WHERE owner_email IS NOT NULL AND owner_rep_id IS NULL
       ORDER BY seq, k LIMIT $1
     )
     SELECT count(*) FILTER (WHERE needs_write)::int AS "toWrite",
            count(*) FILTER (WHERE is_new)::int AS inserts,
            count(*) FILTER (WHERE needs_write AND NOT is_new)::int AS updates,
            (SELECT json_agg(json_build_object('line', line, 'problem', problem, 'value', value) ORDER BY seq, k)
             FROM problems) AS problems
     FROM planned`,
    [limit],
  );
  return {
    toWrite: result?.toWrite ?? 0,
    work: { inserts: result?.inserts ?? 0, updates: result?.updates ?? 0 },
    problems: result?.problems ?? [],
  };
}

export async function opportunityPlanCounts(
  session: StagingSession,
): Promise<{ rows: number; created: number; updated: number; last: number }> {
  const [counts] = await session.query<{ rows: number; created: number; updated: number; last: number }>(
    `SELECT count(*)::int AS rows, count(*) FILTER (WHERE is_new)::int AS created,
            count(*) FILTER (WHERE needs_write AND NOT is_new)::int AS updated,
            coalesce(max(seq), 0)::int AS last
     FROM ${PLAN}`,
  );
  return counts as { rows: number; created: number; updated: number; last: number };
}

const CHUNK_WHERE = "p.needs_write AND p.seq BETWEEN $1 AND $2";

/** Writes the batch's rows (seq in [from, to]) whose values change. */
export async function writeOpportunityChunk(
  session: StagingSession,
  range: { from: number; to: number },
  context: { now: Date },
  work: OpportunityWork,
): Promise<void> {
  const at = context.now.toISOString();
  if (work.inserts > 0)
    await session.query(
      `INSERT INTO "Opportunity" (id, "crmId", "accountId", "ownerRepId", amount, stage, "isOpen", source, reseller,
                                "updatedAt")
     SELECT p.id, p.crm_id, p.account_id, p.owner_rep_id, p.amount, p.stage, p.is_open, p.source, p.reseller,
            $3::timestamp(3)
     FROM ${PLAN} p WHERE ${CHUNK_WHERE} AND p.is_new`,
      [range.from, range.to, at],
    );
  if (work.updates > 0)
    await session.query(
      `UPDATE "Opportunity" o
     SET "accountId" = p.account_id, "ownerRepId" = p.owner_rep_id, amount = p.amount, stage = p.stage,
         "isOpen" = p.is_open, source = p.source, reseller = p.reseller, "updatedAt" = $3::timestamp(3)
     FROM ${PLAN} p WHERE o.id = p.id AND ${CHUNK_WHERE} AND NOT p.is_new`,
      [range.from, range.to, at],
    );
}

export type OpportunityChangeRow = {
  seq: number;
  line: number;
  key: string;
  isNew: boolean;
  columns: string[];
};

export function opportunityChangePages(session: StagingSession) {
  return planPages<OpportunityChangeRow>(
    session,
    `SELECT seq, line, crm_id AS key, is_new AS "isNew", columns FROM ${PLAN}`,
    "needs_write",
  );
}
