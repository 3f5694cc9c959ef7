// /rebalance preview [quarter] [force]: a manager sees the draft in a modal (opened first, filled in when
// drafted); anything else gets the usage.
import { userMessageOf } from "../../../domain/app-error.ts";
import { ZSlashCommand } from "../../parse/payloads.ts";
import { parseRebalanceCommand, REBALANCE_USAGE } from "../../parse/rebalance-command.ts";
import { draftInto } from "../../present/draft-into.ts";
import { requestLogger } from "../../request-log.ts";
import { section } from "../../views/blocks.ts";
import { draftingModal } from "../../views/rebalance/preview-modal.ts";
import type { CommandArgs, Handler } from "../table.ts";
import { MANAGERS_ONLY } from "./managers-only.ts";

export const previewCommand: Handler<CommandArgs> = async ({ command, ack, respond, client }, deps) => {
  await ack();
  const log = requestLogger(deps.logger, command, "command:/rebalance");
  const parsed = ZSlashCommand.safeParse(command);
  if (!parsed.success) {
    await respond({
      response_type: "ephemeral",
      text: "Slack sent a command Turf could not read. Please try again.",
    });
    return;
  }
  const request = parseRebalanceCommand(parsed.data.text);
  if (request.kind !== "preview") {
    const prefix = request.kind === "unknown" ? `I don't know \`${request.text.slice(0, 100)}\`.\n` : "";
    await respond({
      response_type: "ephemeral",
      text: `${prefix}${REBALANCE_USAGE}`,
      blocks: [section(`${prefix}${REBALANCE_USAGE}`)],
    });
    return;
  }
  try {
    const manager = await deps.services.findManager(parsed.data.user_id);
    if (!manager) {
      log.info("rebalance preview refused: not a manager");
      await respond({ response_type: "ephemeral", text: MANAGERS_ONLY });
      return;
    }
    // The trigger id lives 3 s; drafting a big book can take longer, so the modal opens first.
    const opened = await client.views.open({
      trigger_id: parsed.data.trigger_id,
      view: draftingModal(),
    });
    const viewId = opened.view?.id as string;
    await draftInto(client, viewId, parsed.data.user_id, request.quarter, request.force, deps, log);
  } catch (error) {
    log.error({ err: error }, "rebalance preview failed");
    await respond({ response_type: "ephemeral", text: userMessageOf(error) });
  }
};
