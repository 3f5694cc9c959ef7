// opportunities.csv: opportunities upserted by CRM id, each on an account Turf already has. The
// account and rep each row names are resolved in SQL (planOpportunities in src/db/import-opportunities.ts).
import {
  createOpportunityStaging,
  OPPORTUNITY_BATCH_TABLE,
  OPPORTUNITY_PLAN_TABLE,
  OPPORTUNITY_STAGING_COLUMNS,
  OPPORTUNITY_TABLES,
  type OpportunityReferenceProblem,
  type OpportunityWork,
  opportunityChangePages,
  opportunityPlanCounts,
  planOpportunityBatch,
  stagedOpportunityCells,
  writeOpportunityChunk,
} from "../../db/import-opportunities.ts";
import { orderedId } from "../../db/ordered-ids.ts";
import type { OpportunityRow } from "./row-schemas.ts";
import type { StagedKind } from "./staged-import.ts";

function referenceMessage(p: OpportunityReferenceProblem): string {
  return p.problem === "account_missing"
    ? `account_crm_id "${p.value}" is not an account in Turf; import accounts first`
    : `owner_email "${p.value}" is not a rep; import reps first`;
}

export const stagedOpportunities: StagedKind<OpportunityRow> = {
  kind: "opportunities",
  batchTable: OPPORTUNITY_BATCH_TABLE,
  planTable: OPPORTUNITY_PLAN_TABLE,
  tables: OPPORTUNITY_TABLES,
  columns: OPPORTUNITY_STAGING_COLUMNS,
  stage(row, { seq, line }) {
    if (row.source === "reseller" && !row.reseller)
      return { problems: ["reseller is required when source is reseller"] };
    return {
      cells: stagedOpportunityCells({
        seq,
        line,
        newId: orderedId(),
        crmId: row.crm_id,
        accountCrmId: row.account_crm_id,
        ownerEmail: row.owner_email,
        amount: row.amount,
        stage: row.stage,
        isOpen: row.is_open,
        source: row.source,
        reseller: row.source === "reseller" ? row.reseller : null,
      }),
    };
  },
  createStaging: createOpportunityStaging,
  key: (row) => row.crm_id,
  async planBatch(session, limit) {
    const { toWrite, work, problems } = await planOpportunityBatch(session, limit);
    return { toWrite, work, problems: problems.map((p) => ({ line: p.line, message: referenceMessage(p) })) };
  },
  writeBatch: (session, range, options, work) =>
    writeOpportunityChunk(session, range, options, work as OpportunityWork),
  async counts(session) {
    return { ...(await opportunityPlanCounts(session)), disagreements: 0 };
  },
  async *changes(session) {
    for await (const page of opportunityChangePages(session))
      yield page.map((c) => ({
        line: c.line,
        key: c.key,
        action: c.isNew ? ("created" as const) : ("updated" as const),
        columns: c.columns,
      }));
  },
};
