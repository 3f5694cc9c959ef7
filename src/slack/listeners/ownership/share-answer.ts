// "Share in channel" on an ownership answer: the ephemeral answer goes away and the same answer
// appears for everyone in the channel.
import { userMessageOf } from "../../../domain/app-error.ts";
import { ZActor, ZButtonAction } from "../../parse/payloads.ts";
import { requestLogger } from "../../request-log.ts";
import { ACTION, notFound, ownerAnswer } from "../../views/owner-answer.ts";
import type { ButtonArgs, Handler } from "../table.ts";

export const shareAnswer: Handler<ButtonArgs> = async ({ ack, body, action, respond }, deps) => {
  await ack();
  const log = requestLogger(deps.logger, body, `action:${ACTION.shareAnswer}`);
  const accountId = ZButtonAction.parse(action).value;
  const actor = ZActor.parse(body);
  try {
    const card = await deps.services.lookupOwnerByAccountId(accountId);
    if (!card) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...notFound("", "no_candidate"),
      });
      return;
    }
    const shared = ownerAnswer(card, {
      shared: true,
      sharedBy: actor.user.id,
      timeZone: deps.services.timeZone,
    });
    await respond({ delete_original: true });
    await respond({
      response_type: "in_channel",
      replace_original: false,
      text: shared.text,
      blocks: shared.blocks,
    });
    log.info({ accountId }, "ownership answer shared in channel");
  } catch (error) {
    log.error({ err: error }, "sharing an answer failed");
    await respond({ response_type: "ephemeral", replace_original: false, text: userMessageOf(error) });
  }
};
