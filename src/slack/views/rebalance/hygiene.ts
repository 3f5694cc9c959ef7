// DMs from the hygiene jobs: white-space offers with their scores, and stale-ownership warnings and
// returns (the guide: accounts with no activity in 90 days go back to the pool, monthly).

import { readableDay } from "../../../domain/dates/format.ts";
import type { StaleNotice } from "../../../services/rebalance/hygiene/stale-ownership.ts";
import type { WhiteSpaceNotice } from "../../../services/rebalance/hygiene/white-space.ts";
import { type Block, context, section } from "../blocks.ts";
import { clip, LIMITS } from "../limits.ts";
import { slackDate } from "../slack-date.ts";
import type { Message } from "./announcement.ts";
import { name, num, packLines } from "./format.ts";

function fitWithinLimits(head: Block[], lines: string[], foot: Block): Block[] {
  const sections = packLines(lines);
  const room = LIMITS.messageBlocks - head.length - 2;
  const blocks = [...head, ...sections.slice(0, room).map((t) => section(t))];
  if (sections.length > room) blocks.push(context("…and more: ask RevOps for the full list."));
  return [...blocks, foot];
}

export function whiteSpaceOfferDm(n: WhiteSpaceNotice): Message {
  const count = n.offers.length;
  const text = clip(
    `${count} white-space account${count === 1 ? "" : "s"} in your territory nobody owns: they're yours to claim.`,
    LIMITS.fallbackText,
  );
  const lines = n.offers.map((o) => {
    const f = o.score.factors;
    return `• *${name(o.name)}* (${o.crmId}): index *${num(o.score.index)}* = ICP fit ${f.icpFit.raw ?? "?"}/5 → ${num(f.icpFit.points)} pts · size ${f.sizeBand.raw ?? "unknown"} → ${num(f.sizeBand.points)} pts · ${f.openOpportunities.raw} open opportunities → ${num(f.openOpportunities.points)} pts`;
  });
  return {
    text,
    blocks: fitWithinLimits(
      [
        section(
          `:seedling: *White space for you.* These ICP-fit accounts match your territory and nobody owns them. Offers go to the rep with the most room by the same allocation index as the quarterly rebalance (your capacity weight is ${num(n.capacityWeight)}).`,
        ),
      ],
      lines,
      context("Want one? Ask your manager or RevOps to assign it to you; the offer stands this quarter."),
    ),
  };
}

export function staleOwnershipDm(n: StaleNotice, staleAfterDays: number, timeZone: string): Message {
  const count = n.accounts.length;
  const lines = n.accounts.map(
    (a) =>
      `• *${name(a.name)}* — last activity ${a.lastTouch ? slackDate(a.lastTouch, timeZone) : "never recorded"}`,
  );
  if (n.kind === "warning") {
    return {
      text: clip(
        `${count} of your accounts have had no activity for ${staleAfterDays} days and go back to the pool on ${readableDay(n.poolDate, timeZone)} unless you log activity.`,
        LIMITS.fallbackText,
      ),
      blocks: fitWithinLimits(
        [
          section(
            `:hourglass: *Heads-up:* these accounts have had no activity for ${staleAfterDays} days. They go back to the pool on ${slackDate(n.poolDate, timeZone)} unless you log activity (or open an opportunity) before then.`,
          ),
        ],
        lines,
        context("Accounts with open opportunities and named accounts never go back to the pool."),
      ),
    };
  }
  return {
    text: clip(
      `${count} of your accounts went back to the pool after ${staleAfterDays} days without activity.`,
      LIMITS.fallbackText,
    ),
    blocks: fitWithinLimits(
      [
        section(
          `:leaves: These accounts went back to the pool today after ${staleAfterDays} days without activity, as announced.`,
        ),
      ],
      lines,
      context(
        "Still working one? Ask your manager to assign it back; the ownership history keeps both steps.",
      ),
    ),
  };
}
