// Keep / Transfer / Ask for info on the arbiter's card (or the escalation message). Anyone but the
// assigned arbiter, or the backup after escalation, gets a polite ephemeral refusal.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { userMessageOf } from "../../../domain/app-error.ts";
import type { DecisionChoice } from "../../../domain/disputes/index.ts";
import { ZActor, ZButtonAction } from "../../parse/payloads.ts";
import { askModal, decisionModal } from "../../views/disputes/decision-modal.ts";
import { DISPUTE_ACTION } from "../../views/disputes/ids.ts";
import type { ListenerDeps } from "../deps.ts";
import { requestLogger } from "../request-log.ts";

const BUTTONS: [string, DecisionChoice | "ask"][] = [
  [DISPUTE_ACTION.keep, "keep"],
  [DISPUTE_ACTION.transfer, "transfer"],
  [DISPUTE_ACTION.askInfo, "ask"],
];

export function register(app: App, deps: ListenerDeps): void {
  for (const [actionId, choice] of BUTTONS) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      const log = requestLogger(deps.logger, body, `action:${actionId}`);
      const refuse = (text: string) => respond({ response_type: "ephemeral", replace_original: false, text });
      try {
        const disputeId = ZButtonAction.parse(action).value;
        const actor = ZActor.parse(body);
        const options = await deps.services.disputes.decisionOptions(disputeId, actor.user.id);
        if (!options.ok) {
          log.info({ disputeId, code: options.error.code }, "dispute action refused");
          await refuse(options.error.userMessage);
          return;
        }
        const view =
          choice === "ask"
            ? askModal(options.value.details)
            : decisionModal(options.value.details, choice, options.value.scopes);
        await client.views.open({ trigger_id: body.trigger_id, view: view as never });
      } catch (error) {
        log.error({ err: error }, "dispute action failed");
        await refuse(userMessageOf(error));
      }
    });
  }
}
