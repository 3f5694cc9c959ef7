import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/config/clock.ts";
import type { AppEnv } from "../../src/config/env.ts";
import { createHygieneStaleJob } from "../../src/jobs/hygiene-stale.ts";
import { createHygieneWhiteSpaceJob } from "../../src/jobs/hygiene-white-space.ts";
import { createServices } from "../../src/services/index.ts";
import { poolDates } from "../../src/services/rebalance/hygiene/month.ts";
import { sweepStaleOwnership } from "../../src/services/rebalance/hygiene/stale-ownership.ts";
import { offerWhiteSpace } from "../../src/services/rebalance/hygiene/white-space.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { noticeMessages } from "../../src/slack/listeners/disputes/send.ts";
import { outboxClient, slackTransport } from "../../src/slack/outbox-transport.ts";
import { slackSignalDelivery } from "../../src/slack/senders/signal-delivery.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../harness/fake-slack-api.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { BOT_TOKEN } from "../support/turf-app.ts";

const LOADED = new Date("2026-11-02T09:00:00Z");

describe("poolDates", () => {
  it.each([
    ["2026-11-25T10:00:00Z", "UTC", "2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z", "2026-12"],
    ["2026-12-31T23:30:00Z", "UTC", "2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z", "2027-01"],
    // 23:30 UTC on 31 Dec is already 1 Jan in Berlin.
    [
      "2026-12-31T23:30:00Z",
      "Europe/Berlin",
      "2026-12-31T23:00:00.000Z",
      "2027-01-31T23:00:00.000Z",
      "2027-02",
    ],
    [
      "2026-03-15T12:00:00Z",
      "America/New_York",
      "2026-03-01T05:00:00.000Z",
      "2026-04-01T04:00:00.000Z",
      "2026-04",
    ],
  ])("%s in %s", (now, tz, current, next, label) => {
    const d = poolDates(new Date(now), tz);
    expect(d.current.at.toISOString()).toBe(current);
    expect(d.next.at.toISOString()).toBe(next);
    expect(d.next.label).toBe(label);
  });
});

