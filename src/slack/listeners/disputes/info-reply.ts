// message.im: the claimant's reply in the thread where the arbiter's question was asked becomes a
// note on the dispute and is shown to the arbiter (in the card's thread, and on the card itself).
import { z } from "zod";
import { NOT_A_DISPUTE_THREAD } from "../../../services/disputes/request-info.ts";
import { requestLogger } from "../../request-log.ts";
import { replyForArbiter } from "../../views/disputes/messages.ts";
import type { EventArgs, Handler } from "../table.ts";
import { cardUpdate, dmMessage, type OutgoingMessage, outboxOf, post, send } from "./send.ts";

const ZThreadReply = z.object({
  channel_type: z.literal("im"),
  user: z.string(),
  text: z.string().default(""),
  ts: z.string(),
  thread_ts: z.string(),
  channel: z.string(),
});

export const infoReply: Handler<EventArgs<"message">> = async ({ event, body, client }, deps) => {
  const e = event as unknown as Record<string, unknown>;
  // Edits, joins and the bot's own messages carry a subtype or bot_id; only a person's reply counts.
  if (e.subtype !== undefined || e.bot_id !== undefined) return;
  const reply = ZThreadReply.safeParse(event);
  if (!reply.success || reply.data.thread_ts === reply.data.ts) return;
  const log = requestLogger(deps.logger, body, "event:message.im");
  const { user, channel, thread_ts: threadTs, ts, text } = reply.data;
  const result = await deps.services.disputes.recordInfoReply({
    slackUserId: user,
    channel,
    threadTs,
    ts,
    text,
  });
  if (!result.ok) {
    const error = result.error;
    if (error.code === NOT_A_DISPUTE_THREAD.error.code) return;
    log.info({ code: error.code }, "info reply refused");
    await post(client, channel, { text: error.userMessage, blocks: [] }, threadTs).catch(() => undefined);
    return;
  }
  const details = await deps.services.disputes.details(result.value.disputeId);
  if (!details) return;
  const message = replyForArbiter(details, text);
  const messages: OutgoingMessage[] = [];
  for (const arbiter of [details.arbiter, details.dispute.status === "escalated" ? details.backup : null]) {
    if (!arbiter?.slackUserId) continue;
    const inCardThread =
      arbiter.id === details.arbiter.id ? (details.dispute.arbiterCardTs ?? undefined) : undefined;
    messages.push(
      dmMessage(arbiter.slackUserId, message, "dispute.info_reply", details.dispute.id, inCardThread),
    );
  }
  messages.push(cardUpdate(details, details.asOf));
  await send(outboxOf(deps.services, client, log), messages);
  log.info({ disputeId: details.dispute.id }, "info reply added to the dispute");
};
