// The outbox as use cases: write messages (inside a caller's transaction when it has one), deliver
// them through a SlackTransport, and the admin's view (list, retry, how many are dead).
//
// `Notifier` is the one interface jobs and services use to send anything to Slack; main.ts builds
// it with the Slack transport and hands it in, so nothing below src/slack imports the Web API.
import type { Logger } from "pino";
import type { Clock } from "../../config/clock.ts";
import { recordAudit } from "../../db/audit.ts";
import type { Db, Tx } from "../../db/client.ts";
import { setArbiterCard } from "../../db/disputes.ts";
import {
  countOutbox,
  insertOutbox,
  listOutbox,
  type OutboxRow,
  type OutgoingMessage,
  retryDeadOutbox,
} from "../../db/outbox.ts";
import { SIGNAL_DM, setMessagePlace } from "../../db/signals.ts";
import { setQuestionTs } from "../disputes/request-info.ts";
import { createOutboxSender, type OutboxReport, type OutboxSender, type SentEffect } from "./sender.ts";
import type { SlackTransport } from "./transport.ts";

export type { OutgoingMessage } from "../../db/outbox.ts";
export type { OutboxReport } from "./sender.ts";

export type Notifier = {
  /** Writes messages to the outbox in `tx` (the transaction that decided to send them), else on its own. */
  enqueue(messages: readonly OutgoingMessage[], tx?: Tx): Promise<string[]>;
  /** Delivers these rows now; whatever fails stays queued for the outbox job's next pass. */
  deliver(ids: readonly string[]): Promise<OutboxReport>;
  /** Delivers every due row until none is left or the deadline passes (the outbox job). */
  deliverDue(options?: { deadline?: Date }): Promise<OutboxReport>;
};

/** Once a message of this purpose is in Slack, what else changes (idempotent). */
function sentEffects(db: Db, clock: Clock): Record<string, SentEffect> {
  return {
    // Later card updates, the info-request thread and the reply listener find the card here; the
    // audit trail records where it went, once.
    "dispute.card": async (row, place) => {
      const disputeId = row.subjectId;
      if (!disputeId) return;
      await db.$transaction(async (tx) => {
        const first = await tx.dispute.count({ where: { id: disputeId, arbiterCardTs: null } });
        await setArbiterCard(tx, disputeId, place.channel, place.ts);
        if (first === 1)
          await recordAudit(tx, {
            actor: "system",
            action: "dispute.card_posted",
            subjectType: "dispute",
            subjectId: disputeId,
            details: { channel: place.channel, ts: place.ts },
            at: clock.now(),
          });
      });
    },
    // The claimant's answer is matched to the question by the question's thread.
    "dispute.question": async (row, place) => {
      if (row.subjectId) await setQuestionTs(db, row.subjectId, place.channel, place.ts);
    },
    // A signal DM's later versions edit it where it landed.
    [SIGNAL_DM]: async (row, place) => {
      if (row.subjectId) await setMessagePlace(db, row.subjectId, place);
    },
  };
}

export function createOutboxServices(db: Db, clock: Clock) {
  const senders = new WeakMap<SlackTransport, OutboxSender>();
  const senderFor = (
    transport: SlackTransport,
    logger: Logger,
    options: { instance?: string; leaseMs?: number } = {},
  ) => {
    let sender = senders.get(transport);
    if (!sender) {
      sender = createOutboxSender({
        db,
        transport,
        clock,
        logger,
        effects: sentEffects(db, clock),
        ...options,
      });
      senders.set(transport, sender);
    }
    return sender;
  };
  return {
    enqueue: (messages: readonly OutgoingMessage[], tx?: Tx) => insertOutbox(tx ?? db, messages, clock.now()),
    /** The Notifier over one transport (main.ts: the app's; a listener: its request's client). */
    notifier(
      transport: SlackTransport,
      logger: Logger,
      options: { instance?: string; leaseMs?: number } = {},
    ): Notifier {
      const sender = senderFor(transport, logger, options);
      return {
        enqueue: (messages, tx) => insertOutbox(tx ?? db, messages, clock.now()),
        deliver: (ids) => sender.deliver(ids),
        deliverDue: (o) => sender.deliverDue(o),
      };
    },
    list: (options: { status?: OutboxRow["status"]; limit: number }) => listOutbox(db, options),
    retryDead: (ids?: readonly string[]) => retryDeadOutbox(db, clock.now(), ids),
    deadCount: () => countOutbox(db, "dead"),
  };
}

export type OutboxServices = ReturnType<typeof createOutboxServices>;
