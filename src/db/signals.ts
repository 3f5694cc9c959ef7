// Signals, their DMs and the accounts a second product motion touches: all of the signal SQL.
import type { Db, Tx } from "./client.ts";

export type NewSignal = {
  idempotencyKey: string;
  accountQuery: string;
  type: string;
  strength: number;
  occurredAt: Date;
  source: string;
  productLine: string | null;
  urgent: boolean;
  detail: string | null;
  receivedAt: Date;
};

export type StoredSignal = NewSignal & {
  id: string;
  accountId: string | null;
  status: string;
  routedRepId: string | null;
  motion: string | null;
  reason: string | null;
};

export type SignalOutcome = {
  status: "routed" | "recorded" | "queued";
  accountId: string | null;
  routedRepId: string | null;
  motion: string | null;
  reason: string;
  at: Date;
};

const toStored = (s: StoredSignal): StoredSignal => ({
  ...s,
  occurredAt: new Date(s.occurredAt),
  receivedAt: new Date(s.receivedAt),
});

/**
 * Stores a signal with where it went, once per idempotency key, inside the routing transaction: a
 * new key is one INSERT; a key stored before but never routed (the process died, or routing failed)
 * takes this outcome; any other key seen before is a duplicate and nothing is written. A concurrent
 * request with the same key waits on the insert and then finds a duplicate.
 */
export async function storeSignal(
  tx: Tx,
  s: NewSignal,
  o: SignalOutcome,
): Promise<{ stored: true; signal: StoredSignal } | { stored: false; duplicate: StoredSignal }> {
  const inserted = await tx.$queryRaw<StoredSignal[]>`
    INSERT INTO "Signal" (id, "idempotencyKey", "accountQuery", type, strength, "occurredAt", source,
                          "productLine", urgent, detail, "receivedAt", status, "accountId", "routedRepId",
                          motion, reason, "routedAt")
    VALUES (gen_random_uuid()::text, ${s.idempotencyKey}, ${s.accountQuery}, ${s.type}, ${s.strength}, ${s.occurredAt},
            ${s.source}, ${s.productLine}, ${s.urgent}, ${s.detail}, ${s.receivedAt}, ${o.status}, ${o.accountId},
            ${o.routedRepId}, ${o.motion}, ${o.reason}, ${o.at})
    ON CONFLICT ("idempotencyKey") DO NOTHING
    RETURNING *`;
  if (inserted[0]) return { stored: true, signal: toStored(inserted[0]) };
  const routed = await tx.$queryRaw<StoredSignal[]>`
    UPDATE "Signal" SET status = ${o.status}, "accountId" = ${o.accountId}, "routedRepId" = ${o.routedRepId},
           motion = ${o.motion}, reason = ${o.reason}, "routedAt" = ${o.at}
    WHERE "idempotencyKey" = ${s.idempotencyKey} AND status = 'received'
    RETURNING *`;
  if (routed[0]) return { stored: true, signal: toStored(routed[0]) };
  const existing = await tx.$queryRaw<StoredSignal[]>`
    SELECT * FROM "Signal" WHERE "idempotencyKey" = ${s.idempotencyKey}`;
  return { stored: false, duplicate: toStored(existing[0] as StoredSignal) };
}

/** A signal by its sender's key, if one was stored. */
export async function signalByKey(db: Db | Tx, idempotencyKey: string): Promise<StoredSignal | null> {
  const rows = await db.$queryRaw<StoredSignal[]>`
    SELECT * FROM "Signal" WHERE "idempotencyKey" = ${idempotencyKey}`;
  return rows[0] ? toStored(rows[0]) : null;
}

export type RepForRouting = { id: string; name: string; active: boolean; motions: string[] };

export async function repForRouting(db: Db | Tx, repId: string): Promise<RepForRouting | null> {
  const rows = await db.$queryRaw<RepForRouting[]>`
    SELECT r.id, r.name, r.active,
           coalesce(array_agg(DISTINCT t.motion) FILTER (WHERE t.motion IS NOT NULL), '{}') AS motions
    FROM "Rep" r
    LEFT JOIN "RepTerritory" rt ON rt."repId" = r.id
    LEFT JOIN "Territory" t ON t.id = rt."territoryId"
    WHERE r.id = ${repId}
    GROUP BY r.id`;
  return rows[0] ?? null;
}

/** Every rep as routing sees them (repForRouting for all): read once per rule-book version. */
export async function repsForRouting(db: Db | Tx): Promise<RepForRouting[]> {
  return db.$queryRaw<RepForRouting[]>`
    SELECT r.id, r.name, r.active,
           coalesce(array_agg(DISTINCT t.motion) FILTER (WHERE t.motion IS NOT NULL), '{}') AS motions
    FROM "Rep" r
    LEFT JOIN "RepTerritory" rt ON rt."repId" = r.id
    LEFT JOIN "Territory" t ON t.id = rt."territoryId"
    GROUP BY r.id`;
}

