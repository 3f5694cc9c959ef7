// The book as rebalancing and the territory reports see it, and the Rebalance/RebalanceMove rows.
// Loads in a handful of set queries (no per-account round trips) so a 100k-account book stays quick.
import type { Account, Rep, Territory } from "../domain/model.ts";
import { accountFromRow, loadReps, loadTerritories } from "./book.ts";
import type { Db, Tx } from "./client.ts";

export type BookAccount = {
  account: Account;
  currentOwnerRepId: string | null;
  /** When the current owner's row began; null for accounts without history. */
  ownedSince: Date | null;
  /** What put the current owner there (an import only mirrors the CRM; it is no hand-over). */
  ownedCause: string | null;
  openOpportunities: number;
  openPipeline: number;
};

export type RebalanceBook = { reps: Rep[]; territories: Territory[]; accounts: BookAccount[] };

export async function loadRebalanceBook(db: Db | Tx): Promise<RebalanceBook> {
  const [reps, territories, accounts, owners, open] = await Promise.all([
    loadReps(db),
    loadTerritories(db),
    db.account.findMany({ orderBy: { id: "asc" } }),
    db.ownership.findMany({
      where: { effectiveTo: null },
      select: { accountId: true, repId: true, effectiveFrom: true, cause: true },
    }),
    db.opportunity.groupBy({
      by: ["accountId"],
      where: { isOpen: true },
      _count: { _all: true },
      _sum: { amount: true },
    }),
  ]);
  const ownerOf = new Map(owners.map((o) => [o.accountId, o]));
  const openOf = new Map(
    open.map((o) => [o.accountId, { count: o._count._all, amount: Number(o._sum.amount ?? 0) }]),
  );
  return {
    reps,
    territories,
    accounts: accounts.map((row) => {
      const owner = ownerOf.get(row.id);
      const o = openOf.get(row.id);
      return {
        // Domains do not take part in scoring or territory criteria, so they are not loaded here.
        account: accountFromRow(row, []),
        currentOwnerRepId: owner?.repId ?? null,
        ownedSince: owner?.effectiveFrom ?? null,
        ownedCause: owner?.cause ?? null,
        openOpportunities: o?.count ?? 0,
        openPipeline: o?.amount ?? 0,
      };
    }),
  };
}

export type RepPipeline = {
  repId: string;
  openPipeline: number;
  wonAmount: number;
  wonCount: number;
  lostCount: number;
};

/**
 * Closed and open business credited to each rep (the opportunity's owner, which stays with the rep
 * who worked the deal even when the account moved). Closed stages are told apart by name.
 */
export async function loadRepPipelines(db: Db | Tx): Promise<RepPipeline[]> {
  const rows = await db.opportunity.groupBy({
    by: ["ownerRepId", "isOpen", "stage"],
    where: { ownerRepId: { not: null } },
    _count: { _all: true },
    _sum: { amount: true },
  });
  const byRep = new Map<string, RepPipeline>();
  for (const r of rows) {
    const repId = r.ownerRepId as string;
    const p = byRep.get(repId) ?? { repId, openPipeline: 0, wonAmount: 0, wonCount: 0, lostCount: 0 };
    const amount = Number(r._sum.amount ?? 0);
    if (r.isOpen) p.openPipeline += amount;
    else if (/won/i.test(r.stage)) {
      p.wonAmount += amount;
      p.wonCount += r._count._all;
    } else if (/lost/i.test(r.stage)) p.lostCount += r._count._all;
    byRep.set(repId, p);
  }
  return [...byRep.values()].sort((a, b) => (a.repId < b.repId ? -1 : 1));
}

export type NewRebalanceMove = {
  accountId: string;
  fromRepId: string | null;
  toRepId: string;
  allocationIdx: number;
  factors: Record<string, unknown>;
};

export async function insertRebalance(
  tx: Tx,
  input: {
    quarter: string;
    mode: string;
    parameters: Record<string, unknown>;
    summary: Record<string, unknown>;
    effectiveFrom: Date;
    createdBy: string;
    createdAt: Date;
    moves: NewRebalanceMove[];
  },
): Promise<string> {
  const created = await tx.rebalance.create({
    data: {
      quarter: input.quarter,
      mode: input.mode,
      parameters: input.parameters as object,
      summary: input.summary as object,
      effectiveFrom: input.effectiveFrom,
      createdBy: input.createdBy,
      createdAt: input.createdAt,
    },
    select: { id: true },
  });
  for (let i = 0; i < input.moves.length; i += 5000) {
    await tx.rebalanceMove.createMany({
      data: input.moves.slice(i, i + 5000).map((m) => ({
        rebalanceId: created.id,
        accountId: m.accountId,
        fromRepId: m.fromRepId,
        toRepId: m.toRepId,
        allocationIdx: m.allocationIdx,
        factors: m.factors as object,
      })),
    });
  }
  return created.id;
}

export async function findRebalance(db: Db | Tx, id: string) {
  return db.rebalance.findUnique({ where: { id }, include: { _count: { select: { moves: true } } } });
}

/** Moves in the order the preview shows them: biggest allocation index first. */
export async function listMoves(db: Db | Tx, rebalanceId: string, page?: { skip: number; take: number }) {
  return db.rebalanceMove.findMany({
    where: { rebalanceId },
    orderBy: [{ allocationIdx: "desc" }, { accountId: "asc" }],
    ...(page ? { skip: page.skip, take: page.take } : {}),
  });
}

/**
 * The one publication of a draft: only the caller whose update flips draft → published gets true,
 * however many clicks, retries or instances race for it.
 */
export async function claimPublication(tx: Db | Tx, id: string, actor: string, at: Date): Promise<boolean> {
  const claimed = await tx.rebalance.updateMany({
    where: { id, status: "draft" },
    data: { status: "published", publishedAt: at, publishedBy: actor },
  });
  return claimed.count === 1;
}

export async function accountNames(db: Db | Tx, ids: readonly string[]) {
  const rows = await db.account.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, name: true, crmId: true },
  });
  return new Map(rows.map((r) => [r.id, r]));
}
