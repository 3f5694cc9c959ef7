// /owner: ack at once, then answer ephemerally through the response_url.

import { userMessageOf } from "../../../domain/app-error.ts";
import { parseOwnerCommand } from "../../parse/owner-command.ts";
import { ZSlashCommand } from "../../parse/payloads.ts";
import { answerForLookup, whyForLookup } from "../../present/answer-for-lookup.ts";
import { disputeCommand, disputesCommand } from "../../present/dispute-commands.ts";
import { requestLogger } from "../../request-log.ts";
import type { Message } from "../../views/blocks.ts";
import { section } from "../../views/blocks.ts";
import { ownerHelp } from "../../views/help.ts";
import type { CommandArgs, Handler } from "../table.ts";

export const ownerCommand: Handler<CommandArgs> = async ({ command, ack, respond, client }, deps) => {
  await ack();
  const log = requestLogger(deps.logger, command, "command:/owner");
  const parsed = ZSlashCommand.safeParse(command);
  if (!parsed.success) {
    log.warn({ issues: parsed.error.issues.map((i) => i.path.join(".")) }, "slash command payload rejected");
    await respond({
      response_type: "ephemeral",
      text: "Slack sent a command Turf could not read. Please try again.",
    });
    return;
  }
  const { text, user_id: userId } = parsed.data;
  const request = parseOwnerCommand(text);
  log.info({ subcommand: request.kind }, "owner command");
  try {
    const message: Message | null = await (async () => {
      switch (request.kind) {
        case "help":
          return ownerHelp();
        case "lookup":
          return answerForLookup(deps.services, request.query, userId);
        case "why":
          return whyForLookup(deps.services, request.query);
        case "dispute":
          return disputeCommand(
            deps.services,
            client,
            { query: request.query, userId, triggerId: parsed.data.trigger_id },
            log,
          );
        case "disputes":
          return disputesCommand(deps.services, userId);
      }
    })();
    // null: a modal opened instead of a message.
    if (message === null) return;
    await respond({ response_type: "ephemeral", text: message.text, blocks: message.blocks });
  } catch (error) {
    log.error({ err: error }, "owner command failed");
    const text = userMessageOf(error);
    await respond({ response_type: "ephemeral", text, blocks: [section(text)] });
  }
};