export type MotionTerritory = { id: string; name: string; motion: string };

/** The overlay territory whose motion sells this product line (case-insensitive), if any. */
export async function territoryForProductLine(
  db: Db | Tx,
  productLine: string,
): Promise<MotionTerritory | null> {
  const rows = await db.$queryRaw<MotionTerritory[]>`
    SELECT t.id, t.name, t.motion FROM "Territory" t
    WHERE t.motion IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(t."productLines") p WHERE lower(p) = lower(${productLine}))
    ORDER BY t.name LIMIT 1`;
  return rows[0] ?? null;
}

export type MotionRepCandidate = {
  repId: string;
  name: string;
  capacityWeight: number;
  motionAccounts: number;
};

/** The rep already working this motion on this account, if still active. */
export async function accountMotionRep(
  db: Db | Tx,
  accountId: string,
  motion: string,
): Promise<{ repId: string; name: string } | null> {
  const rows = await db.$queryRaw<{ repId: string; name: string }[]>`
    SELECT r.id AS "repId", r.name FROM "AccountMotion" m JOIN "Rep" r ON r.id = m."repId"
    WHERE m."accountId" = ${accountId} AND m.motion = ${motion} AND r.active`;
  return rows[0] ?? null;
}

/** The territory's active reps who carry a book, with how many accounts of the motion each works. */
export async function motionRepCandidates(
  db: Db | Tx,
  territoryId: string,
  motion: string,
): Promise<MotionRepCandidate[]> {
  return db.$queryRaw<MotionRepCandidate[]>`
    SELECT r.id AS "repId", r.name, r."capacityWeight",
           (SELECT count(*)::int FROM "AccountMotion" m WHERE m."repId" = r.id AND m.motion = ${motion}) AS "motionAccounts"
    FROM "RepTerritory" rt JOIN "Rep" r ON r.id = rt."repId"
    WHERE rt."territoryId" = ${territoryId} AND r.active AND 'rep' = ANY(r.roles)`;
}

export async function recordAccountMotion(
  tx: Tx,
  accountId: string,
  motion: string,
  repId: string,
  at: Date,
) {
  await tx.$executeRaw`
    INSERT INTO "AccountMotion" ("accountId", motion, "repId", since) VALUES (${accountId}, ${motion}, ${repId}, ${at})
    ON CONFLICT ("accountId", motion) DO UPDATE SET "repId" = excluded."repId"
    WHERE "AccountMotion"."repId" <> excluded."repId"`;
}

export async function motionsOfAccount(db: Db | Tx, accountId: string) {
  return db.$queryRaw<{ motion: string; repId: string; name: string; slackUserId: string | null }[]>`
    SELECT m.motion, m."repId", r.name, r."slackUserId" FROM "AccountMotion" m JOIN "Rep" r ON r.id = m."repId"
    WHERE m."accountId" = ${accountId} ORDER BY m.motion`;
}

export type MessageKind = "owner" | "motion" | "fyi";

/**
 * What a routed signal writes besides itself, in one statement: each rep's message about the account
 * for this window (the first signal creates it, later ones bump its version so the delivery job
 * updates the same Slack message) and the routing's audit event.
 */
export async function recordRouting(
  tx: Tx,
  r: {
    accountId: string;
    signalId: string;
    windowStart: Date;
    urgent: boolean;
    at: Date;
    /** At most one per rep and kind. */
    messages: { repId: string; kind: MessageKind }[];
    audit: { action: string; ruleId: string | null; details: Record<string, unknown> };
  },
): Promise<void> {
  await tx.$executeRaw`
    WITH queued AS (
      INSERT INTO "SignalMessage" (id, "repId", "accountId", kind, "windowStart", "signalIds", urgent, "dueAt", "createdAt")
      SELECT gen_random_uuid()::text, m."repId", ${r.accountId}::text, m.kind, ${r.windowStart}::timestamp(3),
             ARRAY[${r.signalId}]::text[],
             ${r.urgent}::boolean, ${r.at}::timestamp(3), ${r.at}::timestamp(3)
        FROM jsonb_to_recordset(${JSON.stringify(r.messages)}::jsonb) AS m("repId" text, kind text)
      ON CONFLICT ("repId", "accountId", kind, "windowStart") DO UPDATE SET
        "signalIds" = array_append("SignalMessage"."signalIds", ${r.signalId}),
        version = "SignalMessage".version + 1,
        pending = true,
        urgent = "SignalMessage".urgent OR excluded.urgent,
        "dueAt" = CASE WHEN excluded.urgent THEN least("SignalMessage"."dueAt", excluded."dueAt") ELSE "SignalMessage"."dueAt" END
      RETURNING 1)
    INSERT INTO "AuditEvent" (actor, action, "subjectType", "subjectId", "ruleId", details, at)
    VALUES ('system', ${r.audit.action}, 'account', ${r.accountId}, ${r.audit.ruleId},
            ${JSON.stringify(r.audit.details)}::jsonb, ${r.at})`;
}

