// The /rebalance preview modal: before/after per rep, the spread, the number of moves, and the moves
// one page at a time (Slack allows 100 blocks a view). private_metadata carries only the id and page.
import type { Button, ModalView } from "@slack/types";
import { z } from "zod";
import type { RebalancePage } from "../../../services/rebalance/load-rebalance.ts";
import type { MoveLine } from "../../../services/rebalance/preview-rebalance.ts";
import { actions, type Block, button, context, divider, header, section } from "../blocks.ts";
import { clip, LIMITS } from "../limits.ts";
import { slackDate } from "../slack-date.ts";
import { factorsText, name, num, packLines, repLineText, spreadText } from "./format.ts";

export const REBALANCE_VIEW = {
  callbackId: "rebalance_preview",
  nextPage: "rebalance_next_page",
  previousPage: "rebalance_previous_page",
  draftAnyway: "rebalance_draft_anyway",
} as const;

/** 25 one-section moves leave room for the header, the per-rep table and the pager. */
export const MOVES_PER_PAGE = 25;

export const ZPreviewMetadata = z.object({ r: z.uuid(), p: z.number().int().min(0) });
export type PreviewMetadata = z.infer<typeof ZPreviewMetadata>;

export function previewMetadata(rebalanceId: string, page: number): string {
  return JSON.stringify({ r: rebalanceId, p: page } satisfies PreviewMetadata);
}

export function parsePreviewMetadata(raw: string): PreviewMetadata | null {
  try {
    const parsed = ZPreviewMetadata.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const title = (text: string) => ({
  type: "plain_text" as const,
  text: clip(text, LIMITS.modalTitle),
  emoji: true,
});

/** Shown at once, because the trigger id expires in 3 s and a big book takes longer to draft. */
export function draftingModal(): ModalView {
  return {
    type: "modal",
    callback_id: REBALANCE_VIEW.callbackId,
    title: title("Rebalance"),
    close: title("Close"),
    blocks: [section(":hourglass_flowing_sand: Scoring accounts and drafting the rebalance…")],
  };
}

export function messageModal(heading: string, text: string): ModalView {
  return {
    type: "modal",
    callback_id: REBALANCE_VIEW.callbackId,
    title: title(heading),
    close: title("Close"),
    blocks: [section(text)],
  };
}

/**
 * Below the guide's trigger: no draft was stored, so there is nothing to publish. The measured
 * figure is in `message`; the button drafts on purpose (value: the quarter asked for, or "").
 */
export function belowTriggerModal(message: string, quarter: string | undefined): ModalView {
  return {
    type: "modal",
    callback_id: REBALANCE_VIEW.callbackId,
    title: title("No rebalance needed"),
    close: title("Close"),
    blocks: [
      section(`:white_check_mark: ${message}`),
      actions(
        [button("Draft anyway", REBALANCE_VIEW.draftAnyway, clip(quarter ?? "", 100))],
        "rebalance_force",
      ),
    ],
  };
}

export function moveText(m: MoveLine): string {
  const from = m.fromName ? name(m.fromName) : "_white space_";
  const status = m.heldReason ? ` · _held: ${m.heldReason}_` : m.appliedAt ? " · _applied_" : "";
  return `*${name(m.accountName)}* · index ${num(m.index)} · ${from} → ${name(m.toName)}${status}\n${factorsText(m.factors)} · capacity ${m.factors.fromCapacityWeight === null ? "–" : num(m.factors.fromCapacityWeight)} → ${num(m.factors.toCapacityWeight)}`;
}

/** `timeZone` is TURF_TIMEZONE: "takes effect" is the company's calendar day. */
export function previewModal(page: RebalancePage, timeZone: string): ModalView {
  const p = page.preview;
  const s = p.summary;
  const blocks: Block[] = [
    header(`${p.mode === "quarterly" ? "Quarterly rebalance" : "Structural change"} ${p.quarter}`),
    section(
      [
        `*Takes effect* ${slackDate(p.effectiveFrom, timeZone)} · *status* ${p.status}`,
        `*Moves* ${s.moveCount}${s.fromScratchMoveCount === null ? "" : ` (a from-scratch draft would move ${s.fromScratchMoveCount})`}`,
        `*Spread* (max ÷ min capacity-adjusted) ${spreadText(s.spreadBefore)} → ${spreadText(s.spreadAfter)}${s.withinTolerance ? "" : " _(outside tolerance: locks or territories limit it)_"}`,
      ].join("\n"),
    ),
    context(
      `${s.trigger.rebalance ? ":rotating_light: Trigger fires." : "Trigger does not fire."} ${s.trigger.reason} ${s.lockedAccounts} locked accounts (open opportunities or named) stay put.`,
    ),
    divider(),
    section("*Before → after per rep*"),
  ];
  const repSections = packLines(s.reps.map(repLineText)).map((t) => section(t));
  // Room for the moves and the pager comes first; a huge team's table is cut with a note.
  const repBudget = LIMITS.viewBlocks - blocks.length - (MOVES_PER_PAGE + 5);
  blocks.push(...repSections.slice(0, repBudget));
  if (repSections.length > repBudget)
    blocks.push(context("More reps than fit here: `turf rebalance preview` prints them all."));
  blocks.push(divider());
  if (p.moves.length === 0) {
    blocks.push(section("_No account needs to move: the books are already within tolerance._"));
  } else {
    const first = page.page * page.pageSize + 1;
    blocks.push(
      section(
        `*Moves ${first}–${first + p.moves.length - 1} of ${s.moveCount}*, biggest allocation index first`,
      ),
    );
    for (const m of p.moves.slice(0, MOVES_PER_PAGE)) blocks.push(section(moveText(m)));
  }
  if (page.pageCount > 1) {
    const pager: Button[] = [];
    if (page.page > 0) pager.push(button("◀ Previous", REBALANCE_VIEW.previousPage, String(page.page - 1)));
    if (page.page < page.pageCount - 1)
      pager.push(button("Next ▶", REBALANCE_VIEW.nextPage, String(page.page + 1)));
    blocks.push(context(`Page ${page.page + 1} of ${page.pageCount}`), actions(pager, "rebalance_pager"));
  }
  return {
    type: "modal",
    callback_id: REBALANCE_VIEW.callbackId,
    title: title(`Rebalance ${p.quarter}`),
    ...(p.status === "draft" ? { submit: title("Publish") } : {}),
    close: title("Close"),
    private_metadata: previewMetadata(p.id, page.page),
    blocks: blocks.slice(0, LIMITS.viewBlocks),
  };
}
