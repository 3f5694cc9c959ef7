import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/slack/views/limits.ts";
import { MOVES_PER_PAGE, REBALANCE_VIEW } from "../../src/slack/views/rebalance/preview-modal.ts";
import type { RecordedCall } from "../harness/fake-slack-api.ts";
import { blockAction, eventCallback, slashCommand, viewSubmission } from "../harness/slack-payloads.ts";
import { skewBook } from "../rebalance/support/skew-book.ts";

import { REBALANCE_CHANNEL, startTurf, type TurfUnderTest } from "../support/turf-app.ts";

// From data/sample/reps.csv.
const MARCUS = "U0Y76WBST3V"; // manager
const MORGAN = "U0Y61QSF18N"; // admin
const DANA = "U0L4A5HCGZ2"; // rep

type View = {
  type: string;
  title: { text: string };
  submit?: { text: string };
  private_metadata?: string;
  blocks: {
    type: string;
    text?: { text: string };
    elements?: { action_id?: string; value?: string; text?: { text: string } }[];
  }[];
};

const textOf = (view: View): string => JSON.stringify(view.blocks);

describe("/rebalance preview and publish through signed Slack requests", () => {
  let turf: TurfUnderTest;
  beforeAll(async () => {
    turf = await startTurf({
      settings: { teamQuota: 24_000_000 },
      prepare: (db) => skewBook(db.prisma, 200, new Date("2026-11-01T00:00:00Z")),
    });
  });
  afterAll(async () => turf.stop());
  afterEach(() => {
    expect(turf.fake.violations).toEqual([]);
  });

  async function command(userId: string, text: string) {
    const responseUrl = turf.fake.responseUrl();
    const before = turf.fake.calls.length;
    const res = await turf.send(slashCommand({ command: "/rebalance", text, userId, responseUrl }));
    expect(res.status).toBe(200);
    const replies = turf.fake.responses
      .filter((r) => r.url === responseUrl)
      .map((r) => r.body as { text: string; response_type: string });
    return { replies, calls: turf.fake.calls.slice(before) };
  }

  function lastView(calls: RecordedCall[], method: string): { view: View; viewId: string } {
    const call = calls.filter((c) => c.method === method).at(-1);
    expect(call, `expected a ${method} call`).toBeDefined();
    return { view: call?.args.view as View, viewId: String(call?.args.view_id ?? "") };
  }

  function expectWithinLimits(view: View) {
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
    expect(view.title.text.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    expect((view.private_metadata ?? "").length).toBeLessThanOrEqual(LIMITS.privateMetadata);
    for (const b of view.blocks)
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
  }

  let previewed: { rebalanceId: string; viewId: string; view: View } | undefined;

  it.each([
    [DANA, "preview"],
    [DANA, "preview FY2027-Q2"],
  ])("refuses %s politely and opens nothing (%s)", async (userId, text) => {
    const { replies, calls } = await command(userId, text);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.response_type).toBe("ephemeral");
    expect(replies[0]?.text).toMatch(/for sales managers and RevOps admins/);
    expect(calls.filter((c) => c.method.startsWith("views."))).toEqual([]);
    expect(await turf.db.prisma.rebalance.count()).toBe(0);
  });

  it("explains itself for /rebalance and /rebalance help", async () => {
    for (const text of ["", "help", "frobnicate"]) {
      const { replies } = await command(DANA, text);
      expect(replies[0]?.text).toMatch(/\/rebalance preview\*/);
    }
  });

  it("opens a modal at once and fills it with before/after per rep, the spread and the first page of moves", async () => {
    const { calls, replies } = await command(MARCUS, "preview");
    expect(replies).toEqual([]);
    const opened = calls.find((c) => c.method === "views.open");
    expect(opened?.args.trigger_id).toBeTruthy();
    const { view, viewId } = lastView(calls, "views.update");
    expect(viewId).toMatch(/^V/);
    expectWithinLimits(view);
    expect(view.title.text).toBe("Rebalance FY2027-Q1");
    expect(view.submit?.text).toBe("Publish");
    const text = textOf(view);
    expect(text).toContain("Before → after per rep");
    for (const name of ["Alex Brennan", "Riley Okafor", "Dana Whitfield", "Mei Tanaka"])
      expect(text).toContain(name);
    expect(text).toMatch(/Spread\* \(max ÷ min capacity-adjusted\) \d+\.\d\d → \d+\.\d\d/);
    const rebalance = await turf.db.prisma.rebalance.findFirstOrThrow({
      include: { _count: { select: { moves: true } } },
    });
    expect(rebalance.status).toBe("draft");
    expect(rebalance.effectiveFrom.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(rebalance._count.moves).toBeGreaterThan(2 * MOVES_PER_PAGE);
    expect(text).toContain(`*Moves 1–${MOVES_PER_PAGE} of ${rebalance._count.moves}*`);
    expect(JSON.parse(view.private_metadata ?? "")).toEqual({ r: rebalance.id, p: 0 });
    const pager = view.blocks.find((b) => b.type === "actions");
    expect(pager?.elements?.map((e) => e.action_id)).toEqual([REBALANCE_VIEW.nextPage]);
    previewed = { rebalanceId: rebalance.id, viewId, view };
  });

  it("pages through the moves with Next and Previous, each page within Slack's limits", async () => {
    if (!previewed) throw new Error("preview test did not run");
    const moves = await turf.db.prisma.rebalanceMove.count({ where: { rebalanceId: previewed.rebalanceId } });
    const pages = Math.ceil(moves / MOVES_PER_PAGE);
    let metadata = previewed.view.private_metadata ?? "";
    for (let page = 1; page < pages; page++) {
      const before = turf.fake.calls.length;
      const res = await turf.send(
        blockAction({
          userId: MARCUS,
          actionId: REBALANCE_VIEW.nextPage,
          value: String(page),
          view: { id: previewed.viewId, callbackId: REBALANCE_VIEW.callbackId, privateMetadata: metadata },
        }),
      );
      expect(res.status).toBe(200);
      const update = turf.fake.calls.slice(before).find((c) => c.method === "views.update");
      expect(update?.args.view_id).toBe(previewed.viewId);
      const view = update?.args.view as View;
      expectWithinLimits(view);
      const first = page * MOVES_PER_PAGE + 1;
      expect(textOf(view)).toContain(
        `*Moves ${first}–${Math.min(first + MOVES_PER_PAGE - 1, moves)} of ${moves}*`,
      );
      expect(JSON.parse(view.private_metadata ?? "")).toEqual({ r: previewed.rebalanceId, p: page });
      const actionIds = view.blocks.find((b) => b.type === "actions")?.elements?.map((e) => e.action_id);
      expect(actionIds).toEqual(
        page === pages - 1
          ? [REBALANCE_VIEW.previousPage]
          : [REBALANCE_VIEW.previousPage, REBALANCE_VIEW.nextPage],
      );
      metadata = view.private_metadata ?? "";
    }
    const before = turf.fake.calls.length;
    await turf.send(
      blockAction({
        userId: MARCUS,
        actionId: REBALANCE_VIEW.previousPage,
        value: "0",
        view: { id: previewed.viewId, callbackId: REBALANCE_VIEW.callbackId, privateMetadata: metadata },
      }),
    );
    const back = turf.fake.calls.slice(before).find((c) => c.method === "views.update")?.args.view as View;
    expect(textOf(back)).toContain(`*Moves 1–${MOVES_PER_PAGE} of ${moves}*`);
  });

  it("publishes once: one memo to the channel and a DM with four-factor scores to each affected rep", async () => {
    if (!previewed) throw new Error("preview test did not run");
    const before = turf.fake.calls.length;
    const res = await turf.send(
      viewSubmission({
        userId: MARCUS,
        callbackId: REBALANCE_VIEW.callbackId,
        privateMetadata: previewed.view.private_metadata ?? "",
      }),
    );
    expect(res.status).toBe(200);
    const ack = res.json as { response_action: string; view: View };
    expect(ack.response_action).toBe("update");
    expect(textOf(ack.view)).toContain("Published");
    const calls = turf.fake.calls.slice(before);
    const posts = calls.filter((c) => c.method === "chat.postMessage");
    const memos = posts.filter((c) => c.args.channel === REBALANCE_CHANNEL);
    expect(memos).toHaveLength(1);
    expect(String(memos[0]?.args.text)).toMatch(/Rebalance FY2027-Q1 published: \d+ account moves/);
    expect((memos[0]?.args.blocks as unknown[] | undefined)?.length).toBeLessThanOrEqual(
      LIMITS.messageBlocks,
    );

    const moves = await turf.db.prisma.rebalanceMove.findMany({
      where: { rebalanceId: previewed.rebalanceId },
    });
    const affected = new Set(moves.flatMap((m) => [m.toRepId, m.fromRepId ?? ""]).filter(Boolean));
    const reps = await turf.db.prisma.rep.findMany({ where: { id: { in: [...affected] } } });
    const withSlack = reps.filter((r) => r.slackUserId);
    const opened = calls.filter((c) => c.method === "conversations.open").map((c) => c.args.users);
    expect(new Set(opened)).toEqual(new Set(withSlack.map((r) => r.slackUserId)));
    const dms = posts.filter((c) => String(c.args.channel).startsWith("D"));
    expect(dms).toHaveLength(withSlack.length);

    // Alex loses accounts to Riley (no Slack id: named in the memo, no DM) and gains none.
    const alex = withSlack.find((r) => r.name === "Alex Brennan");
    const alexDm = dms.find((c) => String(c.args.channel).includes(String(alex?.slackUserId).slice(1, 9)));
    const alexText = JSON.stringify(alexDm?.args.blocks);
    expect(alexText).toContain("You lose");
    expect(alexText).toMatch(
      /Skewfield Retail \d{4}\*? \(00SKEW\d+\) to Riley Okafor: index \*40\.0\* = ICP fit 3\/5 → 30\.0 pts · size SMB → 10\.0 pts · 0 open opportunities \(cold\) → 0\.0 pts; your capacity weight 1\.0/,
    );
    for (const dm of dms)
      expect((dm.args.blocks as unknown[]).length).toBeLessThanOrEqual(LIMITS.messageBlocks);

    const stored = await turf.db.prisma.rebalance.findUniqueOrThrow({ where: { id: previewed.rebalanceId } });
    expect(stored.status).toBe("published");
    expect(stored.publishedBy).toBe(MARCUS);
    expect(
      await turf.db.prisma.auditEvent.count({
        where: { action: "rebalance.published", subjectId: stored.id },
      }),
    ).toBe(1);
  });

  it("publishing again (a second click, a retry, another manager) sends nothing", async () => {
    if (!previewed) throw new Error("preview test did not run");
    for (const userId of [MARCUS, MORGAN]) {
      const before = turf.fake.calls.length;
      const res = await turf.send(
        viewSubmission({
          userId,
          callbackId: REBALANCE_VIEW.callbackId,
          privateMetadata: previewed.view.private_metadata ?? "",
        }),
      );
      const ack = res.json as { view: View };
      expect(textOf(ack.view)).toContain("already published");
      expect(
        turf.fake.calls
          .slice(before)
          .filter((c) => c.method === "chat.postMessage" || c.method === "conversations.open"),
      ).toEqual([]);
    }
    expect(await turf.db.prisma.auditEvent.count({ where: { action: "rebalance.published" } })).toBe(1);
  });

  it("refuses a publish from someone who is not a manager, even with a valid preview id", async () => {
    const draft = await turf.services.previewRebalance({ actor: MORGAN });
    if (!draft.ok) throw new Error(draft.error.message);
    const res = await turf.send(
      viewSubmission({
        userId: DANA,
        callbackId: REBALANCE_VIEW.callbackId,
        privateMetadata: JSON.stringify({ r: draft.value.id, p: 0 }),
      }),
    );
    expect(textOf((res.json as { view: View }).view)).toMatch(/for sales managers and RevOps admins/);
    const stored = await turf.db.prisma.rebalance.findUniqueOrThrow({ where: { id: draft.value.id } });
    expect(stored.status).toBe("draft");
  });

  it("says why when the quarter has already started", async () => {
    const { calls } = await command(MORGAN, "preview FY2026-Q4");
    const { view } = lastView(calls, "views.update");
    expect(textOf(view)).toMatch(/FY2026-Q4 has already started.*The next one is FY2027-Q1/);
    expect(view.submit).toBeUndefined();
  });

  it("shows managers a territory health section on App Home, and reps none", async () => {
    for (const [userId, shown] of [
      [MARCUS, true],
      [DANA, false],
    ] as const) {
      const before = turf.fake.calls.length;
      const res = await turf.send(eventCallback({ type: "app_home_opened", user: userId }));
      expect(res.status).toBe(200);
      const publish = turf.fake.calls.slice(before).find((c) => c.method === "views.publish");
      const view = publish?.args.view as View;
      expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
      const text = textOf(view);
      expect(text.includes("*Territory health* (managers)")).toBe(shown);
      if (shown) {
        expect(text).toMatch(
          /\*EMEA\* \d+\.\dx — (below 2\.5x, cannot make the number|thin|healthy|heavy|above 6x)/,
        );
        expect(text).toContain("Your recent lookups");
      }
    }
  });
});
