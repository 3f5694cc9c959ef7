// The preview modal's Next / Previous buttons: the same modal, another page of moves.
import { ZActor, ZButtonAction } from "../../parse/payloads.ts";
import { requestLogger } from "../../request-log.ts";
import {
  MOVES_PER_PAGE,
  messageModal,
  parsePreviewMetadata,
  previewModal,
} from "../../views/rebalance/preview-modal.ts";
import type { ButtonArgs, Handler } from "../table.ts";

export const turnPage: Handler<ButtonArgs> = async ({ ack, body, action, client }, deps) => {
  await ack();
  const log = requestLogger(deps.logger, body, `action:${action.action_id}`);
  const actor = ZActor.safeParse(body);
  const meta = parsePreviewMetadata(body.view?.private_metadata ?? "");
  const page = Number(ZButtonAction.parse(action).value);
  if (!actor.success || !meta || !body.view?.id || !Number.isInteger(page) || page < 0) {
    log.warn("rebalance pager click without a readable view");
    return;
  }
  try {
    if (!(await deps.services.findManager(actor.data.user.id))) return;
    const loaded = await deps.services.loadRebalance(meta.r, page, MOVES_PER_PAGE);
    const view = loaded
      ? previewModal(loaded, deps.services.timeZone)
      : messageModal("Rebalance", "That rebalance no longer exists.");
    await client.views.update({ view_id: body.view.id, hash: body.view.hash, view: view });
  } catch (error) {
    log.error({ err: error }, "rebalance paging failed");
  }
};
