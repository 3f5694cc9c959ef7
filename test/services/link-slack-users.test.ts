// Reps are linked to Slack users by e-mail through the real WebClient against the fake Slack API.
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkRepsToSlackUsers } from "../../src/services/reps/link-slack-users.ts";
import { slackUserByEmail } from "../../src/slack/users-by-email.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../harness/fake-slack-api.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";

describe("linking reps to Slack users by e-mail", () => {
  let db: TestDatabase;
  let fake: FakeSlackApi;
  let client: WebClient;
  beforeAll(async () => {
    db = await freshDatabase("embedded");
    fake = await startFakeSlackApi({
      users: {
        U0ADA00001: { email: "Ada@Example.com", real_name: "Ada" },
        U0TAKEN001: { email: "grace@example.com", real_name: "Grace" },
        U0BOT00001: { email: "bot@example.com", isBot: true },
      },
    });
    client = new WebClient("xoxb-1234567890-link", { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
    await db.prisma.rep.createMany({
      data: [
        { email: "ada@example.com", name: "Ada", roles: ["rep"] },
        { email: "nobody@example.com", name: "Nobody", roles: ["rep"] },
        { email: "grace@example.com", name: "Grace", roles: ["rep"] },
        { email: "linked@example.com", name: "Linked", roles: ["rep"], slackUserId: "U0TAKEN001" },
        { email: "bot@example.com", name: "Bot", roles: ["rep"] },
        { email: "gone@example.com", name: "Gone", roles: ["rep"], active: false },
      ],
    });
  });
  afterAll(async () => {
    await fake.stop();
    await db.drop();
  });

  it("links reps Slack knows, leaves the rest unlinked and reported, and asks Slack only about unlinked active reps", async () => {
    const report = await linkRepsToSlackUsers(db.prisma, slackUserByEmail(client));
    expect(report).toEqual({
      linked: [{ email: "ada@example.com", slackUserId: "U0ADA00001" }],
      // grace's Slack user is already another rep's; the bot is not a person.
      unmatched: ["bot@example.com", "grace@example.com", "nobody@example.com"],
      failed: [],
    });
    const ada = await db.prisma.rep.findUnique({ where: { email: "ada@example.com" } });
    expect(ada?.slackUserId).toBe("U0ADA00001");
    expect(fake.callsTo("users.lookupByEmail").map((c) => c.args.email)).toEqual([
      "ada@example.com",
      "bot@example.com",
      "grace@example.com",
      "nobody@example.com",
    ]);
    expect(fake.violations).toEqual([]);

    // A second run asks only about those still unlinked.
    const again = await linkRepsToSlackUsers(db.prisma, slackUserByEmail(client));
    expect(again.linked).toEqual([]);
    expect(fake.callsTo("users.lookupByEmail")).toHaveLength(7);
  });

  it("reports a failed lookup (e.g. a rate limit) without linking, so the next start retries it", async () => {
    fake.failNext("users.lookupByEmail", { error: "ratelimited" });
    const report = await linkRepsToSlackUsers(db.prisma, slackUserByEmail(client));
    expect(report.failed).toEqual(["bot@example.com"]);
    expect(report.unmatched).toEqual(["grace@example.com", "nobody@example.com"]);
  });
});
