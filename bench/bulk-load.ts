// Loads a generated book straight into the tables for benchmarks that need a large book quickly
// (1M accounts): the same keys the importer writes, without its row-by-row validation, which the
// import benchmark measures separately.
import { randomUUID } from "node:crypto";
import {
  ACCOUNT_COLUMNS,
  DOMAIN_COLUMNS,
  OPPORTUNITY_COLUMNS,
  OWNERSHIP_COLUMNS,
} from "../src/db/bulk-columns.ts";
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
  const flush = async () => {
    await db.$transaction(
      async (tx) => {
        await insertRows(tx, "Account", ACCOUNT_COLUMNS, accounts as never);
        await insertRows(tx, "AccountDomain", DOMAIN_COLUMNS, domains as never);
        await insertRows(tx, "Ownership", OWNERSHIP_COLUMNS, owners as never);
      },
      { timeout: 600_000, maxWait: 60_000 },
    );
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
    if (repId) owners.push([randomUUID(), id, repId, null, "import", null, now]);
    if (accounts.length >= CHUNK) await flush();
  }
  await flush();
  let opportunities: unknown[][] = [];
  const flushOpportunities = async () => {
    await db.$transaction(
      (tx) => insertRows(tx, "Opportunity", OPPORTUNITY_COLUMNS, opportunities as never),
      {
        timeout: 600_000,
        maxWait: 60_000,
      },
    );
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
