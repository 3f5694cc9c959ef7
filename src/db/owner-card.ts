// Everything an ownership answer shows about one account, in one place: the current owner from the
// append-only history, the rule that decided it and since when, territory, open pipeline, parent.
// One SQL statement, because every lookup pays for it: it also returns the facts the rules engine
// needs to explain the answer (the account, its parent's CRM id, its open opportunities, the current
// owners of it and its parent), so an answer costs one round trip instead of about twenty.
import type { Account, Opportunity } from "../domain/model.ts";
import type { AccountSituation } from "./book.ts";
import { accountFromRow } from "./book.ts";
import type { Db, Tx } from "./client.ts";
import { prepared } from "./prepared.ts";

export type RepSummary = { id: string; name: string; email: string; slackUserId: string | null };

export type OwnerCard = {
  account: {
    id: string;
    crmId: string;
    name: string;
    domains: string[];
    region: string | null;
    country: string | null;
    industry: string | null;
    sizeBand: string | null;
    named: boolean;
  };
  owner: RepSummary | null;
  since: Date | null;
  cause: string | null;
  rule: { id: string; kind: string; text: string } | null;
  note: string | null;
  territory: string | null;
  openOpportunities: { count: number; amount: number; resellers: string[] };
  parent: { crmId: string; name: string; owner: RepSummary | null } | null;
  subsidiaries: number;
};

export type OwnerSnapshot = {
  card: OwnerCard;
  situation: AccountSituation;
  /** The rule book's version at the same moment, when asked for (see loadOwnerSnapshot). */
  ruleBookVersion: string | null;
};

type TerritoryRow = { name: string; regions: string[]; industries: string[]; sizeBands: string[] };

type SnapshotRow = Omit<Account, "domains" | "lastActivityAt"> & {
  lastActivityAt: Date | string | null;
  domains: string[] | null;
  parentCrmId: string | null;
  parentName: string | null;
  subsidiaries: number;
  ruleBookVersion: string | null;
  ownership: {
    repId: string | null;
    since: string;
    cause: string;
    note: string | null;
    ruleId: string | null;
  } | null;
  rule: { id: string; kind: string; text: string } | null;
  owner: (RepSummary & { territories: TerritoryRow[] | null }) | null;
  parentOwner: RepSummary | null;
  openOpportunities:
    | {
        id: string;
        crmId: string;
        ownerRepId: string | null;
        amount: string | number;
        stage: string;
        source: "direct" | "reseller";
        reseller: string | null;
      }[]
    | null;
};

const snapshotSql = (versionSql: string) => `
WITH a AS (SELECT * FROM "Account" WHERE id = $1),
     own AS (SELECT * FROM "Ownership" WHERE "accountId" = $1 AND "effectiveTo" IS NULL ORDER BY "effectiveFrom" DESC LIMIT 1),
     parent_own AS (SELECT o."repId" FROM "Ownership" o, a WHERE o."accountId" = a."parentId" AND o."effectiveTo" IS NULL
                    ORDER BY o."effectiveFrom" DESC LIMIT 1)
SELECT a.id, a."crmId", a.name, a."parentId", a.country, a.region, a.industry, a.employees,
       a."sizeBand"::text AS "sizeBand", a."icpFit", a."lastActivityAt", a.named,
       (SELECT array_agg(d.domain ORDER BY d.domain) FROM "AccountDomain" d WHERE d."accountId" = a.id) AS domains,
       p."crmId" AS "parentCrmId", p.name AS "parentName",
       (SELECT count(*)::int FROM "Account" s WHERE s."parentId" = a.id) AS subsidiaries,
       ${versionSql} AS "ruleBookVersion",
       (SELECT json_build_object('repId', own."repId", 'cause', own.cause,
                                 'since', to_char(own."effectiveFrom", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                 'note', own.note, 'ruleId', own."ruleId") FROM own) AS ownership,
       (SELECT json_build_object('id', r.id, 'kind', r.kind, 'text', r.text) FROM own JOIN "Rule" r ON r.id = own."ruleId") AS rule,
       (SELECT json_build_object('id', rep.id, 'name', rep.name, 'email', rep.email, 'slackUserId', rep."slackUserId",
                                 'territories', (SELECT json_agg(json_build_object('name', t.name, 'regions', t.regions,
                                                   'industries', t.industries, 'sizeBands', t."sizeBands") ORDER BY t.name)
                                                 FROM "RepTerritory" rt JOIN "Territory" t ON t.id = rt."territoryId"
                                                 WHERE rt."repId" = rep.id))
          FROM own JOIN "Rep" rep ON rep.id = own."repId") AS owner,
       (SELECT json_build_object('id', rep.id, 'name', rep.name, 'email', rep.email, 'slackUserId', rep."slackUserId")
          FROM parent_own JOIN "Rep" rep ON rep.id = parent_own."repId") AS "parentOwner",
       (SELECT json_agg(json_build_object('id', o.id, 'crmId', o."crmId", 'ownerRepId', o."ownerRepId", 'amount', o.amount,
                                          'stage', o.stage, 'source', o.source, 'reseller', o.reseller) ORDER BY o."crmId")
          FROM "Opportunity" o WHERE o."accountId" = a.id AND o."isOpen") AS "openOpportunities"
FROM a LEFT JOIN "Account" p ON p.id = a."parentId"`;

