// The decision modal's Submit. The service resolves a dispute once however often Slack delivers
// the submission; only the winner updates the card and DMs the reps.
import { z } from "zod";
import { userMessageOf } from "../../../domain/app-error.ts";
import { DECISION_CHOICES } from "../../../domain/disputes/index.ts";
import { inputValue, metadata, ZViewBody } from "../../parse/view-state.ts";
import { requestLogger } from "../../request-log.ts";
import { answerModal, section } from "../../views/blocks.ts";
import { DECISION_BLOCK, DISPUTE_VIEW } from "../../views/disputes/ids.ts";
import type { Handler, ViewSubmitArgs } from "../table.ts";
import { cardUpdate, decisionMessages, outboxOf, send } from "./send.ts";

const ZDecisionMetadata = z.object({ disputeId: z.string().min(1), choice: z.enum(DECISION_CHOICES) });

// Domain refusals about the text belong next to the text box, as does "busy": the form stays open with
// the arbiter's words, to submit again. Everything else replaces the form.
const TEXT_ERRORS = new Set(["missing_text", "text_too_long", "busy"]);

export const decideSubmit: Handler<ViewSubmitArgs> = async ({ ack, body, client }, deps) => {
  const log = requestLogger(deps.logger, body, `view:${DISPUTE_VIEW.decide}`);
  const parsed = ZViewBody.safeParse(body);
  const meta = parsed.success ? metadata(ZDecisionMetadata, parsed.data.view.private_metadata) : null;
  if (!parsed.success || !meta) {
    await ack({
      response_action: "errors",
      errors: {
        [DECISION_BLOCK.text]:
          "Turf couldn't read this form. Close it and click the button on the card again.",
      },
    });
    return;
  }
  const state = parsed.data.view.state.values;
  const rawScope = inputValue(state, DECISION_BLOCK.scope);
  let scope: unknown = null;
  try {
    scope = rawScope ? JSON.parse(rawScope) : null;
  } catch {
    scope = null;
  }
  try {
    const result = await deps.services.disputes.decide({
      disputeId: meta.disputeId,
      actorSlackUserId: parsed.data.user.id,
      choice: meta.choice,
      text: inputValue(state, DECISION_BLOCK.text) ?? "",
      scope,
    });
    if (!result.ok) {
      log.info({ disputeId: meta.disputeId, code: result.error.code }, "decision refused");
      if (TEXT_ERRORS.has(result.error.code)) {
        await ack({
          response_action: "errors",
          errors: { [DECISION_BLOCK.text]: result.error.userMessage },
        });
      } else if (result.error.code === "invalid_transition") {
        await ack({
          response_action: "errors",
          errors: { [DECISION_BLOCK.scope]: result.error.userMessage },
        });
      } else {
        await ack({
          response_action: "update",
          view: answerModal("Nothing changed", [section(result.error.userMessage)]),
        });
      }
      return;
    }
    await ack();
    const { dispute, messages, awaitingSignOff } = result.value;
    log.info({ disputeId: dispute.id, decision: dispute.decision, awaitingSignOff }, "dispute decided");
    const details = await deps.services.disputes.details(dispute.id);
    if (!details) return;
    const now = details.asOf;
    const managers = awaitingSignOff ? await deps.services.disputes.signOffManagers(dispute.id) : [];
    await send(outboxOf(deps.services, client, log), [
      cardUpdate(details, now),
      ...decisionMessages(details, messages, { awaitingSignOff, managers, now }),
    ]);
  } catch (error) {
    log.error({ err: error }, "deciding a dispute failed");
    await ack({
      response_action: "update",
      view: answerModal("Nothing changed", [section(userMessageOf(error))]),
    }).catch(() => undefined);
  }
};
