// What a rep sees for a name that is not in the book, or that is only close to one: through signed
// Slack requests, the in-memory fuzzy index and the ranker, on a book where "Analytics" is an
// industry word.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCsv } from "../../src/services/import/import-csv.ts";
import { industryBookCsv } from "../fixtures/matching/industry-book.ts";
import { slashCommand } from "../harness/slack-payloads.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

const REP = "U0TESTREP1";

describe("/owner on names close to, or absent from, the book", () => {
  let turf: TurfUnderTest;
  beforeAll(async () => {
    turf = await startTurf({
      sampleData: false,
      prepare: async (db) => {
        const result = await importCsv(db.prisma, "accounts", industryBookCsv(), {
          now: new Date("2026-11-02T09:00:00Z"),
          actor: "test",
        });
        expect(result.ok).toBe(true);
      },
    });
  });
  afterAll(async () => turf.stop());

  async function ask(text: string) {
    const responseUrl = turf.fake.responseUrl();
    await turf.send(slashCommand({ command: "/owner", text, userId: REP, responseUrl }));
    const reply = turf.fake.responses.find((r) => r.url === responseUrl);
    return reply?.body as { text: string; blocks: unknown[] };
  }

  it("finds nothing for a name that shares only an industry word with the book", async () => {
    const reply = await ask("Quillmark Analytics");
    expect(reply.text).toMatch(/couldn't find/);
  });

  it("finds nothing for a name that shares only an industry word few names of the book have", async () => {
    const reply = await ask("Zebra Technologies");
    expect(reply.text).toMatch(/couldn't find/);
    expect(JSON.stringify(reply)).not.toContain("Dell");
    // The company's own word still finds it, however the industry word is typed.
    expect((await ask("Uber Tecnologies")).text).toContain("Uber Technologies, Inc. is owned by");
  });

  it("still finds the account behind a typo of its distinctive word", async () => {
    const reply = await ask("Qoulopri Analytics");
    expect(reply.text).toContain("Quolopri Analytics Ltd is owned by");
  });

  it("answers a slip in a short word and two in a long one when another word of the name is exact", async () => {
    const reply = await ask("Take-To Intreactive Software");
    expect(reply.text).toContain("Take-Two Interactive Software, Inc. is owned by");
  });

  it("asks 'did you mean' about one candidate, never 'several'", async () => {
    const reply = await ask("Take-Two Interactive");
    expect(reply.text).toContain("Did you mean Take-Two Interactive Software, Inc.");
    expect(JSON.stringify(reply)).not.toContain("Several");
  });

  it("lists the real alternatives when several accounts could match", async () => {
    const reply = await ask("Brightwave");
    expect(reply.text).toMatch(/^Several accounts could match/);
    expect(reply.text).toContain("Brightwave Freight GmbH");
    expect(reply.text).toContain("Brightwave Logistics Ltd");
  });
});
