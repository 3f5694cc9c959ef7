// accounts.csv: accounts upserted by CRM id, with their domains and the CRM's owner of record.
//
// The owner policy: the file's owner_email is the CRM's owner of record. It is an input, never a
// silent override of what Turf decided. It is applied when Turf has no say yet (a new account, an
// account nobody owns in Turf, or one whose owner came from an earlier import, i.e. from the CRM
// itself). When Turf's owner was set by its rules, a dispute decision, a manual change or a
// rebalance, the row's owner is NOT applied: the disagreement is reported per row ("CRM says X,
// Turf says Y because …") so RevOps can fix the CRM (`turf export changes` gives the file for it).
// So re-importing the same file after a re-evaluation changes nothing.
import { randomUUID } from "node:crypto";
import { ACCOUNT_COLUMNS, AUDIT_COLUMNS, DOMAIN_COLUMNS, OWNERSHIP_COLUMNS } from "../../db/bulk-columns.ts";
import { insertRows } from "../../db/bulk-insert.ts";
import {
  type CurrentOwnership,
  loadAccountsByCrmId,
  loadCurrentOwnerships,
  loadDomainsByAccount,
  type StoredAccount,
} from "../../db/import-accounts.ts";
import { parentsFirst } from "../../domain/hierarchy.ts";
import { domainLabel, registrableDomain, searchKeysFor } from "../../domain/matching/normalize.ts";
import type { RowError } from "./csv-reader.ts";
import type { AccountRow } from "./row-schemas.ts";
import { changedColumns, emptySummary, type KindImporter, type Parsed } from "./types.ts";

const CHUNK = 2000;

/** Why Turf's owner stands, in the words the disagreement report uses. */
function because(o: CurrentOwnership): string {
  const what: Record<string, string> = {
    rule: "a rule decided it",
    dispute: "a resolved dispute decided it",
    manual: "it was assigned by hand",
    rebalance: "a rebalance moved it",
    stale: "it was released as stale",
    white_space: "no rule assigns it (white space)",
  };
  const base = what[o.cause] ?? o.cause;
  return o.note ? `${base}: ${o.note}${o.ruleId ? ` (rule ${o.ruleId})` : ""}` : base;
}

export const importAccounts: KindImporter<AccountRow> = async (db, rows, options) => {
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
  if (errors.length > 0) return { ok: false, errors };

  // Parents are written before their subsidiaries so the foreign key holds at every insert.
  const ordered = parentsFirst(
    rows,
    (r) => r.row.crm_id,
    (r) => r.row.parent_crm_id,
  );
  const ids = new Map<string, string>();
  for (const [crmId, a] of stored) ids.set(crmId, a.id);
  for (const { row } of ordered) if (!ids.has(row.crm_id)) ids.set(row.crm_id, randomUUID());
  const storedDomains = await loadDomainsByAccount(db);
  const ownerships = await loadCurrentOwnerships(db);

  return {
    ok: true,
    async write(tx) {
      const summary = emptySummary("accounts", rows.length, options.dryRun === true);
      const creates: unknown[][] = [];
      const domainRows: unknown[][] = [];
      const ownershipChanges: { accountId: string; repId: string; close: boolean }[] = [];
      let done = 0;
      for (const { line, row } of ordered) {
        const id = ids.get(row.crm_id) as string;
        const keys = searchKeysFor({ name: row.name, domains: [] });
        const comparable = {
          crmId: row.crm_id,
          name: row.name,
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
        const data = {
          ...comparable,
          normalizedName: keys.normalizedName,
          compactName: keys.compactName,
          coreName: keys.coreName,
          acronym: keys.acronym,
        };
        const domains = domainsByRow.get(row.crm_id) ?? [];
        const crmOwnerId = row.owner_email ? (reps.get(row.owner_email) as string) : null;
        const current = stored.get(row.crm_id);
        if (!current) {
          creates.push([id, ...Object.values(accountValues(data)), options.now]);
          for (const domain of domains) domainRows.push([id, domain, labelOf(domain)]);
          if (crmOwnerId) ownershipChanges.push({ accountId: id, repId: crmOwnerId, close: false });
          summary.created++;
          summary.changes.push({ line, key: row.crm_id, action: "created", columns: [] });
        } else {
          const columns = changedColumns(current, comparable);
          const domainsSame =
            [...(storedDomains.get(id) ?? [])].sort().join(";") === [...domains].sort().join(";");
          if (!domainsSame) columns.push("domain");
          const ownership = ownerships.get(id);
          if (crmOwnerId && (ownership?.repId ?? null) !== crmOwnerId) {
            if (!ownership || ownership.cause === "import") {
              ownershipChanges.push({ accountId: id, repId: crmOwnerId, close: ownership !== undefined });
              columns.push("owner_email");
            } else {
              summary.disagreements.push({
                line,
                crmId: row.crm_id,
                account: row.name,
                crmOwner: row.owner_email as string,
                turfOwner: ownership.repEmail,
                because: because(ownership),
              });
            }
          }
          if (columns.length === 0) {
            summary.unchanged++;
          } else {
            const accountChanged = columns.some((c) => c !== "domain" && c !== "owner_email");
            if (accountChanged) await tx.account.update({ where: { id }, data });
            if (!domainsSame) {
              await tx.accountDomain.deleteMany({ where: { accountId: id } });
              for (const domain of domains) domainRows.push([id, domain, labelOf(domain)]);
            }
            summary.updated++;
            summary.changes.push({ line, key: row.crm_id, action: "updated", columns });
          }
        }
        if (creates.length >= CHUNK)
          await insertRows(tx, "Account", ACCOUNT_COLUMNS, creates.splice(0) as never);
        if (++done % CHUNK === 0) options.onProgress?.({ phase: "writing", done, total: rows.length });
      }
      if (creates.length > 0) await insertRows(tx, "Account", ACCOUNT_COLUMNS, creates as never);
      await insertRows(tx, "AccountDomain", DOMAIN_COLUMNS, domainRows as never);
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
      return summary;
    },
  };
};

/** Account columns after id, in ACCOUNT_COLUMNS order (updatedAt is added by the caller). */
function accountValues(a: {
  crmId: string;
  name: string;
  normalizedName: string;
  compactName: string;
  coreName: string;
  acronym: string | null;
  parentId: string | null;
  country: string | null;
  region: string | null;
  industry: string | null;
  employees: number | null;
  sizeBand: string | null;
  icpFit: number | null;
  lastActivityAt: Date | null;
  named: boolean;
}) {
  return {
    crmId: a.crmId,
    name: a.name,
    normalizedName: a.normalizedName,
    compactName: a.compactName,
    coreName: a.coreName,
    acronym: a.acronym,
    parentId: a.parentId,
    country: a.country,
    region: a.region,
    industry: a.industry,
    employees: a.employees,
    sizeBand: a.sizeBand,
    icpFit: a.icpFit,
    lastActivityAt: a.lastActivityAt,
    named: a.named,
  };
}

function labelOf(domain: string): string {
  return (domainLabel(domain) ?? domain).replace(/-/g, "");
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
