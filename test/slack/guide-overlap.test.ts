// The guide's overlap rules through /owner and /owner why, on a company loaded only through the
// importer and re-evaluated once, on every supported database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reevaluateBook } from "../../src/services/ownership/reevaluate-book.ts";
import { installDefaultRules } from "../../src/services/rules/default-rules.ts";
import { slashCommand } from "../harness/slack-payloads.ts";
import { databaseKinds } from "../support/databases.ts";
import { GUIDE_COMPANY, importCompany } from "../support/guide-company.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

const NOW = new Date("2026-11-02T09:00:00Z");

describe.each(databaseKinds())("the guide's overlap rules through /owner on %s", (kind) => {
  let turf: TurfUnderTest;
  beforeAll(async () => {
    turf = await startTurf({
      kind,
      now: NOW,
      sampleData: false,
      prepare: async (db) => {
        await importCompany(db.prisma, GUIDE_COMPANY, NOW);
        if ((await db.prisma.rule.count()) === 0) await installDefaultRules(db.prisma, NOW);
        await reevaluateBook(db.prisma, { now: NOW, actor: "test" });
      },
    });
  }, 180_000);
  afterAll(async () => turf.stop());

  async function ask(text: string) {
    const responseUrl = turf.fake.responseUrl();
    const res = await turf.send(slashCommand({ command: "/owner", text, userId: "U0GRITA01", responseUrl }));
    expect(res.status).toBe(200);
    const reply = turf.fake.responses.find((r) => r.url === responseUrl);
    return reply?.body as { text: string; blocks: unknown[] };
  }

  it("a German ENT subsidiary of a US MM parent goes to the EMEA Enterprise rep by international expansion", async () => {
    const reply = await ask("acme.de");
    expect(reply.text).toMatch(/^Acme GmbH is owned by Olga Strand\. International expansion:/);
  });

  it("a foreign subsidiary with no separate international team stays with the parent's rep, by international expansion", async () => {
    const reply = await ask("acme.fr");
    expect(reply.text).toMatch(/^Acme France SAS is owned by Dana Kim\. International expansion:/);
    const why = await ask("why acme.fr");
    expect(why.text).toContain("Dana Kim (the parent's rep) keeps the expansion into EMEA");
  });

  it("a same-region subsidiary follows its parent", async () => {
    const reply = await ask("acme.ca");
    expect(reply.text).toMatch(
      /^Acme Canada Ltd is owned by Dana Kim\. A subsidiary follows its parent's owner/,
    );
  });

  it("a reseller deal leaves the direct rep as rep of record", async () => {
    const why = await ask("why brightline.com");
    expect(why.text).toContain("Dana Kim stays rep of record; the reseller earns the channel margin");
  });

  it("a second re-evaluation changes nothing", async () => {
    const again = await reevaluateBook(turf.db.prisma, { now: NOW, actor: "test" });
    expect(again.changed).toBe(0);
  });
});
