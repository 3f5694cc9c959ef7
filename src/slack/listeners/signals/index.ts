// Working it / Not mine / Snooze on a signal DM. Not mine opens the dispute modal for the account,
// so a misrouted signal becomes a routing dispute the arbiter decides.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { userMessageOf } from "../../../domain/app-error.ts";
import type { SignalAction } from "../../../services/signals/act-on-message.ts";
import { ZActor, ZButtonAction } from "../../parse/payloads.ts";
import { SIGNAL_ACTION, signalMessage } from "../../views/signals/signal-message.ts";
import type { ListenerDeps } from "../deps.ts";
import { openFiling } from "../disputes/open-filing.ts";
import { requestLogger } from "../request-log.ts";

const ACTIONS: [string, SignalAction][] = [
  [SIGNAL_ACTION.working, "working"],
  [SIGNAL_ACTION.notMine, "not_mine"],
  [SIGNAL_ACTION.snooze, "snoozed"],
];

export function register(app: App, deps: ListenerDeps): void {
  for (const [actionId, kind] of ACTIONS) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      const log = requestLogger(deps.logger, body, `action:${actionId}`);
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
          const view = signalMessage(model);
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
    });
  }
}
