// Candidate retrieval for lookups: the database finds the few accounts worth ranking (exact keys
// through b-tree indexes, close names through the pg_trgm index on compactName); the pure ranker in
// src/domain/matching decides. The same SQL runs on PGlite and PostgreSQL.
import { compactKey, coreKey, domainLabel } from "../domain/matching/normalize.ts";
import type { LookupQuery } from "../domain/matching/query.ts";
import type { MatchCandidate } from "../domain/matching/rank.ts";
import type { Db } from "./client.ts";

/** How many fuzzy candidates retrieval hands to the ranker. */
export const FUZZY_CANDIDATE_LIMIT = 40;

type CandidateRow = {
  id: string;
  crmId: string;
  name: string;
  normalizedName: string;
  acronym: string | null;
  domains: string[] | null;
  parentName: string | null;
};

const SELECT_CANDIDATES = `
  SELECT a.id, a."crmId", a.name, a."normalizedName", a.acronym, p.name AS "parentName",
         (SELECT array_agg(d.domain ORDER BY d.domain) FROM "AccountDomain" d WHERE d."accountId" = a.id) AS domains
  FROM "Account" a LEFT JOIN "Account" p ON p.id = a."parentId"
  WHERE a.id = ANY($1::text[])`;

export async function findCandidateAccounts(db: Db, query: LookupQuery): Promise<MatchCandidate[]> {
  const ids = await candidateIds(db, query);
  if (ids.length === 0) return [];
  const rows = await db.$queryRawUnsafe<CandidateRow[]>(SELECT_CANDIDATES, ids);
  return rows.map((r) => ({
    accountId: r.id,
    crmId: r.crmId,
    name: r.name,
    normalizedName: r.normalizedName,
    acronym: r.acronym,
    domains: r.domains ?? [],
    parentName: r.parentName,
  }));
}

/**
 * Names within a few edits, through the pg_trgm index. A short name with one typo shares few
 * trigrams with the right one ("bolck"/"block": similarity 0.2), so shorter queries lower pg_trgm's
 * threshold for this one statement; long ones keep 0.3 so the index returns a small set.
 */
async function closeNames(db: Db, compact: string): Promise<{ id: string }[]> {
  const threshold = compact.length <= 7 ? 0.15 : compact.length <= 12 ? 0.2 : 0.3;
  const [, rows] = await db.$transaction([
    db.$executeRawUnsafe(`SET LOCAL pg_trgm.similarity_threshold = ${threshold}`),
    db.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM "Account" WHERE "compactName" % $1
       ORDER BY similarity("compactName", $1) DESC, id LIMIT ${FUZZY_CANDIDATE_LIMIT}`,
      compact,
    ),
  ]);
  return rows;
}

async function candidateIds(db: Db, query: LookupQuery): Promise<string[]> {
  switch (query.kind) {
    case "crm_id": {
      // As typed, or upper-cased ("acc-123" for ACC-123): two equalities keep the unique index in use,
      // where lower("crmId") would scan the table.
      const rows = await db.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id FROM "Account" WHERE "crmId" = $1 OR "crmId" = upper($1) LIMIT 5`,
        query.crmId,
      );
      return rows.map((r) => r.id);
    }
    case "domain": {
      const label = (domainLabel(query.domain) ?? "").replace(/-/g, "");
      const rows = await db.$queryRawUnsafe<{ id: string }[]>(
        `SELECT "accountId" AS id FROM "AccountDomain" WHERE domain = $1
         UNION SELECT "accountId" FROM "AccountDomain" WHERE label = $2 AND $2 <> ''
         UNION SELECT id FROM "Account" WHERE "compactName" = $2 AND $2 <> ''
         LIMIT 50`,
        query.domain,
        label,
      );
      // A mistyped domain ("amazonn.com") names no account: try its label as a close name.
      if (rows.length === 0 && label.length >= 3) return (await closeNames(db, label)).map((r) => r.id);
      return rows.map((r) => r.id);
    }
    case "name": {
      const compact = compactKey(query.normalized);
      if (compact.length === 0) return [];
      const core = coreKey(query.normalized);
      const exact = await db.$queryRawUnsafe<{ id: string; nameHit: boolean }[]>(
        `SELECT id, ("compactName" = $1) AS "nameHit" FROM "Account"
           WHERE "compactName" = $1 OR "coreName" = $2 OR acronym = $1
         UNION SELECT "accountId", false FROM "AccountDomain" WHERE label = $1
         LIMIT 50`,
        compact,
        core,
      );
      // An exact full-name hit (score 1) outranks any close spelling (at most 0.93) by more than the
      // ranker's margin (0.04), so close spellings cannot change the answer: skip the costlier
      // trigram search. Short queries have too few trigrams for a meaningful similarity.
      const fuzzy = exact.some((r) => r.nameHit) || compact.length < 3 ? [] : await closeNames(db, compact);
      return [...new Set([...exact, ...fuzzy].map((r) => r.id))];
    }
    case "free_mail":
    case "empty":
      return [];
  }
}
