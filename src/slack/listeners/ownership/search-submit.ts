// The App Home search modal's submit: the answer replaces the form in the modal itself.
import { z } from "zod";
import { userMessageOf } from "../../../domain/app-error.ts";
import { answerForLookup } from "../../present/answer-for-lookup.ts";
import { requestLogger } from "../../request-log.ts";
import { SEARCH_MODAL } from "../../views/app-home.ts";
import { answerModal } from "../../views/blocks.ts";
import type { Handler, ViewSubmitArgs } from "../table.ts";

const ZSearchState = z.object({
  [SEARCH_MODAL.blockId]: z.object({ [SEARCH_MODAL.actionId]: z.object({ value: z.string().nullish() }) }),
});

export const searchSubmit: Handler<ViewSubmitArgs> = async ({ ack, view, body }, deps) => {
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
    await ack({ response_action: "update", view: answerModal("Who owns…?", message.blocks) });
  } catch (error) {
    log.error({ err: error }, "search from App Home failed");
    await ack({ response_action: "errors", errors: { [SEARCH_MODAL.blockId]: userMessageOf(error) } });
  }
};