export type ClaimedMessage = {
  id: string;
  repId: string;
  accountId: string;
  kind: MessageKind;
  signalIds: string[];
  urgent: boolean;
  version: number;
  /** The version last written to the outbox; 0 while the DM has not been posted (or was woken from a snooze). */
  deliveredVersion: number;
  channel: string | null;
  ts: string | null;
  attempts: number;
  state: string;
  snoozedUntil: Date | null;
  slackUserId: string | null;
};

/** Claims a batch of due messages with a lease, so several instances never deliver one twice. */
export async function claimDueMessages(
  db: Db,
  input: { now: Date; leaseExpiredBefore: Date; claimer: string; limit: number },
): Promise<ClaimedMessage[]> {
  return db.$queryRaw<ClaimedMessage[]>`
    WITH due AS (
      SELECT id FROM "SignalMessage"
      WHERE pending AND "deadAt" IS NULL AND "dueAt" <= ${input.now}
        AND ("claimedAt" IS NULL OR "claimedAt" < ${input.leaseExpiredBefore})
      ORDER BY "dueAt" LIMIT ${input.limit}
      FOR UPDATE SKIP LOCKED)
    UPDATE "SignalMessage" m SET "claimedAt" = ${input.now}, "claimedBy" = ${input.claimer}
    FROM due, "Rep" r
    WHERE m.id = due.id AND r.id = m."repId"
    RETURNING m.id, m."repId", m."accountId", m.kind, m."signalIds", m.urgent, m.version, m."deliveredVersion", m.channel, m.ts,
              m.attempts, m.state, m."snoozedUntil", r."slackUserId"`;
}

/**
 * The claimed version is in the outbox (written in the same transaction): not pending unless a newer
 * version came meanwhile. False when the claim was lost to another instance, so the caller rolls back.
 */
export async function markMessageQueued(
  tx: Tx,
  input: { id: string; version: number; claimer: string },
): Promise<boolean> {
  const updated = await tx.$executeRaw`
    UPDATE "SignalMessage" SET "deliveredVersion" = ${input.version}, pending = (version > ${input.version}),
           "claimedAt" = NULL, "claimedBy" = NULL, attempts = 0, "lastError" = NULL
    WHERE id = ${input.id} AND "claimedBy" = ${input.claimer}`;
  return updated === 1;
}

/** Outbox purposes: the DM, and its later edits (the outbox finds the DM's place by stripping ".update"). */
export const SIGNAL_DM = "signal.dm";
export const SIGNAL_DM_UPDATE = "signal.dm.update";

/**
 * Where the DM landed, once the outbox has posted it (later edits go there). Only while that post is
 * the current one: a message woken from a snooze since then waits for its fresh post.
 */
export async function setMessagePlace(db: Db | Tx, id: string, place: { channel: string; ts: string }) {
  await db.$executeRaw`
    UPDATE "SignalMessage" SET channel = ${place.channel}, ts = ${place.ts}
    WHERE id = ${id} AND ts IS NULL AND "deliveredVersion" > 0`;
}

/** Releases a claim to try again at `retryAt`; past `maxAttempts` the message is dead (admins see it). */
export async function markMessageFailed(
  db: Db,
  input: { id: string; claimer: string; error: string; retryAt: Date; maxAttempts: number; now: Date },
): Promise<void> {
  await db.$executeRaw`
    UPDATE "SignalMessage" SET attempts = attempts + 1, "lastError" = ${input.error.slice(0, 500)},
           "dueAt" = ${input.retryAt}, "claimedAt" = NULL, "claimedBy" = NULL,
           "deadAt" = CASE WHEN attempts + 1 >= ${input.maxAttempts} THEN ${input.now}::timestamp ELSE NULL END
    WHERE id = ${input.id} AND "claimedBy" = ${input.claimer}`;
}

/** Postpones a claimed message (the rep's night) without counting an attempt. */
export async function deferMessage(
  db: Db,
  input: { id: string; claimer: string; until: Date },
): Promise<void> {
  await db.$executeRaw`
    UPDATE "SignalMessage" SET "dueAt" = ${input.until}, "claimedAt" = NULL, "claimedBy" = NULL
    WHERE id = ${input.id} AND "claimedBy" = ${input.claimer}`;
}

export type MessageSignal = {
  id: string;
  type: string;
  strength: number;
  occurredAt: Date;
  source: string;
  productLine: string | null;
  detail: string | null;
};

