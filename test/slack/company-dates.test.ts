// Every date a person reads is a date in TURF_TIMEZONE: with the company in Berlin and a fiscal year
// from February, the quarter starts at midnight Berlin on 1 Feb 2027 (31 Jan 23:00 UTC), and the
// modal, publish confirmation, memo, DMs and CLI all say so; Los Angeles the other way round.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.ts";
import { REBALANCE_VIEW } from "../../src/slack/views/rebalance/preview-modal.ts";
import { slashCommand, viewSubmission } from "../harness/slack-payloads.ts";
import { skewBook } from "../rebalance/support/skew-book.ts";
import { databaseKinds } from "../support/databases.ts";
import { REBALANCE_CHANNEL, startTurf, type TurfUnderTest } from "../support/turf-app.ts";

const MARCUS = "U0Y76WBST3V"; // manager in data/sample

type View = { submit?: { text: string }; private_metadata?: string; blocks: unknown[] };

const cases = [
  {
    zone: "Europe/Berlin",
    startMonth: 2,
    now: new Date("2026-12-15T10:00:00Z"),
    quarter: "FY2028-Q1",
    effectiveUtc: "2027-01-31T23:00:00.000Z",
    iso: "2027-02-01",
    readable: "1 Feb 2027",
    wrong: [/2027-01-31/, /31 Jan 2027/],
  },
  {
    zone: "America/Los_Angeles",
    startMonth: 1,
    now: new Date("2026-12-15T10:00:00Z"),
    quarter: "FY2027-Q1",
    effectiveUtc: "2027-01-01T08:00:00.000Z",
    iso: "2027-01-01",
    readable: "1 Jan 2027",
    wrong: [/2026-12-31/, /31 Dec 2026/],
  },
];

describe.each(databaseKinds())("dates in the company time zone (%s)", (kind) => {
  describe.each(cases)("$zone, fiscal year from month $startMonth", (c) => {
    let turf: TurfUnderTest;
    beforeAll(async () => {
      turf = await startTurf({
        kind,
        now: c.now,
        settings: { calendar: { startMonth: c.startMonth, timeZone: c.zone }, teamQuota: 24_000_000 },
        prepare: (db) => skewBook(db.prisma, 60, new Date("2026-12-01T00:00:00Z")),
      });
    });
    afterAll(async () => turf?.stop());

    it("modal, publish confirmation, memo and DMs name the company-zone day", async () => {
      const responseUrl = turf.fake.responseUrl();
      const before = turf.fake.calls.length;
      await turf.send(slashCommand({ command: "/rebalance", text: "preview", userId: MARCUS, responseUrl }));
      const update = turf.fake.calls
        .slice(before)
        .filter((x) => x.method === "views.update")
        .at(-1);
      const view = update?.args.view as View;
      const modal = JSON.stringify(view.blocks);
      const stored = await turf.db.prisma.rebalance.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
      expect(stored.quarter).toBe(c.quarter);
      expect(stored.effectiveFrom.toISOString()).toBe(c.effectiveUtc);
      expect(modal).toContain(`|${c.readable}>`);

      const published = turf.fake.calls.length;
      const res = await turf.send(
        viewSubmission({
          userId: MARCUS,
          callbackId: REBALANCE_VIEW.callbackId,
          privateMetadata: view.private_metadata ?? "",
        }),
      );
      const confirmation = JSON.stringify((res.json as { view: View }).view.blocks);
      expect(confirmation).toContain(`Moves apply on ${c.readable}.`);
      const posts = turf.fake.calls.slice(published).filter((x) => x.method === "chat.postMessage");
      const memo = posts.find((p) => p.args.channel === REBALANCE_CHANNEL);
      expect(String(memo?.args.text)).toContain(`effective ${c.readable}.`);
      expect(JSON.stringify(memo?.args.blocks)).toContain(`|${c.readable}>`);
      const dms = posts.filter((p) => String(p.args.channel).startsWith("D"));
      expect(dms.length).toBeGreaterThan(0);
      for (const dm of dms) {
        expect(String(dm.args.text)).toContain(`from ${c.readable} you gain`);
        expect(JSON.stringify(dm.args.blocks)).toContain(`|${c.readable}>`);
      }
      for (const surface of [modal, confirmation, ...posts.map((p) => JSON.stringify(p.args))])
        for (const wrong of c.wrong) expect(surface).not.toMatch(wrong);
    });

    it("the CLI preview prints the company-zone day", async () => {
      const out: string[] = [];
      const code = await runCli(["rebalance", "preview", "--format", "markdown"], {
        database: turf.db,
        env: { TURF_TIMEZONE: c.zone, TURF_FISCAL_YEAR_START_MONTH: String(c.startMonth) },
        now: c.now,
        out: (line) => out.push(line),
        err: (line) => out.push(line),
      });
      expect(code).toBe(0);
      const text = out.join("\n");
      expect(text).toContain(`Takes effect ${c.iso} (${c.zone})`);
      for (const wrong of c.wrong) expect(text).not.toMatch(wrong);
    });
  });
});
