// opportunities.csv: opportunities upserted by CRM id, each on an account Turf already has.
import { randomUUID } from "node:crypto";
import { OPPORTUNITY_COLUMNS } from "../../db/bulk-columns.ts";
import { insertRows } from "../../db/bulk-insert.ts";
import { loadAccountsByCrmId, loadOpportunitiesByCrmId } from "../../db/import-accounts.ts";
import type { RowError } from "./csv-reader.ts";
import type { OpportunityRow } from "./row-schemas.ts";
import { changedColumns, emptySummary, type KindImporter } from "./types.ts";

export const importOpportunities: KindImporter<OpportunityRow> = async (db, rows, options) => {
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
  if (errors.length > 0) return { ok: false, errors };
  const existing = await loadOpportunitiesByCrmId(db);
  return {
    ok: true,
    async write(tx) {
      const summary = emptySummary("opportunities", rows.length, options.dryRun === true);
      const creates: unknown[][] = [];
      for (const { line, row } of rows) {
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
          summary.changes.push({ line, key: row.crm_id, action: "created", columns: [] });
          continue;
        }
        const columns = changedColumns(
          { ...current, amount: Number(current.amount).toFixed(2) },
          { ...data, amount: Number(data.amount).toFixed(2) },
        );
        if (columns.length === 0) {
          summary.unchanged++;
        } else {
          await tx.opportunity.update({ where: { id: current.id }, data });
          summary.updated++;
          summary.changes.push({ line, key: row.crm_id, action: "updated", columns });
        }
      }
      await insertRows(tx, "Opportunity", OPPORTUNITY_COLUMNS, creates as never);
      return summary;
    },
  };
};
