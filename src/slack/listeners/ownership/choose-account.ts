// One of several candidate accounts picked: the question answer is replaced by that account's owner.
import { userMessageOf } from "../../../domain/app-error.ts";
import { ZButtonAction } from "../../parse/payloads.ts";
import { requestLogger } from "../../request-log.ts";
import { ACTION, notFound, ownerAnswer } from "../../views/owner-answer.ts";
import type { ButtonArgs, Handler } from "../table.ts";

export const chooseAccount: Handler<ButtonArgs> = async ({ ack, body, action, respond }, deps) => {
  await ack();
  const log = requestLogger(deps.logger, body, `action:${ACTION.chooseAccount}`);
  const accountId = ZButtonAction.parse(action).value;
  try {
    const card = await deps.services.lookupOwnerByAccountId(accountId);
    const message = card
      ? ownerAnswer(card, { timeZone: deps.services.timeZone })
      : notFound("", "no_candidate");
    await respond({
      response_type: "ephemeral",
      replace_original: true,
      text: message.text,
      blocks: message.blocks,
    });
  } catch (error) {
    log.error({ err: error }, "choosing an account failed");
    await respond({ response_type: "ephemeral", replace_original: false, text: userMessageOf(error) });
  }
};
