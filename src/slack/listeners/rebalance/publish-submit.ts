// The preview modal's Publish: the service publishes once (a second click finds it published),
// the modal says what happens next, then the memo and the reps' DMs go out.
import { userMessageOf } from "../../../domain/app-error.ts";
import { readableDay } from "../../../domain/dates/format.ts";
import { notifierFor } from "../../outbox-transport.ts";
import { announcementMessages } from "../../present/send-announcement.ts";
import { requestLogger } from "../../request-log.ts";
import { messageModal, parsePreviewMetadata } from "../../views/rebalance/preview-modal.ts";
import type { Handler, ViewSubmitArgs } from "../table.ts";
import { MANAGERS_ONLY } from "./managers-only.ts";

export const publishSubmit: Handler<ViewSubmitArgs> = async ({ ack, body, view, client }, deps) => {
  const log = requestLogger(deps.logger, body, "view:rebalance_preview");
  const meta = parsePreviewMetadata(view.private_metadata);
  const userId = body.user.id;
  try {
    if (!meta) {
      await ack({
        response_action: "update",
        view: messageModal("Rebalance", "Turf could not read this preview. Run /rebalance preview again."),
      });
      return;
    }
    if (!(await deps.services.findManager(userId))) {
      await ack({ response_action: "update", view: messageModal("Rebalance", MANAGERS_ONLY) });
      return;
    }
    const outbox = notifierFor(deps.services, client, log);
    let queued: string[] = [];
    const result = await deps.services.publishRebalance(meta.r, userId, async (a, tx) => {
      queued = await outbox.enqueue(announcementMessages(a, deps.services.timeZone), tx);
    });
    if (!result.ok) {
      log.info({ code: result.error.code, reason: result.error.message }, "rebalance not published");
      await ack({
        response_action: "update",
        view: messageModal("Not published", result.error.userMessage),
      });
      return;
    }
    const outcome = result.value;
    if (!outcome.published) {
      const when = outcome.publishedAt
        ? ` on ${readableDay(outcome.publishedAt, deps.services.timeZone)}`
        : "";
      const who = outcome.publishedBy ? ` by <@${outcome.publishedBy}>` : "";
      await ack({
        response_action: "update",
        view: messageModal(
          "Already published",
          `This rebalance was already published${when}${who}. Nothing was sent again.`,
        ),
      });
      return;
    }
    const a = outcome.announcement;
    const reps = a.notices.length;
    await ack({
      response_action: "update",
      view: messageModal(
        "Published",
        `:white_check_mark: Published. The memo goes to <#${a.channel}> and ${reps} affected rep${reps === 1 ? "" : "s"} get a DM with their scores. Moves apply on ${readableDay(a.preview.effectiveFrom, deps.services.timeZone)}.`,
      ),
    });
    const sent = await outbox.deliver(queued);
    log.info({ rebalanceId: a.preview.id, messages: queued.length, ...sent }, "rebalance published");
  } catch (error) {
    log.error({ err: error }, "publishing a rebalance failed");
    await ack({
      response_action: "update",
      view: messageModal("Not published", userMessageOf(error)),
    }).catch(() => undefined);
  }
};
