// The guide's tactical trigger, honestly: "coverage variance above 25 %" on pipeline coverage (open
// pipeline ÷ quota). Below it /rebalance preview says no rebalance is needed, with the measured figure,
// stores nothing and offers no Publish; a manager can still draft on purpose.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { REBALANCE_VIEW } from "../../src/slack/views/rebalance/preview-modal.ts";
import { blockAction, slashCommand } from "../harness/slack-payloads.ts";
import { databaseKinds } from "../support/databases.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

const MANAGER = "U0MANAGER01";
const PER_REP_ANNUAL_QUOTA = 4_000_000; // 1,000,000 a quarter

/** One territory, a manager and one rep per coverage figure, each with one open deal worth coverage × quarterly quota. */
async function guideTeam(db: Db, coverages: number[]): Promise<void> {
  const territory = await db.territory.create({
    data: { name: "NA Commercial", model: "geographic", regions: ["NA"], industries: [], sizeBands: [] },
  });
  await db.rep.create({
    data: { email: "manager@example.com", name: "Morgan Manager", slackUserId: MANAGER, roles: ["manager"] },
  });
  for (const [i, coverage] of coverages.entries()) {
    const rep = await db.rep.create({
      data: {
        email: `rep${i}@example.com`,
        name: `Rep ${String.fromCharCode(65 + i)}`,
        slackUserId: `U0REP0000${i}`,
        roles: ["rep"],
        territories: { create: { territoryId: territory.id } },
      },
    });
    const account = await db.account.create({
      data: {
        crmId: `ACC${i}`,
        name: `Account ${i}`,
        normalizedName: `account ${i}`,
        compactName: `account${i}`,
        coreName: `account ${i}`,
        region: "NA",
        country: "US",
        sizeBand: "MM",
        icpFit: 4,
      },
    });
    await db.ownership.create({
      data: {
        accountId: account.id,
        repId: rep.id,
        effectiveFrom: new Date("2026-01-01T00:00:00Z"),
        cause: "import",
      },
    });
    await db.opportunity.create({
      data: {
        crmId: `OPP${i}`,
        accountId: account.id,
        ownerRepId: rep.id,
        amount: coverage * (PER_REP_ANNUAL_QUOTA / 4),
        stage: "Proposal",
        isOpen: true,
      },
    });
  }
}

type View = { title: { text: string }; submit?: { text: string }; blocks: unknown[] };

describe.each(databaseKinds())("rebalance trigger (%s)", (kind) => {
  async function preview(turf: TurfUnderTest, text: string) {
    const before = turf.fake.calls.length;
    const res = await turf.send(
      slashCommand({ command: "/rebalance", text, userId: MANAGER, responseUrl: turf.fake.responseUrl() }),
    );
    expect(res.status).toBe(200);
    const update = turf.fake.calls
      .slice(before)
      .filter((c) => c.method === "views.update")
      .at(-1);
    return { view: update?.args.view as View, viewId: String(update?.args.view_id ?? "") };
  }

  describe("the guide's after state: every rep between 3.4x and 3.9x (14 %)", () => {
    let turf: TurfUnderTest;
    beforeAll(async () => {
      turf = await startTurf({
        kind,
        sampleData: false,
        settings: { teamQuota: 3 * PER_REP_ANNUAL_QUOTA },
        prepare: (db) => guideTeam(db.prisma, [3.4, 3.6, 3.9]),
      });
    });
    afterAll(async () => turf?.stop());
    afterEach(() => expect(turf.fake.violations).toEqual([]));

    it("says no rebalance is needed, with the measured figure, stores nothing and offers no Publish", async () => {
      const { view } = await preview(turf, "preview");
      expect(view.title.text).toBe("No rebalance needed");
      expect(view.submit).toBeUndefined();
      const text = JSON.stringify(view.blocks);
      expect(text).toContain("No rebalance is needed for FY2027-Q1");
      expect(text).toContain("Pipeline coverage varies 14 % across reps");
      expect(text).toContain("from 3.40x for Rep A to 3.90x for Rep C");
      expect(text).toContain("within the 25 % trigger");
      expect(text).not.toMatch(/index total/);
      expect(text).toContain(REBALANCE_VIEW.draftAnyway);
      expect(await turf.db.prisma.rebalance.count()).toBe(0);
    });

    it("Draft anyway drafts on purpose: a stored draft with Publish, still saying the trigger does not fire", async () => {
      const { view, viewId } = await preview(turf, "preview");
      const before = turf.fake.calls.length;
      await turf.send(
        blockAction({
          userId: MANAGER,
          actionId: REBALANCE_VIEW.draftAnyway,
          value: "",
          view: { id: viewId, callbackId: REBALANCE_VIEW.callbackId, privateMetadata: "" },
        }),
      );
      const drafted = turf.fake.calls
        .slice(before)
        .filter((c) => c.method === "views.update")
        .at(-1)?.args.view as View;
      expect(view.submit).toBeUndefined();
      expect(drafted.submit?.text).toBe("Publish");
      expect(JSON.stringify(drafted.blocks)).toContain("Trigger does not fire.");
      expect(await turf.db.prisma.rebalance.count()).toBe(1);
    });

    it("/rebalance preview force drafts too; a rep can't", async () => {
      const { view } = await preview(turf, "preview force");
      expect(view.submit?.text).toBe("Publish");
      expect(await turf.db.prisma.rebalance.count()).toBe(2);
      const before = turf.fake.calls.length;
      await turf.send(
        blockAction({
          userId: "U0REP00000",
          actionId: REBALANCE_VIEW.draftAnyway,
          value: "",
          view: { id: "V0FAKE", callbackId: REBALANCE_VIEW.callbackId, privateMetadata: "" },
        }),
      );
      expect(await turf.db.prisma.rebalance.count()).toBe(2);
      const update = turf.fake.calls.slice(before).find((c) => c.method === "views.update");
      expect(JSON.stringify(update?.args.view)).toMatch(/for sales managers and RevOps admins/);
    });
  });

  describe("the guide's before state: 1.8x to 4.1x (74 %)", () => {
    let turf: TurfUnderTest;
    beforeAll(async () => {
      turf = await startTurf({
        kind,
        sampleData: false,
        settings: { teamQuota: 4 * PER_REP_ANNUAL_QUOTA },
        prepare: (db) => guideTeam(db.prisma, [1.8, 4.1, 3.0, 3.5]),
      });
    });
    afterAll(async () => turf?.stop());

    it("drafts with Publish and names pipeline coverage as what it measured", async () => {
      const { view } = await preview(turf, "preview");
      expect(view.submit?.text).toBe("Publish");
      const text = JSON.stringify(view.blocks);
      expect(text).toContain("Trigger fires.");
      expect(text).toContain("Pipeline coverage varies 74 % across reps");
    });
  });

  describe("without a team quota", () => {
    let turf: TurfUnderTest;
    beforeAll(async () => {
      turf = await startTurf({
        kind,
        sampleData: false,
        prepare: (db) => guideTeam(db.prisma, [3.4, 3.6, 3.9]),
      });
    });
    afterAll(async () => turf?.stop());

    it("says it measured capacity-adjusted index totals, not coverage", async () => {
      const { view } = await preview(turf, "preview");
      const text = JSON.stringify(view.blocks);
      expect(text).toContain(
        "Capacity-adjusted index total (no quota set, so not pipeline coverage) varies 0 %",
      );
      expect(text).not.toMatch(/Pipeline coverage varies/);
    });
  });
});
