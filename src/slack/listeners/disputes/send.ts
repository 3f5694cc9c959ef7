// Dispute messages: composed here from the pure view builders, written to the outbox, then
// delivered (src/services/outbox). Listeners enqueue and deliver at once, so a healthy Slack sees
// the message within the request; a failing one gets it when it recovers, exactly once. The sweep
// (src/jobs/dispute-sweep.ts) gets `noticeMessages` handed in from main.ts: one outbox row per step.
// `post` and `dm` remain for immediate replies to a person's own action (no outbox needed).
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { DecisionMessage } from "../../../domain/disputes/index.ts";
import type { DisputeDetails } from "../../../services/disputes/dispute-details.ts";
import type { NoticeStep } from "../../../services/disputes/notices.ts";
import type { RepRef } from "../../../services/disputes/reps.ts";
import type { Services } from "../../../services/index.ts";
import type { Notifier, OutgoingMessage } from "../../../services/outbox/index.ts";
import { notifierFor } from "../../outbox-transport.ts";
import { arbiterCard, type Message } from "../../views/disputes/card.ts";
import {
  awaitingSignOffDm,
  decisionDm,
  escalatedToReps,
  escalationMessage,
  filedConfirmation,
  reminder,
  signOffExpiredDm,
  signOffRequest,
} from "../../views/disputes/messages.ts";

export type Posted = { channel: string; ts: string };