/** The rep's territory the account sits in: the one whose criteria it meets, else their first. */
function territoryFor(territories: TerritoryRow[], row: SnapshotRow): string | null {
  const fits = territories.find(
    (t) =>
      (t.regions.length === 0 || (row.region !== null && t.regions.includes(row.region))) &&
      (t.industries.length === 0 || (row.industry !== null && t.industries.includes(row.industry))) &&
      (t.sizeBands.length === 0 || (row.sizeBand !== null && t.sizeBands.includes(row.sizeBand))),
  );
  return (fits ?? territories[0])?.name ?? null;
}

/**
 * The owner snapshot in one prepared statement. `versionSql` (a constant SQL expression) is evaluated
 * in the same statement and returned as ruleBookVersion, so a caller that also needs the rule book's
 * version (src/services/ownership/rule-set-cache.ts) does not pay a second round trip for it.
 */
export async function loadOwnerSnapshot(
  db: Db | Tx,
  accountId: string,
  versionSql = "NULL::text",
): Promise<OwnerSnapshot | null> {
  const [row] = await db.$queryRawUnsafe<SnapshotRow[]>(prepared(snapshotSql(versionSql)), accountId);
  if (!row) return null;
  const domains = row.domains ?? [];
  const open: Opportunity[] = (row.openOpportunities ?? []).map((o) => ({
    ...o,
    accountId: row.id,
    amount: Number(o.amount),
    isOpen: true,
  }));
  const owner = row.owner
    ? { id: row.owner.id, name: row.owner.name, email: row.owner.email, slackUserId: row.owner.slackUserId }
    : null;
  const account = accountFromRow(
    { ...row, lastActivityAt: row.lastActivityAt === null ? null : new Date(row.lastActivityAt) },
    domains,
  );
  return {
    ruleBookVersion: row.ruleBookVersion,
    card: {
      account: {
        id: row.id,
        crmId: row.crmId,
        name: row.name,
        domains,
        region: row.region,
        country: row.country,
        industry: row.industry,
        sizeBand: row.sizeBand,
        named: row.named,
      },
      owner,
      since: row.ownership ? new Date(row.ownership.since) : null,
      cause: row.ownership?.cause ?? null,
      rule: row.rule,
      note: row.ownership?.note ?? null,
      territory: territoryFor(row.owner?.territories ?? [], row),
      openOpportunities: {
        count: open.length,
        amount: open.reduce((sum, o) => sum + o.amount, 0),
        resellers: [...new Set(open.map((o) => o.reseller).filter((r): r is string => r !== null))],
      },
      parent:
        row.parentCrmId && row.parentName
          ? { crmId: row.parentCrmId, name: row.parentName, owner: row.parentOwner }
          : null,
      subsidiaries: row.subsidiaries,
    },
    situation: {
      facts: { account, parentCrmId: row.parentCrmId, openOpportunities: open },
      currentOwnerRepId: row.ownership?.repId ?? null,
      parentOwnerRepId: row.parentOwner?.id ?? null,
    },
  };
}
