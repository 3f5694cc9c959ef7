// "Draft anyway" on the no-rebalance-needed modal: a manager drafts below the trigger on purpose.
import { ZActor, ZButtonAction } from "../../parse/payloads.ts";
import { draftInto } from "../../present/draft-into.ts";
import { requestLogger } from "../../request-log.ts";
import { draftingModal, messageModal } from "../../views/rebalance/preview-modal.ts";
import type { ButtonArgs, Handler } from "../table.ts";
import { MANAGERS_ONLY } from "./managers-only.ts";

export const draftAnyway: Handler<ButtonArgs> = async ({ ack, body, action, client }, deps) => {
  await ack();
  const log = requestLogger(deps.logger, body, `action:${action.action_id}`);
  const actor = ZActor.safeParse(body);
  const viewId = body.view?.id;
  if (!actor.success || !viewId) {
    log.warn("draft-anyway click without a readable view");
    return;
  }
  try {
    if (!(await deps.services.findManager(actor.data.user.id))) {
      await client.views.update({ view_id: viewId, view: messageModal("Rebalance", MANAGERS_ONLY) });
      return;
    }
    const quarter = ZButtonAction.parse(action).value?.trim() || undefined;
    await client.views.update({ view_id: viewId, view: draftingModal() });
    await draftInto(client, viewId, actor.data.user.id, quarter, true, deps, log);
  } catch (error) {
    log.error({ err: error }, "drafting a rebalance anyway failed");
  }
};
