// reps.csv: reps upserted by e-mail, with their territories.
import { repsHoldingSlackIds } from "../../db/import-reps.ts";
import type { RowError } from "./csv-reader.ts";
import type { RepRow } from "./row-schemas.ts";
import { changedColumns, emptySummary, type KindImporter } from "./types.ts";

export const importReps: KindImporter<RepRow> = async (db, rows, options) => {
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
  // A Slack id another rep (not in this file under that id) holds would fail the unique index.
  const holders = await repsHoldingSlackIds(db, [...slackIds.keys()]);
  const emailOnLine = new Map(rows.map((r) => [r.line, r.row.email]));
  for (const [slackId, line] of slackIds) {
    const holder = holders.get(slackId);
    if (holder && holder !== emailOnLine.get(line)) {
      const movedAway = rows.some((r) => r.row.email === holder && r.row.slack_user_id !== slackId);
      if (!movedAway) errors.push({ line, message: `slack_user_id ${slackId} belongs to the rep ${holder}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const existing = new Map(
    (await db.rep.findMany({ include: { territories: true } })).map((r) => [r.email.toLowerCase(), r]),
  );
  return {
    ok: true,
    async write(tx) {
      const summary = emptySummary("reps", rows.length, options.dryRun === true);
      for (const { line, row } of rows) {
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
          summary.changes.push({ line, key: row.email, action: "created", columns: [] });
          continue;
        }
        const columns = changedColumns(
          { ...current, territory: current.territories.map((t) => t.territoryId).sort() },
          { ...data, territory: territoryIds },
        );
        if (columns.length === 0) {
          summary.unchanged++;
          continue;
        }
        await tx.rep.update({ where: { id: current.id }, data });
        await tx.repTerritory.deleteMany({ where: { repId: current.id } });
        await tx.repTerritory.createMany({
          data: territoryIds.map((territoryId) => ({ repId: current.id, territoryId })),
        });
        summary.updated++;
        summary.changes.push({ line, key: row.email, action: "updated", columns });
      }
      return summary;
    },
  };
};
