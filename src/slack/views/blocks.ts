// Small Block Kit constructors that apply Slack's limits, so view builders stay declarative. Every
// view in src/slack/views is typed with @slack/types, so a malformed block fails `tsc`, not Slack.
import type {
  ActionsBlock,
  ActionsBlockElement,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  ModalView,
  PlainTextElement,
  SectionBlock,
  SectionBlockAccessory,
} from "@slack/types";
import { clip, LIMITS } from "./limits.ts";

export type Block = KnownBlock;

/** A message Turf posts or responds with: Slack shows `text` in notifications and where blocks can't render. */
export type Message = { text: string; blocks: KnownBlock[] };

export const section = (text: string, accessory?: SectionBlockAccessory): SectionBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: clip(text, LIMITS.sectionText) },
  ...(accessory ? { accessory } : {}),
});

export const fields = (items: string[]): SectionBlock => ({
  type: "section",
  fields: items.slice(0, 10).map((text) => ({ type: "mrkdwn", text: clip(text, 2000) })),
});

export const header = (text: string): HeaderBlock => ({
  type: "header",
  text: { type: "plain_text", text: clip(text, LIMITS.headerText), emoji: true },
});

export const context = (text: string): ContextBlock => ({
  type: "context",
  elements: [{ type: "mrkdwn", text: clip(text, LIMITS.contextElementText) }],
});

export const divider = (): DividerBlock => ({ type: "divider" });

export const button = (
  text: string,
  actionId: string,
  value: string,
  style?: "primary" | "danger",
): Button => ({
  type: "button",
  text: { type: "plain_text", text: clip(text, LIMITS.buttonText), emoji: true },
  action_id: clip(actionId, LIMITS.actionId),
  value: clip(value, LIMITS.buttonValue),
  ...(style ? { style } : {}),
});

export const actions = (elements: ActionsBlockElement[], blockId?: string): ActionsBlock => ({
  type: "actions",
  ...(blockId ? { block_id: clip(blockId, LIMITS.blockId) } : {}),
  elements: elements.slice(0, LIMITS.actionsElements),
});

export const plain = (text: string, limit = 3000): PlainTextElement => ({
  type: "plain_text",
  text: clip(text, limit),
  emoji: true,
});

/** A modal that shows an answer (or why nothing changed) with a Done button and nothing to submit. */
export function answerModal(title: string, blocks: KnownBlock[]): ModalView {
  return {
    type: "modal",
    title: plain(title, LIMITS.modalTitle),
    close: plain("Done"),
    blocks: blocks.slice(0, LIMITS.viewBlocks),
  };
}

/** A user mention when we know their Slack id, else their name in bold. */
export function mention(rep: { name: string; slackUserId: string | null } | null): string {
  if (!rep) return "_nobody (white space)_";
  return rep.slackUserId ? `<@${rep.slackUserId}>` : `*${rep.name}*`;
}
