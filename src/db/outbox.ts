// The outbox table: every Slack message Turf sends is a row here first. Rows are written inside the
// caller's transaction, claimed in batches with a lease (FOR UPDATE SKIP LOCKED, so several senders
// take disjoint rows), and settled as sent, retried later, or dead.
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "./client.ts";

export type OutboxKind = "post" | "dm" | "update";

/** A message to send, as the code that decides to send it describes it. */
export type OutgoingMessage = {
  kind: OutboxKind;
  /** Channel id (post, update) or Slack user id (dm); null for an update whose target is looked up at send time. */
  channel: string | null;
  ts?: string | null;
  threadTs?: string | null;
  text: string;
  blocks?: unknown[] | null;
  purpose: string;
  subjectId?: string | null;
};

export type OutboxRow = {
  id: string;
  kind: OutboxKind;
  channel: string | null;
  ts: string | null;
  threadTs: string | null;
  text: string;
  blocks: unknown[] | null;
  purpose: string;
  subjectId: string | null;
  status: "pending" | "sent" | "dead";
  attempts: number;
  dueAt: Date;
  createdAt: Date;
  lastError: string | null;
  sentAt: Date | null;
};

/** A claimed row; `resumed` when an earlier attempt may have reached Slack (its lease ran out or it timed out). */
export type ClaimedOutboxRow = OutboxRow & { resumed: boolean };

/** Writes messages in the caller's transaction; returns their ids in order. */
export async function insertOutbox(
  tx: Tx | Db,
  messages: readonly OutgoingMessage[],
  now: Date,
): Promise<string[]> {
  if (messages.length === 0) return [];
  // A newer update of the same message makes a queued older one pointless, and sending it after
  // the newer one would show stale content.
  // One statement for the whole set: a sweep batch escalating hundreds of disputes updates as many cards.
  const updated = messages.flatMap((m) =>
    m.kind === "update" && m.subjectId ? [{ purpose: m.purpose, subjectId: m.subjectId }] : [],
  );
  if (updated.length > 0)
    await tx.outboxMessage.updateMany({
      where: { OR: updated, status: "pending", claimedAt: null },
      data: { status: "sent", sentAt: now, lastError: "superseded by a newer update" },
    });
  const rows = messages.map((m) => ({
    id: randomUUID(),
    kind: m.kind,
    channel: m.channel,
    ts: m.ts ?? null,
    threadTs: m.threadTs ?? null,
    text: m.text,
    blocks: m.blocks ?? null,
    purpose: m.purpose,
    subjectId: m.subjectId ?? null,
  }));
  // One statement with one JSON parameter: a sweep batch writes hundreds of rows with large block
  // lists, and binding them column by column costs several times what PostgreSQL spends inserting.
  await tx.$executeRawUnsafe(
    `INSERT INTO "OutboxMessage" (id, kind, channel, ts, "threadTs", text, blocks, purpose, "subjectId",
                                  "dueAt", "createdAt")
     SELECT r.id, r.kind, r.channel, r.ts, r."threadTs", r.text, NULLIF(r.blocks, 'null'::jsonb), r.purpose,
            r."subjectId", $2::timestamp(3), $2::timestamp(3)
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text, channel text, ts text, "threadTs" text,
                                               text text, blocks jsonb, purpose text, "subjectId" text)`,
    JSON.stringify(rows),
    now.toISOString(),
  );
  return rows.map((r) => r.id);
}

type RawRow = Omit<OutboxRow, "dueAt" | "createdAt" | "sentAt" | "attempts"> & {
  dueAt: string | Date;
  createdAt: string | Date;
  sentAt: string | Date | null;
  attempts: number | bigint;
  resumed?: boolean;
};

const toRow = (r: RawRow): ClaimedOutboxRow => ({
  ...r,
  blocks: (r.blocks as unknown[] | null) ?? null,
  attempts: Number(r.attempts),
  dueAt: new Date(r.dueAt),
  createdAt: new Date(r.createdAt),
  sentAt: r.sentAt === null ? null : new Date(r.sentAt),
  resumed: Boolean(r.resumed),
});

/**
 * Claims up to `limit` pending rows that are due and not under a live lease, in one statement.
 * `ids` restricts the claim (a listener delivering what it just wrote). A row whose earlier claim
 * ran out, or whose last attempt ended without an answer, comes back `resumed`: Slack may already
 * have it, so the sender looks before posting again.
 */
