// A recent lookup on App Home clicked: the answer opens in a modal.
import { userMessageOf } from "../../../domain/app-error.ts";
import { answerForLookup } from "../../present/answer-for-lookup.ts";
import { requestLogger } from "../../request-log.ts";
import { HOME_ACTION } from "../../views/app-home.ts";
import { answerModal, section } from "../../views/blocks.ts";
import type { ButtonArgs, Handler } from "../table.ts";

export const repeatLookup: Handler<ButtonArgs> = async ({ ack, body, action, client }, deps) => {
  await ack();
  const log = requestLogger(deps.logger, body, `action:${HOME_ACTION.repeatLookup}`);
  try {
    const message = await answerForLookup(deps.services, action.value ?? "", body.user.id);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: answerModal("Who owns…?", message.blocks),
    });
  } catch (error) {
    log.error({ err: error }, "repeating a lookup failed");
    await client.views.open({
      trigger_id: body.trigger_id,
      view: answerModal("Who owns…?", [section(userMessageOf(error))]),
    });
  }
};
