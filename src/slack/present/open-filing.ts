// Shared by "Dispute this" and `/owner dispute <query>`: the rules engine speaks first; if no written
// rule decides the case and the rep has no open dispute on it, the dispute modal opens.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Services } from "../../services/index.ts";
import type { Message } from "../views/disputes/card.ts";
import { filingModal } from "../views/disputes/filing-modal.ts";
import { duplicateMessage, refusal, ruleAnswerMessage } from "../views/disputes/messages.ts";

/** Opens the modal and returns null, or returns the answer to show instead. */
export async function openFiling(
  services: Services,
  client: WebClient,
  input: { accountId: string; slackUserId: string; triggerId: string },
  log: Logger,
): Promise<Message | null> {
  const start = await services.disputes.startFiling(input.accountId, input.slackUserId);
  if (!start.ok) {
    const error = start.error;
    log.info({ accountId: input.accountId, code: error.code }, "dispute modal not opened");
    switch (error.code) {
      case "decided_by_rule": {
        const owner = error.answer.ownerRepId ? await ownerRef(services, error.answer.ownerRepId) : null;
        return ruleAnswerMessage(error.account, error.answer, owner);
      }
      case "duplicate":
        return duplicateMessage(error.account, error.existing, error.asOf);
      default:
        return refusal(error.userMessage);
    }
  }
  const { account, currentOwnerRepId } = start.value;
  const owner = currentOwnerRepId ? await ownerRef(services, currentOwnerRepId) : null;
  await client.views.open({
    trigger_id: input.triggerId,
    view: filingModal({ account, currentOwner: owner, claimantSlackUserId: input.slackUserId }),
  });
  log.info({ accountId: account.id }, "dispute modal opened");
  return null;
}

export async function ownerRef(
  services: Services,
  repId: string,
): Promise<{ name: string; slackUserId: string | null } | null> {
  return services.disputes.repById(repId);
}