export async function claimOutbox(
  db: Db,
  options: { now: Date; instance: string; leaseMs: number; limit: number; ids?: readonly string[] },
): Promise<ClaimedOutboxRow[]> {
  const cutoff = new Date(options.now.getTime() - options.leaseMs);
  const byIds = options.ids !== undefined;
  const rows = await db.$queryRawUnsafe<RawRow[]>(
    `WITH due AS (
       SELECT id, ("claimedAt" IS NOT NULL OR "lastError" LIKE 'uncertain:%') AS resumed
         FROM "OutboxMessage"
        WHERE status = 'pending' AND "dueAt" <= $1::timestamp(3)
          AND ("claimedAt" IS NULL OR "claimedAt" < $2::timestamp(3))
          ${byIds ? `AND id = ANY($5::text[])` : ""}
        ORDER BY "dueAt", "createdAt", id
        LIMIT $4
        FOR UPDATE SKIP LOCKED)
     UPDATE "OutboxMessage" o
        SET "claimedAt" = $1::timestamp(3), "claimedBy" = $3, attempts = o.attempts + 1
       FROM due
      WHERE o.id = due.id AND o.status = 'pending'
        AND (o."claimedAt" IS NULL OR o."claimedAt" < $2::timestamp(3))
      RETURNING o.id, o.kind, o.channel, o.ts, o."threadTs", o.text, o.blocks, o.purpose, o."subjectId",
                o.status, o.attempts, o."dueAt", o."createdAt", o."lastError", o."sentAt", due.resumed`,
    options.now.toISOString(),
    cutoff.toISOString(),
    options.instance,
    options.limit,
    ...(options.ids ? [[...options.ids]] : []),
  );
  return rows
    .map(toRow)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

export type Settlement =
  | { id: string; outcome: "sent"; channel: string | null; ts: string | null }
  | { id: string; outcome: "retry"; error: string; retryAt: Date }
  | { id: string; outcome: "dead"; error: string };

/**
 * Settles a batch of claimed rows in one statement; only rows still claimed by `instance` change
 * (a claim lost to an expired lease is settled by its new holder). Returns the ids that changed.
 */
export async function settleOutbox(
  db: Db | Tx,
  settlements: readonly Settlement[],
  instance: string,
  now: Date,
): Promise<Set<string>> {
  if (settlements.length === 0) return new Set();
  const payload = settlements.map((s) => ({
    id: s.id,
    status: s.outcome === "sent" ? "sent" : s.outcome === "dead" ? "dead" : "pending",
    error: s.outcome === "sent" ? null : s.error.slice(0, 1000),
    due: s.outcome === "retry" ? s.retryAt.toISOString() : null,
    channel: s.outcome === "sent" ? s.channel : null,
    ts: s.outcome === "sent" ? s.ts : null,
  }));
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "OutboxMessage" o
        SET status = s.status,
            "lastError" = COALESCE(s.error, o."lastError"),
            "dueAt" = COALESCE(s.due::timestamp(3), o."dueAt"),
            "claimedAt" = NULL, "claimedBy" = NULL,
            "sentAt" = CASE WHEN s.status = 'sent' THEN $3::timestamp(3) ELSE NULL END,
            "sentChannel" = s.channel, "sentTs" = s.ts
       FROM jsonb_to_recordset($1::jsonb) AS s(id text, status text, error text, due text, channel text, ts text)
      WHERE o.id = s.id AND o."claimedBy" = $2 AND o.status = 'pending'
      RETURNING o.id`,
    JSON.stringify(payload),
    instance,
    now.toISOString(),
  );
  return new Set(rows.map((r) => r.id));
}

/** The place of a sent message (the arbiter card's channel and ts, for later updates). */
export async function sentPlace(
  db: Db | Tx,
  purpose: string,
  subjectId: string,
): Promise<{ status: string; channel: string | null; ts: string | null } | null> {
  const row = await db.outboxMessage.findFirst({
    where: { purpose, subjectId },
    orderBy: { createdAt: "desc" },
    select: { status: true, sentChannel: true, sentTs: true },
  });
  return row ? { status: row.status, channel: row.sentChannel, ts: row.sentTs } : null;
}

export async function listOutbox(
  db: Db,
  options: { status?: "pending" | "sent" | "dead"; limit: number },
): Promise<OutboxRow[]> {
  const rows = await db.outboxMessage.findMany({
    where: options.status ? { status: options.status } : {},
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: options.limit,
  });
  return rows.map((r) =>
    toRow({
      ...r,
      blocks: r.blocks as unknown[] | null,
      kind: r.kind as OutboxKind,
      status: r.status as OutboxRow["status"],
    }),
  );
}

/** Puts dead rows (all, or the given ids) back in the queue with a fresh attempt budget. */
export async function retryDeadOutbox(db: Db, now: Date, ids?: readonly string[]): Promise<number> {
  const { count } = await db.outboxMessage.updateMany({
    where: { status: "dead", ...(ids ? { id: { in: [...ids] } } : {}) },
    data: { status: "pending", attempts: 0, dueAt: now, claimedAt: null, claimedBy: null },
  });
  return count;
}

export async function countOutbox(db: Db | Tx, status: "pending" | "dead"): Promise<number> {
  return db.outboxMessage.count({ where: { status } });
}
