// Disputes in the database: rows as the domain's Dispute, the notice rows that carry the 48-hour
// clock, the atomic claims that make a status change or a notice happen once, and the queues.
import { randomUUID } from "node:crypto";
import {
  type Dispute,
  NOTICE_KINDS,
  type NoticeKind,
  type NoticeMarkers,
  noticeAt,
  type RuleScope,
  ZRuleScope,
} from "../domain/disputes/index.ts";
import type { DisputeStatus } from "../domain/model.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Db, Tx } from "./client.ts";

/** The domain's dispute plus where its arbiter card lives and the rule its decision wrote. */
export type StoredDispute = Dispute & {
  arbiterCardChannel: string | null;
  arbiterCardTs: string | null;
  resultingRuleId: string | null;
};

type NoticeRow = { kind: string; sentAt: Date | null; skippedAt: Date | null };

type DisputeRow = {
  id: string;
  accountId: string;
  claimantRepId: string;
  currentOwnerRepId: string | null;
  proposedOwnerRepId: string;
  category: Dispute["category"];
  reason: string;
  evidence: string | null;
  opportunityLink: string | null;
  arbiterRepId: string;
  backupArbiterRepId: string | null;
  status: DisputeStatus;
  openedAt: Date;
  dueAt: Date;
  decision: Dispute["decision"];
  decisionText: string | null;
  decidedAt: Date | null;
  decidedByRepId: string | null;
  resultingRuleId: string | null;
  decisionScope: unknown;
  arbiterCardChannel: string | null;
  arbiterCardTs: string | null;
  signOffRequired: boolean;
  signOffDueAt: Date | null;
  signedOffAt: Date | null;
  signedOffByRepId: string | null;
  signOffExpiredAt: Date | null;
  notices: NoticeRow[];
};

const isNoticeKind = (kind: string): kind is NoticeKind => (NOTICE_KINDS as readonly string[]).includes(kind);

export function markersOf(notices: readonly NoticeRow[]): NoticeMarkers {
  const markers: NoticeMarkers = {};
  for (const n of notices) {
    const at = n.sentAt ?? n.skippedAt;
    if (at !== null && isNoticeKind(n.kind)) markers[n.kind] = at;
  }
  return markers;
}

export function disputeFromRow(row: DisputeRow): StoredDispute {
  const scope = row.decisionScope === null ? null : ZRuleScope.safeParse(row.decisionScope);
  return {
    id: row.id,
    accountId: row.accountId,
    claimantRepId: row.claimantRepId,
    currentOwnerRepId: row.currentOwnerRepId,
    proposedOwnerRepId: row.proposedOwnerRepId,
    category: row.category,
    reason: row.reason,
    evidence: row.evidence,
    opportunityLink: row.opportunityLink,
    arbiterRepId: row.arbiterRepId,
    backupArbiterRepId: row.backupArbiterRepId,
    status: row.status,
    openedAt: row.openedAt,
    dueAt: row.dueAt,
    decision: row.decision,
    decisionText: row.decisionText,
    decidedAt: row.decidedAt,
    decidedByRepId: row.decidedByRepId,
    decisionScope: scope?.success ? scope.data : null,
    signOffRequired: row.signOffRequired,
    signOffDueAt: row.signOffDueAt,
    signedOffAt: row.signedOffAt,
    signedOffByRepId: row.signedOffByRepId,
    signOffExpiredAt: row.signOffExpiredAt,
    notices: markersOf(row.notices),
    arbiterCardChannel: row.arbiterCardChannel,
    arbiterCardTs: row.arbiterCardTs,
    resultingRuleId: row.resultingRuleId,
  };
}

const withNotices = { notices: { select: { kind: true, sentAt: true, skippedAt: true } } } as const;

export async function loadDispute(db: Db | Tx, id: string): Promise<StoredDispute | null> {
  const row = await db.dispute.findUnique({ where: { id }, include: withNotices });
  return row ? disputeFromRow(row) : null;
}

export const OPEN_STATUSES = [
  "open",
  "info_requested",
  "escalated",
] as const satisfies readonly DisputeStatus[];

