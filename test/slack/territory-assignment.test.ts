// Assignment inside a territory through the real app: white space goes to the territory's reps by
// room for their capacity, deterministically and stably, explained in /owner why; managers and admins
// receive nothing, on the guide company and on the sample company.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { reevaluateBook } from "../../src/services/ownership/reevaluate-book.ts";
import { installDefaultRules } from "../../src/services/rules/default-rules.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { slashCommand } from "../harness/slack-payloads.ts";
import { databaseKinds, freshDatabase } from "../support/databases.ts";
import { GUIDE_COMPANY, importCompany } from "../support/guide-company.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

const NOW = new Date("2026-11-02T09:00:00Z");

async function ownersByCrmId(db: Db): Promise<Record<string, string | null>> {
  const rows = await db.ownership.findMany({
    where: { effectiveTo: null },
    include: { account: { select: { crmId: true } }, rep: { select: { name: true } } },
  });
  return Object.fromEntries(rows.map((r) => [r.account.crmId, r.rep?.name ?? null]));
}

/** Accounts owned by someone who is not a rep carrying a book (managers, admins). */
async function ownedByNonReps(db: Db): Promise<number> {
  return db.ownership.count({
    where: { effectiveTo: null, rep: { NOT: { roles: { has: "rep" } } } },
  });
}

describe.each(databaseKinds())("assignment inside a territory on %s", (kind) => {
  let turf: TurfUnderTest;
  beforeAll(async () => {
    turf = await startTurf({
      kind,
      now: NOW,
      sampleData: false,
      prepare: async (db) => {
        await importCompany(db.prisma, GUIDE_COMPANY, NOW);
        if ((await db.prisma.rule.count()) === 0) await installDefaultRules(db.prisma, NOW);
      },
    });
  }, 180_000);
  afterAll(async () => turf.stop());

  async function ask(text: string) {
    const responseUrl = turf.fake.responseUrl();
    await turf.send(slashCommand({ command: "/owner", text, userId: "U0GDANA01", responseUrl }));
    return turf.fake.responses.find((r) => r.url === responseUrl)?.body as { text: string };
  }

  it("/owner why on white space names the rep with the most room and the territory's rep count", async () => {
    const why = await ask("why cobalt.io");
    // Dana holds 2 accounts; Lee (1.2) and Pat (0.5) hold none; Mona is a manager.
    expect(why.text).toContain(
      "NA Commercial has 3 reps; Lee Park had the most room for their capacity 1.2 (0 accounts held)",
    );
  });

  it("re-evaluation spreads white space by capacity, gives managers nothing, and a second run reshuffles nothing", async () => {
    await reevaluateBook(turf.db.prisma, { now: NOW, actor: "test" });
    const owners = await ownersByCrmId(turf.db.prisma);
    expect({
      cobalt: owners["001GWHITE1"],
      delta: owners["001GWHITE2"],
      ember: owners["001GWHITE3"],
    }).toEqual({ cobalt: "Lee Park", delta: "Pat Olsen", ember: "Lee Park" });
    expect(await ownedByNonReps(turf.db.prisma)).toBe(0);
    const again = await reevaluateBook(turf.db.prisma, { now: NOW, actor: "test" });
    expect(again.changed).toBe(0);
    expect(await ownersByCrmId(turf.db.prisma)).toEqual(owners);
    const why = await ask("why cobalt.io");
    expect(why.text).toContain("Lee Park already owns it in NA Commercial");
  });

  it("the same company imported into another database gets the same owners", async () => {
    const other = await freshDatabase(kind);
    try {
      await importCompany(other.prisma, GUIDE_COMPANY, NOW);
      if ((await other.prisma.rule.count()) === 0) await installDefaultRules(other.prisma, NOW);
      await reevaluateBook(other.prisma, { now: NOW, actor: "test" });
      expect(await ownersByCrmId(other.prisma)).toEqual(await ownersByCrmId(turf.db.prisma));
    } finally {
      await other.drop();
    }
  });
});

describe("the sample company", () => {
  it("re-evaluation gives no manager or admin an account", async () => {
    const db = await freshDatabase("embedded");
    try {
      await loadSampleData(db.prisma, NOW);
      await reevaluateBook(db.prisma, { now: NOW, actor: "test" });
      const report = await reevaluateBook(db.prisma, { now: NOW, actor: "test" });
      expect(report.changed).toBe(0);
      // Held accounts (open deals) stay with whoever has them; none of those is a manager either.
      expect(await ownedByNonReps(db.prisma)).toBe(0);
    } finally {
      await db.drop();
    }
  }, 60_000);
});
