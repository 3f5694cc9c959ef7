// Sends a hygiene DM to one rep; reps without a Slack id are skipped (RevOps sees the audit events).
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Message } from "../slack/views/rebalance/announcement.ts";

export async function dmRep(
  client: WebClient,
  slackUserId: string | null,
  message: Message,
  log: Logger,
): Promise<boolean> {
  if (!slackUserId) return false;
  try {
    const opened = await client.conversations.open({ users: slackUserId });
    const channel = opened.channel?.id;
    if (!channel) return false;
    await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
    return true;
  } catch (error) {
    log.error({ err: error, slackUserId }, "hygiene DM failed");
    return false;
  }
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
