// The claimant withdraws a dispute filed by mistake: from their confirmation or App Home. Reminders
// and the escalation stop, the arbiter's card says so, and nobody else can withdraw it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISPUTE_ACTION } from "../../src/slack/views/disputes/ids.ts";
import { CRM, clickButton, dmsTo, fileDispute, HOUR, SLACK, sweep, USERS } from "../disputes/support.ts";
import { blockAction, eventCallback } from "../harness/slack-payloads.ts";
import { databaseKinds } from "../support/databases.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

const OPENED = new Date("2026-11-02T09:00:00Z");

describe.each(databaseKinds())("withdrawing a dispute (%s)", (kind) => {
  let turf: TurfUnderTest;
  beforeAll(async () => {
    turf = await startTurf({ kind, users: USERS, now: OPENED });
  });
  afterAll(async () => turf?.stop());

  const replies = (url: string) =>
    turf.fake.responses.filter((r) => r.url === url).map((r) => String((r.body as { text: string }).text));

  let disputeId: string;

  it("the claimant's confirmation carries a Withdraw button; the other rep's does not", async () => {
    const since = turf.fake.calls.length;
    disputeId = await fileDispute(turf, SLACK.hannah, CRM.globexDe);
    const mine = dmsTo(turf, SLACK.hannah, since).map((c) => JSON.stringify(c.args.blocks));
    expect(mine.some((b) => b.includes(DISPUTE_ACTION.withdraw) && b.includes(disputeId))).toBe(true);
    const theirs = dmsTo(turf, SLACK.dana, since).map((c) => JSON.stringify(c.args.blocks));
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.some((b) => b.includes(DISPUTE_ACTION.withdraw))).toBe(false);
  });

  it("refuses anyone but the claimant, and changes nothing", async () => {
    for (const who of [SLACK.dana, SLACK.morgan]) {
      const { responseUrl, sent } = clickButton(turf, who, DISPUTE_ACTION.withdraw, disputeId);
      expect((await sent).status).toBe(200);
      expect(replies(responseUrl)).toEqual(["Only the rep who filed this dispute can withdraw it."]);
    }
    const d = await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect(d.status).toBe("open");
  });

  it("the claimant withdraws: status withdrawn, notices stopped, the arbiter's card updated", async () => {
    const before = turf.fake.calls.length;
    const { responseUrl, sent } = clickButton(turf, SLACK.hannah, DISPUTE_ACTION.withdraw, disputeId);
    expect((await sent).status).toBe(200);
    expect(replies(responseUrl)[0]).toMatch(/^Withdrawn: your dispute on Globex Deutschland GmbH is closed/);
    const d = await turf.db.prisma.dispute.findUniqueOrThrow({
      where: { id: disputeId },
      include: { notices: true },
    });
    expect(d.status).toBe("withdrawn");
    expect(d.notices.length).toBeGreaterThan(0);
    for (const n of d.notices) expect(n).toMatchObject({ sentAt: null, skippedAt: OPENED });
    const update = turf.fake.calls.slice(before).find((c) => c.method === "chat.update");
    expect(update?.args.channel).toBe(d.arbiterCardChannel);
    expect(update?.args.ts).toBe(d.arbiterCardTs);
    expect(JSON.stringify(update?.args.blocks)).toContain("Withdrawn by the claimant.");
    expect(JSON.stringify(update?.args.blocks)).not.toContain(DISPUTE_ACTION.keep);
  });

  it("sends no reminder or escalation afterwards, and a second click is refused", async () => {
    const before = turf.fake.calls.length;
    turf.clock.set(new Date(OPENED.getTime() + 49 * HOUR));
    await sweep(turf);
    expect(turf.fake.calls.slice(before).filter((c) => c.method === "chat.postMessage")).toEqual([]);
    const { responseUrl, sent } = clickButton(turf, SLACK.hannah, DISPUTE_ACTION.withdraw, disputeId);
    await sent;
    expect(replies(responseUrl)[0]).toMatch(/^The claimant withdrew this dispute/);
    turf.clock.set(OPENED);
  });

  it("App Home lists the claimant's open disputes with a Withdraw button that works from there", async () => {
    const id = await fileDispute(turf, SLACK.lucas, CRM.rookhaven);
    let before = turf.fake.calls.length;
    await turf.send(eventCallback({ type: "app_home_opened", user: SLACK.lucas }));
    const home = turf.fake.calls.slice(before).find((c) => c.method === "views.publish");
    expect(JSON.stringify(home?.args.view)).toContain(
      `"action_id":"${DISPUTE_ACTION.withdraw}","value":"${id}"`,
    );
    before = turf.fake.calls.length;
    await turf.send(
      blockAction({
        userId: SLACK.lucas,
        actionId: DISPUTE_ACTION.withdraw,
        value: id,
        view: { id: "V0HOME0001", type: "home", callbackId: "" },
      }),
    );
    expect((await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id } })).status).toBe("withdrawn");
    const after = turf.fake.calls.slice(before).find((c) => c.method === "views.publish");
    expect(JSON.stringify(after?.args.view)).not.toContain(id);
    expect(turf.fake.calls.slice(before).some((c) => c.method === "chat.update")).toBe(true);
  });
});
