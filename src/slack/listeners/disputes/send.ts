// Sending dispute messages through Slack's Web API: DMs (conversations.open + chat.postMessage),
// the arbiter card and its in-place update, and each notice the sweep delivers. Shared by the
// listeners and src/jobs/dispute-sweep.ts; no business rules here.
import type { WebClient } from "@slack/web-api";
import type { DecisionMessage } from "../../../domain/disputes/index.ts";
import type { DisputeDetails } from "../../../services/disputes/dispute-details.ts";
import type { DisputeServices } from "../../../services/disputes/index.ts";
import type { NoticeStep } from "../../../services/disputes/notices.ts";
import type { RepRef } from "../../../services/disputes/reps.ts";
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

/** After filing: the card to the arbiter (its place stored for later updates), confirmations to both reps. */
export async function announceFiling(
  client: WebClient,
  services: DisputeServices,
  details: DisputeDetails,
  now: Date,
): Promise<void> {
  if (details.arbiter.slackUserId) {
    const card = await dm(client, details.arbiter.slackUserId, arbiterCard(details, now));
    await services.setArbiterCard(details.dispute.id, card.channel, card.ts);
    await services.auditStep(details.dispute.id, "dispute.card_posted", {
      channel: card.channel,
      ts: card.ts,
    });
  }
  for (const rep of reachable([details.claimant, details.currentOwner, details.proposedOwner])) {
    const slackUserId = rep.slackUserId as string;
    const tz = await timeZoneOf(client, slackUserId);
    await dm(client, slackUserId, filedConfirmation(details, rep.id === details.claimant.id, tz));
  }
}

export async function updateCard(client: WebClient, details: DisputeDetails, now: Date): Promise<void> {
  const { arbiterCardChannel: channel, arbiterCardTs: ts } = details.dispute;
  if (!channel || !ts) return;
  const card = arbiterCard(details, now);
  await client.chat.update({ channel, ts, text: card.text, blocks: card.blocks });
}

/** The decision's DMs: each rep gets the arbiter's words, addressed to them (planDecision). */
export async function announceDecision(
  client: WebClient,
  details: DisputeDetails,
  messages: DecisionMessage[],
  options: { awaitingSignOff: boolean; managers?: RepRef[]; now: Date },
): Promise<void> {
  const reps = new Map(
    [details.claimant, details.currentOwner, details.proposedOwner]
      .filter((r): r is RepRef => r !== null)
      .map((r) => [r.id, r]),
  );
  if (options.awaitingSignOff) {
    for (const rep of reachable([...reps.values()]))
      await dm(client, rep.slackUserId as string, awaitingSignOffDm(details));
    for (const manager of reachable(options.managers ?? [])) {
      await dm(client, manager.slackUserId as string, signOffRequest(details, options.now, "request"));
    }
    return;
  }
  for (const m of messages) {
    const slackUserId = reps.get(m.to)?.slackUserId;
    if (slackUserId) await dm(client, slackUserId, decisionDm(m));
  }
}

/** Delivers one notice the sweep decided to send. Throws on a Slack failure so the claim is released. */
export async function deliverNotice(
  client: WebClient,
  step: Extract<NoticeStep, { action: "send" }>,
  options: { now: Date; escalationChannel?: string | undefined },
): Promise<void> {
  const d = step.details;
  const { now } = options;
  switch (step.kind) {
    case "reminder_24h":
    case "reminder_4h": {
      if (!d.arbiter.slackUserId) return;
      await dm(client, d.arbiter.slackUserId, reminder(d, now, step.kind));
      return;
    }
    case "escalation": {
      if (d.backup?.slackUserId) await dm(client, d.backup.slackUserId, escalationMessage(d, now));
      if (options.escalationChannel) await post(client, options.escalationChannel, escalationMessage(d, now));
      for (const rep of reachable([d.claimant, d.currentOwner, d.proposedOwner])) {
        await dm(client, rep.slackUserId as string, escalatedToReps(d));
      }
      await updateCard(client, d, now);
      return;
    }
    case "sign_off_reminder_24h":
    case "sign_off_reminder_4h": {
      for (const manager of reachable(step.managers)) {
        await dm(client, manager.slackUserId as string, signOffRequest(d, now, step.kind));
      }
      return;
    }
    case "sign_off_expiry": {
      for (const rep of reachable([d.claimant, d.currentOwner, d.proposedOwner])) {
        await dm(client, rep.slackUserId as string, signOffExpiredDm(d));
      }
      await updateCard(client, d, now);
      return;
    }
  }
}
