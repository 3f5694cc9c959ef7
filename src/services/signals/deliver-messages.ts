// Hands due signal DMs to the outbox. A SignalMessage row is the DM's state: the signals of its
// window, the rep's clicks, and a version bumped by each change. This job decides when a version
// goes out (the rep's night is respected unless the signal is urgent) and what it looks like; the
// outbox sends it like every other message: retried with backoff, dead after its last attempt
// (`turf outbox`), and never posted twice (a post that may have landed is looked up in Slack first).
//
// The first version is a new DM; later versions edit it in place. An edit written while the first
// post is still on its way waits for it (the outbox finds the post's place by purpose and subject).
import type { Db } from "../../db/client.ts";
import {
  claimDueMessages,
  deferMessage,
  markMessageFailed,
  markMessageQueued,
  SIGNAL_DM,
  SIGNAL_DM_UPDATE,
  wakeSnoozed,
} from "../../db/signals.ts";
import { deliverableAt } from "../../domain/signals/index.ts";
import type { Notifier, OutgoingMessage } from "../outbox/index.ts";
import type { SignalSettings } from "./settings.ts";
import { loadSignalMessage, type SignalMessageModel } from "./signal-message.ts";

/** What delivery needs from Slack, handed in from main.ts: the rep's zone and the rendered DM. */
export type SignalSlack = {
  /** The rep's time zone from their Slack profile (null when unknown: delivered at once). */
  timeZoneOf(slackUserId: string): Promise<string | null>;
  /** The DM for this model (the Slack layer's view). */
  compose(model: SignalMessageModel): { text: string; blocks: unknown[] };
};

export type DeliveryReport = {
  /** Versions written to the outbox. */
  queued: number;
  /** Of those, in Slack now; the rest stay in the outbox for its job to retry. */
  delivered: number;
  /** Held for the rep's morning. */
  deferred: number;
  /** Could not be queued (no Slack user for the rep yet, or the account is gone); retried later. */
  failed: number;
};

const LEASE_MS = 2 * 60_000;
const MAX_ATTEMPTS = 6;

export async function deliverSignalMessages(
  db: Db,
  slack: SignalSlack & { notifier: Notifier },
  input: { now: Date; claimer: string; settings: SignalSettings; batch?: number },
): Promise<DeliveryReport> {
  await wakeSnoozed(db, input.now);
  const report: DeliveryReport = { queued: 0, delivered: 0, deferred: 0, failed: 0 };
  const claimed = await claimDueMessages(db, {
    now: input.now,
    leaseExpiredBefore: new Date(input.now.getTime() - LEASE_MS),
    claimer: input.claimer,
    limit: input.batch ?? 50,
  });
  const outboxIds: string[] = [];
  for (const message of claimed) {
    try {
      if (!message.slackUserId) throw new Error("rep has no Slack user id yet");
      if (!message.urgent && message.deliveredVersion === 0) {
        const zone = await slack.timeZoneOf(message.slackUserId);
        const when = zone ? deliverableAt(input.now, zone, input.settings.quietHours) : input.now;
        if (when.getTime() > input.now.getTime()) {
          await deferMessage(db, { id: message.id, claimer: input.claimer, until: when });
          report.deferred++;
          continue;
        }
      }
      const model = await loadSignalMessage(db, message.id);
      if (!model) throw new Error("message or account no longer exists");
      const view = slack.compose(model);
      const outgoing: OutgoingMessage =
        message.deliveredVersion === 0
          ? { kind: "dm", channel: message.slackUserId, purpose: SIGNAL_DM, subjectId: message.id, ...view }
          : {
              // Where the DM landed, or (still on its way) looked up when the edit is sent.
              kind: "update",
              channel: message.channel,
              ts: message.ts,
              purpose: SIGNAL_DM_UPDATE,
              subjectId: message.id,
              ...view,
            };
      const ids = await db.$transaction(async (tx) => {
        const written = await slack.notifier.enqueue([outgoing], tx);
        // A claim lost to another instance (lease run out) rolls the message back out of the outbox.
        if (
          !(await markMessageQueued(tx, { id: message.id, version: message.version, claimer: input.claimer }))
        )
          throw new Error("claim lost to another instance");
        return written;
      });
      outboxIds.push(...ids);
      report.queued++;
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
  if (outboxIds.length > 0) report.delivered = (await slack.notifier.deliver(outboxIds)).sent;
  return report;
}