export async function findOpenDispute(
  db: Db | Tx,
  accountId: string,
  claimantRepId: string,
): Promise<StoredDispute | null> {
  const row = await db.dispute.findFirst({
    where: { accountId, claimantRepId, status: { in: [...OPEN_STATUSES] } },
    orderBy: { openedAt: "asc" },
    include: withNotices,
  });
  return row ? disputeFromRow(row) : null;
}

/** Stores a freshly opened dispute with one notice row per reminder/escalation, due times fixed now. */
export async function insertDispute(tx: Tx, dispute: Dispute): Promise<void> {
  await tx.dispute.create({
    data: {
      id: dispute.id,
      accountId: dispute.accountId,
      claimantRepId: dispute.claimantRepId,
      currentOwnerRepId: dispute.currentOwnerRepId,
      proposedOwnerRepId: dispute.proposedOwnerRepId,
      category: dispute.category,
      reason: dispute.reason,
      evidence: dispute.evidence,
      opportunityLink: dispute.opportunityLink,
      arbiterRepId: dispute.arbiterRepId,
      backupArbiterRepId: dispute.backupArbiterRepId,
      status: dispute.status,
      openedAt: dispute.openedAt,
      dueAt: dispute.dueAt,
    },
  });
  await insertNotices(tx, dispute.id, ["reminder_24h", "reminder_4h", "escalation"], dispute.dueAt);
}

export async function insertNotices(
  tx: Tx,
  disputeId: string,
  kinds: readonly NoticeKind[],
  deadline: Date,
): Promise<void> {
  await tx.disputeNotice.createMany({
    data: kinds.map((kind) => ({ id: randomUUID(), disputeId, kind, dueAt: noticeAt(kind, deadline) })),
    skipDuplicates: true,
  });
}

export async function setArbiterCard(
  db: Db | Tx,
  disputeId: string,
  channel: string,
  ts: string,
): Promise<void> {
  await db.dispute.update({
    where: { id: disputeId },
    data: { arbiterCardChannel: channel, arbiterCardTs: ts },
  });
}

/**
 * The atomic status claim every state change goes through: the row moves only if it is still in
 * one of `from`, so of two racing writers (double click, retry, a second instance, the escalation
 * sweep) exactly one sees count 1 and goes on to act.
 */
export async function claimStatus(
  tx: Tx,
  disputeId: string,
  from: readonly DisputeStatus[],
  data: Prisma.DisputeUpdateManyMutationInput,
): Promise<boolean> {
  const { count } = await tx.dispute.updateMany({
    where: { id: disputeId, status: { in: [...from] } },
    data,
  });
  return count === 1;
}

// ---- notices ---------------------------------------------------------------------------------

export type ClaimedNotice = { id: string; disputeId: string; kind: string; dueAt: Date; attempts: number };

/**
 * Claims up to `limit` due notices for `instance` in one statement. A notice is claimable when it is
 * neither sent nor skipped, due, and either unclaimed or claimed longer than `leaseMs` ago (its
 * claimer died before finishing). FOR UPDATE SKIP LOCKED lets concurrent sweeps on PostgreSQL take
 * disjoint sets instead of waiting on each other; the outer WHERE repeats the conditions so a row
 * re-checked after a concurrent commit is never claimed twice.
 */
export async function claimDueNotices(
  db: Db | Tx,
  options: { now: Date; instance: string; leaseMs: number; limit: number },
): Promise<ClaimedNotice[]> {
  const now = options.now.toISOString();
  const cutoff = new Date(options.now.getTime() - options.leaseMs).toISOString();
  const rows = await db.$queryRawUnsafe<
    { id: string; disputeId: string; kind: string; dueAt: string | Date; attempts: number }[]
  >(
    `UPDATE "DisputeNotice" n
        SET "claimedAt" = $1::timestamp(3), "claimedBy" = $3, attempts = n.attempts + 1
      WHERE n.id IN (
              SELECT id FROM "DisputeNotice"
               WHERE "sentAt" IS NULL AND "skippedAt" IS NULL AND "dueAt" <= $1::timestamp(3)
                 AND ("claimedAt" IS NULL OR "claimedAt" < $2::timestamp(3))
               ORDER BY "dueAt", id
               LIMIT $4
               FOR UPDATE SKIP LOCKED)
        AND n."sentAt" IS NULL AND n."skippedAt" IS NULL
        AND (n."claimedAt" IS NULL OR n."claimedAt" < $2::timestamp(3))
      RETURNING n.id, n."disputeId", n.kind, n."dueAt", n.attempts`,
    now,
    cutoff,
    options.instance,
    options.limit,
  );
  return rows.map((r) => ({ ...r, dueAt: new Date(r.dueAt), attempts: Number(r.attempts) }));
}

