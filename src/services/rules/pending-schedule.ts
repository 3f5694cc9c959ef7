// Re-evaluation's side of effective-dated changes: a verdict the rules date for later becomes a
// pending change instead of an ownership change; an open change the rules no longer call for is
// cancelled; an open change that is already stored is left alone, so a re-run adds nothing.
import type { Db } from "../../db/client.ts";
import {
  cancelPendingChanges,
  loadOpenPendingChanges,
  type PendingChangeInput,
  type PendingChangeRow,
  schedulePendingChanges,
} from "../../db/pending-changes.ts";
import { type FiscalCalendarInput, fiscalQuarterOf } from "../../domain/rebalance/quarters.ts";
import type { FastVerdict, Schedule } from "../../domain/rules/engine.ts";

export function scheduleFor(now: Date, calendar: FiscalCalendarInput = {}): Schedule {
  return { now, nextQuarterStart: fiscalQuarterOf(now, calendar).end };
}

export class PendingPlanner {
  private readonly toSchedule: PendingChangeInput[] = [];
  private readonly toCancel: string[] = [];
  scheduled = 0;

  /** New pending changes a flush would store (for a dry run). */
  get wouldSchedule(): number {
    return this.toSchedule.length;
  }

  private constructor(private readonly open: Map<string, PendingChangeRow>) {}

  static async load(db: Db, accountIds?: readonly string[]): Promise<PendingPlanner> {
    return new PendingPlanner(await loadOpenPendingChanges(db, accountIds));
  }

  /**
   * True when the verdict is dated for later (the caller then leaves ownership as it is). A dated
   * verdict that matches the open change changes nothing; any other open change is replaced or
   * cancelled.
   */
  consider(accountId: string, currentRepId: string | null, verdict: FastVerdict): boolean {
    // Asked for every account of the book; most books have no open pending change to look up.
    const existing = this.open.size === 0 ? undefined : this.open.get(accountId);
    if (verdict.effectiveAt === null || verdict.deferral === null) {
      if (existing !== undefined) this.toCancel.push(accountId);
      return false;
    }
    const toRepId = verdict.owner?.repId ?? null;
    if (
      existing !== undefined &&
      existing.toRepId === toRepId &&
      existing.effectiveAt.getTime() === verdict.effectiveAt.getTime()
    )
      return true;
    this.toSchedule.push({
      accountId,
      fromRepId: currentRepId,
      toRepId,
      ruleId: verdict.rule?.id ?? null,
      deferral: verdict.deferral,
      note: verdict.rule?.text ?? "",
      effectiveAt: verdict.effectiveAt,
    });
    return true;
  }

  async flush(db: Db, at: { now: Date; actor: string }): Promise<void> {
    const schedule = this.toSchedule.splice(0);
    const cancel = this.toCancel.splice(0);
    if (schedule.length === 0 && cancel.length === 0) return;
    await db.$transaction(
      async (tx) => {
        await cancelPendingChanges(tx, cancel, "the rules no longer call for it", at.now);
        this.scheduled += await schedulePendingChanges(tx, schedule, at);
      },
      { timeout: 120_000 },
    );
  }
}
