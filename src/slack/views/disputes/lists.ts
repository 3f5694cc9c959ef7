// The arbiter's queue (soonest deadline first), the rep's own open disputes and recent decisions:
// App Home sections and the `/owner disputes` answer.

import { DISPUTE_CATEGORY_LABELS, timeLeftUntil } from "../../../domain/disputes/index.ts";
import { shortRef } from "../../../services/disputes/file-dispute.ts";
import type { DisputeListItem } from "../../../services/disputes/index.ts";
import { type Block, button, context, divider, section } from "../blocks.ts";
import { clip, escapeMrkdwn, LIMITS } from "../limits.ts";
import type { Message } from "./card.ts";
import { DISPUTE_ACTION } from "./ids.ts";

export type DisputeLists = {
  queue: DisputeListItem[];
  mine: DisputeListItem[];
  decided: DisputeListItem[];
  now: Date;
};

function line(item: DisputeListItem, now: Date): string {
  const state =
    item.status === "escalated"
      ? " · ⚠️ escalated"
      : item.status === "info_requested"
        ? " · waiting for info"
        : "";
  return `*${escapeMrkdwn(clip(item.accountName, 120))}* · ${DISPUTE_CATEGORY_LABELS[item.category]} · ${timeLeftUntil(item.dueAt, now)}${state} · ${shortRef(item.id)}`;
}

function decidedLine(item: DisputeListItem): string {
  const verb = item.decision === "transfer" ? "transferred" : "kept";
  const text = item.decisionText ? ` — “${escapeMrkdwn(clip(item.decisionText, 200))}”` : "";
  return `*${escapeMrkdwn(clip(item.accountName, 120))}* · ${verb}${text}`;
}

export function disputeSections(lists: DisputeLists, options: { isArbiter: boolean }): Block[] {
  const blocks: Block[] = [];
  if (options.isArbiter || lists.queue.length > 0) {
    blocks.push(divider(), section("*Disputes waiting for your decision*"));
    if (lists.queue.length === 0) blocks.push(context("Nothing waiting. 🎉"));
    else
      blocks.push(
        section(
          lists.queue
            .slice(0, 15)
            .map((i) => line(i, lists.now))
            .join("\n"),
        ),
      );
  }
  blocks.push(divider(), section("*Your open disputes*"));
  if (lists.mine.length === 0)
    blocks.push(context("None. Use *Dispute this* on any ownership answer to file one."));
  else {
    // One section each, with its Withdraw button, for the first few; the rest as plain lines.
    for (const i of lists.mine.slice(0, 5))
      blocks.push(section(line(i, lists.now), button("Withdraw", DISPUTE_ACTION.withdraw, i.id, "danger")));
    if (lists.mine.length > 5)
      blocks.push(
        section(
          lists.mine
            .slice(5, 15)
            .map((i) => line(i, lists.now))
            .join("\n"),
        ),
      );
  }
  if (lists.decided.length > 0) {
    blocks.push(divider(), section("*Recent decisions*"), section(lists.decided.map(decidedLine).join("\n")));
  }
  return blocks;
}

export function disputeListMessage(lists: DisputeLists, options: { isArbiter: boolean }): Message {
  const blocks = disputeSections(lists, options).filter((b) => b.type !== "divider");
  const text = `${lists.queue.length} waiting for your decision, ${lists.mine.length} open of yours, ${lists.decided.length} recent decisions.`;
  return { text, blocks: blocks.slice(0, LIMITS.messageBlocks) };
}
