// "Dispute this" (and `/owner dispute <query>`): the rules engine speaks first; if no written rule
// decides the case and the rep has no open dispute on it, the dispute modal opens.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import { userMessageOf } from "../../../domain/app-error.ts";
import type { Services } from "../../../services/index.ts";
import { ZActor, ZButtonAction } from "../../parse/payloads.ts";
import type { Message } from "../../views/disputes/card.ts";
import { filingModal } from "../../views/disputes/filing-modal.ts";
import { duplicateMessage, refusal, ruleAnswerMessage } from "../../views/disputes/messages.ts";
import { ACTION } from "../../views/owner-answer.ts";
import type { ListenerDeps } from "../deps.ts";
import { requestLogger } from "../request-log.ts";

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
        return duplicateMessage(error.account, error.existing, services.clock.now());
      default:
        return refusal(error.userMessage);
    }
  }
  const { account, currentOwnerRepId } = start.value;
  const owner = currentOwnerRepId ? await ownerRef(services, currentOwnerRepId) : null;
  await client.views.open({
    trigger_id: input.triggerId,
    view: filingModal({ account, currentOwner: owner, claimantSlackUserId: input.slackUserId }) as never,
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

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION.disputeThis,
    async ({ ack, body, action, client, respond }) => {
      await ack();
      const log = requestLogger(deps.logger, body, `action:${ACTION.disputeThis}`);
      try {
        const accountId = ZButtonAction.parse(action).value;
        const actor = ZActor.parse(body);
        const answer = await openFiling(
          deps.services,
          client,
          { accountId, slackUserId: actor.user.id, triggerId: body.trigger_id },
          log,
        );
        if (answer)
          await respond({
            response_type: "ephemeral",
            replace_original: false,
            text: answer.text,
            blocks: answer.blocks as never,
          });
      } catch (error) {
        log.error({ err: error }, "opening the dispute modal failed");
        await respond({ response_type: "ephemeral", replace_original: false, text: userMessageOf(error) });
      }
    },
  );
}
