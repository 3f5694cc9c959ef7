// /rebalance: managers preview the draft in a modal, page through its moves, and publish it.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { userMessageOf } from "../../../domain/app-error.ts";
import { notifierFor } from "../../outbox-transport.ts";
import { ZActor, ZButtonAction, ZSlashCommand } from "../../parse/payloads.ts";
import { section } from "../../views/blocks.ts";
import {
  draftingModal,
  MOVES_PER_PAGE,
  messageModal,
  parsePreviewMetadata,
  previewModal,
  REBALANCE_VIEW,
} from "../../views/rebalance/preview-modal.ts";
import type { ListenerDeps } from "../deps.ts";
import { requestLogger } from "../request-log.ts";
import { parseRebalanceCommand, REBALANCE_USAGE } from "./parse-command.ts";
import { announcementMessages } from "./send-announcement.ts";

export const MANAGERS_ONLY =
  "Rebalancing is for sales managers and RevOps admins, so this one isn't available to you. Your manager can share the preview, and you'll get a DM with the scores if your book changes.";

export function register(app: App, deps: ListenerDeps): void {
  app.command("/rebalance", async ({ command, ack, respond, client }) => {
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
        await client.views.update({
          view_id: viewId,
          view: messageModal("Rebalance", preview.error.message) as never,
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
  });

  for (const actionId of [REBALANCE_VIEW.nextPage, REBALANCE_VIEW.previousPage]) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const log = requestLogger(deps.logger, body, `action:${actionId}`);
      const actor = ZActor.safeParse(body);
      const meta = parsePreviewMetadata(body.view?.private_metadata ?? "");
      const page = Number(ZButtonAction.parse(action).value);
      if (!actor.success || !meta || !body.view?.id || !Number.isInteger(page) || page < 0) {
        log.warn("rebalance pager click without a readable view");
        return;
      }
      try {
        if (!(await deps.services.rebalanceManager(actor.data.user.id))) return;
        const loaded = await deps.services.rebalancePage(meta.r, page, MOVES_PER_PAGE);
        const view = loaded
          ? previewModal(loaded)
          : messageModal("Rebalance", "That rebalance no longer exists.");
        await client.views.update({ view_id: body.view.id, hash: body.view.hash, view: view as never });
      } catch (error) {
        log.error({ err: error }, "rebalance paging failed");
      }
    });
  }

  app.view(REBALANCE_VIEW.callbackId, async ({ ack, body, view, client }) => {
    const log = requestLogger(deps.logger, body, "view:rebalance_preview");
    const meta = parsePreviewMetadata(view.private_metadata);
    const userId = body.user.id;
    try {
      if (!meta) {
        await ack({
          response_action: "update",
          view: messageModal(
            "Rebalance",
            "Turf could not read this preview. Run /rebalance preview again.",
          ) as never,
        });
        return;
      }
      if (!(await deps.services.rebalanceManager(userId))) {
        await ack({ response_action: "update", view: messageModal("Rebalance", MANAGERS_ONLY) as never });
        return;
      }
      const outbox = notifierFor(deps.services, client, log);
      let queued: string[] = [];
      const result = await deps.services.publishRebalance(meta.r, userId, async (a, tx) => {
        queued = await outbox.enqueue(announcementMessages(a), tx);
      });
      if (!result.ok) {
        await ack({
          response_action: "update",
          view: messageModal("Not published", result.error.message) as never,
        });
        return;
      }
      const outcome = result.value;
      if (!outcome.published) {
        const when = outcome.publishedAt ? ` on ${outcome.publishedAt.toISOString().slice(0, 10)}` : "";
        const who = outcome.publishedBy ? ` by <@${outcome.publishedBy}>` : "";
        await ack({
          response_action: "update",
          view: messageModal(
            "Already published",
            `This rebalance was already published${when}${who}. Nothing was sent again.`,
          ) as never,
        });
        return;
      }
      const a = outcome.announcement;
      const reps = a.notices.length;
      await ack({
        response_action: "update",
        view: messageModal(
          "Published",
          `:white_check_mark: Published. The memo goes to <#${a.channel}> and ${reps} affected rep${reps === 1 ? "" : "s"} get a DM with their scores. Moves apply on ${a.preview.effectiveFrom.toISOString().slice(0, 10)}.`,
        ) as never,
      });
      const sent = await outbox.deliver(queued);
      log.info({ rebalanceId: a.preview.id, messages: queued.length, ...sent }, "rebalance published");
    } catch (error) {
      log.error({ err: error }, "publishing a rebalance failed");
      await ack({
        response_action: "update",
        view: messageModal("Not published", userMessageOf(error)) as never,
      }).catch(() => undefined);
    }
  });
}