/** What a sweep batch decided for one claimed notice; `failed` gives the claim back with the error. */
export type NoticeOutcome =
  | { id: string; outcome: "sent" | "skipped" }
  | { id: string; outcome: "failed"; error: string };

/**
 * The batch's one state write: marks sent and skipped notices and gives failed ones back (claim
 * cleared, error kept) in one statement. Returns the ids this claimer still held and marked.
 */
export async function settleClaimedNotices(
  tx: Db | Tx,
  outcomes: readonly NoticeOutcome[],
  instance: string,
  now: Date,
): Promise<Set<string>> {
  if (outcomes.length === 0) return new Set();
  const payload = outcomes.map((o) => ({
    id: o.id,
    outcome: o.outcome,
    error: o.outcome === "failed" ? o.error.slice(0, 1000) : null,
  }));
  const rows = await tx.$queryRawUnsafe<{ id: string; outcome: string }[]>(
    `UPDATE "DisputeNotice" n
        SET "sentAt" = CASE WHEN s.outcome = 'sent' THEN $3::timestamp(3) END,
            "skippedAt" = CASE WHEN s.outcome = 'skipped' THEN $3::timestamp(3) END,
            "claimedAt" = CASE WHEN s.outcome = 'failed' THEN NULL ELSE n."claimedAt" END,
            "claimedBy" = CASE WHEN s.outcome = 'failed' THEN NULL ELSE n."claimedBy" END,
            "lastError" = COALESCE(s.error, n."lastError")
       FROM jsonb_to_recordset($1::jsonb) AS s(id text, outcome text, error text)
      WHERE n.id = s.id AND n."claimedBy" = $2 AND n."sentAt" IS NULL AND n."skippedAt" IS NULL
      RETURNING n.id, s.outcome`,
    JSON.stringify(payload),
    instance,
    now.toISOString(),
  );
  return new Set(rows.filter((r) => r.outcome !== "failed").map((r) => r.id));
}

/** Disputes by id with their notice markers (two statements however many). */
export async function loadDisputes(db: Db | Tx, ids: readonly string[]): Promise<Map<string, StoredDispute>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.dispute.findMany({ where: { id: { in: wanted } }, include: withNotices });
  return new Map(rows.map((r) => [r.id, disputeFromRow(r)]));
}

/**
 * The escalation's atomic status claim for many disputes at once: each row moves only if it is
 * still open or waiting for info and no other transaction holds it (SKIP LOCKED: the sweep, which
 * already holds notice rows, never waits on a dispute row, so it cannot deadlock with a withdrawal
 * that holds the dispute and waits on its notices); returns the ids that moved, with one audit event each.
 */
export async function escalateDisputes(
  tx: Tx,
  disputes: readonly StoredDispute[],
  now: Date,
): Promise<Set<string>> {
  if (disputes.length === 0) return new Set();
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "Dispute" SET status = 'escalated', "updatedAt" = $2::timestamp(3)
      WHERE id IN (SELECT id FROM "Dispute"
                    WHERE id = ANY($1::text[]) AND status IN ('open', 'info_requested')
                    FOR UPDATE SKIP LOCKED)
        AND status IN ('open', 'info_requested')
      RETURNING id`,
    disputes.map((d) => d.id),
    now.toISOString(),
  );
  const won = new Set(rows.map((r) => r.id));
  if (won.size === 0) return won;
  await tx.auditEvent.createMany({
    data: disputes
      .filter((d) => won.has(d.id))
      .map((d) => ({
        actor: "system",
        action: "dispute.escalated",
        subjectType: "dispute",
        subjectId: d.id,
        details: { dueAt: d.dueAt.toISOString() },
        at: now,
      })),
  });
  return won;
}

/** The sign-off expiry's atomic claim for many channel exceptions (held rows skipped, as above); returns the ids that expired now. */
export async function expireSignOffs(tx: Tx, ids: readonly string[], now: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "Dispute" SET "signOffExpiredAt" = $2::timestamp(3), "updatedAt" = $2::timestamp(3)
      WHERE id IN (SELECT id FROM "Dispute"
                    WHERE id = ANY($1::text[]) AND status = 'resolved' AND "signOffRequired"
                      AND "signedOffAt" IS NULL AND "signOffExpiredAt" IS NULL
                    FOR UPDATE SKIP LOCKED)
        AND status = 'resolved' AND "signOffRequired" AND "signedOffAt" IS NULL AND "signOffExpiredAt" IS NULL
      RETURNING id`,
    [...ids],
    now.toISOString(),
  );
  const won = new Set(rows.map((r) => r.id));
  if (won.size === 0) return won;
  await tx.auditEvent.createMany({
    data: [...won].map((id) => ({
      actor: "system",
      action: "dispute.sign_off_expired",
      subjectType: "dispute",
      subjectId: id,
      details: {},
      at: now,
    })),
  });
  return won;
}

