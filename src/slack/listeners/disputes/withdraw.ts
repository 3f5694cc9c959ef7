// The claimant's Withdraw button (on their filing confirmation and in App Home): the dispute closes,
// pending reminders and the escalation stop, and the arbiter's card says it was withdrawn. Anyone
// else is refused politely and nothing changes.
import { userMessageOf } from "../../../domain/app-error.ts";
import { ZActor, ZButtonAction } from "../../parse/payloads.ts";
import { publishHome } from "../../present/publish-home.ts";
import { requestLogger } from "../../request-log.ts";
import { DISPUTE_ACTION } from "../../views/disputes/ids.ts";
import type { ButtonArgs, Handler } from "../table.ts";
import { cardUpdate, outboxOf, send } from "./send.ts";

export const withdraw: Handler<ButtonArgs> = async ({ ack, body, action, client, respond }, deps) => {
  await ack();
  const log = requestLogger(deps.logger, body, `action:${DISPUTE_ACTION.withdraw}`);
  // From App Home there is no response_url: the refreshed Home tab is the answer there.
  const fromHome = body.container?.type === "view";
  const say = async (text: string) => {
    if (!fromHome) await respond({ response_type: "ephemeral", replace_original: false, text });
  };
  try {
    const disputeId = ZButtonAction.parse(action).value;
    const actor = ZActor.parse(body);
    const result = await deps.services.disputes.withdraw({ disputeId, actorSlackUserId: actor.user.id });
    if (!result.ok) {
      log.info({ disputeId, code: result.error.code }, "withdraw refused");
      await say(result.error.userMessage);
      if (fromHome) await publishHome(client, deps.services, actor.user.id, log);
      return;
    }
    const details = await deps.services.disputes.details(disputeId);
    if (details) await send(outboxOf(deps.services, client, log), [cardUpdate(details, details.asOf)]);
    await say(
      `Withdrawn: your dispute on ${details?.account.name ?? "the account"} is closed, no reminders will go out, and the arbiter's card says so.`,
    );
    if (fromHome) await publishHome(client, deps.services, actor.user.id, log);
    log.info({ disputeId, noticesStopped: result.value.noticesStopped }, "dispute withdrawn");
  } catch (error) {
    log.error({ err: error }, "withdrawing a dispute failed");
    await say(userMessageOf(error));
  }
};
