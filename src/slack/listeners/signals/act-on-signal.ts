// Working it / Not mine / Snooze on a signal DM: the message is re-rendered in place with its new
// state; Not mine also opens the dispute modal, so a misrouted signal becomes a routing dispute.
import { userMessageOf } from "../../../domain/app-error.ts";
import type { SignalAction } from "../../../services/signals/act-on-message.ts";
import { ZActor, ZButtonAction } from "../../parse/payloads.ts";
import { openFiling } from "../../present/open-filing.ts";
import { requestLogger } from "../../request-log.ts";
import { signalMessage } from "../../views/signals/signal-message.ts";
import type { ButtonArgs, Handler } from "../table.ts";

export function signalButton(kind: SignalAction): Handler<ButtonArgs> {
  return async ({ ack, body, action, client, respond }, deps) => {
    await ack();
    const log = requestLogger(deps.logger, body, `action:signal:${kind}`);
    try {
      const messageId = ZButtonAction.parse(action).value;
      const actor = ZActor.parse(body);
      const result = await deps.services.signals.act(messageId, actor.user.id, kind);
      if (!result.ok) {
        await respond({ response_type: "ephemeral", replace_original: false, text: result.userMessage });
        return;
      }
      const model = await deps.services.signals.message(messageId);
      if (model) {
        const view = signalMessage(model, deps.services.timeZone);
        await respond({ replace_original: true, text: view.text, blocks: view.blocks as never });
      }
      if (kind === "not_mine") {
        const answer = await openFiling(
          deps.services,
          client,
          { accountId: result.accountId, slackUserId: actor.user.id, triggerId: body.trigger_id },
          log,
        );
        if (answer) {
          await respond({
            response_type: "ephemeral",
            replace_original: false,
            text: answer.text,
            blocks: answer.blocks as never,
          });
        }
      }
      log.info({ messageId, state: result.state }, "signal message acted on");
    } catch (error) {
      log.error({ err: error }, "acting on a signal message failed");
      await respond({ response_type: "ephemeral", replace_original: false, text: userMessageOf(error) });
    }
  };
}
