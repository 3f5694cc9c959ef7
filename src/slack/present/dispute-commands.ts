// `/owner dispute <query>` and `/owner disputes`, called from the /owner command listener.

import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Services } from "../../services/index.ts";
import type { Message } from "../views/blocks.ts";
import { disputeListMessage } from "../views/disputes/lists.ts";
import { chooseAccount, notFound } from "../views/owner-answer.ts";
import { openFiling } from "./open-filing.ts";

/** Opens the dispute modal for the account the query names (null: opened); else answers as a lookup would. */
export async function disputeCommand(
  services: Services,
  client: WebClient,
  input: { query: string; userId: string; triggerId: string },
  log: Logger,
): Promise<Message | null> {
  if (input.query.trim() === "") return notFound("", "empty");
  const answer = await services.lookupOwner(input.query, input.userId);
  if (answer.status === "choose") return chooseAccount(answer.query, answer.candidates);
  if (answer.status === "not_found") return notFound(answer.query, answer.reason);
  return openFiling(
    services,
    client,
    { accountId: answer.card.account.id, slackUserId: input.userId, triggerId: input.triggerId },
    log,
  );
}

export async function disputesCommand(services: Services, userId: string): Promise<Message> {
  const lists = await services.disputes.lists(userId);
  if (!lists) {
    const text = "You are not in Turf's rep list yet, so you have no disputes. Ask RevOps to add you.";
    return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
  }
  return disputeListMessage(lists, { isArbiter: lists.rep.roles.includes("arbiter") });
}
