// `turf import <kind> <file.csv>`: all-or-nothing. Every row is validated (and every reference
// resolved) before anything is written; any bad row aborts the import, nothing is written, and every
// bad row is reported with its line number and reason. Rows are upserted by their key, and a row that
// matches what is stored is left alone, so re-importing the same file changes nothing.
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { isDeepStrictEqual as isEqual } from "node:util";
import { recordAudit } from "../../db/audit.ts";
import {
  ACCOUNT_COLUMNS,
  AUDIT_COLUMNS,
  DOMAIN_COLUMNS,
  OPPORTUNITY_COLUMNS,
  OWNERSHIP_COLUMNS,
} from "../../db/bulk-columns.ts";
import { insertRows } from "../../db/bulk-insert.ts";
import type { Db, Tx } from "../../db/client.ts";
import { parentsFirst } from "../../domain/hierarchy.ts";
import {
  domainLabel,
  registrableDomain,
  type SearchKeys,
  searchKeysFor,
} from "../../domain/matching/normalize.ts";
import type { Account } from "../../domain/model.ts";
import { ensureDefaultRules } from "../rules/default-rules.ts";
import { type CsvRecord, missingColumns, type RowError, readCsv } from "./csv-rows.ts";
import { importArbiters } from "./import-arbiters.ts";
import {
  type AccountRow,
  type ArbiterRow,
  describeRowIssues,
  type ImportKind,
  type OpportunityRow,
  REQUIRED_COLUMNS,
  type RepRow,
  ROW_SCHEMAS,
  type TerritoryRow,
} from "./row-schemas.ts";

export type ImportProgress = { phase: "validating" | "writing"; done: number; total: number };

export type ImportOptions = {
  now: Date;
  actor: string;
  onProgress?: (progress: ImportProgress) => void;
};

export type ImportSummary = {
  kind: ImportKind;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
};

export type ImportResult = { ok: true; summary: ImportSummary } | { ok: false; errors: RowError[] };

const CHUNK = 2000;
// Big books take a while in one transaction; Prisma's 5 s default would abort them half-way.
const TRANSACTION_OPTIONS = { timeout: 30 * 60_000, maxWait: 60_000 };

export async function importCsv(
  db: Db,
  kind: ImportKind,
  input: Readable | string,
  options: ImportOptions,
): Promise<ImportResult> {
  const csv = await readCsv(input);
  if (!csv.ok) return csv;
  const missing = missingColumns(csv.columns, REQUIRED_COLUMNS[kind]);
  if (missing.length > 0) {
    return {
      ok: false,
      errors: [{ line: 1, message: `the header lacks the column(s) ${missing.join(", ")}` }],
    };
  }
  const parsed = parseRows(kind, csv.records, options);
  if (!parsed.ok) return parsed;
  const result = await importParsed(db, kind, parsed.rows, options);
  // A database filled by import starts with the default rules, as one filled with the sample does.
  if (result.ok) await ensureDefaultRules(db, options.now);
  return result;
}

async function importParsed(
  db: Db,
  kind: ImportKind,
  rows: Parsed<unknown>[],
  options: ImportOptions,
): Promise<ImportResult> {
  const parsed = { rows };
  switch (kind) {
    case "territories":
      return importTerritories(db, parsed.rows as Parsed<TerritoryRow>[], options);
    case "reps":
      return importReps(db, parsed.rows as Parsed<RepRow>[], options);
    case "accounts":
      return importAccounts(db, parsed.rows as Parsed<AccountRow>[], options);
    case "opportunities":
      return importOpportunities(db, parsed.rows as Parsed<OpportunityRow>[], options);
    case "arbiters":
      return importArbiters(db, parsed.rows as Parsed<ArbiterRow>[], options);
  }
}

type Parsed<T> = { line: number; row: T };

