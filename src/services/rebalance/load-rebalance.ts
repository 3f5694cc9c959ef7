// Reads a stored rebalance back as the preview the manager saw, whole or one page of moves at a time.
import type { Db, Tx } from "../../db/client.ts";
import { accountNames, findRebalance, listMoves } from "../../db/rebalance.ts";
import type { MoveLine, RebalancePreview } from "./preview-rebalance.ts";
import { ZMoveFactors, ZRebalanceSummary } from "./summary.ts";

export type RebalancePage = { preview: RebalancePreview; page: number; pageCount: number; pageSize: number };

export async function loadRebalance(
  db: Db | Tx,
  id: string,
  page?: { page: number; pageSize: number },
): Promise<RebalancePage | null> {
  const row = await findRebalance(db, id);
  if (!row) return null;
  const summary = ZRebalanceSummary.parse(row.summary);
  const total = row._count.moves;
  const pageSize = page?.pageSize ?? Math.max(1, total);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(0, page?.page ?? 0), pageCount - 1);
  const moves = await listMoves(db, id, page ? { skip: current * pageSize, take: pageSize } : undefined);
  const names = await accountNames(
    db,
    moves.map((m) => m.accountId),
  );
  const repName = new Map(summary.reps.map((r) => [r.repId, r.name]));
  const missingReps = new Set<string>();
  for (const m of moves) {
    for (const id of [m.fromRepId, m.toRepId]) if (id && !repName.has(id)) missingReps.add(id);
  }
  if (missingReps.size > 0) {
    const reps = await db.rep.findMany({
      where: { id: { in: [...missingReps] } },
      select: { id: true, name: true },
    });
    for (const r of reps) repName.set(r.id, r.name);
  }
  const lines: MoveLine[] = moves.map((m) => {
    const account = names.get(m.accountId);
    return {
      accountId: m.accountId,
      accountName: account?.name ?? m.accountId,
      crmId: account?.crmId ?? "",
      fromRepId: m.fromRepId,
      fromName: m.fromRepId ? (repName.get(m.fromRepId) ?? m.fromRepId) : null,
      toRepId: m.toRepId,
      toName: repName.get(m.toRepId) ?? m.toRepId,
      index: m.allocationIdx,
      factors: ZMoveFactors.parse(m.factors),
      appliedAt: m.appliedAt,
      heldReason: m.heldReason,
    };
  });
  return {
    preview: {
      id: row.id,
      quarter: row.quarter,
      mode: row.mode,
      status: row.status,
      effectiveFrom: row.effectiveFrom,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      summary,
      moves: lines,
    },
    page: current,
    pageCount,
    pageSize,
  };
}
