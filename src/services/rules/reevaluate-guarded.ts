// `rules reevaluate` with a guard: a run that would take more than a set share of the owned accounts
// away from their reps (TURF_REEVALUATE_MAX_CHANGE_SHARE, default 20 %) is almost always a rule set
// gone wrong — a database without territory rules once turned 260 owned accounts into 94 — so it
// stops, reports what it would do, and needs an explicit confirmation. White space being assigned
// is not counted: it takes nothing from anyone.
import type { Db } from "../../db/client.ts";
import type { FiscalCalendarInput } from "../../domain/rebalance/quarters.ts";
import { type ReevaluationReport, reevaluateBook } from "../ownership/reevaluate-book.ts";

export const DEFAULT_MAX_CHANGE_SHARE = 0.2;

export type GuardedReevaluation =
  | { ok: true; report: ReevaluationReport }
  | {
      ok: false;
      code: "too_many_changes";
      /** What the run would do; nothing was written. */
      report: ReevaluationReport;
      share: number;
      limit: number;
      message: string;
    };

export async function reevaluateWithGuard(
  db: Db,
  options: {
    now: Date;
    actor: string;
    calendar?: FiscalCalendarInput;
    accountIds?: string[];
    maxChangeShare?: number;
    /** The admin saw the summary and wants it anyway (`--yes`). */
    confirmed?: boolean;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<GuardedReevaluation> {
  const limit = options.maxChangeShare ?? DEFAULT_MAX_CHANGE_SHARE;
  if (!options.confirmed) {
    const preview = await reevaluateBook(db, { ...options, dryRun: true });
    const refusal = await changeShareRefusal(db, preview, limit);
    if (refusal) return { ok: false, code: "too_many_changes", report: preview, ...refusal };
  }
  return { ok: true, report: await reevaluateBook(db, options) };
}

/** Why a run that would reassign `report.reassigned` accounts must be confirmed, or null when it need not. */
export async function changeShareRefusal(
  db: Db,
  report: Pick<ReevaluationReport, "reassigned">,
  limit: number,
): Promise<{ share: number; limit: number; message: string } | null> {
  const owned = await db.ownership.count({ where: { effectiveTo: null, repId: { not: null } } });
  const share = owned === 0 ? 0 : report.reassigned / owned;
  if (share <= limit) return null;
  const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
  return {
    share,
    limit,
    message: `Re-evaluation would take ${report.reassigned} of ${owned} owned accounts (${pct(share)}) from their reps, above the limit of ${pct(limit)} (TURF_REEVALUATE_MAX_CHANGE_SHARE). Nothing was changed. Check the rule set (turf rules list), then run again with --yes to apply.`,
  };
}
