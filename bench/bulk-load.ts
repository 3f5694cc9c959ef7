// Loads a generated book straight into the tables for benchmarks that need a large book quickly
// (1M accounts): the same keys the importer writes, without its row-by-row validation, which the
// import benchmark measures separately.
import { randomUUID } from "node:crypto";
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
  let accounts: object[] = [];
  let domains: object[] = [];
  let owners: object[] = [];
  const flush = async () => {
    await db.account.createMany({ data: accounts as never });
    await db.accountDomain.createMany({ data: domains as never, skipDuplicates: true });
    await db.ownership.createMany({ data: owners as never });
    accounts = [];
    domains = [];
    owners = [];
  };
  // Parents come before their subsidiaries in the generator's order, so the foreign key holds.
  for (const row of generateAccountRows(options)) {
    const id = randomUUID();
    idByCrm.set(row.crm_id, id);
    const keys = searchKeysFor({ name: row.name, domains: [] });
    accounts.push({
      id,
      crmId: row.crm_id,
      name: row.name,
      normalizedName: keys.normalizedName,
      compactName: keys.compactName,
      coreName: keys.coreName,
      acronym: keys.acronym,
      parentId: row.parent_crm_id ? (idByCrm.get(row.parent_crm_id) ?? null) : null,
      country: row.country || null,
      region: row.region || null,
      industry: row.industry || null,
      employees: row.employees ? Number(row.employees) : null,
      sizeBand: row.size_band || null,
      icpFit: row.icp_fit ? Number(row.icp_fit) : null,
      lastActivityAt: row.last_activity_at ? new Date(row.last_activity_at) : null,
      named: row.named === "true",
    });
    for (const d of row.domain.split(";").filter(Boolean)) {
      const domain = registrableDomain(d) ?? d;
      domains.push({ accountId: id, domain, label: (domainLabel(domain) ?? domain).replace(/-/g, "") });
    }
    const repId = row.owner_email ? repByEmail.get(row.owner_email) : undefined;
    if (repId) owners.push({ accountId: id, repId, effectiveFrom: now, cause: "import" });
    if (accounts.length >= CHUNK) await flush();
  }
  await flush();
  let opportunities: object[] = [];
  for (const o of generateOpportunityRows(options)) {
    const accountId = idByCrm.get(o.account_crm_id);
    if (!accountId) continue;
    opportunities.push({
      crmId: o.crm_id,
      accountId,
      ownerRepId: o.owner_email ? (repByEmail.get(o.owner_email) ?? null) : null,
      amount: o.amount,
      stage: o.stage,
      isOpen: o.is_open === "true",
      source: o.source,
      reseller: o.reseller || null,
    });
    if (opportunities.length >= CHUNK) {
      await db.opportunity.createMany({ data: opportunities as never });
      opportunities = [];
    }
  }
  if (opportunities.length) await db.opportunity.createMany({ data: opportunities as never });
  await installDefaultRules(db, now, "bench");
}
