// What publishing sends: one memo to the rebalancing channel, and a DM to each affected rep listing
// every account they gain and lose with its four-factor scores (the guide's "email with the scores").

import { readableDay } from "../../../domain/dates/format.ts";
import type { MoveLine } from "../../../services/rebalance/preview-rebalance.ts";
import type { Announcement, RepNotice } from "../../../services/rebalance/publish-rebalance.ts";
import { type Block, context, header, type Message, section } from "../blocks.ts";
import { clip, LIMITS } from "../limits.ts";
import { slackDate } from "../slack-date.ts";
import { factorsText, name, num, packLines, repLineText, spreadText } from "./format.ts";

/** Re-exported for callers that import it from here (jobs/hygiene-notify.ts). */
export type { Message } from "../blocks.ts";

/** Keeps a message under Slack's 50 blocks, saying how much was left out. */
function fitMessage(fixed: Block[], body: string[], overflowNote: (n: number) => string): Block[] {
  const sections = packLines(body);
  const room = LIMITS.messageBlocks - fixed.length - 1;
  const blocks = [...fixed, ...sections.slice(0, room).map((t) => section(t))];
  if (sections.length > room) {
    const shownLines = sections.slice(0, room).join("\n").split("\n").length;
    blocks.push(context(overflowNote(body.length - shownLines)));
  }
  return blocks;
}

/** `timeZone` is TURF_TIMEZONE: the effective date is the company's calendar day. */
export function rebalanceMemo(a: Announcement, timeZone: string): Message {
  const p = a.preview;
  const s = p.summary;
  const affected = a.notices.length;
  const text = clip(
    `Rebalance ${p.quarter} published: ${s.moveCount} account moves across ${affected} reps, effective ${readableDay(p.effectiveFrom, timeZone)}.`,
    LIMITS.fallbackText,
  );
  const by =
    a.publishedBy.startsWith("U") || a.publishedBy.startsWith("W") ? `<@${a.publishedBy}>` : a.publishedBy;
  const fixed: Block[] = [
    header(`Rebalance ${p.quarter} published`),
    section(
      [
        `*${s.moveCount} account moves* across ${affected} reps take effect ${slackDate(p.effectiveFrom, timeZone)}. Published by ${by}.`,
        `Capacity-adjusted spread (max ÷ min) goes from *${spreadText(s.spreadBefore)}* to *${spreadText(s.spreadAfter)}*. ${s.trigger.reason}`,
        `Accounts with open opportunities and named accounts stay with their owner (${s.lockedAccounts} locked).`,
      ].join("\n"),
    ),
    context(
      "Each affected rep has a DM with the four-factor scores (ICP fit, size band, open opportunities, capacity weight) of every account they gain or lose.",
    ),
  ];
  const gainsLosses = new Map(a.notices.map((n) => [n.rep.id, n]));
  const lines = s.reps.map((r) => {
    const n = gainsLosses.get(r.repId);
    const delta = n ? ` · +${n.gains.length} / −${n.losses.length}` : "";
    return `${repLineText(r)}${delta}`;
  });
  return {
    text,
    blocks: fitMessage(
      fixed,
      lines,
      (n) => `…and ${n} more reps: \`turf rebalance preview\` has the full table.`,
    ),
  };
}

function accountLine(m: MoveLine, direction: "gain" | "lose", capacityWeight: number): string {
  const other =
    direction === "gain"
      ? m.fromName
        ? `from ${name(m.fromName)}`
        : "from white space"
      : `to ${name(m.toName)}`;
  return `• *${name(m.accountName)}*${m.crmId ? ` (${m.crmId})` : ""} ${other}: index *${num(m.index)}* = ${factorsText(m.factors)}; your capacity weight ${num(capacityWeight)}`;
}

export function rebalanceRepDm(notice: RepNotice, a: Announcement, timeZone: string): Message {
  const p = a.preview;
  const cap = notice.rep.capacityWeight;
  const text = clip(
    `Rebalance ${p.quarter}: from ${readableDay(p.effectiveFrom, timeZone)} you gain ${notice.gains.length} and lose ${notice.losses.length} accounts.`,
    LIMITS.fallbackText,
  );
  const fixed: Block[] = [
    header(`Your book in ${p.quarter}`),
    section(
      `From ${slackDate(p.effectiveFrom, timeZone)} you *gain ${notice.gains.length}* and *lose ${notice.losses.length}* accounts. Each account's allocation index is the sum of its factor points below; the draft balances index totals ÷ capacity weight (yours is ${num(cap)}).`,
    ),
  ];
  const body: string[] = [];
  if (notice.gains.length > 0)
    body.push("*You gain*", ...notice.gains.map((m) => accountLine(m, "gain", cap)));
  if (notice.losses.length > 0)
    body.push("*You lose*", ...notice.losses.map((m) => accountLine(m, "lose", cap)));
  const blocks = fitMessage(
    fixed,
    body,
    (n) => `…and ${n} more lines. Ask your manager for the full export.`,
  );
  blocks.push(
    context(
      "Open opportunities stay credited to the rep who worked them. Think a score is wrong? Reply to your manager with the account and the factor.",
    ),
  );
  return { text, blocks: blocks.slice(0, LIMITS.messageBlocks) };
}
