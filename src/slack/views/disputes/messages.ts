// Every dispute message other than the arbiter's card: confirmations, reminders, escalation,
// decision DMs, channel-exception sign-off, the claimant's question thread, and rule answers.

import {
  type DecisionMessage,
  DISPUTE_CATEGORY_LABELS,
  timeLeftUntil,
} from "../../../domain/disputes/index.ts";
import type { DisputeDetails } from "../../../services/disputes/dispute-details.ts";
import { shortRef } from "../../../services/disputes/file-dispute.ts";
import type { StoredDispute } from "../../../services/disputes/index.ts";
import type { RuleAnswer } from "../../../services/disputes/rule-answer.ts";
import { actions, type Block, button, context, mention, section } from "../blocks.ts";
import { clip, escapeMrkdwn, LIMITS } from "../limits.ts";
import { arbiterCard, type Message } from "./card.ts";
import { DISPUTE_ACTION } from "./ids.ts";
import { formatInZone, slackDue } from "./time.ts";

const msg = (text: string, extra: Block[] = []): Message => ({
  text: clip(text.replace(/\*/g, ""), LIMITS.fallbackText),
  blocks: [section(text), ...extra].slice(0, LIMITS.messageBlocks),
});

/** To the claimant and the current owner right after filing, the due time in the reader's zone. */
export function filedConfirmation(d: DisputeDetails, forClaimant: boolean, timeZone: string | null): Message {
  const due = formatInZone(d.dispute.dueAt, timeZone);
  const account = escapeMrkdwn(d.account.name);
  const text = forClaimant
    ? `Your dispute on *${account}* is filed (${shortRef(d.dispute.id)}). ${mention(d.arbiter)} decides by *${due}*; you'll hear the decision here.`
    : `${mention(d.claimant)} disputes your ownership of *${account}* (${DISPUTE_CATEGORY_LABELS[d.dispute.category]}). ${mention(d.arbiter)} decides by *${due}*; nothing changes until then.`;
  const withdraw = forClaimant
    ? [
        actions(
          [button("Withdraw dispute", DISPUTE_ACTION.withdraw, d.dispute.id, "danger")],
          "dispute_withdraw",
        ),
      ]
    : [];
  return msg(text, [context(`Reason: ${escapeMrkdwn(clip(d.dispute.reason, 1500))}`), ...withdraw]);
}

export function reminder(d: DisputeDetails, now: Date, kind: "reminder_24h" | "reminder_4h"): Message {
  const left = timeLeftUntil(d.dispute.dueAt, now);
  const urgency = kind === "reminder_4h" ? "⏰ Last call" : "Reminder";
  return msg(
    `${urgency}: the dispute on *${escapeMrkdwn(d.account.name)}* (${shortRef(d.dispute.id)}) is due ${slackDue(d.dispute.dueAt)} — ${left}. Decide from the card above, or ask the claimant for info.`,
  );
}

/** Posted to the backup arbiter and the escalation channel; carries the card so the backup can act. */
export function escalationMessage(d: DisputeDetails, now: Date): Message {
  const card = arbiterCard(d, now);
  const lead = section(
    `⚠️ *Escalated:* ${mention(d.arbiter)} did not decide the dispute on *${escapeMrkdwn(d.account.name)}* within 48 hours.${d.backup ? ` ${mention(d.backup)}, as backup arbiter you can decide it now.` : ""}`,
  );
  return {
    text: `Escalated: the dispute on ${d.account.name} passed its 48-hour deadline.`,
    blocks: [lead, ...card.blocks].slice(0, LIMITS.messageBlocks),
  };
}

export function escalatedToReps(d: DisputeDetails): Message {
  return msg(
    `The dispute on *${escapeMrkdwn(d.account.name)}* passed its 48-hour deadline and has been escalated${d.backup ? ` to ${mention(d.backup)}` : " to RevOps"}. You'll hear the decision here.`,
  );
}

export function decisionDm(m: DecisionMessage): Message {
  return {
    text: clip(m.text, LIMITS.fallbackText),
    blocks: [section(escapeMrkdwn(m.text).replace(/^&gt; /gm, "> "))],
  };
}

