import { describe, expect, it } from "vitest";
import type { RebalancePage } from "../../src/services/rebalance/load-rebalance.ts";
import type { MoveLine, RebalancePreview } from "../../src/services/rebalance/preview-rebalance.ts";
import { noticesFor } from "../../src/services/rebalance/publish-rebalance.ts";
import type { RepLine } from "../../src/services/rebalance/summary.ts";
import { LIMITS } from "../../src/slack/views/limits.ts";
import { rebalanceMemo, rebalanceRepDm } from "../../src/slack/views/rebalance/announcement.ts";
import {
  MOVES_PER_PAGE,
  parsePreviewMetadata,
  previewModal,
} from "../../src/slack/views/rebalance/preview-modal.ts";

// Oversized on purpose: 300 reps with long names and 2,000 moves of one rep must still fit Slack.
const LONG = "Übergroße Handelsgesellschaft für Industriebedarf & <Zubehör> ".repeat(4);
const figures = {
  indexTotal: 12345.67,
  adjustedTotal: 10288.06,
  accountCount: 321,
  openPipeline: 1e6,
  coverage: 3.21,
};
const reps: RepLine[] = Array.from({ length: 300 }, (_, i) => ({
  repId: `r${i}`,
  name: `${LONG}${i}`,
  slackUserId: `U0REP${String(i).padStart(5, "0")}`,
  capacityWeight: 1.2,
  quota: 500_000,
  before: figures,
  after: figures,
}));
const moves: MoveLine[] = Array.from({ length: 2000 }, (_, i) => ({
  accountId: `a${String(i).padStart(5, "0")}`,
  accountName: `${LONG}${i}`,
  crmId: `001${i}`,
  fromRepId: "r0",
  fromName: reps[0]?.name ?? "",
  toRepId: `r${1 + (i % 299)}`,
  toName: reps[1 + (i % 299)]?.name ?? "",
  index: 80,
  factors: {
    icpFit: { raw: 5, points: 50 },
    sizeBand: { raw: "ENT", points: 30 },
    openOpportunities: { raw: 0, band: "cold", points: 0 },
    fromCapacityWeight: 1.2,
    toCapacityWeight: 1,
    reason: "balance",
    locked: false,
    named: false,
  },
  appliedAt: null,
  heldReason: null,
}));
const preview: RebalancePreview = {
  id: "0b6c7c1e-2f0a-4c1e-9a43-8d2f1d0e5a77",
  quarter: "FY2027-Q1",
  mode: "quarterly",
  status: "draft",
  effectiveFrom: new Date("2027-01-01T00:00:00Z"),
  createdAt: new Date("2026-11-02T00:00:00Z"),
  createdBy: "U0MANAGER1",
  summary: {
    reps,
    spreadBefore: 3.5,
    spreadAfter: 1.03,
    moveCount: moves.length,
    fromScratchMoveCount: 9000,
    withinTolerance: true,
    trigger: {
      rebalance: true,
      measure: "coverage",
      relativeRange: 1.2,
      reason: "Coverage variance 120 % is above the 25 % trigger.",
    },
    excluded: { unowned: 0, ownerOutsideDraft: 0 },
    lockedAccounts: 10,
  },
  moves,
};

type View = {
  blocks: { type: string; text?: { text: string } }[];
  private_metadata: string;
  title: { text: string };
};

describe("rebalance views stay within Slack's limits", () => {
  it.each([0, 40, 79])("preview modal page %i", (page) => {
    const p: RebalancePage = {
      preview: { ...preview, moves: moves.slice(page * MOVES_PER_PAGE, (page + 1) * MOVES_PER_PAGE) },
      page,
      pageCount: Math.ceil(moves.length / MOVES_PER_PAGE),
      pageSize: MOVES_PER_PAGE,
    };
    const view = previewModal(p, "UTC") as View;
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
    expect(view.title.text.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    for (const b of view.blocks)
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(parsePreviewMetadata(view.private_metadata)).toEqual({ r: preview.id, p: page });
    expect(JSON.stringify(view.blocks)).toContain(`*Moves ${page * MOVES_PER_PAGE + 1}–`);
    // All moves of the page are shown even though the rep table had to be cut.
    expect(view.blocks.filter((b) => b.text?.text.includes("ICP fit 5/5"))).toHaveLength(MOVES_PER_PAGE);
    expect(JSON.stringify(view.blocks)).not.toContain("<Zubehör>");
  });

  it("memo and the busiest rep's DM fit one message each and say what was left out", () => {
    const announcement = {
      channel: "C0REBALANC1",
      preview,
      publishedBy: "U0MANAGER1",
      notices: noticesFor(preview),
    };
    const memo = rebalanceMemo(announcement, "UTC");
    expect(memo.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(memo.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    const busiest = announcement.notices.find((n) => n.rep.id === "r0");
    if (!busiest) throw new Error("r0 has no notice");
    expect(busiest.losses).toHaveLength(2000);
    const dm = rebalanceRepDm(busiest, announcement, "UTC");
    expect(dm.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    for (const b of dm.blocks as View["blocks"])
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(JSON.stringify(dm.blocks)).toMatch(/…and \d+ more lines/);
  });

  it("a rep with a handful of changes sees every account with its scores", () => {
    const small = { ...preview, moves: moves.slice(0, 3), summary: { ...preview.summary, moveCount: 3 } };
    const announcement = {
      channel: "C1",
      preview: small,
      publishedBy: "U0MANAGER1",
      notices: noticesFor(small),
    };
    const r0 = announcement.notices.find((n) => n.rep.id === "r0");
    const text = JSON.stringify(rebalanceRepDm(r0 as NonNullable<typeof r0>, announcement, "UTC").blocks);
    expect(
      text.match(
        /ICP fit 5\/5 → 50\.0 pts · size ENT → 30\.0 pts · 0 open opportunities \(cold\) → 0\.0 pts; your capacity weight 1\.2/g,
      ),
    ).toHaveLength(3);
    expect(text).not.toContain("more lines");
  });
});
