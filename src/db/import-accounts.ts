// Reads the account and opportunity importers compare a file with. Raw SQL: Prisma's result mapping
// through the embedded adapter costs seconds per 100k rows, and re-importing a file should be cheap.
import type { Account } from "../domain/model.ts";
import type { Db, Tx } from "./client.ts";

/** An account as stored, for comparison with its row in the file. */
export type StoredAccount = Omit<Account, "domains">;

export async function loadAccountsByCrmId(db: Db | Tx): Promise<Map<string, StoredAccount>> {
  const rows = await db.$queryRawUnsafe<
    (Omit<StoredAccount, "lastActivityAt"> & { lastActivityAt: Date | string | null })[]
  >(
    `SELECT id, "crmId", name, "parentId", country, region, industry, employees, "sizeBand"::text AS "sizeBand",
            "icpFit", "lastActivityAt", named
     FROM "Account"`,
  );
  return new Map(
    rows.map((r) => [
      r.crmId,
      { ...r, lastActivityAt: r.lastActivityAt === null ? null : new Date(r.lastActivityAt) },
    ]),
  );
}

export async function loadDomainsByAccount(db: Db): Promise<Map<string, string[]>> {
  const rows = await db.$queryRawUnsafe<{ accountId: string; domains: string[] }[]>(
    `SELECT "accountId", array_agg(domain) AS domains FROM "AccountDomain" GROUP BY "accountId"`,
  );
  return new Map(rows.map((r) => [r.accountId, r.domains]));
}

/** Who owns each account now and why: the open ownership row with its cause and note. */
export type CurrentOwnership = {
  repId: string | null;
  repEmail: string | null;
  cause: string;
  ruleId: string | null;
  note: string | null;
};

export async function loadCurrentOwnerships(db: Db): Promise<Map<string, CurrentOwnership>> {
  const rows = await db.$queryRawUnsafe<(CurrentOwnership & { accountId: string })[]>(
    `SELECT o."accountId", o."repId", r.email AS "repEmail", o.cause::text AS cause, o."ruleId", o.note
     FROM "Ownership" o LEFT JOIN "Rep" r ON r.id = o."repId"
     WHERE o."effectiveTo" IS NULL`,
  );
  return new Map(rows.map(({ accountId, ...o }) => [accountId, o]));
}

export type StoredOpportunity = {
  id: string;
  crmId: string;
  accountId: string;
  ownerRepId: string | null;
  amount: string;
  stage: string;
  isOpen: boolean;
  source: string;
  reseller: string | null;
};

export async function loadOpportunitiesByCrmId(db: Db): Promise<Map<string, StoredOpportunity>> {
  const rows = await db.$queryRawUnsafe<StoredOpportunity[]>(
    `SELECT id, "crmId", "accountId", "ownerRepId", amount::text AS amount, stage, "isOpen",
            source::text AS source, reseller
     FROM "Opportunity"`,
  );
  return new Map(rows.map((r) => [r.crmId, r]));
}
