// The outbox against a Slack that fails, hangs, or accepts a message and then the sender dies:
// when Slack recovers every message is in Slack exactly once; an escalation whose card update
// keeps failing sends each of its other steps once; a hung call delays nobody else's message.
// Time moves with the injected clock; the only real waiting is a short transport timeout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimOutbox } from "../../src/db/outbox.ts";
import { OUTBOX_LEASE_MS } from "../../src/services/outbox/sender.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { outboxClient, slackTransport } from "../../src/slack/outbox-transport.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { BOT_TOKEN, startTurf, type TurfUnderTest } from "../support/turf-app.ts";
import {
  CRM,
  dmChannelOf,
  ESCALATION_CHANNEL,
  fileDispute,
  notifierOf,
  SLACK,
  sweep,
  USERS,
} from "./support.ts";

const OPENED = new Date("2026-11-02T09:00:00Z");
const at = (hours: number) => new Date(OPENED.getTime() + hours * 3_600_000);
const HOUR = 3_600_000;

/** chat.postMessage calls Slack acted on (answered, or accepted and then the answer was lost). */
const posted = (turf: TurfUnderTest, text: string) =>
  turf.fake
    .callsTo("chat.postMessage")
    .filter(
      (c) => (c.outcome === "ok" || c.outcome === "accepted_no_answer") && String(c.args.text) === text,
    );

const dm = (user: string, text: string) => ({
  kind: "dm" as const,
  channel: user,
  text,
  purpose: "test.dm",
  subjectId: text,
});

describe("the outbox against an unreliable Slack", () => {
  let db: TestDatabase;
  let turf: TurfUnderTest;

  beforeAll(async () => {
    db = await freshDatabase("embedded");
    await loadSampleData(db.prisma, OPENED);
    turf = await startTurf({ db, users: USERS, now: OPENED });
    turf.fake.useClock(turf.clock);
  }, 120_000);
  afterAll(async () => {
    await turf.stop();
    await db.drop();
  });

  it("Slack errors (5xx, internal_error, rate limit): retried with backoff, each delivered exactly once", async () => {
    const outbox = notifierOf(turf);
    const texts = ["fail-1", "fail-2", "fail-3", "fail-4"];
    const users = [SLACK.hannah, SLACK.dana, SLACK.marcus, SLACK.morgan];
    await outbox.enqueue(texts.map((t, i) => dm(users[i] as string, t)));
    turf.fake.failNext("chat.postMessage", { status: 503 });
    turf.fake.failNext("chat.postMessage", { error: "internal_error" });
    turf.fake.failNext("chat.postMessage", { status: 429, retryAfter: 120 });
    const first = await outbox.deliverDue();
    expect(first).toMatchObject({ claimed: 4, sent: 1, retried: 3, dead: 0 });
    // Not yet due again: backoff (and the rate limit's Retry-After) hold them back.
    expect((await outbox.deliverDue()).claimed).toBe(0);
    turf.clock.advance(5 * 60_000);
    expect(await outbox.deliverDue()).toMatchObject({ sent: 3, dead: 0 });
    for (const t of texts) expect(posted(turf, t), t).toHaveLength(1);
    expect(await db.prisma.outboxMessage.count({ where: { purpose: "test.dm", status: "sent" } })).toBe(4);
  });

  it("a message Slack refuses for good (channel_not_found) goes dead at once; `retry` brings it back once", async () => {
    const outbox = notifierOf(turf);
    const [id] = await outbox.enqueue([
      { kind: "post", channel: "C0NOSUCHCH1", text: "to-a-gone-channel", purpose: "test.post" },
    ]);
    turf.fake.failNext("chat.postMessage", { error: "channel_not_found" });
    expect(await outbox.deliverDue()).toMatchObject({ dead: 1 });
    expect(await turf.services.outbox.deadCount()).toBe(1);
    expect(await turf.services.outbox.retryDead([id as string])).toBe(1);
    expect(await outbox.deliverDue()).toMatchObject({ sent: 1 });
    expect(posted(turf, "to-a-gone-channel")).toHaveLength(1);
    expect(await turf.services.outbox.deadCount()).toBe(0);
  });

  it("a hung Slack call: the other messages go out in the same pass; the hung one once, later", async () => {
    const outbox = notifierOf(turf, { timeoutMs: 400, instance: "hang-test" });
    turf.fake.failNext("chat.postMessage", { hang: true });
    await outbox.enqueue([
      dm(SLACK.hannah, "hung-1"),
      dm(SLACK.dana, "unrelated-1"),
      dm(SLACK.marcus, "unrelated-2"),
    ]);
    const texts = ["hung-1", "unrelated-1", "unrelated-2"];
    // Whichever of them Slack hangs on, the other two are in Slack when the pass ends.
    const pass = await outbox.deliverDue();
    expect(pass).toMatchObject({ claimed: 3, sent: 2, retried: 1 });
    expect(texts.filter((t) => posted(turf, t).length === 1)).toHaveLength(2);
    turf.clock.advance(5 * 60_000);
    expect(await outbox.deliverDue()).toMatchObject({ sent: 1, found: 0 });
    for (const t of texts) expect(posted(turf, t), t).toHaveLength(1);
  });

  it("Slack accepts, the answer never comes: found in the history, not posted again", async () => {
    const outbox = notifierOf(turf, { timeoutMs: 400, instance: "accept-test" });
    turf.fake.failNext("chat.postMessage", { hang: true, accept: true });
    await outbox.enqueue([dm(SLACK.dana, "accepted-unanswered")]);
    expect(await outbox.deliverDue()).toMatchObject({ retried: 1 });
    turf.clock.advance(5 * 60_000);
    expect(await outbox.deliverDue()).toMatchObject({ sent: 1, found: 1 });
    expect(posted(turf, "accepted-unanswered")).toHaveLength(1);
    expect(turf.fake.callsTo("conversations.history").length).toBeGreaterThan(0);
  });

  it("the sender is killed after Slack accepted: the next one finds the message and does not re-post", async () => {
    const outbox = notifierOf(turf);
    const ids = await outbox.enqueue([
      dm(SLACK.marcus, "killed-after-accept"),
      dm(SLACK.hannah, "killed-before-send"),
    ]);
    // The doomed sender claims both, gets the first into Slack, and dies before recording anything.
    const claimed = await claimOutbox(turf.db.prisma, {
      now: turf.clock.now(),
      instance: "doomed",
      leaseMs: OUTBOX_LEASE_MS,
      limit: 10,
      ids,
    });
    expect(claimed).toHaveLength(2);
    const raw = slackTransport(outboxClient(BOT_TOKEN, turf.fake.url));
    const row = claimed.find((r) => r.text === "killed-after-accept");
    await raw.post({
      channel: await raw.openDm(SLACK.marcus),
      text: "killed-after-accept",
      blocks: null,
      threadTs: null,
      outboxId: row?.id as string,
    });
    // Under the lease nobody touches them; after it, the survivor settles both, each once.
    expect((await outbox.deliverDue()).claimed).toBe(0);
    turf.clock.advance(OUTBOX_LEASE_MS + 60_000);
    expect(await outbox.deliverDue()).toMatchObject({ claimed: 2, sent: 2, found: 1 });
    expect(posted(turf, "killed-after-accept")).toHaveLength(1);
    expect(posted(turf, "killed-before-send")).toHaveLength(1);
  });
});

