// On or after a published rebalance's effective date, its moves are written to ownership history
// (cause "rebalance", causeRef the rebalance id). Each move is claimed by one conditional update, so
// a restart, a second sweep or a second instance never applies a move twice. A move whose account
// changed since the preview is held instead, with the reason: it gained an open opportunity (the
// guide locks live deals to their owner), became named, or changed owner some other way.
import { recordAudit } from "../../db/audit.ts";
import type { Db, Tx } from "../../db/client.ts";
import { changeOwner } from "../../db/ownership.ts";
import { ZMoveFactors } from "./summary.ts";

export type ApplyReport = { rebalances: number; applied: number; held: number; completed: string[] };

type MoveRow = {
  id: string;
  rebalanceId: string;
  accountId: string;
  fromRepId: string | null;
  toRepId: string;
  factors: unknown;
};

export async function applyDueRebalances(db: Db, input: { now: Date; actor?: string }): Promise<ApplyReport> {
  const actor = input.actor ?? "system";
  const report: ApplyReport = { rebalances: 0, applied: 0, held: 0, completed: [] };
  const due = await db.rebalance.findMany({
    where: { status: "published", effectiveFrom: { lte: input.now } },
    orderBy: { effectiveFrom: "asc" },
  });
  for (const rebalance of due) {
    report.rebalances++;
    const moves = await db.rebalanceMove.findMany({
      where: { rebalanceId: rebalance.id, appliedAt: null, heldReason: null },
      orderBy: [{ allocationIdx: "desc" }, { accountId: "asc" }],
    });
    for (const move of moves) {
      const outcome = await db.$transaction((tx) =>
        applyMove(tx, move, rebalance.effectiveFrom, input.now, actor),
      );
      if (outcome === "applied") report.applied++;
      if (outcome === "held") report.held++;
    }
    const completed = await db.$transaction(async (tx) => {
      const pending = await tx.rebalanceMove.count({
        where: { rebalanceId: rebalance.id, appliedAt: null, heldReason: null },
      });
      if (pending > 0) return false;
      const claimed = await tx.rebalance.updateMany({
        where: { id: rebalance.id, status: "published" },
        data: { status: "applied", appliedAt: input.now },
      });
      if (claimed.count !== 1) return false;
      const [applied, held] = await Promise.all([
        tx.rebalanceMove.count({ where: { rebalanceId: rebalance.id, appliedAt: { not: null } } }),
        tx.rebalanceMove.count({ where: { rebalanceId: rebalance.id, heldReason: { not: null } } }),
      ]);
      await recordAudit(tx, {
        actor,
        action: "rebalance.applied",
        subjectType: "rebalance",
        subjectId: rebalance.id,
        details: { quarter: rebalance.quarter, applied, held },
        at: input.now,
      });
      return true;
    });
    if (completed) report.completed.push(rebalance.id);
  }
  return report;
}

/** Why a move must not happen any more, or null when it still stands. */
export function holdReason(
  move: { fromRepId: string | null; factors: unknown },
  now: { ownerRepId: string | null; openOpportunities: number; named: boolean },
): string | null {
  const factors = ZMoveFactors.parse(move.factors);
  if (now.openOpportunities > factors.openOpportunities.raw)
    return "gained an open opportunity since the preview";
  if (now.named && !factors.named) return "became a named account since the preview";
  if (now.ownerRepId !== move.fromRepId) return "changed owner since the preview";
  return null;
}

async function applyMove(
  tx: Tx,
  move: MoveRow,
  effectiveFrom: Date,
  now: Date,
  actor: string,
): Promise<"applied" | "held" | "taken"> {
  const [owner, open, account] = await Promise.all([
    tx.ownership.findFirst({ where: { accountId: move.accountId, effectiveTo: null } }),
    tx.opportunity.count({ where: { accountId: move.accountId, isOpen: true } }),
    tx.account.findUnique({ where: { id: move.accountId }, select: { named: true } }),
  ]);
  const reason = account
    ? holdReason(move, { ownerRepId: owner?.repId ?? null, openOpportunities: open, named: account.named })
    : "account was deleted since the preview";
  const claimed = await tx.rebalanceMove.updateMany({
    where: { id: move.id, appliedAt: null, heldReason: null },
    data: reason ? { heldReason: reason } : { appliedAt: now },
  });
  if (claimed.count !== 1) return "taken";
  if (reason === null) {
    // History reads "since the quarter began" unless something newer already sits on the account.
    const at = owner && owner.effectiveFrom > effectiveFrom ? now : effectiveFrom;
    await changeOwner(tx, {
      accountId: move.accountId,
      repId: move.toRepId,
      ruleId: null,
      cause: "rebalance",
      causeRef: move.rebalanceId,
      note: "Quarterly rebalance",
      at,
    });
  }
  await recordAudit(tx, {
    actor,
    action: reason ? "rebalance.move_held" : "rebalance.move_applied",
    subjectType: "account",
    subjectId: move.accountId,
    details: {
      rebalanceId: move.rebalanceId,
      fromRepId: move.fromRepId,
      toRepId: move.toRepId,
      ...(reason ? { reason } : {}),
    },
    at: now,
  });
  return reason ? "held" : "applied";
}
