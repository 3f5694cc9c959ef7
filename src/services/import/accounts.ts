// accounts.csv: accounts upserted by CRM id, with their domains and the CRM's owner of record.
//
// The owner policy: the file's owner_email is the CRM's owner of record. It is an input, never a
// silent override of what Turf decided. It is applied when Turf has no say yet (a new account, an
// account nobody owns in Turf, or one whose owner came from an earlier import, i.e. from the CRM
// itself). When Turf's owner was set by its rules, a dispute decision, a manual change or a
// rebalance, the row's owner is NOT applied: the disagreement is reported per row ("CRM says X,
// Turf says Y because …") so RevOps can fix the CRM (`turf export changes` gives the file for it).
// So re-importing the same file after a re-evaluation changes nothing. The decision is made in SQL
// (planAccounts in src/db/import-accounts.ts); this module shapes rows and words the results.
import {
  ACCOUNT_BATCH_TABLE,
  ACCOUNT_PLAN_TABLE,
  ACCOUNT_STAGING_COLUMNS,
  ACCOUNT_TABLES,
  type AccountReferenceProblem,
  type AccountWork,
  accountChangePages,
  accountDisagreementPages,
  accountPlanCounts,
  createAccountStaging,
  firstParentCycle,
  planAccountBatch,
  resolveLaterParents,
  stagedAccountCells,
  writeAccountChunk,
} from "../../db/import-accounts.ts";
import { orderedId } from "../../db/ordered-ids.ts";
import { domainLabel, registrableDomain, searchKeysFor } from "../../domain/matching/normalize.ts";
import type { RowError } from "./csv-reader.ts";
import type { AccountRow } from "./row-schemas.ts";
import type { StagedKind } from "./staged-import.ts";
import type { OwnerDisagreement } from "./types.ts";

/** Why Turf's owner stands, in the words the disagreement report uses. */
function because(o: { cause: string; note: string | null; ruleId: string | null }): string {
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

function referenceError(p: AccountReferenceProblem): RowError {
  const message = {
    parent_self: "parent_crm_id is the account itself",
    parent_missing: `parent_crm_id "${p.value}" is not an account in this file or in Turf`,
    owner_missing: `owner_email "${p.value}" is not a rep; import reps first`,
  }[p.problem];
  return { line: p.line, message };
}

function labelOf(domain: string): string {
  return (domainLabel(domain) ?? domain).replace(/-/g, "");
}

export const stagedAccounts: StagedKind<AccountRow> = {
  kind: "accounts",
  batchTable: ACCOUNT_BATCH_TABLE,
  planTable: ACCOUNT_PLAN_TABLE,
  tables: ACCOUNT_TABLES,
  columns: ACCOUNT_STAGING_COLUMNS,
  stage(row, { seq, line }) {
    const problems: string[] = [];
    const domains: string[] = [];
    for (const raw of row.domain) {
      const domain = registrableDomain(raw);
      if (!domain) problems.push(`domain "${raw}" is not a domain name like acme.com`);
      else if (!domains.includes(domain)) domains.push(domain);
    }
    if (problems.length > 0) return { problems };
    // Sorted as the database compares stored domains (byte order), so an unchanged set is unchanged.
    domains.sort();
    const keys = searchKeysFor({ name: row.name, domains: [] });
    return {
      cells: stagedAccountCells({
        seq,
        line,
        newId: orderedId(),
        crmId: row.crm_id,
        name: row.name,
        normalizedName: keys.normalizedName,
        compactName: keys.compactName,
        coreName: keys.coreName,
        acronym: keys.acronym,
        parentCrmId: row.parent_crm_id,
        country: row.country,
        region: row.region,
        industry: row.industry,
        employees: row.employees,
        sizeBand: row.size_band,
        icpFit: row.icp_fit,
        lastActivityAt: row.last_activity_at,
        named: row.named,
        domains,
        labels: domains.map(labelOf),
        ownerEmail: row.owner_email,
        ownershipId: row.owner_email ? orderedId() : null,
      }),
    };
  },
  createStaging: createAccountStaging,
  key: (row) => row.crm_id,
  async planBatch(session, limit) {
    const { toWrite, work, problems } = await planAccountBatch(session, limit);
    return { toWrite, work, problems: problems.map(referenceError) };
  },
  writeBatch: (session, range, options, work) =>
    writeAccountChunk(session, range, options, work as AccountWork),
  async finishReferences(session, written, options, limit) {
    return (await resolveLaterParents(session, { now: options.now, written, limit })).map(referenceError);
  },
  async afterWrites(session): Promise<RowError[]> {
    const cycle = await firstParentCycle(session);
    return cycle
      ? [{ line: cycle.line, message: `parent_crm_id makes a cycle: ${cycle.path.join(" → ")}` }]
      : [];
  },
  counts: accountPlanCounts,
  async *changes(session) {
    for await (const page of accountChangePages(session))
      yield page.map((c) => ({
        line: c.line,
        key: c.key,
        action: c.isNew ? ("created" as const) : ("updated" as const),
        columns: c.columns,
      }));
  },
  async *disagreements(session) {
    for await (const page of accountDisagreementPages(session))
      yield page.map(
        (d): OwnerDisagreement => ({
          line: d.line,
          crmId: d.crmId,
          account: d.account,
          crmOwner: d.crmOwner,
          turfOwner: d.turfOwner,
          because: because(d),
        }),
      );
  },
};
