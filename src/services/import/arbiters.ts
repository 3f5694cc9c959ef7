// arbiters.csv through the per-kind importer: the guide's importArbiters (import-arbiters.ts) run
// inside the import's transaction, so a dry run of it writes nothing either.
import { joined } from "../../db/dry-run.ts";
import { importArbiters } from "./import-arbiters.ts";
import type { ArbiterRow } from "./row-schemas.ts";
import { emptySummary, type KindImporter, RowErrors } from "./types.ts";

export const importArbiterRows: KindImporter<ArbiterRow> = async (_db, rows, options) => ({
  ok: true,
  async write(tx) {
    const result = await importArbiters(joined(tx), rows, options);
    if (!result.ok) {
      throw new RowErrors(result.errors);
    }
    return {
      ...emptySummary("arbiters", rows.length, options.dryRun === true),
      created: result.summary.created,
      updated: result.summary.updated,
      unchanged: result.summary.unchanged,
    };
  },
});
