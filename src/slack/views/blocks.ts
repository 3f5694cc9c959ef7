// Small Block Kit constructors that apply Slack's limits, so view builders stay declarative.
import { clip, LIMITS } from "./limits.ts";

export type Block = { type: string; block_id?: string; [key: string]: unknown };

export const section = (text: string, accessory?: Block): Block => ({
  type: "section",
  text: { type: "mrkdwn", text: clip(text, LIMITS.sectionText) },
  ...(accessory ? { accessory } : {}),
});

export const fields = (items: string[]): Block => ({
  type: "section",
  fields: items.slice(0, 10).map((text) => ({ type: "mrkdwn", text: clip(text, 2000) })),
});

export const header = (text: string): Block => ({
  type: "header",
  text: { type: "plain_text", text: clip(text, LIMITS.headerText), emoji: true },
});

export const context = (text: string): Block => ({
  type: "context",
  elements: [{ type: "mrkdwn", text: clip(text, LIMITS.contextElementText) }],
});

export const divider = (): Block => ({ type: "divider" });

export const button = (
  text: string,
  actionId: string,
  value: string,
  style?: "primary" | "danger",
): Block => ({
  type: "button",
  text: { type: "plain_text", text: clip(text, LIMITS.buttonText), emoji: true },
  action_id: clip(actionId, LIMITS.actionId),
  value: clip(value, LIMITS.buttonValue),
  ...(style ? { style } : {}),
});

export const actions = (elements: Block[], blockId?: string): Block => ({
  type: "actions",
  ...(blockId ? { block_id: clip(blockId, LIMITS.blockId) } : {}),
  elements: elements.slice(0, LIMITS.actionsElements),
});

export const plain = (text: string, limit = 3000) => ({
  type: "plain_text" as const,
  text: clip(text, limit),
  emoji: true,
});

/** A user mention when we know their Slack id, else their name in bold. */
export function mention(rep: { name: string; slackUserId: string | null } | null): string {
  if (!rep) return "_nobody (white space)_";
  return rep.slackUserId ? `<@${rep.slackUserId}>` : `*${rep.name}*`;
}
