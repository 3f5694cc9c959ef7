// The decision modal's Submit, and the "Ask for info" modal's. The service resolves a dispute once
// however often Slack delivers the submission; only the winner updates the card and DMs the reps.
import type { App } from "@slack/bolt";
import { z } from "zod";
import { userMessageOf } from "../../../domain/app-error.ts";
import { DECISION_CHOICES } from "../../../domain/disputes/index.ts";
import { section } from "../../views/blocks.ts";
import { answerModal } from "../../views/disputes/filing-modal.ts";
import { ASK_BLOCK, DECISION_BLOCK, DISPUTE_VIEW } from "../../views/disputes/ids.ts";
import { questionDm } from "../../views/disputes/messages.ts";
import type { ListenerDeps } from "../deps.ts";
import { requestLogger } from "../request-log.ts";
import { cardUpdate, decisionMessages, dmMessage, outboxOf, send } from "./send.ts";
import { inputValue, metadata, ZViewBody } from "./view-state.ts";

const ZDecisionMetadata = z.object({ disputeId: z.string().min(1), choice: z.enum(DECISION_CHOICES) });
const ZAskMetadata = z.object({ disputeId: z.string().min(1) });

// Domain refusals about the text belong next to the text box; everything else replaces the form.
const TEXT_ERRORS = new Set(["missing_text", "text_too_long"]);

export function register(app: App, deps: ListenerDeps): void {
  app.view(DISPUTE_VIEW.decide, async ({ ack, body, client }) => {
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
            view: answerModal("Nothing changed", [section(result.error.userMessage)]) as never,
          });
        }
        return;
      }
      await ack();
      const { dispute, messages, awaitingSignOff } = result.value;
      log.info({ disputeId: dispute.id, decision: dispute.decision, awaitingSignOff }, "dispute decided");
      const details = await deps.services.disputes.details(dispute.id);
      if (!details) return;
      const now = deps.services.clock.now();
      const managers = awaitingSignOff ? await deps.services.disputes.signOffManagers(dispute.id) : [];
      await send(outboxOf(deps.services, client, log), [
        cardUpdate(details, now),
        ...decisionMessages(details, messages, { awaitingSignOff, managers, now }),
      ]);
    } catch (error) {
      log.error({ err: error }, "deciding a dispute failed");
      await ack({
        response_action: "update",
        view: answerModal("Nothing changed", [section(userMessageOf(error))]) as never,
      }).catch(() => undefined);
    }
  });

  app.view(DISPUTE_VIEW.ask, async ({ ack, body, client }) => {
    const log = requestLogger(deps.logger, body, `view:${DISPUTE_VIEW.ask}`);
    const parsed = ZViewBody.safeParse(body);
    const meta = parsed.success ? metadata(ZAskMetadata, parsed.data.view.private_metadata) : null;
    const question = parsed.success
      ? inputValue(parsed.data.view.state.values, ASK_BLOCK.question)?.trim()
      : null;
    if (!parsed.success || !meta || !question) {
      await ack({
        response_action: "errors",
        errors: { [ASK_BLOCK.question]: "Write the question the claimant should answer." },
      });
      return;
    }
    try {
      const result = await deps.services.disputes.requestInfo({
        disputeId: meta.disputeId,
        actorSlackUserId: parsed.data.user.id,
        question,
      });
      if (!result.ok) {
        await ack({
          response_action: "update",
          view: answerModal("Nothing changed", [section(result.error.userMessage)]) as never,
        });
        return;
      }
      await ack();
      const details = await deps.services.disputes.details(meta.disputeId);
      if (!details?.claimant.slackUserId) return;
      // The question's place is stored on its note once posted (the outbox's dispute.question effect).
      await send(outboxOf(deps.services, client, log), [
        {
          ...dmMessage(
            details.claimant.slackUserId,
            questionDm(details, question),
            "dispute.question",
            result.value.noteId,
          ),
        },
        cardUpdate(details, deps.services.clock.now()),
      ]);
      log.info({ disputeId: meta.disputeId }, "claimant asked for info");
    } catch (error) {
      log.error({ err: error }, "asking for info failed");
      await ack({
        response_action: "update",
        view: answerModal("Nothing changed", [section(userMessageOf(error))]) as never,
      }).catch(() => undefined);
    }
  });
}
