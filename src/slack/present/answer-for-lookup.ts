// Turns a lookup answer into the message a rep sees; shared by every surface that answers "who owns".

import type { Services } from "../../services/index.ts";
import type { Message } from "../views/blocks.ts";
import { chooseAccount, notFound, ownerAnswer } from "../views/owner-answer.ts";
import { whyAnswer } from "../views/why-answer.ts";

export async function answerForLookup(
  services: Services,
  query: string,
  slackUserId: string | null,
): Promise<Message> {
  const answer = await services.lookupOwner(query, slackUserId);
  switch (answer.status) {
    case "found":
      return ownerAnswer(answer.card, { timeZone: services.timeZone });
    case "choose":
      return chooseAccount(answer.query, answer.candidates);
    case "not_found":
      return notFound(answer.query, answer.reason);
  }
}

/** "/owner why <account>" and the Why? button: the rule trail and history, or a question back. */
export async function whyForLookup(services: Services, query: string): Promise<Message> {
  const match = await services.matchAccount(query);
  if (match.status === "ambiguous") return chooseAccount(query, match.candidates);
  if (match.status === "none") return notFound(query, match.reason);
  return whyForAccount(services, match.best.accountId);
}

export async function whyForAccount(services: Services, accountId: string): Promise<Message> {
  const why = await services.whyOwner(accountId);
  return why ? whyAnswer(why, services.timeZone) : notFound("", "no_candidate");
}
