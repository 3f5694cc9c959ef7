// "Why?" on an ownership answer: the rule trail and history, as a new ephemeral message.
import { userMessageOf } from "../../../domain/app-error.ts";
import { ZButtonAction } from "../../parse/payloads.ts";
import { whyForAccount } from "../../present/answer-for-lookup.ts";
import { requestLogger } from "../../request-log.ts";
import { ACTION } from "../../views/owner-answer.ts";
import type { ButtonArgs, Handler } from "../table.ts";

export const explainAnswer: Handler<ButtonArgs> = async ({ ack, body, action, respond }, deps) => {
  await ack();
  const log = requestLogger(deps.logger, body, `action:${ACTION.why}`);
  try {
    const message = await whyForAccount(deps.services, ZButtonAction.parse(action).value);
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: message.text,
      blocks: message.blocks,
    });
  } catch (error) {
    log.error({ err: error }, "explaining an answer failed");
    await respond({ response_type: "ephemeral", replace_original: false, text: userMessageOf(error) });
  }
};
