// Drafts a rebalance into an already open modal: the preview with Publish, or — below the guide's
// trigger, unless forced — "no rebalance needed" with the measured figure and a Draft anyway button.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { ListenerDeps } from "../listeners/deps.ts";
import {
  belowTriggerModal,
  MOVES_PER_PAGE,
  messageModal,
  previewModal,
} from "../views/rebalance/preview-modal.ts";

export async function draftInto(
  client: WebClient,
  viewId: string,
  actor: string,
  quarter: string | undefined,
  force: boolean,
  deps: ListenerDeps,
  log: Logger,
): Promise<void> {
  const preview = await deps.services.previewRebalance({ actor, force, ...(quarter ? { quarter } : {}) });
  if (!preview.ok) {
    log.info({ code: preview.error.code, reason: preview.error.message }, "rebalance not drafted");
    const view =
      preview.error.code === "below_trigger"
        ? belowTriggerModal(preview.error.userMessage, quarter)
        : messageModal("Rebalance", preview.error.userMessage);
    await client.views.update({ view_id: viewId, view });
    return;
  }
  const page = await deps.services.loadRebalance(preview.value.id, 0, MOVES_PER_PAGE);
  if (!page) throw new Error("a stored preview could not be read back");
  await client.views.update({ view_id: viewId, view: previewModal(page, deps.services.timeZone) });
  log.info(
    { rebalanceId: preview.value.id, moves: preview.value.summary.moveCount, force },
    "rebalance previewed",
  );
}