export async function dm(
  client: WebClient,
  slackUserId: string,
  message: Message,
  threadTs?: string,
): Promise<Posted> {
  const opened = await client.conversations.open({ users: slackUserId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error(`conversations.open gave no channel for ${slackUserId}`);
  return post(client, channel, message, threadTs);
}

export async function post(
  client: WebClient,
  channel: string,
  message: Message,
  threadTs?: string,
): Promise<Posted> {
  const posted = await client.chat.postMessage({
    channel,
    text: message.text,
    blocks: message.blocks,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return { channel: String(posted.channel ?? channel), ts: String(posted.ts) };
}

/** The reader's IANA zone from users.info; null when Slack cannot say (the message then shows UTC). */
export async function timeZoneOf(client: WebClient, slackUserId: string): Promise<string | null> {
  try {
    const info = await client.users.info({ user: slackUserId });
    return (info.user as { tz?: string } | undefined)?.tz ?? null;
  } catch {
    return null;
  }
}

const reachable = (reps: (RepRef | null)[]): RepRef[] => {
  const seen = new Set<string>();
  return reps.filter((r): r is RepRef => {
    if (!r?.slackUserId || seen.has(r.slackUserId)) return false;
    seen.add(r.slackUserId);
    return true;
  });
};

/** A listener's outbox: its request's client as the transport. */
export function outboxOf(services: Services, client: WebClient, logger: Logger): Notifier {
  return notifierFor(services, client, logger);
}

/** Writes the messages to the outbox and delivers them now; failures stay queued for the outbox job. */
export async function send(outbox: Notifier, messages: OutgoingMessage[]): Promise<void> {
  const ids = await outbox.enqueue(messages);
  await outbox.deliver(ids);
}

const toRep = (
  slackUserId: string,
  m: Message,
  purpose: string,
  subjectId: string,
  threadTs?: string,
): OutgoingMessage => ({
  kind: "dm",
  channel: slackUserId,
  text: m.text,
  blocks: m.blocks as unknown[],
  purpose,
  subjectId,
  threadTs: threadTs ?? null,
});

const toChannel = (channel: string, m: Message, purpose: string, subjectId: string): OutgoingMessage => ({
  kind: "post",
  channel,
  text: m.text,
  blocks: m.blocks as unknown[],
  purpose,
  subjectId,
});

/** The arbiter card, redrawn in place: wherever it is now, or wherever its post lands. */
export function cardUpdate(details: DisputeDetails, now: Date): OutgoingMessage {
  const card = arbiterCard(details, now);
  return {
    kind: "update",
    channel: details.dispute.arbiterCardChannel,
    ts: details.dispute.arbiterCardTs,
    text: card.text,
    blocks: card.blocks as unknown[],
    purpose: "dispute.card.update",
    subjectId: details.dispute.id,
  };
}

/** After filing: the card to the arbiter (its place stored once posted), confirmations to the reps. */
export async function filingMessages(
  client: WebClient,
  details: DisputeDetails,
  now: Date,
): Promise<OutgoingMessage[]> {
  const id = details.dispute.id;
  const messages: OutgoingMessage[] = [];
  if (details.arbiter.slackUserId)
    messages.push(toRep(details.arbiter.slackUserId, arbiterCard(details, now), "dispute.card", id));
  for (const rep of reachable([details.claimant, details.currentOwner, details.proposedOwner])) {
    const slackUserId = rep.slackUserId as string;
    const tz = await timeZoneOf(client, slackUserId);
    messages.push(
      toRep(slackUserId, filedConfirmation(details, rep.id === details.claimant.id, tz), "dispute.filed", id),
    );
  }
  return messages;
}

/** The decision's DMs: each rep gets the arbiter's words, addressed to them (planDecision). */
export function decisionMessages(
  details: DisputeDetails,
  messages: DecisionMessage[],
  options: { awaitingSignOff: boolean; managers?: RepRef[]; now: Date },
): OutgoingMessage[] {
  const id = details.dispute.id;
  const reps = new Map(
    [details.claimant, details.currentOwner, details.proposedOwner]
      .filter((r): r is RepRef => r !== null)
      .map((r) => [r.id, r]),
  );
  if (options.awaitingSignOff) {
    return [
      ...reachable([...reps.values()]).map((rep) =>
        toRep(rep.slackUserId as string, awaitingSignOffDm(details), "dispute.awaiting_sign_off", id),
      ),
      ...reachable(options.managers ?? []).map((manager) =>
        toRep(
          manager.slackUserId as string,
          signOffRequest(details, options.now, "request"),
          "dispute.sign_off_request",
          id,
        ),
      ),
    ];
  }
  return messages.flatMap((m) => {
    const slackUserId = reps.get(m.to)?.slackUserId;
    return slackUserId ? [toRep(slackUserId, decisionDm(m), "dispute.decision", id)] : [];
  });
}

/**
 * The messages of one notice the sweep decided to send, one outbox row per step: an escalation
 * whose card update fails never sends its channel post or DMs again.
 */
export function noticeMessages(
  step: Extract<NoticeStep, { action: "send" }>,
  options: { now: Date; escalationChannel?: string | undefined },
): OutgoingMessage[] {
  const d = step.details;
  const { now } = options;
  const id = d.dispute.id;
  switch (step.kind) {
    case "reminder_24h":
    case "reminder_4h":
      return d.arbiter.slackUserId
        ? [toRep(d.arbiter.slackUserId, reminder(d, now, step.kind), `dispute.${step.kind}`, id)]
        : [];
    case "escalation":
      return [
        ...(d.backup?.slackUserId
          ? [toRep(d.backup.slackUserId, escalationMessage(d, now), "dispute.escalation.backup", id)]
          : []),
        ...(options.escalationChannel
          ? [
              toChannel(
                options.escalationChannel,
                escalationMessage(d, now),
                "dispute.escalation.channel",
                id,
              ),
            ]
          : []),
        ...reachable([d.claimant, d.currentOwner, d.proposedOwner]).map((rep) =>
          toRep(rep.slackUserId as string, escalatedToReps(d), "dispute.escalation.rep", id),
        ),
        cardUpdate(d, now),
      ];
    case "sign_off_reminder_24h":
    case "sign_off_reminder_4h": {
      const kind = step.kind;
      return reachable(step.managers).map((manager) =>
        toRep(manager.slackUserId as string, signOffRequest(d, now, kind), `dispute.${kind}`, id),
      );
    }
    case "sign_off_expiry":
      return [
        ...reachable([d.claimant, d.currentOwner, d.proposedOwner]).map((rep) =>
          toRep(rep.slackUserId as string, signOffExpiredDm(d), "dispute.sign_off_expired", id),
        ),
        cardUpdate(d, now),
      ];
  }
}

export type { OutgoingMessage };
export { toRep as dmMessage };
