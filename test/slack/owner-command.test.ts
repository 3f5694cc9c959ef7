import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { slashCommand } from "../harness/slack-payloads.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

const REP = "U0TESTREP1";

describe("/owner through signed Slack requests", () => {
  let turf: TurfUnderTest;
  beforeAll(async () => {
    turf = await startTurf();
  });
  afterAll(async () => turf.stop());
  afterEach(() => {
    expect(turf.fake.violations).toEqual([]);
  });

  async function ask(text: string) {
    const responseUrl = turf.fake.responseUrl();
    const res = await turf.send(slashCommand({ command: "/owner", text, userId: REP, responseUrl }));
    expect(res.status).toBe(200);
    const replies = turf.fake.responses.filter((r) => r.url === responseUrl);
    expect(replies).toHaveLength(1);
    return replies[0]?.body as { response_type: string; text: string; blocks: { type: string }[] };
  }

  it("answers /owner globex.com ephemerally with the sample owner", async () => {
    const reply = await ask("globex.com");
    expect(reply.response_type).toBe("ephemeral");
    expect(reply.text).toContain("Globex Corporation is owned by Dana Whitfield");
    const dana = await turf.db.prisma.rep.findUniqueOrThrow({ where: { email: "dana@turf-demo.example" } });
    expect(JSON.stringify(reply.blocks)).toContain(`<@${dana.slackUserId}>`);
  });

  it.each([
    ["https://www.globex.com/about", "Globex Corporation"],
    ["jane.doe@globex.de", "Globex Deutschland GmbH"],
    ["001000000000GLOBEX", "Globex Corporation"],
    ["Globex Corp.", "Globex Corporation"],
  ])("finds the account from %s", async (query, name) => {
    const reply = await ask(query);
    expect(reply.text).toContain(`${name} is owned by`);
  });

  it("names the parent and its owner for a subsidiary", async () => {
    const reply = await ask("globex.de");
    expect(JSON.stringify(reply.blocks)).toContain("Subsidiary of *Globex Corporation*");
  });

  it("explains usage for /owner help and an empty /owner", async () => {
    for (const text of ["help", ""]) {
      const reply = await ask(text);
      expect(reply.text).toMatch(/Turf answers who owns an account/);
    }
  });

  it("says clearly when nothing matches, and ignores free-mail addresses", async () => {
    expect((await ask("zzqx-nonexistent-widgets")).text).toMatch(/couldn't find/);
    expect((await ask("someone@gmail.com")).text).toMatch(/free-mail address/);
  });

  it("records the lookup for the rep's App Home", async () => {
    await ask("globex.com");
    const recent = await turf.services.recentLookups(REP);
    expect(recent[0]?.query).toBe("globex.com");
  });
});

describe("requests Slack did not sign are refused before any work", () => {
  let turf: TurfUnderTest;
  beforeAll(async () => {
    turf = await startTurf({ sampleData: false });
  });
  afterAll(async () => turf.stop());

  it.each([
    ["a forged signature", { forgeSignature: true }, 401],
    ["a timestamp older than 5 minutes", { staleBySeconds: 6 * 60 }, 401],
  ])("rejects %s", async (_label, options, status) => {
    const responseUrl = turf.fake.responseUrl();
    const res = await turf.send(
      slashCommand({ command: "/owner", text: "globex.com", userId: REP, responseUrl }),
      options,
    );
    expect(res.status).toBe(status);
    expect(turf.fake.responses.filter((r) => r.url === responseUrl)).toEqual([]);
    expect(await turf.db.prisma.lookup.count()).toBe(0);
  });

  it("rejects a signed but malformed payload", async () => {
    const res = await turf.send({
      body: "payload=%7Bnot-json",
      contentType: "application/x-www-form-urlencoded",
      payload: {},
      shape: "none",
    });
    expect(res.status).toBe(400);
    expect(await turf.db.prisma.lookup.count()).toBe(0);
    expect(turf.fake.calls.filter((c) => c.method !== "auth.test")).toEqual([]);
  });
});