export function awaitingSignOffDm(d: DisputeDetails): Message {
  return msg(
    `${mention(d.decidedBy)} decided the dispute on *${escapeMrkdwn(d.account.name)}* for the reseller side. It is a channel exception, so it takes effect only if a manager signs it off by ${d.dispute.signOffDueAt ? slackDue(d.dispute.signOffDueAt) : "the deadline"}; until then ${mention(d.currentOwner)} stays rep of record.`,
    d.dispute.decisionText ? [section(`> ${escapeMrkdwn(clip(d.dispute.decisionText, 2500))}`)] : [],
  );
}

export function signOffRequest(
  d: DisputeDetails,
  now: Date,
  kind: "request" | "sign_off_reminder_24h" | "sign_off_reminder_4h",
): Message {
  const due = d.dispute.signOffDueAt ?? now;
  const lead =
    kind === "request"
      ? "Sign-off needed"
      : kind === "sign_off_reminder_4h"
        ? "⏰ Last call for sign-off"
        : "Reminder: sign-off needed";
  return {
    text: `${lead}: channel exception on ${d.account.name} to ${d.proposedOwner.name}.`,
    blocks: [
      section(
        `*${lead}:* ${mention(d.decidedBy)} decided that *${escapeMrkdwn(d.account.name)}* goes to ${mention(d.proposedOwner)} despite the reseller-channel rule. It applies only with a manager's sign-off by ${slackDue(due)} (${timeLeftUntil(due, now)}).`,
      ),
      ...(d.dispute.decisionText ? [section(`> ${escapeMrkdwn(clip(d.dispute.decisionText, 2500))}`)] : []),
      actions([button("Sign off the exception", DISPUTE_ACTION.signOff, d.dispute.id, "primary")]),
    ],
  };
}

export function signOffExpiredDm(d: DisputeDetails): Message {
  return msg(
    `No manager signed off the channel exception on *${escapeMrkdwn(d.account.name)}* within 48 hours, so the reseller-channel rule stands: ${mention(d.currentOwner)} stays rep of record.`,
  );
}

export function questionDm(d: DisputeDetails, question: string): Message {
  return msg(
    `${mention(d.arbiter)} asks about your dispute on *${escapeMrkdwn(d.account.name)}*:\n> ${escapeMrkdwn(clip(question, 2000))}\n*Reply in this thread*; your answer goes straight onto the dispute. The 48-hour clock keeps running.`,
  );
}

export function replyForArbiter(d: DisputeDetails, text: string): Message {
  return msg(
    `${mention(d.claimant)} answered on *${escapeMrkdwn(d.account.name)}*:\n> ${escapeMrkdwn(clip(text, 2500))}`,
  );
}

export function ruleAnswerMessage(
  account: { name: string },
  answer: RuleAnswer,
  owner: { name: string; slackUserId: string | null } | null,
): Message {
  const who = mention(owner);
  const applied = answer.applied ? " Turf has recorded the change." : "";
  return msg(
    `No dispute needed: a written rule already decides *${escapeMrkdwn(account.name)}*. It belongs to ${who}.${applied}`,
    [
      section(`*The rule:* ${escapeMrkdwn(clip(answer.ruleText, 2500))}`),
      context(
        `${answer.ruleKind} rule${answer.fromDisputeId ? ` written from dispute ${shortRef(answer.fromDisputeId)}` : ""}. To change it, talk to RevOps.`,
      ),
    ],
  );
}

export function duplicateMessage(account: { name: string }, existing: StoredDispute, now: Date): Message {
  return msg(
    `You already have an open dispute on *${escapeMrkdwn(account.name)}*: ${shortRef(existing.id)}, filed ${slackDue(existing.openedAt)}, due ${slackDue(existing.dueAt)} (${timeLeftUntil(existing.dueAt, now)}). The arbiter has it; \`/owner disputes\` shows where it stands.`,
  );
}

export function refusal(userMessage: string): Message {
  return msg(escapeMrkdwn(userMessage));
}