export async function signalsByIds(db: Db | Tx, ids: string[]): Promise<MessageSignal[]> {
  return db.$queryRaw<MessageSignal[]>`
    SELECT id, type, strength, "occurredAt", source, "productLine", detail FROM "Signal"
    WHERE id = ANY(${ids}::text[]) ORDER BY "occurredAt" DESC`;
}

export type MessageRow = {
  id: string;
  repId: string;
  accountId: string;
  kind: MessageKind;
  state: string;
  channel: string | null;
  ts: string | null;
  signalIds: string[];
  urgent: boolean;
  version: number;
  snoozedUntil: Date | null;
  firstTouchAt: Date | null;
};

export async function findMessage(db: Db | Tx, id: string): Promise<MessageRow | null> {
  const rows = await db.$queryRaw<MessageRow[]>`SELECT * FROM "SignalMessage" WHERE id = ${id}`;
  return rows[0] ?? null;
}

/** The rep acted on the message: its state changes, the message is re-rendered, first touch kept. */
export async function setMessageState(
  tx: Tx,
  input: { id: string; state: "working" | "not_mine" | "snoozed"; at: Date; snoozedUntil: Date | null },
): Promise<void> {
  await tx.$executeRaw`
    UPDATE "SignalMessage" SET state = ${input.state}, "snoozedUntil" = ${input.snoozedUntil},
           "firstTouchAt" = coalesce("firstTouchAt", ${input.at}),
           version = version + 1, pending = true,
           "dueAt" = CASE WHEN ${input.state} = 'snoozed' THEN ${input.snoozedUntil}::timestamp ELSE ${input.at}::timestamp END
    WHERE id = ${input.id}`;
}

/** A snoozed message whose time has come is posted again as new (a fresh DM notifies; an edit would not). */
export async function wakeSnoozed(db: Db, now: Date): Promise<number> {
  return db.$executeRaw`
    UPDATE "SignalMessage" SET state = 'new', "snoozedUntil" = NULL, version = version + 1, pending = true, "dueAt" = ${now},
           channel = NULL, ts = NULL, "deliveredVersion" = 0
    WHERE state = 'snoozed' AND "snoozedUntil" <= ${now}`;
}

export type QueueItem = {
  messageId: string;
  accountId: string;
  accountName: string;
  kind: MessageKind;
  state: string;
  signalTypes: string[];
  lastSignalAt: Date;
};

/** A rep's signal queue for App Home: messages not yet worked or dismissed, newest first. */
export async function signalQueue(db: Db | Tx, repId: string, since: Date, limit = 10): Promise<QueueItem[]> {
  return db.$queryRaw<QueueItem[]>`
    SELECT m.id AS "messageId", m."accountId", a.name AS "accountName", m.kind, m.state,
           (SELECT array_agg(DISTINCT s.type) FROM "Signal" s WHERE s.id = ANY(m."signalIds")) AS "signalTypes",
           (SELECT max(s."occurredAt") FROM "Signal" s WHERE s.id = ANY(m."signalIds")) AS "lastSignalAt"
    FROM "SignalMessage" m JOIN "Account" a ON a.id = m."accountId"
    WHERE m."repId" = ${repId} AND m.state IN ('new', 'snoozed') AND m.kind <> 'fyi' AND m."createdAt" >= ${since}
    ORDER BY m."createdAt" DESC LIMIT ${limit}`;
}

export type SignalStats = {
  routed: number;
  touched: number;
  medianMinutesToFirstTouch: number | null;
  notMine: number;
};

/** A team's signal figures since a date: routed, worked, median time to first touch, "not mine". */
export async function signalStats(db: Db | Tx, repIds: string[], since: Date): Promise<SignalStats> {
  const rows = await db.$queryRaw<
    { routed: number; touched: number; median: number | null; notMine: number }[]
  >`
    SELECT
      (SELECT count(*)::int FROM "Signal" s WHERE s."routedRepId" = ANY(${repIds}::text[]) AND s."routedAt" >= ${since}) AS routed,
      count(m."firstTouchAt")::int AS touched,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM m."firstTouchAt" - m."createdAt") / 60))::float AS median,
      count(*) FILTER (WHERE m.state = 'not_mine')::int AS "notMine"
    FROM "SignalMessage" m
    WHERE m."repId" = ANY(${repIds}::text[]) AND m.kind <> 'fyi' AND m."createdAt" >= ${since}`;
  const r = rows[0];
  return {
    routed: r?.routed ?? 0,
    touched: r?.touched ?? 0,
    medianMinutesToFirstTouch: r?.median ?? null,
    notMine: r?.notMine ?? 0,
  };
}

export async function queuedSignals(db: Db | Tx, limit = 50) {
  return db.$queryRaw<StoredSignal[]>`
    SELECT * FROM "Signal" WHERE status = 'queued' ORDER BY "receivedAt" DESC LIMIT ${limit}`;
}
