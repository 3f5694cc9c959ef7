// territories.csv: territories upserted by name.
import type { TerritoryRow } from "./row-schemas.ts";
import { changedColumns, emptySummary, type KindImporter } from "./types.ts";

export const importTerritories: KindImporter<TerritoryRow> = async (db, rows, options) => {
  const existing = new Map((await db.territory.findMany()).map((t) => [t.name.toLowerCase(), t]));
  return {
    ok: true,
    async write(tx) {
      const summary = emptySummary("territories", rows.length, options.dryRun === true);
      for (const { line, row } of rows) {
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
          summary.changes.push({ line, key: row.name, action: "created", columns: [] });
          continue;
        }
        const columns = changedColumns(current, data);
        if (columns.length === 0) {
          summary.unchanged++;
        } else {
          await tx.territory.update({ where: { id: current.id }, data });
          summary.updated++;
          summary.changes.push({ line, key: row.name, action: "updated", columns });
        }
      }
      return summary;
    },
  };
};
