// Candidate retrieval for lookups: exact keys through the B-tree indexes, plus the ids the in-memory
// fuzzy index (src/domain/matching/search-index.ts) proposed, returned as candidate rows in ONE
// statement, with the search-index version so the caller knows whether its index is stale. The pure
// ranker in src/domain/matching then decides. The same SQL runs on PGlite and PostgreSQL.
import { compactKey, coreKey, domainLabel, withoutWebSuffix } from "../domain/matching/normalize.ts";
import type { LookupQuery } from "../domain/matching/query.ts";
import type { MatchCandidate } from "../domain/matching/rank.ts";
import type { SearchColumns } from "../domain/matching/search-index.ts";
import { forEachPage } from "./book.ts";
import type { Db } from "./client.ts";
import { prepared } from "./prepared.ts";

/** How many trigram candidates the stale-index fallback hands to the ranker. */
export const FUZZY_CANDIDATE_LIMIT = 40;

type CandidateRow = {
  id: string;
  crmId: string;
  name: string;
  normalizedName: string;
  acronym: string | null;
  domains: string[] | null;
  parentName: string | null;
  nameHit: boolean;
};

export type CandidateSet = {
  candidates: MatchCandidate[];
  /** An account's compact name equals the query's: close spellings cannot change the answer. */
  exactNameHit: boolean;
  /** The search-index version the rows were read at (see SearchIndexVersion). */
  version: string;
};

/** How many accounts one exact key may bring in (an acronym like "ge" is shared by hundreds). */
const EXACT_KEY_LIMIT = 50;

/**
 * The exact-key part of the statement for each kind of query: ids, and whether it is a full-name hit.
 * Each key has its own limit, so the many accounts sharing a weak key (an acronym) never crowd out
 * the one a strong key (a name, a domain label) finds.
 */
function exactIds(query: LookupQuery): { sql: string; params: unknown[] } {
  const limited = (sql: string) => `(${sql} LIMIT ${EXACT_KEY_LIMIT})`;
  switch (query.kind) {
    case "crm_id":
      // As typed, or upper-cased ("acc-123" for ACC-123): two equalities keep the unique index in use.
      return {
        sql: limited(
          `SELECT id, false AS "nameHit" FROM "Account" WHERE "crmId" = $2 OR "crmId" = upper($2)`,
        ),
        params: [query.crmId],
      };
    case "domain": {
      const label = (domainLabel(query.domain) ?? "").replace(/-/g, "");
      return {
        sql: [
          limited(`SELECT "accountId" AS id, false AS "nameHit" FROM "AccountDomain" WHERE domain = $2`),
          limited(`SELECT "accountId", false FROM "AccountDomain" WHERE label = $3 AND $3 <> ''`),
          limited(`SELECT id, false FROM "Account" WHERE "compactName" = $3 AND $3 <> ''`),
        ].join(" UNION ALL "),
        params: [query.domain, label],
      };
    }
    case "name": {
      const compact = compactKey(query.normalized);
      // "JDcom" may be JD.com typed without its dot: the name "jd" is looked up too.
      const web = withoutWebSuffix(compact) ?? compact;
      return {
        sql: [
          limited(`SELECT id, ("compactName" = $2) AS "nameHit" FROM "Account"
                   WHERE "compactName" IN ($2, $4) OR "coreName" = $3`),
          limited(`SELECT "accountId", false FROM "AccountDomain" WHERE label = $2`),
          limited(`SELECT id, false FROM "Account" WHERE acronym = $2`),
        ].join(" UNION ALL "),
        params: [compact, coreKey(query.normalized), web],
      };
    }
    case "free_mail":
    case "empty":
      return { sql: `SELECT NULL::text AS id, false AS "nameHit" WHERE false`, params: [] };
  }
}

/**
 * Exact-key hits and the given fuzzy ids, as candidate rows, in one prepared statement (one text per
 * kind of query). $1 is the fuzzy ids; each kind's exact keys follow.
 */
