// Delivers queued signal DMs: claimed in batches with a lease (several instances never send one
// twice), the rep's night respected unless the signal is urgent, retried with backoff, dead after a
// few attempts. A later signal in the window updates the same Slack message in place.
import type { Db } from "../../db/client.ts";
import {
  claimDueMessages,
  deferMessage,
  markMessageDelivered,
  markMessageFailed,
  wakeSnoozed,
} from "../../db/signals.ts";
import { deliverableAt } from "../../domain/signals/index.ts";
import type { SignalSettings } from "./settings.ts";
import { loadSignalMessage, type SignalMessageModel } from "./signal-message.ts";

/** The Slack side of delivery, handed in from main.ts (a WebClient with timeouts). */
export type SignalSender = {
  /** The rep's time zone from their Slack profile (null when unknown: delivered at once). */
  timeZoneOf(slackUserId: string): Promise<string | null>;
  /** Posts a new DM; returns where it landed. */
  post(slackUserId: string, model: SignalMessageModel): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, model: SignalMessageModel): Promise<void>;
};

export type DeliveryReport = { delivered: number; deferred: number; failed: number };

const LEASE_MS = 2 * 60_000;
const MAX_ATTEMPTS = 6;

export async function deliverSignalMessages(
  db: Db,
  sender: SignalSender,
  input: { now: Date; claimer: string; settings: SignalSettings; batch?: number },
): Promise<DeliveryReport> {
  await wakeSnoozed(db, input.now);
  const report: DeliveryReport = { delivered: 0, deferred: 0, failed: 0 };
  const claimed = await claimDueMessages(db, {
    now: input.now,
    leaseExpiredBefore: new Date(input.now.getTime() - LEASE_MS),
    claimer: input.claimer,
    limit: input.batch ?? 50,
  });
  for (const message of claimed) {
    try {
      if (!message.slackUserId) throw new Error("rep has no Slack user id yet");
      if (!message.urgent && !message.ts) {
        const zone = await sender.timeZoneOf(message.slackUserId);
        const when = zone ? deliverableAt(input.now, zone, input.settings.quietHours) : input.now;
        if (when.getTime() > input.now.getTime()) {
          await deferMessage(db, { id: message.id, claimer: input.claimer, until: when });
          report.deferred++;
          continue;
        }
      }
      const model = await loadSignalMessage(db, message.id);
      if (!model) throw new Error("message or account no longer exists");
      let where = message.channel && message.ts ? { channel: message.channel, ts: message.ts } : null;
      if (where) await sender.update(where.channel, where.ts, model);
      else where = await sender.post(message.slackUserId, model);
      await markMessageDelivered(db, {
        id: message.id,
        version: message.version,
        ...where,
        claimer: input.claimer,
      });
      report.delivered++;
    } catch (error) {
      const backoffMinutes = 2 ** Math.min(message.attempts, 6);
      await markMessageFailed(db, {
        id: message.id,
        claimer: input.claimer,
        error: (error as Error).message,
        retryAt: new Date(input.now.getTime() + backoffMinutes * 60_000),
        maxAttempts: MAX_ATTEMPTS,
        now: input.now,
      });
      report.failed++;
    }
  }
  return report;
}
