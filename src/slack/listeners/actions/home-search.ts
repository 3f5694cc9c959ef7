// App Home search: a button opens a modal; submitting it shows the answer in the modal itself.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { userMessageOf } from "../../../domain/app-error.ts";
import { answerModal, HOME_ACTION, SEARCH_MODAL, searchModal } from "../../views/app-home.ts";
import { section } from "../../views/blocks.ts";
import { answerForLookup } from "../answer-for-lookup.ts";
import type { ListenerDeps } from "../deps.ts";
import { requestLogger } from "../request-log.ts";

const ZSearchState = z.object({
  [SEARCH_MODAL.blockId]: z.object({ [SEARCH_MODAL.actionId]: z.object({ value: z.string().nullish() }) }),
});

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(HOME_ACTION.openSearch, async ({ ack, body, client }) => {
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: searchModal() as never });
  });

  app.action<BlockAction<ButtonAction>>(HOME_ACTION.repeatLookup, async ({ ack, body, action, client }) => {
    await ack();
    const log = requestLogger(deps.logger, body, `action:${HOME_ACTION.repeatLookup}`);
    try {
      const message = await answerForLookup(deps.services, action.value ?? "", body.user.id);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: answerModal("Who owns…?", message.blocks) as never,
      });
    } catch (error) {
      log.error({ err: error }, "repeating a lookup failed");
      await client.views.open({
        trigger_id: body.trigger_id,
        view: answerModal("Who owns…?", [section(userMessageOf(error))]) as never,
      });
    }
  });

  app.view(SEARCH_MODAL.callbackId, async ({ ack, view, body }) => {
    const log = requestLogger(deps.logger, body, `view:${SEARCH_MODAL.callbackId}`);
    const state = ZSearchState.safeParse(view.state.values);
    const query = state.success
      ? (state.data[SEARCH_MODAL.blockId]?.[SEARCH_MODAL.actionId]?.value ?? "").trim()
      : "";
    if (!query) {
      await ack({
        response_action: "errors",
        errors: { [SEARCH_MODAL.blockId]: "Type a company name, domain, e-mail or CRM id." },
      });
      return;
    }
    try {
      const message = await answerForLookup(deps.services, query, body.user.id);
      await ack({ response_action: "update", view: answerModal("Who owns…?", message.blocks) as never });
    } catch (error) {
      log.error({ err: error }, "search from App Home failed");
      await ack({ response_action: "errors", errors: { [SEARCH_MODAL.blockId]: userMessageOf(error) } });
    }
  });
}