export async function findCandidateAccounts(
  db: Db,
  query: LookupQuery,
  fuzzyIds: readonly string[],
): Promise<CandidateSet> {
  const exact = exactIds(query);
  const sql = `
    WITH hits AS (
      ${exact.sql}
      UNION ALL SELECT unnest($1::text[]), false
    ), picked AS (
      SELECT id, bool_or("nameHit") AS "nameHit" FROM hits WHERE id IS NOT NULL GROUP BY id
    ), rows AS (
      SELECT a.id, a."crmId", a.name, a."normalizedName", a.acronym, p.name AS "parentName", picked."nameHit",
             (SELECT array_agg(d.domain ORDER BY d.domain) FROM "AccountDomain" d WHERE d."accountId" = a.id) AS domains
      FROM picked JOIN "Account" a ON a.id = picked.id LEFT JOIN "Account" p ON p.id = a."parentId"
    )
    SELECT (SELECT version::text FROM "SearchIndexVersion" WHERE id = 1) AS version,
           (SELECT json_agg(rows) FROM rows) AS rows`;
  const [result] = await db.$queryRawUnsafe<{ version: string | null; rows: CandidateRow[] | null }[]>(
    prepared(sql),
    [...fuzzyIds],
    ...exact.params,
  );
  const rows = result?.rows ?? [];
  return {
    candidates: rows.map(toCandidate),
    exactNameHit: rows.some((r) => r.nameHit),
    version: result?.version ?? "0",
  };
}

function toCandidate(r: CandidateRow): MatchCandidate {
  return {
    accountId: r.id,
    crmId: r.crmId,
    name: r.name,
    normalizedName: r.normalizedName,
    acronym: r.acronym,
    domains: r.domains ?? [],
    parentName: r.parentName,
  };
}

/**
 * Names within a few edits, through the pg_trgm index: only while this instance's fuzzy index is
 * being rebuilt after a write (a name imported a moment ago is not in it yet), never on the usual path.
 */
export async function closeNameCandidates(db: Db, query: LookupQuery): Promise<MatchCandidate[]> {
  const compact =
    query.kind === "name"
      ? compactKey(query.normalized)
      : query.kind === "domain"
        ? (domainLabel(query.domain) ?? "").replace(/-/g, "")
        : "";
  if (compact.length < 3) return [];
  const threshold = compact.length <= 7 ? 0.15 : compact.length <= 12 ? 0.2 : 0.3;
  const [, rows] = await db.$transaction([
    db.$executeRawUnsafe(`SET LOCAL pg_trgm.similarity_threshold = ${threshold}`),
    db.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM "Account" WHERE "compactName" % $1
       ORDER BY similarity("compactName", $1) DESC, id LIMIT ${FUZZY_CANDIDATE_LIMIT}`,
      compact,
    ),
  ]);
  if (rows.length === 0) return [];
  const set = await findCandidateAccounts(
    db,
    { kind: "empty" },
    rows.map((r) => r.id),
  );
  return set.candidates;
}

/** The search-index version now (see SearchIndexVersion). */
export async function searchIndexVersion(db: Db): Promise<string> {
  const rows = await db.$queryRawUnsafe<{ version: string }[]>(
    `SELECT version::text AS version FROM "SearchIndexVersion" WHERE id = 1`,
  );
  return rows[0]?.version ?? "0";
}

/**
 * Every account's normalized name and domain labels, for the in-memory fuzzy index, as columns: one
 * query with a join (no subquery per row), streamed in pages (see forEachPage). The labels come as
 * one space-separated string, which the driver hands over without parsing an array per row.
 */
export async function loadSearchColumns(db: Db, pageSize = 50_000): Promise<SearchColumns> {
  const columns: SearchColumns = { ids: [], names: [], labels: [] };
  await forEachPage<{ id: string; n: string; labels: string | null }>(
    db,
    `SELECT a.id, a."normalizedName" AS n, d.labels
     FROM "Account" a
     LEFT JOIN (SELECT "accountId", string_agg(label, ' ') AS labels FROM "AccountDomain" GROUP BY "accountId") d
       ON d."accountId" = a.id`,
    [],
    pageSize,
    (rows) => {
      for (const r of rows) {
        columns.ids.push(r.id);
        columns.names.push(r.n);
        columns.labels.push(r.labels ?? "");
      }
    },
  );
  return columns;
}
