// "@Turf who owns acme.com?" in a channel: the answer goes in a thread under the question.
import { userMessageOf } from "../../../domain/app-error.ts";
import { queryFromMention } from "../../parse/owner-command.ts";
import { ZAppMention } from "../../parse/payloads.ts";
import { answerForLookup } from "../../present/answer-for-lookup.ts";
import { requestLogger } from "../../request-log.ts";
import { ownerHelp } from "../../views/help.ts";
import type { EventArgs, Handler } from "../table.ts";

export const appMention: Handler<EventArgs<"app_mention">> = async ({ event, client, body }, deps) => {
  const log = requestLogger(deps.logger, body, "event:app_mention");
  const mention = ZAppMention.safeParse(event);
  if (!mention.success) {
    log.warn("app_mention payload rejected");
    return;
  }
  const { channel, ts, thread_ts: threadTs, text, user } = mention.data;
  const query = queryFromMention(text);
  try {
    const message = query ? await answerForLookup(deps.services, query, user) : ownerHelp();
    // Buttons in a channel thread would let anyone dispute on the asker's behalf; the thread gets the answer only.
    const blocks = message.blocks.filter((b) => b.type !== "actions");
    await client.chat.postMessage({
      channel,
      thread_ts: threadTs ?? ts,
      text: message.text,
      blocks: blocks,
    });
  } catch (error) {
    log.error({ err: error }, "answering a mention failed");
    await client.chat.postMessage({ channel, thread_ts: threadTs ?? ts, text: userMessageOf(error) });
  }
};
