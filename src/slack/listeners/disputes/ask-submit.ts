// The "Ask for info" modal's Submit: the question goes to the claimant as a DM whose thread
// collects the answer (info-reply.ts), and the arbiter's card shows it was asked.
import { z } from "zod";
import { userMessageOf } from "../../../domain/app-error.ts";
import { inputValue, metadata, ZViewBody } from "../../parse/view-state.ts";
import { requestLogger } from "../../request-log.ts";
import { answerModal, section } from "../../views/blocks.ts";
import { ASK_BLOCK, DISPUTE_VIEW } from "../../views/disputes/ids.ts";
import { questionDm } from "../../views/disputes/messages.ts";
import type { Handler, ViewSubmitArgs } from "../table.ts";
import { cardUpdate, dmMessage, outboxOf, send } from "./send.ts";

const ZAskMetadata = z.object({ disputeId: z.string().min(1) });

export const askSubmit: Handler<ViewSubmitArgs> = async ({ ack, body, client }, deps) => {
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
        view: answerModal("Nothing changed", [section(result.error.userMessage)]),
      });
      return;
    }
    await ack();
    const details = await deps.services.disputes.details(meta.disputeId);
    if (!details?.claimant.slackUserId) return;
    // The question's place is stored on its note once posted (the outbox's dispute.question effect).
    await send(outboxOf(deps.services, client, log), [
      dmMessage(
        details.claimant.slackUserId,
        questionDm(details, question),
        "dispute.question",
        result.value.noteId,
      ),
      cardUpdate(details, details.asOf),
    ]);
    log.info({ disputeId: meta.disputeId }, "claimant asked for info");
  } catch (error) {
    log.error({ err: error }, "asking for info failed");
    await ack({
      response_action: "update",
      view: answerModal("Nothing changed", [section(userMessageOf(error))]),
    }).catch(() => undefined);
  }
};