describe("an escalation whose card update keeps failing", () => {
  let db: TestDatabase;
  let turf: TurfUnderTest;
  let disputeId: string;

  beforeAll(async () => {
    db = await freshDatabase("embedded");
    await loadSampleData(db.prisma, OPENED);
    await db.prisma.arbiterAssignment.create({
      data: {
        team: "International",
        arbiterRepId: (await db.prisma.rep.findUniqueOrThrow({ where: { slackUserId: SLACK.morgan } })).id,
        backupArbiterRepId: (await db.prisma.rep.findUniqueOrThrow({ where: { slackUserId: SLACK.marcus } }))
          .id,
      },
    });
    turf = await startTurf({ db, users: USERS, now: OPENED });
    disputeId = await fileDispute(turf, SLACK.hannah, CRM.globexDe);
  }, 120_000);
  afterAll(async () => {
    await turf.stop();
    await db.drop();
  });

  it("sends the backup DM, the channel post and each rep DM once, however often the update is retried", async () => {
    turf.clock.set(at(48));
    // The arbiter deleted the card: every chat.update fails (a 5xx first, then message_not_found).
    turf.fake.failNext("chat.update", { status: 503 });
    for (let i = 0; i < 10; i++) turf.fake.failNext("chat.update", { error: "message_not_found" });
    const escalation = await sweep(turf);
    expect(escalation).toMatchObject({ sent: 1 });
    const outbox = notifierOf(turf);
    for (let i = 0; i < 6; i++) {
      turf.clock.advance(HOUR);
      await sweep(turf);
      await outbox.deliverDue();
    }
    const escalated = turf.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.outcome === "ok" && String(c.args.text).startsWith("Escalated"));
    expect(escalated.map((c) => c.args.channel).sort()).toEqual(
      [dmChannelOf(SLACK.marcus), ESCALATION_CHANNEL].sort(),
    );
    const told = turf.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.outcome === "ok" && String(c.args.text).includes("has been escalated"));
    expect(told.map((c) => c.args.channel).sort()).toEqual(
      [dmChannelOf(SLACK.hannah), dmChannelOf(SLACK.dana)].sort(),
    );
    const update = await db.prisma.outboxMessage.findFirstOrThrow({
      where: { subjectId: disputeId, purpose: "dispute.card.update" },
      orderBy: { createdAt: "desc" },
    });
    // A 5xx is retried; message_not_found cannot be fixed by retrying: dead, visible to admins.
    expect(update).toMatchObject({ status: "dead", attempts: 2 });
    expect(await turf.services.outbox.deadCount()).toBe(1);
  });
});
