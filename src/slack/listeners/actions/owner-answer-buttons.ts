// Buttons on an ownership answer: share it in the channel, pick one of several candidates, see why.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { userMessageOf } from "../../../domain/app-error.ts";
import { ZActor, ZButtonAction } from "../../parse/payloads.ts";
import { ACTION, notFound, ownerAnswer } from "../../views/owner-answer.ts";
import { whyForAccount } from "../answer-for-lookup.ts";
import type { ListenerDeps } from "../deps.ts";
import { requestLogger } from "../request-log.ts";

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.shareAnswer, async ({ ack, body, action, respond }) => {
    await ack();
    const log = requestLogger(deps.logger, body, `action:${ACTION.shareAnswer}`);
    const accountId = ZButtonAction.parse(action).value;
    const actor = ZActor.parse(body);
    try {
      const card = await deps.services.ownerCard(accountId);
      if (!card) {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          ...notFound("", "no_candidate"),
        });
        return;
      }
      const shared = ownerAnswer(card, {
        shared: true,
        sharedBy: actor.user.id,
        timeZone: deps.services.timeZone,
      });
      // The ephemeral answer goes away and the same answer appears for everyone in the channel.
      await respond({ delete_original: true });
      await respond({
        response_type: "in_channel",
        replace_original: false,
        text: shared.text,
        blocks: shared.blocks,
      });
      log.info({ accountId }, "ownership answer shared in channel");
    } catch (error) {
      log.error({ err: error }, "sharing an answer failed");
      await respond({ response_type: "ephemeral", replace_original: false, text: userMessageOf(error) });
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION.chooseAccount, async ({ ack, body, action, respond }) => {
    await ack();
    const log = requestLogger(deps.logger, body, `action:${ACTION.chooseAccount}`);
    const accountId = ZButtonAction.parse(action).value;
    try {
      const card = await deps.services.ownerCard(accountId);
      const message = card
        ? ownerAnswer(card, { timeZone: deps.services.timeZone })
        : notFound("", "no_candidate");
      await respond({
        response_type: "ephemeral",
        replace_original: true,
        text: message.text,
        blocks: message.blocks,
      });
    } catch (error) {
      log.error({ err: error }, "choosing an account failed");
      await respond({ response_type: "ephemeral", replace_original: false, text: userMessageOf(error) });
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION.why, async ({ ack, body, action, respond }) => {
    await ack();
    const log = requestLogger(deps.logger, body, `action:${ACTION.why}`);
    try {
      const message = await whyForAccount(deps.services, ZButtonAction.parse(action).value);
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: message.text,
        blocks: message.blocks,
      });
    } catch (error) {
      log.error({ err: error }, "explaining an answer failed");
      await respond({ response_type: "ephemeral", replace_original: false, text: userMessageOf(error) });
    }
  });
}