function parseRows(kind: ImportKind, records: CsvRecord[], options: ImportOptions) {
  const schema = ROW_SCHEMAS[kind];
  const errors: RowError[] = [];
  const rows: Parsed<unknown>[] = [];
  const keyColumn =
    kind === "reps" ? "email" : kind === "territories" ? "name" : kind === "arbiters" ? "key" : "crm_id";
  const firstLineOfKey = new Map<string, number>();
  records.forEach((record, i) => {
    const result = schema.safeParse(record.values);
    if (!result.success) {
      errors.push({ line: record.line, message: describeRowIssues(result.error) });
    } else {
      const key = String((result.data as Record<string, unknown>)[keyColumn]).toLowerCase();
      const earlier = firstLineOfKey.get(key);
      if (earlier !== undefined) {
        errors.push({
          line: record.line,
          message: `${keyColumn} "${key}" appears twice (first on line ${earlier})`,
        });
      } else {
        firstLineOfKey.set(key, record.line);
        rows.push({ line: record.line, row: result.data });
      }
    }
    if (i % CHUNK === 0) options.onProgress?.({ phase: "validating", done: i, total: records.length });
  });
  options.onProgress?.({ phase: "validating", done: records.length, total: records.length });
  if (errors.length > 0) return { ok: false as const, errors };
  return { ok: true as const, rows };
}

function failWith(errors: RowError[]): ImportResult {
  return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
}

async function finish(tx: Tx, summary: ImportSummary, options: ImportOptions): Promise<ImportResult> {
  await recordAudit(tx, {
    actor: options.actor,
    action: `import.${summary.kind}`,
    subjectType: "import",
    subjectId: summary.kind,
    details: summary,
    at: options.now,
  });
  return { ok: true, summary };
}

async function importTerritories(
  db: Db,
  rows: Parsed<TerritoryRow>[],
  options: ImportOptions,
): Promise<ImportResult> {
  const existing = new Map((await db.territory.findMany()).map((t) => [t.name.toLowerCase(), t]));
  return db.$transaction(async (tx) => {
    const summary: ImportSummary = {
      kind: "territories",
      rows: rows.length,
      created: 0,
      updated: 0,
      unchanged: 0,
    };
    for (const { row } of rows) {
      const data = {
        name: row.name,
        model: row.model,
        regions: row.regions,
        industries: row.industries,
        sizeBands: row.size_bands,
      };
      const current = existing.get(row.name.toLowerCase());
      if (!current) {
        await tx.territory.create({ data });
        summary.created++;
      } else if (
        isEqual(
          {
            name: current.name,
            model: current.model,
            regions: current.regions,
            industries: current.industries,
            sizeBands: current.sizeBands,
          },
          data,
        )
      ) {
        summary.unchanged++;
      } else {
        await tx.territory.update({ where: { id: current.id }, data });
        summary.updated++;
      }
    }
    return finish(tx, summary, options);
  }, TRANSACTION_OPTIONS);
}

async function importReps(db: Db, rows: Parsed<RepRow>[], options: ImportOptions): Promise<ImportResult> {
  const territories = new Map(
    (await db.territory.findMany({ select: { id: true, name: true } })).map((t) => [
      t.name.toLowerCase(),
      t.id,
    ]),
  );
  const errors: RowError[] = [];
  const slackIds = new Map<string, number>();
  for (const { line, row } of rows) {
    for (const name of row.territory) {
      if (!territories.has(name.toLowerCase())) {
        errors.push({ line, message: `territory "${name}" does not exist; import territories first` });
      }
    }
    if (row.slack_user_id) {
      const earlier = slackIds.get(row.slack_user_id);
      if (earlier !== undefined)
        errors.push({
          line,
          message: `slack_user_id ${row.slack_user_id} is already used on line ${earlier}`,
        });
      slackIds.set(row.slack_user_id, line);
    }
  }
  if (errors.length > 0) return failWith(errors);
  const existing = new Map(
    (await db.rep.findMany({ include: { territories: true } })).map((r) => [r.email.toLowerCase(), r]),
  );
  return db.$transaction(async (tx) => {
    const summary: ImportSummary = { kind: "reps", rows: rows.length, created: 0, updated: 0, unchanged: 0 };
    for (const { row } of rows) {
      const data = {
        email: row.email,
        name: row.name,
        slackUserId: row.slack_user_id,
        team: row.team,
        roles: row.roles,
        capacityWeight: row.capacity_weight,
        active: row.active,
      };
      const territoryIds = row.territory.map((n) => territories.get(n.toLowerCase()) as string).sort();
      const current = existing.get(row.email);
      if (!current) {
        await tx.rep.create({
          data: { ...data, territories: { create: territoryIds.map((territoryId) => ({ territoryId })) } },
        });
        summary.created++;
        continue;
      }
      const currentData = {
        email: current.email,
        name: current.name,
        slackUserId: current.slackUserId,
        team: current.team,
        roles: current.roles,
        capacityWeight: current.capacityWeight,
        active: current.active,
      };
      const currentTerritories = current.territories.map((t) => t.territoryId).sort();
      if (isEqual(currentData, data) && isEqual(currentTerritories, territoryIds)) {
        summary.unchanged++;
        continue;
      }
      await tx.rep.update({ where: { id: current.id }, data });
      await tx.repTerritory.deleteMany({ where: { repId: current.id } });
      await tx.repTerritory.createMany({
        data: territoryIds.map((territoryId) => ({ repId: current.id, territoryId })),
      });
      summary.updated++;
    }
    return finish(tx, summary, options);
  }, TRANSACTION_OPTIONS);
}

