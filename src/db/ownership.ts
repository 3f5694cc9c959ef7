// Ownership history is append-only: a change closes the current row and opens a new one, in the
// caller's transaction, with the rule that fired and the event that caused it.
import type { Tx } from "./client.ts";

export type OwnershipChange = {
  accountId: string;
  repId: string | null;
  ruleId: string | null;
  cause: "import" | "rule" | "dispute" | "rebalance" | "manual" | "stale" | "white_space";
  causeRef?: string | null;
  note?: string | null;
  at: Date;
};

/**
 * Returns false (and writes nothing) when the account already has that owner. Locks the account
 * first: a re-evaluation writing the same account (it locks its accounts before it closes their
 * owners, see ownership-bulk.ts) commits before this reads the current owner, or waits until this
 * commits. Reading the owner first and waiting only on its row instead, a change here could miss the
 * row re-evaluation had just opened and leave the account with two current owners.
 */
export async function changeOwner(tx: Tx, change: OwnershipChange): Promise<boolean> {
  await tx.$queryRaw`SELECT id FROM "Account" WHERE id = ${change.accountId} FOR UPDATE`;
  const current = await tx.ownership.findFirst({ where: { accountId: change.accountId, effectiveTo: null } });
  if (current && current.repId === change.repId) return false;
  if (!current && change.repId === null) return false;
  await tx.ownership.updateMany({
    where: { accountId: change.accountId, effectiveTo: null },
    data: { effectiveTo: change.at },
  });
  await tx.ownership.create({
    data: {
      accountId: change.accountId,
      repId: change.repId,
      ruleId: change.ruleId,
      cause: change.cause,
      causeRef: change.causeRef ?? null,
      note: change.note ?? null,
      effectiveFrom: change.at,
    },
  });
  return true;
}

export async function ownershipHistory(tx: Tx, accountId: string, limit = 10) {
  return tx.ownership.findMany({
    where: { accountId },
    orderBy: { effectiveFrom: "desc" },
    take: limit,
    include: {
      rep: { select: { name: true, slackUserId: true } },
      rule: { select: { text: true, kind: true } },
    },
  });
}
