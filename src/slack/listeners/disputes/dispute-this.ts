// "Dispute this" on an ownership answer: opens the dispute modal, or answers why it did not.
import { userMessageOf } from "../../../domain/app-error.ts";
import { ZActor, ZButtonAction } from "../../parse/payloads.ts";
import { openFiling } from "../../present/open-filing.ts";
import { requestLogger } from "../../request-log.ts";
import { ACTION } from "../../views/owner-answer.ts";
import type { ButtonArgs, Handler } from "../table.ts";

export const disputeThis: Handler<ButtonArgs> = async ({ ack, body, action, client, respond }, deps) => {
  await ack();
  const log = requestLogger(deps.logger, body, `action:${ACTION.disputeThis}`);
  try {
    const accountId = ZButtonAction.parse(action).value;
    const actor = ZActor.parse(body);
    const answer = await openFiling(
      deps.services,
      client,
      { accountId, slackUserId: actor.user.id, triggerId: body.trigger_id },
      log,
    );
    if (answer)
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: answer.text,
        blocks: answer.blocks,
      });
  } catch (error) {
    log.error({ err: error }, "opening the dispute modal failed");
    await respond({ response_type: "ephemeral", replace_original: false, text: userMessageOf(error) });
  }
};
