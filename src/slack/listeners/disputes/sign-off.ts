// A manager signs off a channel exception: the decision applies (ownership, rule) once, the card
// shows it, and both reps hear it. Anyone else is refused politely.
import { userMessageOf } from "../../../domain/app-error.ts";
import { ZActor, ZButtonAction } from "../../parse/payloads.ts";
import { requestLogger } from "../../request-log.ts";
import { DISPUTE_ACTION } from "../../views/disputes/ids.ts";
import type { ButtonArgs, Handler } from "../table.ts";
import { cardUpdate, decisionMessages, outboxOf, send } from "./send.ts";

export const signOff: Handler<ButtonArgs> = async ({ ack, body, action, client, respond }, deps) => {
  await ack();
  const log = requestLogger(deps.logger, body, `action:${DISPUTE_ACTION.signOff}`);
  const say = (text: string, replace = false) =>
    respond({ response_type: "ephemeral", replace_original: replace, text });
  try {
    const disputeId = ZButtonAction.parse(action).value;
    const actor = ZActor.parse(body);
    const result = await deps.services.disputes.signOff({ disputeId, actorSlackUserId: actor.user.id });
    if (!result.ok) {
      log.info({ disputeId, code: result.error.code }, "sign-off refused");
      await say(result.error.userMessage);
      return;
    }
    const details = await deps.services.disputes.details(disputeId);
    if (!details) return;
    const now = details.asOf;
    await send(outboxOf(deps.services, client, log), [
      cardUpdate(details, now),
      ...decisionMessages(details, result.value.messages, { awaitingSignOff: false, now }),
    ]);
    await say("Signed off: the channel exception applies and both reps have been told.");
    log.info({ disputeId }, "channel exception signed off");
  } catch (error) {
    log.error({ err: error }, "sign-off failed");
    await say(userMessageOf(error));
  }
};
