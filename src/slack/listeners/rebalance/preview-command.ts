// /rebalance preview [quarter]: a manager sees the draft in a modal (opened first, filled in when
// drafted); anything else gets the usage.
import { userMessageOf } from "../../../domain/app-error.ts";
import { ZSlashCommand } from "../../parse/payloads.ts";
import { parseRebalanceCommand, REBALANCE_USAGE } from "../../parse/rebalance-command.ts";
import { requestLogger } from "../../request-log.ts";
import { section } from "../../views/blocks.ts";
import {
  draftingModal,
  MOVES_PER_PAGE,
  messageModal,
  previewModal,
} from "../../views/rebalance/preview-modal.ts";
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
    const manager = await deps.services.rebalanceManager(parsed.data.user_id);
    if (!manager) {
      log.info("rebalance preview refused: not a manager");
      await respond({ response_type: "ephemeral", text: MANAGERS_ONLY });
      return;
    }
    // The trigger id lives 3 s; drafting a big book can take longer, so the modal opens first.
    const opened = await client.views.open({
      trigger_id: parsed.data.trigger_id,
      view: draftingModal() as never,
    });
    const viewId = opened.view?.id as string;
    const preview = await deps.services.previewRebalance({
      actor: parsed.data.user_id,
      ...(request.quarter ? { quarter: request.quarter } : {}),
    });
    if (!preview.ok) {
      log.info({ code: preview.error.code, reason: preview.error.message }, "rebalance preview refused");
      await client.views.update({
        view_id: viewId,
        view: messageModal("Rebalance", preview.error.userMessage) as never,
      });
      return;
    }
    const page = await deps.services.rebalancePage(preview.value.id, 0, MOVES_PER_PAGE);
    if (!page) throw new Error("a stored preview could not be read back");
    await client.views.update({ view_id: viewId, view: previewModal(page) as never });
    log.info(
      { rebalanceId: preview.value.id, moves: preview.value.summary.moveCount },
      "rebalance previewed",
    );
  } catch (error) {
    log.error({ err: error }, "rebalance preview failed");
    await respond({ response_type: "ephemeral", text: userMessageOf(error) });
  }
};
