// Delivers outbox rows. Rows are claimed in batches with a lease; each is sent with a few in flight
// at once (one hung call never holds the others back; every call has its own timeout in the
// transport); the batch is settled in one statement: sent, retried later with backoff, or dead.
//
// Never twice: a row that comes back after its lease ran out, or after an attempt that ended with
// no answer (timeout, 5xx), may already be in Slack. Before posting it again the sender looks for a
// message carrying the row's id in its metadata in that conversation's history since the row was
// written, and if it finds one, records it as sent instead of posting.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Clock } from "../../config/clock.ts";
import type { Db } from "../../db/client.ts";
import {
  type ClaimedOutboxRow,
  claimOutbox,
  type Settlement,
  sentPlace,
  settleOutbox,
} from "../../db/outbox.ts";
import { type Place, type SlackTransport, TransportError } from "./transport.ts";

export const OUTBOX_LEASE_MS = 5 * 60_000;
export const OUTBOX_MAX_ATTEMPTS = 8;
const BATCH = 100;
const CONCURRENCY = 8;
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 30 * 60_000;

export const OUTBOX_INSTANCE = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** Runs after a message of this purpose is in Slack (idempotent: it may run again after a crash). */
export type SentEffect = (row: ClaimedOutboxRow, place: Place) => Promise<void>;

export type OutboxSenderOptions = {
  db: Db;
  transport: SlackTransport;
  clock: Clock;
  logger: Logger;
  instance?: string;
  leaseMs?: number;
  maxAttempts?: number;
  batch?: number;
  concurrency?: number;
  effects?: Record<string, SentEffect>;
};

export type OutboxReport = { claimed: number; sent: number; found: number; retried: number; dead: number };

/** Backoff before attempt n+1 after n failed attempts: 30 s, 1 min, 2 min, … capped at 30 min. */
export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

export type OutboxSender = {
  /** Delivers every due row (batch after batch) until none is left or `deadline` passes. */
  deliverDue(options?: { deadline?: Date }): Promise<OutboxReport>;
  /** Delivers the given rows now (a listener's just-written messages); rows already claimed are left alone. */
  deliver(ids: readonly string[]): Promise<OutboxReport>;
};