describe.each(databaseKinds())("hygiene jobs (%s)", (kind) => {
  let db: TestDatabase;
  let fake: FakeSlackApi;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await loadSampleData(db.prisma, LOADED);
    fake = await startFakeSlackApi();
  });
  afterAll(async () => {
    await fake.stop();
    await db.drop();
  });

  function jobDeps(now: Date) {
    const clock = fixedClock(now);
    const services = createServices(db.prisma, clock);
    const logger = pino({ level: "silent" });
    return {
      db: db.prisma,
      services,
      logger,
      env: {} as AppEnv,
      clock,
      notifier: services.outbox.notifier(slackTransport(outboxClient(BOT_TOKEN, fake.url)), logger),
      composeNotice: noticeMessages,
      signalSlack: slackSignalDelivery(outboxClient(BOT_TOKEN, fake.url), "UTC"),
    };
  }

  /** Owned, unlocked accounts whose last activity is before the cut-off: what the guide calls stale. */
  async function staleByHand(before: Date): Promise<Set<string>> {
    const rows = await db.prisma.account.findMany({
      where: {
        named: false,
        lastActivityAt: { lt: before },
        opportunities: { none: { isOpen: true } },
        ownerships: { some: { effectiveTo: null, repId: { not: null } } },
      },
      select: { id: true },
    });
    return new Set(rows.map((r) => r.id));
  }

  describe("stale ownership", () => {
    let warned: string[] = [];

    it("warns nobody before the warning window of the next monthly return opens", async () => {
      expect(await sweepStaleOwnership(db.prisma, { now: new Date("2026-11-23T23:59:00Z") })).toEqual([]);
      expect(await db.prisma.auditEvent.count({ where: { action: { startsWith: "hygiene.stale" } } })).toBe(
        0,
      );
    });

    it("7 days before the 1st, DMs each rep the unlocked accounts with no activity in 90 days by then", async () => {
      const now = new Date("2026-11-24T08:00:00Z");
      const before = fake.calls.length;
      await createHygieneStaleJob().run(jobDeps(now));
      const events = await db.prisma.auditEvent.findMany({ where: { action: "hygiene.stale_warning" } });
      warned = events.map((e) => e.subjectId).sort();
      const expected = [...(await staleByHand(new Date("2026-09-02T00:00:00Z")))].sort();
      expect(warned.length).toBeGreaterThan(5);
      expect(warned).toEqual(expected);
      for (const e of events)
        expect(e.details).toMatchObject({ cycle: "2026-12", poolDate: "2026-12-01T00:00:00.000Z" });
      const dms = fake.calls.slice(before).filter((c) => c.method === "chat.postMessage");
      expect(dms.length).toBeGreaterThan(0);
      expect(String(dms[0]?.args.text)).toMatch(
        /no activity for 90 days and go back to the pool on 1 Dec 2026/,
      );
      expect(fake.violations).toEqual([]);
    });

    it("a second sweep in the window warns nobody twice", async () => {
      expect(await sweepStaleOwnership(db.prisma, { now: new Date("2026-11-28T08:00:00Z") })).toEqual([]);
      expect(await db.prisma.auditEvent.count({ where: { action: "hygiene.stale_warning" } })).toBe(
        warned.length,
      );
    });

    it("on the 1st returns the warned accounts to the pool, except those touched or locked since the warning", async () => {
      const [touched, gainedDeal, ...rest] = warned as [string, string, ...string[]];
      await db.prisma.account.update({
        where: { id: touched },
        data: { lastActivityAt: new Date("2026-11-29T12:00:00Z") },
      });
      await db.prisma.opportunity.create({
        data: {
          crmId: "006STALEGUARD0001",
          accountId: gainedDeal,
          amount: 10_000,
          stage: "Discovery",
          isOpen: true,
        },
      });
      const now = new Date("2026-12-01T06:00:00Z");
      const notices = await sweepStaleOwnership(db.prisma, { now });
      expect(notices.every((n) => n.kind === "returned")).toBe(true);
      const returned = notices.flatMap((n) => n.accounts.map((a) => a.accountId)).sort();
      expect(returned).toEqual([...rest].sort());
      for (const id of rest) {
        const current = await db.prisma.ownership.findFirstOrThrow({
          where: { accountId: id, effectiveTo: null },
        });
        expect(current).toMatchObject({ repId: null, cause: "stale", causeRef: "stale:2026-12" });
      }
      for (const id of [touched, gainedDeal]) {
        const current = await db.prisma.ownership.findFirstOrThrow({
          where: { accountId: id, effectiveTo: null },
        });
        expect(current.repId).not.toBeNull();
      }
      expect(await db.prisma.auditEvent.count({ where: { action: "hygiene.stale_returned" } })).toBe(
        rest.length,
      );
    });

    it("returns nothing twice, and never an account whose rep was not warned", async () => {
      expect(await sweepStaleOwnership(db.prisma, { now: new Date("2026-12-02T06:00:00Z") })).toEqual([]);
      // Mei's fresh account goes quiet after the warnings went out: not returned on this pool date.
      const mei = await db.prisma.rep.findUniqueOrThrow({ where: { email: "mei@turf-demo.example" } });
      const quiet = await db.prisma.ownership.findFirstOrThrow({
        where: { repId: mei.id, effectiveTo: null, accountId: { notIn: warned } },
      });
      await db.prisma.account.update({
        where: { id: quiet.accountId },
        data: { lastActivityAt: new Date("2026-01-01T00:00:00Z") },
      });
      expect(await sweepStaleOwnership(db.prisma, { now: new Date("2026-12-03T06:00:00Z") })).toEqual([]);
      expect(
        (
          await db.prisma.ownership.findFirstOrThrow({
            where: { accountId: quiet.accountId, effectiveTo: null },
          })
        ).repId,
      ).toBe(mei.id);
    });
  });

  describe("white space", () => {
    it("offers unowned ICP-fit accounts once a quarter to an eligible rep, never locked ones", async () => {
      const unowned = await db.prisma.account.findMany({
        where: { icpFit: { gte: 4 }, ownerships: { none: { effectiveTo: null, repId: { not: null } } } },
        include: { opportunities: { where: { isOpen: true } } },
      });
      const unlocked = unowned.filter((a) => !a.named && a.opportunities.length === 0);
      // Make one of them locked: a deal is in flight, so the rules decide, not an offer.
      const locked = unlocked[0];
      if (!locked) throw new Error("sample has no unowned ICP-fit account");
      await db.prisma.opportunity.create({
        data: {
          crmId: "006WHITESPACE0001",
          accountId: locked.id,
          amount: 5_000,
          stage: "Prospecting",
          isOpen: true,
        },
      });

      const now = new Date("2026-12-05T10:00:00Z");
      const before = fake.calls.length;
      await createHygieneWhiteSpaceJob().run(jobDeps(now));
      const offers = await db.prisma.auditEvent.findMany({ where: { action: "hygiene.white_space_offer" } });
      const offered = new Set(offers.map((o) => o.subjectId));
      expect(offered.size).toBeGreaterThan(0);
      expect(offered.has(locked.id)).toBe(false);
      for (const id of offered) expect(unlocked.some((a) => a.id === id)).toBe(true);

      // Each offer went to a rep whose territory criteria match the account.
      for (const o of offers) {
        const details = o.details as { repId: string; cycle: string; index: number };
        expect(details.cycle).toBe("FY2026-Q4");
        const account = await db.prisma.account.findUniqueOrThrow({ where: { id: o.subjectId } });
        const rep = await db.prisma.rep.findUniqueOrThrow({
          where: { id: details.repId },
          include: { territories: { include: { territory: true } } },
        });
        expect(
          rep.territories.some(
            ({ territory: t }) =>
              t.regions.includes(account.region ?? "") &&
              t.industries.includes(account.industry ?? "") &&
              t.sizeBands.includes(account.sizeBand ?? "SMB"),
          ),
        ).toBe(true);
      }
      const dms = fake.calls.slice(before).filter((c) => c.method === "chat.postMessage");
      expect(dms.length).toBeGreaterThan(0);
      expect(JSON.stringify(dms[0]?.args.blocks)).toMatch(
        /index \*\d+\.\d\* = ICP fit [45]\/5 → \d+\.\d pts · size (SMB|MM|ENT) → /,
      );
      expect(fake.violations).toEqual([]);

      expect(await offerWhiteSpace(db.prisma, { now: new Date("2026-12-20T10:00:00Z") })).toEqual([]);
      const nextQuarter = await offerWhiteSpace(db.prisma, { now: new Date("2027-01-05T10:00:00Z") });
      expect(nextQuarter.flatMap((n) => n.offers).length).toBe(offered.size);
    });
  });
});
