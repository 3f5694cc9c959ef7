// `turf export …`: what RevOps takes out of Turf, with stable documented columns (README "Exports").
// Each export is a column list and a stream of rows; the CLI writes them as CSV or JSON lines.
import type { Db } from "../../db/client.ts";
import {
  auditRows,
  changedOwnerRows,
  disputeRows,
  ownershipRows,
  rebalanceMoveRows,
} from "../../db/export-queries.ts";
import { territoryHealthReport } from "../reports/territory-health.ts";

import type { ExportKind } from "./kinds.ts";

export { EXPORT_KINDS, type ExportKind } from "./kinds.ts";

export type ExportRequest = { kind: ExportKind; now: Date; since: Date | null; teamQuota?: number };
export type ExportStream = { columns: readonly string[]; rows: AsyncIterable<readonly unknown[]> };

export const EXPORT_COLUMNS: Record<ExportKind, readonly string[]> = {
  ownership: [
    "crm_id",
    "account",
    "domains",
    "owner_email",
    "owner_name",
    "owner_since",
    "cause",
    "rule_id",
    "reason",
  ],
  changes: [
    "crm_id",
    "account",
    "owner_email",
    "previous_owner_email",
    "changed_at",
    "cause",
    "rule_id",
    "reason",
  ],
  audit: ["id", "at", "actor", "action", "subject_type", "subject_id", "rule_id", "details"],
  disputes: [
    "id",
    "account_crm_id",
    "account",
    "status",
    "category",
    "claimant_email",
    "current_owner_email",
    "proposed_owner_email",
    "arbiter_email",
    "opened_at",
    "due_at",
    "decision",
    "decided_at",
    "resulting_rule_id",
    "reason",
  ],
  rebalance: [
    "id",
    "quarter",
    "status",
    "account_crm_id",
    "account",
    "from_owner_email",
    "to_owner_email",
    "allocation_index",
    "effective_from",
    "applied_at",
    "held_reason",
  ],
  health: [
    "level",
    "name",
    "detail",
    "quarter_quota",
    "open_pipeline",
    "coverage",
    "band",
    "win_rate",
    "average_deal_size",
    "attainment",
    "score",
  ],
};

async function* pick(rows: AsyncIterable<Record<string, unknown>>, columns: readonly string[]) {
  for await (const row of rows) yield columns.map((c) => row[c] ?? null);
}

async function* healthRows(db: Db, request: ExportRequest) {
  const report = await territoryHealthReport(db, {
    now: request.now,
    ...(request.teamQuota !== undefined ? { teamQuota: request.teamQuota } : {}),
  });
  for (const [level, rows] of [
    ["rep", report.reps],
    ["territory", report.territories],
  ] as const) {
    for (const r of rows)
      yield [
        level,
        r.name,
        r.detail,
        r.quarterQuota,
        r.figures.openPipeline,
        r.health.coverage,
        r.health.band,
        r.health.winRate,
        r.health.averageDealSize,
        r.health.attainment,
        r.health.score,
      ];
  }
}

export function exportStream(db: Db, request: ExportRequest): ExportStream {
  const columns = EXPORT_COLUMNS[request.kind];
  switch (request.kind) {
    case "ownership":
      return { columns, rows: pick(ownershipRows(db), columns) };
    case "changes":
      return { columns, rows: pick(changedOwnerRows(db, request.since ?? new Date(0)), columns) };
    case "audit":
      return { columns, rows: pick(auditRows(db, request.since), columns) };
    case "disputes":
      return { columns, rows: pick(disputeRows(db), columns) };
    case "rebalance":
      return { columns, rows: pick(rebalanceMoveRows(db, null), columns) };
    case "health":
      return { columns, rows: healthRows(db, request) };
  }
}