/** An account as stored, for comparison with its row in the file. */
type StoredAccount = Omit<Account, "domains">;

// Reading the stored book for comparison goes through raw SQL: Prisma's result mapping through the
// embedded adapter costs seconds per 100k rows, and re-importing an unchanged file should be cheap.
async function loadAccountsByCrmId(db: Db | Tx): Promise<Map<string, StoredAccount>> {
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

async function importAccounts(
  db: Db,
  rows: Parsed<AccountRow>[],
  options: ImportOptions,
): Promise<ImportResult> {
  const reps = new Map(
    (await db.rep.findMany({ select: { id: true, email: true } })).map((r) => [r.email.toLowerCase(), r.id]),
  );
  const stored = await loadAccountsByCrmId(db);
  const inFile = new Map(rows.map((r) => [r.row.crm_id, r]));
  const errors: RowError[] = [];
  const domainsByRow = new Map<string, string[]>();
  for (const { line, row } of rows) {
    if (row.parent_crm_id) {
      if (row.parent_crm_id === row.crm_id)
        errors.push({ line, message: "parent_crm_id is the account itself" });
      else if (!inFile.has(row.parent_crm_id) && !stored.has(row.parent_crm_id)) {
        errors.push({
          line,
          message: `parent_crm_id "${row.parent_crm_id}" is not an account in this file or in Turf`,
        });
      }
    }
    if (row.owner_email && !reps.has(row.owner_email)) {
      errors.push({ line, message: `owner_email "${row.owner_email}" is not a rep; import reps first` });
    }
    const domains: string[] = [];
    for (const raw of row.domain) {
      const domain = registrableDomain(raw);
      if (!domain) errors.push({ line, message: `domain "${raw}" is not a domain name like acme.com` });
      else if (!domains.includes(domain)) domains.push(domain);
    }
    domainsByRow.set(row.crm_id, domains);
  }
  const cycle = findParentCycle(rows, stored);
  if (cycle) errors.push(cycle);
  if (errors.length > 0) return failWith(errors);

  // Parents are written before their subsidiaries so the foreign key holds at every insert.
  const ordered = parentsFirst(
    rows,
    (r) => r.row.crm_id,
    (r) => r.row.parent_crm_id,
  );
  const ids = new Map<string, string>();
  for (const [crmId, a] of stored) ids.set(crmId, a.id);
  for (const { row } of ordered) if (!ids.has(row.crm_id)) ids.set(row.crm_id, randomUUID());

  const storedDomains = await loadDomains(db);
  const currentOwners = await loadCurrentOwners(db);

  return db.$transaction(async (tx) => {
    const summary: ImportSummary = {
      kind: "accounts",
      rows: rows.length,
      created: 0,
      updated: 0,
      unchanged: 0,
    };
    const creates: ReturnType<typeof accountValues>[] = [];
    const domainRows: { accountId: string; domain: string; label: string }[] = [];
    const ownershipChanges: { accountId: string; repId: string | null; close: boolean }[] = [];
    let done = 0;
    for (const { row } of ordered) {
      const id = ids.get(row.crm_id) as string;
      const keys = searchKeysFor({ name: row.name, domains: [] });
      const data = {
        crmId: row.crm_id,
        name: row.name,
        normalizedName: keys.normalizedName,
        compactName: keys.compactName,
        coreName: keys.coreName,
        acronym: keys.acronym,
        parentId: row.parent_crm_id ? (ids.get(row.parent_crm_id) as string) : null,
        country: row.country,
        region: row.region,
        industry: row.industry,
        employees: row.employees,
        sizeBand: row.size_band,
        icpFit: row.icp_fit,
        lastActivityAt: row.last_activity_at,
        named: row.named,
      };
      const domains = domainsByRow.get(row.crm_id) ?? [];
      const ownerRepId = row.owner_email ? (reps.get(row.owner_email) as string) : null;
      const current = stored.get(row.crm_id);
      if (!current) {
        creates.push(accountValues(id, data, options.now));
        for (const domain of domains) domainRows.push({ accountId: id, domain, label: labelOf(domain) });
        if (ownerRepId) ownershipChanges.push({ accountId: id, repId: ownerRepId, close: false });
        summary.created++;
      } else {
        const { id: _id, ...currentData } = current;
        const { normalizedName: _n, compactName: _c, coreName: _k, acronym: _a, ...comparable } = data;
        const domainsSame = isEqual([...(storedDomains.get(id) ?? [])].sort(), [...domains].sort());
        const ownerSame =
          (currentOwners.get(id) ?? null) === ownerRepId || (!row.owner_email && !currentOwners.has(id));
        if (isEqual(currentData, comparable) && domainsSame && ownerSame) {
          summary.unchanged++;
        } else {
          await tx.account.update({ where: { id }, data });
          if (!domainsSame) {
            await tx.accountDomain.deleteMany({ where: { accountId: id } });
            for (const domain of domains) domainRows.push({ accountId: id, domain, label: labelOf(domain) });
          }
          // An import only sets an owner when the file names one; an empty cell never un-assigns.
          if (!ownerSame && ownerRepId)
            ownershipChanges.push({ accountId: id, repId: ownerRepId, close: true });
          summary.updated++;
        }
      }
      if (creates.length >= CHUNK) await insertRows(tx, "Account", ACCOUNT_COLUMNS, creates.splice(0));
      if (++done % CHUNK === 0) options.onProgress?.({ phase: "writing", done, total: rows.length });
    }
    if (creates.length > 0) await insertRows(tx, "Account", ACCOUNT_COLUMNS, creates);
    await insertRows(
      tx,
      "AccountDomain",
      DOMAIN_COLUMNS,
      domainRows.map((d) => [d.accountId, d.domain, d.label]),
    );
    const toClose = ownershipChanges.filter((c) => c.close).map((c) => c.accountId);
    for (let i = 0; i < toClose.length; i += CHUNK) {
      await tx.ownership.updateMany({
        where: { accountId: { in: toClose.slice(i, i + CHUNK) }, effectiveTo: null },
        data: { effectiveTo: options.now },
      });
    }
    await insertRows(
      tx,
      "Ownership",
      OWNERSHIP_COLUMNS,
      ownershipChanges.map((c) => [
        randomUUID(),
        c.accountId,
        c.repId,
        null,
        "import",
        "Owner of record in the CRM import",
        options.now,
      ]),
    );
    // Every assignment is audited, including the owners of record an import brings in.
    await insertRows(
      tx,
      "AuditEvent",
      AUDIT_COLUMNS,
      ownershipChanges.map((c) => [
        options.now,
        options.actor,
        "ownership.imported",
        "account",
        c.accountId,
        null,
        { repId: c.repId },
      ]),
    );
    options.onProgress?.({ phase: "writing", done: rows.length, total: rows.length });
    return finish(tx, summary, options);
  }, TRANSACTION_OPTIONS);
}

/** What an account row writes: the account without its id and domains, plus its search keys. */
type AccountData = Omit<Account, "id" | "domains"> &
  Pick<SearchKeys, "normalizedName" | "compactName" | "coreName" | "acronym">;

function accountValues(id: string, a: AccountData, now: Date) {
  return [
    id,
    a.crmId,
    a.name,
    a.normalizedName,
    a.compactName,
    a.coreName,
    a.acronym,
    a.parentId,
    a.country,
    a.region,
    a.industry,
    a.employees,
    a.sizeBand,
    a.icpFit,
    a.lastActivityAt,
    a.named,
    now,
  ];
}

function labelOf(domain: string): string {
  return (domainLabel(domain) ?? domain).replace(/-/g, "");
}

async function loadDomains(db: Db): Promise<Map<string, string[]>> {
  const rows = await db.$queryRawUnsafe<{ accountId: string; domains: string[] }[]>(
    `SELECT "accountId", array_agg(domain) AS domains FROM "AccountDomain" GROUP BY "accountId"`,
  );
  return new Map(rows.map((r) => [r.accountId, r.domains]));
}

async function loadCurrentOwners(db: Db): Promise<Map<string, string | null>> {
  const rows = await db.$queryRawUnsafe<{ accountId: string; repId: string | null }[]>(
    `SELECT "accountId", "repId" FROM "Ownership" WHERE "effectiveTo" IS NULL`,
  );
  return new Map(rows.map((r) => [r.accountId, r.repId]));
}

function findParentCycle(rows: Parsed<AccountRow>[], stored: Map<string, StoredAccount>): RowError | null {
  const parentOf = new Map<string, string | null>();
  const crmIdOfId = new Map<string, string>();
  for (const [crmId, a] of stored) crmIdOfId.set(a.id, crmId);
  for (const [crmId, a] of stored)
    parentOf.set(crmId, a.parentId ? (crmIdOfId.get(a.parentId) ?? null) : null);
  for (const { row } of rows) parentOf.set(row.crm_id, row.parent_crm_id);
  for (const { line, row } of rows) {
    const seen = new Set<string>([row.crm_id]);
    let next = parentOf.get(row.crm_id) ?? null;
    while (next) {
      if (seen.has(next))
        return { line, message: `parent_crm_id makes a cycle: ${[...seen, next].join(" → ")}` };
      seen.add(next);
      next = parentOf.get(next) ?? null;
    }
  }
  return null;
}

async function importOpportunities(
  db: Db,
  rows: Parsed<OpportunityRow>[],
  options: ImportOptions,
): Promise<ImportResult> {
  const reps = new Map(
    (await db.rep.findMany({ select: { id: true, email: true } })).map((r) => [r.email.toLowerCase(), r.id]),
  );
  const accounts = new Map<string, string>();
  for (const [crmId, a] of await loadAccountsByCrmId(db)) accounts.set(crmId, a.id);
  const errors: RowError[] = [];
  for (const { line, row } of rows) {
    if (!accounts.has(row.account_crm_id))
      errors.push({
        line,
        message: `account_crm_id "${row.account_crm_id}" is not an account in Turf; import accounts first`,
      });
    if (row.owner_email && !reps.has(row.owner_email))
      errors.push({ line, message: `owner_email "${row.owner_email}" is not a rep; import reps first` });
    if (row.source === "reseller" && !row.reseller)
      errors.push({ line, message: "reseller is required when source is reseller" });
  }
  if (errors.length > 0) return failWith(errors);
  const existing = new Map(
    (
      await db.opportunity.findMany({
        select: {
          id: true,
          crmId: true,
          accountId: true,
          ownerRepId: true,
          amount: true,
          stage: true,
          isOpen: true,
          source: true,
          reseller: true,
        },
      })
    ).map((o) => [o.crmId, o]),
  );
  return db.$transaction(async (tx) => {
    const summary: ImportSummary = {
      kind: "opportunities",
      rows: rows.length,
      created: 0,
      updated: 0,
      unchanged: 0,
    };
    const creates: unknown[][] = [];
    for (const { row } of rows) {
      const data = {
        crmId: row.crm_id,
        accountId: accounts.get(row.account_crm_id) as string,
        ownerRepId: row.owner_email ? (reps.get(row.owner_email) as string) : null,
        amount: row.amount,
        stage: row.stage,
        isOpen: row.is_open,
        source: row.source,
        reseller: row.source === "reseller" ? row.reseller : null,
      };
      const current = existing.get(row.crm_id);
      if (!current) {
        creates.push([
          randomUUID(),
          data.crmId,
          data.accountId,
          data.ownerRepId,
          data.amount,
          data.stage,
          data.isOpen,
          data.source,
          data.reseller,
          options.now,
        ]);
        summary.created++;
      } else if (
        isEqual(
          { ...current, id: undefined, amount: Number(current.amount).toFixed(2) },
          { ...data, id: undefined, amount: Number(data.amount).toFixed(2) },
        )
      ) {
        summary.unchanged++;
      } else {
        await tx.opportunity.update({ where: { id: current.id }, data });
        summary.updated++;
      }
    }
    await insertRows(tx, "Opportunity", OPPORTUNITY_COLUMNS, creates as never);
    return finish(tx, summary, options);
  }, TRANSACTION_OPTIONS);
}
