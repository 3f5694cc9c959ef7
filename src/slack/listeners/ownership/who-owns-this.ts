// The "Who owns this?" message shortcut: finds company names and domains in the message and answers
// for each, privately, to the rep who asked.
import { findAccountMentions } from "../../../domain/account-mentions.ts";
import { userMessageOf } from "../../../domain/app-error.ts";
import type { OwnerCard } from "../../../services/index.ts";
import { ZMessageShortcut } from "../../parse/payloads.ts";
import { requestLogger } from "../../request-log.ts";
import type { Block } from "../../views/blocks.ts";
import { divider, section } from "../../views/blocks.ts";
import { LIMITS } from "../../views/limits.ts";
import { ownerAnswer } from "../../views/owner-answer.ts";
import type { Handler, MessageShortcutArgs } from "../table.ts";

export const WHO_OWNS_THIS = "who_owns_this";

export const whoOwnsThis: Handler<MessageShortcutArgs> = async ({ ack, shortcut, respond }, deps) => {
  await ack();
  const log = requestLogger(deps.logger, shortcut, `shortcut:${WHO_OWNS_THIS}`);
  const parsed = ZMessageShortcut.safeParse(shortcut);
  if (!parsed.success) {
    log.warn("message shortcut payload rejected");
    return;
  }
  try {
    const mentions = findAccountMentions(parsed.data.message.text, 3);
    const answers: { card: OwnerCard }[] = [];
    for (const query of mentions) {
      const answer = await deps.services.lookupOwner(query, parsed.data.user.id);
      if (answer.status === "found" && !answers.some((a) => a.card.account.id === answer.card.account.id))
        answers.push(answer);
    }
    if (answers.length === 0) {
      const tried = mentions.length ? ` (I looked for ${mentions.map((m) => `“${m}”`).join(", ")})` : "";
      const text = `I couldn't find an account named in that message${tried}. Try /owner with the company's name or domain.`;
      await respond({ response_type: "ephemeral", text, blocks: [section(text)] });
      return;
    }
    const blocks: Block[] = [];
    const texts: string[] = [];
    answers.forEach((a, i) => {
      const m = ownerAnswer(a.card, { timeZone: deps.services.timeZone });
      if (i > 0) blocks.push(divider());
      blocks.push(...m.blocks);
      texts.push(m.text);
    });
    await respond({
      response_type: "ephemeral",
      text: texts.join("\n"),
      blocks: blocks.slice(0, LIMITS.messageBlocks),
    });
  } catch (error) {
    log.error({ err: error }, "who-owns-this shortcut failed");
    await respond({ response_type: "ephemeral", text: userMessageOf(error) });
  }
};
