// Keep / Transfer / Ask for info on the arbiter's card (or the escalation message): opens the
// decision or question modal. Anyone but the assigned arbiter, or the backup after escalation, gets
// a polite ephemeral refusal.
import { userMessageOf } from "../../../domain/app-error.ts";
import type { DecisionChoice } from "../../../domain/disputes/index.ts";
import { ZActor, ZButtonAction } from "../../parse/payloads.ts";
import { requestLogger } from "../../request-log.ts";
import { askModal, decisionModal } from "../../views/disputes/decision-modal.ts";
import type { ButtonArgs, Handler } from "../table.ts";

/** The handler for one of the three buttons; they differ only in the modal they open. */
export function arbiterButton(choice: DecisionChoice | "ask"): Handler<ButtonArgs> {
  return async ({ ack, body, action, client, respond }, deps) => {
    await ack();
    const log = requestLogger(deps.logger, body, `action:${action.action_id}`);
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
      await client.views.open({ trigger_id: body.trigger_id, view: view });
    } catch (error) {
      log.error({ err: error }, "dispute action failed");
      await refuse(userMessageOf(error));
    }
  };
}