// ---- scope sizes -----------------------------------------------------------------------------

/** How many accounts a rule scope matches today, so the arbiter sees what a pattern would affect. */
export async function countScopeAccounts(db: Db | Tx, scope: RuleScope): Promise<number> {
  switch (scope.kind) {
    case "account_only":
      return db.account.count({ where: { crmId: scope.accountCrmId } });
    case "same_parent":
      return db.account.count({ where: { parent: { crmId: scope.parentCrmId } } });
    case "same_reseller":
      return db.account.count({
        where: { opportunities: { some: { isOpen: true, reseller: scope.reseller } } },
      });
    case "region_expansion":
      return db.account.count({
        where: { region: scope.region, ...(scope.sizeBand === null ? {} : { sizeBand: scope.sizeBand }) },
      });
    case "same_domain":
      return db.account.count({ where: { domains: { some: { domain: scope.domain } } } });
  }
}

// ---- queues ----------------------------------------------------------------------------------

export type DisputeListItem = {
  id: string;
  accountId: string;
  accountName: string;
  status: DisputeStatus;
  category: Dispute["category"];
  claimantRepId: string;
  arbiterRepId: string;
  openedAt: Date;
  dueAt: Date;
  decision: Dispute["decision"];
  decisionText: string | null;
  decidedAt: Date | null;
};

const listSelect = {
  id: true,
  accountId: true,
  status: true,
  category: true,
  claimantRepId: true,
  arbiterRepId: true,
  openedAt: true,
  dueAt: true,
  decision: true,
  decisionText: true,
  decidedAt: true,
  account: { select: { name: true } },
} as const;

type ListRow = Omit<DisputeListItem, "accountName"> & { account: { name: string } };
const toItem = ({ account, ...rest }: ListRow): DisputeListItem => ({ ...rest, accountName: account.name });

/** Open disputes the rep decides (as arbiter, or as backup once escalated), soonest deadline first. */
export async function arbiterQueue(db: Db | Tx, repId: string, limit = 20): Promise<DisputeListItem[]> {
  const rows = await db.dispute.findMany({
    where: {
      OR: [
        { arbiterRepId: repId, status: { in: [...OPEN_STATUSES] } },
        { backupArbiterRepId: repId, status: "escalated" },
      ],
    },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
    take: limit,
    select: listSelect,
  });
  return rows.map(toItem);
}

export async function claimantOpenDisputes(
  db: Db | Tx,
  repId: string,
  limit = 20,
): Promise<DisputeListItem[]> {
  const rows = await db.dispute.findMany({
    where: { claimantRepId: repId, status: { in: [...OPEN_STATUSES] } },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
    take: limit,
    select: listSelect,
  });
  return rows.map(toItem);
}

/** Recent decisions the rep was part of (claimant, owner or arbiter). */
export async function recentDecisions(db: Db | Tx, repId: string, limit = 5): Promise<DisputeListItem[]> {
  const rows = await db.dispute.findMany({
    where: {
      status: "resolved",
      OR: [
        { claimantRepId: repId },
        { currentOwnerRepId: repId },
        { arbiterRepId: repId },
        { decidedByRepId: repId },
      ],
    },
    orderBy: [{ decidedAt: "desc" }, { id: "asc" }],
    take: limit,
    select: listSelect,
  });
  return rows.map(toItem);
}