export function createOutboxSender(options: OutboxSenderOptions): OutboxSender {
  const { db, transport, clock, logger } = options;
  const instance = options.instance ?? OUTBOX_INSTANCE;
  const leaseMs = options.leaseMs ?? OUTBOX_LEASE_MS;
  const maxAttempts = options.maxAttempts ?? OUTBOX_MAX_ATTEMPTS;
  const batch = options.batch ?? BATCH;
  const concurrency = options.concurrency ?? CONCURRENCY;
  const effects = options.effects ?? {};

  /** Where an update goes: given, or (for the arbiter card) wherever its card post landed. */
  async function updateTarget(row: ClaimedOutboxRow): Promise<Place | "wait" | "none"> {
    if (row.channel && row.ts) return { channel: row.channel, ts: row.ts };
    if (!row.subjectId) return "none";
    const target = await sentPlace(db, row.purpose.replace(/\.update$/, ""), row.subjectId);
    if (!target) return "none";
    if (target.status === "pending") return "wait";
    if (target.status === "sent" && target.channel && target.ts)
      return { channel: target.channel, ts: target.ts };
    return "none";
  }

  async function send(
    row: ClaimedOutboxRow,
    now: Date,
    openDm: (slackUserId: string) => Promise<string>,
    again = false,
  ): Promise<Settlement & { found?: boolean }> {
    try {
      if (row.kind === "update") {
        const target = await updateTarget(row);
        // The message to update is still on its way: come back shortly, without spending an attempt.
        if (target === "wait")
          return {
            id: row.id,
            outcome: "retry",
            error: "waiting for the message it updates",
            retryAt: new Date(now.getTime() + 5_000),
          };
        if (target === "none") return { id: row.id, outcome: "sent", channel: null, ts: null };
        await transport.update({ ...target, text: row.text, blocks: row.blocks });
        await effects[row.purpose]?.(row, target);
        return { id: row.id, outcome: "sent", channel: target.channel, ts: target.ts };
      }
      const channel = row.kind === "dm" ? await openDm(row.channel as string) : (row.channel as string);
      if (row.resumed) {
        const found = await transport.findPosted(channel, row.id, row.createdAt);
        if (found) {
          await effects[row.purpose]?.(row, found);
          return { id: row.id, outcome: "sent", channel: found.channel, ts: found.ts, found: true };
        }
      }
      const place = await transport.post({
        channel,
        text: row.text,
        blocks: row.blocks,
        threadTs: row.threadTs,
        outboxId: row.id,
      });
      await effects[row.purpose]?.(row, place);
      return { id: row.id, outcome: "sent", channel: place.channel, ts: place.ts };
    } catch (error) {
      const failure =
        error instanceof TransportError
          ? error
          : new TransportError((error as Error).message ?? String(error), true, true);
      // Once, at once, for a dropped connection; as a resumed row, so a message that got through is found, not re-sent.
      if (failure.retryNow && !again) return send({ ...row, resumed: true }, now, openDm, true);
      const message = `${failure.uncertain ? "uncertain: " : ""}${failure.message}`;
      logger.warn(
        {
          outboxId: row.id,
          purpose: row.purpose,
          attempts: row.attempts,
          err: failure.message,
          retryable: failure.retryable,
        },
        failure.retryable && row.attempts < maxAttempts
          ? "Slack message not sent; it will be retried"
          : "Slack message not sent; giving up",
      );
      if (!failure.retryable || row.attempts >= maxAttempts)
        return { id: row.id, outcome: "dead", error: message };
      return {
        id: row.id,
        outcome: "retry",
        error: message,
        retryAt: new Date(now.getTime() + Math.max(failure.retryAfterMs ?? 0, backoffMs(row.attempts))),
      };
    }
  }

  async function deliverClaimed(rows: ClaimedOutboxRow[], report: OutboxReport): Promise<void> {
    const now = clock.now();
    const settlements: (Settlement & { found?: boolean })[] = [];
    // A user's DM channel does not change: one conversations.open per user per batch, not per message
    // (a sweep's thousand reminders to one arbiter would otherwise double its Slack calls). A failed
    // open is forgotten, so the next message tries again.
    const dmChannels = new Map<string, Promise<string>>();
    const openDm = (slackUserId: string) => {
      let channel = dmChannels.get(slackUserId);
      if (!channel) {
        channel = transport.openDm(slackUserId);
        dmChannels.set(slackUserId, channel);
        channel.catch(() => dmChannels.delete(slackUserId));
      }
      return channel;
    };
    // Rows that share a conversation go in order (a DM's messages read top to bottom); different
    // conversations go in parallel, so one slow or hung conversation never holds up the others.
    const lanes = new Map<string, ClaimedOutboxRow[]>();
    for (const row of rows) {
      const key = `${row.kind === "update" ? "u" : "m"}:${row.channel ?? row.subjectId ?? row.id}`;
      const lane = lanes.get(key) ?? [];
      lane.push(row);
      lanes.set(key, lane);
    }
    await inParallel([...lanes.values()], concurrency, async (lane) => {
      for (const row of lane) settlements.push(await send(row, now, openDm));
    });
    const settled = await settleOutbox(db, settlements, instance, clock.now());
    for (const s of settlements) {
      if (!settled.has(s.id)) continue;
      if (s.outcome === "sent") {
        report.sent++;
        if (s.found) report.found++;
      } else if (s.outcome === "retry") report.retried++;
      else report.dead++;
    }
  }

  return {
    async deliverDue({ deadline } = {}) {
      const report: OutboxReport = { claimed: 0, sent: 0, found: 0, retried: 0, dead: 0 };
      for (;;) {
        if (deadline && clock.now() >= deadline) break;
        const rows = await claimOutbox(db, { now: clock.now(), instance, leaseMs, limit: batch });
        report.claimed += rows.length;
        if (rows.length > 0) await deliverClaimed(rows, report);
        if (rows.length < batch) break;
      }
      if (report.claimed > 0) logger.info({ ...report, instance }, "outbox delivered");
      return report;
    },
    async deliver(ids) {
      const report: OutboxReport = { claimed: 0, sent: 0, found: 0, retried: 0, dead: 0 };
      if (ids.length === 0) return report;
      const rows = await claimOutbox(db, { now: clock.now(), instance, leaseMs, limit: ids.length, ids });
      report.claimed = rows.length;
      if (rows.length > 0) await deliverClaimed(rows, report);
      return report;
    },
  };
}

async function inParallel<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
