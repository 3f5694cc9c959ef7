// Loads a generated book straight into the tables for benchmarks that need a large book quickly
// (1M accounts): the same keys the importer writes, without its row-by-row validation, which the
// import benchmark measures separately.
import { randomUUID } from "node:crypto";
import { insertRows } from "../src/db/bulk-insert.ts";
import type { Db } from "../src/db/client.ts";
import { domainLabel, registrableDomain, searchKeysFor } from "../src/domain/matching/normalize.ts";
import { importCsv } from "../src/services/import/import-csv.ts";
import { installDefaultRules } from "../src/services/rules/default-rules.ts";
import {
  type BookOptions,
  generateAccountRows,
  generateOpportunityRows,
  generateRepRows,
  generateTerritoryRows,
  REP_COLUMNS,
  TERRITORY_COLUMNS,
  toCsv,
} from "./book.ts";

const CHUNK = 5000;

export async function bulkLoadBook(db: Db, options: BookOptions, now: Date): Promise<void> {
  const t = await importCsv(db, "territories", toCsv(TERRITORY_COLUMNS, generateTerritoryRows()), {
    now,
    actor: "bench",
  });
  if (!t.ok) throw new Error(JSON.stringify(t.errors.slice(0, 3)));
  const r = await importCsv(db, "reps", toCsv(REP_COLUMNS, generateRepRows(options)), {
    now,
    actor: "bench",
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 3)));
  const repByEmail = new Map(
    (await db.rep.findMany({ select: { id: true, email: true } })).map((x) => [x.email, x.id]),
  );
  const idByCrm = new Map<string, string>();
  let accounts: unknown[][] = [];
  let domains: unknown[][] = [];
  let owners: unknown[][] = [];
  const col = (name: string, type = "text") => ({ name, type });
  const flush = async () => {
    await db.$transaction(async (tx) => {
      await insertRows(
        tx,
        "Account",
        [
          col("id"),
          col("crmId"),
          col("name"),
          col("normalizedName"),
          col("compactName"),
          col("coreName"),
          col("acronym"),
          col("parentId"),
          col("country"),
          col("region"),
          col("industry"),
          col("employees", "integer"),
          col("sizeBand", '"SizeBand"'),
          col("icpFit", "integer"),
          col("lastActivityAt", "timestamp(3)"),
          col("named", "boolean"),
          col("updatedAt", "timestamp(3)"),
        ],
        accounts as never,
      );
      await insertRows(
        tx,
        "AccountDomain",
        [col("accountId"), col("domain"), col("label")],
        domains as never,
      );
      await insertRows(
        tx,
        "Ownership",
        [
          col("id"),
          col("accountId"),
          col("repId"),
          col("effectiveFrom", "timestamp(3)"),
          col("cause", '"OwnershipCause"'),
        ],
        owners as never,
      );
    });
    accounts = [];
    domains = [];
    owners = [];
  };
  // Parents come before their subsidiaries in the generator's order, so the foreign key holds.
  for (const row of generateAccountRows(options)) {
    const id = randomUUID();
    idByCrm.set(row.crm_id, id);
    const keys = searchKeysFor({ name: row.name, domains: [] });
    accounts.push([
      id,
      row.crm_id,
      row.name,
      keys.normalizedName,
      keys.compactName,
      keys.coreName,
      keys.acronym,
      row.parent_crm_id ? (idByCrm.get(row.parent_crm_id) ?? null) : null,
      row.country || null,
      row.region || null,
      row.industry || null,
      row.employees || null,
      row.size_band || null,
      row.icp_fit || null,
      row.last_activity_at || null,
      row.named === "true",
      now,
    ]);
    for (const domain of new Set(
      row.domain
        .split(";")
        .filter(Boolean)
        .map((d) => registrableDomain(d) ?? d),
    )) {
      domains.push([id, domain, (domainLabel(domain) ?? domain).replace(/-/g, "")]);
    }
    const repId = row.owner_email ? repByEmail.get(row.owner_email) : undefined;
    if (repId) owners.push([randomUUID(), id, repId, now, "import"]);
    if (accounts.length >= CHUNK) await flush();
  }
  await flush();
  let opportunities: unknown[][] = [];
  const opportunityColumns = [
    col("id"),
    col("crmId"),
    col("accountId"),
    col("ownerRepId"),
    col("amount", "numeric(14,2)"),
    col("stage"),
    col("isOpen", "boolean"),
    col("source", '"OpportunitySource"'),
    col("reseller"),
    col("updatedAt", "timestamp(3)"),
  ];
  const flushOpportunities = async () => {
    await db.$transaction((tx) => insertRows(tx, "Opportunity", opportunityColumns, opportunities as never));
    opportunities = [];
  };
  for (const o of generateOpportunityRows(options)) {
    const accountId = idByCrm.get(o.account_crm_id);
    if (!accountId) continue;
    opportunities.push([
      randomUUID(),
      o.crm_id,
      accountId,
      o.owner_email ? (repByEmail.get(o.owner_email) ?? null) : null,
      o.amount,
      o.stage,
      o.is_open === "true",
      o.source,
      o.reseller || null,
      now,
    ]);
    if (opportunities.length >= CHUNK) await flushOpportunities();
  }
  if (opportunities.length) await flushOpportunities();
  await installDefaultRules(db, now, "bench");
}
