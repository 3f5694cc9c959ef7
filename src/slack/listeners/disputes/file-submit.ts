// The dispute modal's Submit: invalid input is answered in the modal per block; a rule that decides
// the case or an open dispute replaces the form with the answer; a filed dispute closes the modal,
// then the arbiter gets the card and both reps their confirmation.
import { z } from "zod";
import { userMessageOf } from "../../../domain/app-error.ts";
import { inputValue, metadata, ZViewBody } from "../../parse/view-state.ts";
import { ownerRef } from "../../present/open-filing.ts";
import { requestLogger } from "../../request-log.ts";
import { answerModal, section } from "../../views/blocks.ts";
import { filingErrors } from "../../views/disputes/filing-modal.ts";
import { DISPUTE_VIEW, FILING_BLOCK } from "../../views/disputes/ids.ts";
import { duplicateMessage, refusal, ruleAnswerMessage } from "../../views/disputes/messages.ts";
import type { Handler, ViewSubmitArgs } from "../table.ts";
import { filingMessages, outboxOf, send } from "./send.ts";

const ZFilingMetadata = z.object({ accountId: z.string().min(1) });

export const fileSubmit: Handler<ViewSubmitArgs> = async ({ ack, body, client }, deps) => {
  const log = requestLogger(deps.logger, body, `view:${DISPUTE_VIEW.file}`);
  const services = deps.services;
  const parsed = ZViewBody.safeParse(body);
  const meta = parsed.success ? metadata(ZFilingMetadata, parsed.data.view.private_metadata) : null;
  if (!parsed.success || !meta) {
    log.warn("dispute modal submission unreadable");
    await ack({
      response_action: "errors",
      errors: {
        [FILING_BLOCK.reason]: "Turf couldn't read this form. Close it and start again from the account.",
      },
    });
    return;
  }
  const state = parsed.data.view.state.values;
  try {
    const result = await services.disputes.file({
      accountId: meta.accountId,
      claimantSlackUserId: parsed.data.user.id,
      proposedOwnerSlackUserId: inputValue(state, FILING_BLOCK.proposedOwner),
      category: inputValue(state, FILING_BLOCK.category),
      reason: inputValue(state, FILING_BLOCK.reason),
      evidence: inputValue(state, FILING_BLOCK.evidence),
      opportunityLink: inputValue(state, FILING_BLOCK.opportunityLink),
    });
    if (!result.ok) {
      const error = result.error;
      log.info({ code: error.code }, "dispute not filed");
      switch (error.code) {
        case "invalid_filing":
          await ack({ response_action: "errors", errors: filingErrors(error.fieldErrors) });
          return;
        case "busy":
          // The form stays open with everything the rep wrote, to submit again.
          await ack({ response_action: "errors", errors: { [FILING_BLOCK.reason]: error.userMessage } });
          return;
        case "decided_by_rule": {
          const owner = error.answer.ownerRepId ? await ownerRef(services, error.answer.ownerRepId) : null;
          const answer = ruleAnswerMessage(error.account, error.answer, owner);
          await ack({
            response_action: "update",
            view: answerModal("Already decided", answer.blocks),
          });
          return;
        }
        case "duplicate": {
          const answer = duplicateMessage(error.account, error.existing, error.asOf);
          await ack({
            response_action: "update",
            view: answerModal("Already disputed", answer.blocks),
          });
          return;
        }
        default:
          await ack({
            response_action: "update",
            view: answerModal("Not filed", refusal(error.userMessage).blocks),
          });
          return;
      }
    }
    await ack();
    const details = await services.disputes.details(result.value.disputeId, { trail: true });
    if (!details) return;
    log.info({ disputeId: details.dispute.id, arbiter: details.arbiter.id }, "dispute filed");
    await send(outboxOf(services, client, log), await filingMessages(client, details, details.asOf));
  } catch (error) {
    log.error({ err: error }, "filing a dispute failed");
    await ack({
      response_action: "update",
      view: answerModal("Not filed", [section(userMessageOf(error))]),
    }).catch(() => undefined);
  }
};
