// Hygiene DMs go through the outbox like every other message; reps without a Slack id are skipped
// (RevOps sees the audit events).
import type { OutgoingMessage } from "../services/outbox/index.ts";
import type { Message } from "../slack/views/rebalance/announcement.ts";

export function repDm(
  slackUserId: string | null,
  message: Message,
  purpose: string,
  subjectId: string,
): OutgoingMessage[] {
  if (!slackUserId) return [];
  return [
    {
      kind: "dm",
      channel: slackUserId,
      text: message.text,
      blocks: message.blocks as unknown[],
      purpose,
      subjectId,
    },
  ];
}

/**
 * Whole-book sweeps need not run every tick: what is due is in the database, so looking once an
 * hour loses nothing. Per process; a second instance looks too and finds nothing left to do.
 */
export function hourly(): (now: Date) => boolean {
  let last = Number.NEGATIVE_INFINITY;
  return (now) => {
    if (now.getTime() - last < 3_600_000) return false;
    last = now.getTime();
    return true;
  };
}
