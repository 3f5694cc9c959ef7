// Turns a lookup answer into the message a rep sees; shared by every surface that answers "who owns".
import type { Services } from "../../services/index.ts";
import { chooseAccount, type Message, notFound, ownerAnswer } from "../views/owner-answer.ts";

export async function answerForLookup(services: Services, query: string, slackUserId: string | null): Promise<Message> {
  const answer = await services.lookupOwner(query, slackUserId);
  switch (answer.status) {
    case "found":
      return ownerAnswer(answer.card);
    case "choose":
      return chooseAccount(answer.query, answer.candidates);
    case "not_found":
      return notFound(answer.query, answer.reason);
  }
}
