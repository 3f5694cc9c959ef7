import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ACTIONS,
  accountId,
  CRM,
  cardOf,
  dmChannelOf,
  fileDispute,
  repId,
  SLACK,
  submitDecision,
  submitFiling,
  sweep,
  USERS,
} from "../disputes/support.ts";
import { blockAction } from "../harness/slack-payloads.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

// The whole story through Slack's payloads: file → arbiter card → reminder → decision → rule →
// the next matching case answered by the rule, with the refusals and duplicates along the way.
describe("disputes end to end through signed Slack requests", () => {
  let turf: TurfUnderTest;
  let disputeId: string;
  const regionScope = { kind: "region_expansion", region: "EMEA", sizeBand: "MM" };

  beforeAll(async () => {
    turf = await startTurf({ users: USERS });
  });
  afterAll(async () => turf.stop());
  afterEach(() => {
    expect(turf.fake.violations).toEqual([]);
  });

  it("'Dispute this' opens the modal with the account in private_metadata and the claimant preselected", async () => {
    const account = await accountId(turf, CRM.globexDe);
    const responseUrl = turf.fake.responseUrl();
    const res = await turf.send(
      blockAction({
        userId: SLACK.hannah,
        actionId: "owner_dispute_this",
        value: account,
        message: { channelId: "C0SALES001", ts: "1767225600.000200", isEphemeral: true },
        responseUrl,
      }),
    );
    expect(res.status).toBe(200);
    const opened = await turf.fake.waitForCall("views.open");
    const view = opened.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe("dispute_file");
    expect(JSON.parse(view.private_metadata)).toEqual({ accountId: account });
    expect(JSON.stringify(view.blocks)).toContain(`"initial_user":"${SLACK.hannah}"`);
    expect(JSON.stringify(view.blocks)).toContain("Globex Deutschland GmbH");
  });

  it("answers invalid input in the modal, one message per block, and opens nothing", async () => {
    const account = await accountId(turf, CRM.globexDe);
    const res = await submitFiling(turf, SLACK.hannah, account, {
      category: null,
      reason: "short",
      opportunityLink: "not a link!",
    });
    const body = res.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(Object.keys(body.errors).sort()).toEqual(["category", "opportunity_link", "reason"]);
    expect(await turf.db.prisma.dispute.count()).toBe(0);
  });

  it("answers with the written rule instead of opening a dispute the overlap rule already decides", async () => {
    const account = await accountId(turf, CRM.globexDe);
    const res = await submitFiling(turf, SLACK.lucas, account, {
      category: "international_expansion",
      reason: "Globex opened a German subsidiary and EMEA is my region.",
    });
    const body = res.json as { response_action: string; view: { blocks: unknown[] } };
    expect(body.response_action).toBe("update");
    // A subsidiary in a region its parent's rep does not cover is the guide's international
    // expansion case: EMEA covers every size band (no separate team), so the parent's rep keeps it.
    expect(JSON.stringify(body.view.blocks)).toContain("International expansion: the original rep");
    expect(await turf.db.prisma.dispute.count()).toBe(0);
  });

  it("files a dispute: card to the arbiter, confirmations in each rep's time zone, deadline and notices stored", async () => {
    const calls = turf.fake.calls.length;
    disputeId = await fileDispute(turf, SLACK.hannah, CRM.globexDe, {
      evidence: "Org chart from the 2026 reorg",
      opportunityLink: "0060000000GLOBDE01",
    });
    const dispute = await turf.db.prisma.dispute.findUniqueOrThrow({
      where: { id: disputeId },
      include: { notices: true },
    });
    expect(dispute.status).toBe("open");
    expect(dispute.dueAt.toISOString()).toBe("2026-11-04T09:00:00.000Z");
    expect(dispute.arbiterRepId).toBe(await repId(turf, SLACK.morgan));
    expect(dispute.notices.map((n) => [n.kind, n.dueAt.toISOString()]).sort()).toEqual([
      ["escalation", "2026-11-04T09:00:00.000Z"],
      ["reminder_24h", "2026-11-03T09:00:00.000Z"],
      ["reminder_4h", "2026-11-04T05:00:00.000Z"],
    ]);
    const posts = turf.fake.calls.slice(calls).filter((c) => c.method === "chat.postMessage");
    const card = posts.find((c) => c.args.channel === dmChannelOf(SLACK.morgan));
    const cardJson = JSON.stringify(card?.args.blocks);
    for (const text of [
      "Globex Deutschland GmbH",
      "Transfer to claimant",
      "Keep with current owner",
      "Ask for info",
      "Org chart",
      "Rules today",
      "overlap",
    ]) {
      expect(cardJson).toContain(text);
    }
    expect(await cardOf(turf, disputeId)).toEqual({
      channelId: dmChannelOf(SLACK.morgan),
      ts: expect.any(String),
    });
    const toHannah = posts.find((c) => c.args.channel === dmChannelOf(SLACK.hannah));
    const toDana = posts.find((c) => c.args.channel === dmChannelOf(SLACK.dana));
    // 2026-11-04 09:00 UTC is 10:00 in Berlin and 04:00 in New York.
    expect(String(toHannah?.args.text)).toMatch(/Wed, Nov 4, 10:00 AM GMT\+1/);
    expect(String(toDana?.args.text)).toMatch(/Wed, Nov 4, 4:00 AM EST/);
    const audit = await turf.db.prisma.auditEvent.findMany({
      where: { subjectId: disputeId },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["dispute.filed", "dispute.routed", "dispute.card_posted"]);
  });

  it("refuses a second open dispute by the same rep on the same account, naming the first", async () => {
    const account = await accountId(turf, CRM.globexDe);
    const res = await submitFiling(turf, SLACK.hannah, account, {
      category: "other",
      reason: "Filing again in case the first was lost.",
    });
    const body = res.json as { response_action: string; view: { blocks: unknown[] } };
    expect(body.response_action).toBe("update");
    expect(JSON.stringify(body.view.blocks)).toContain(`D-${disputeId.slice(0, 8).toUpperCase()}`);
    expect(await turf.db.prisma.dispute.count()).toBe(1);
  });

  it("sends the 24-hour reminder once when the clock passes it", async () => {
    turf.clock.set(new Date("2026-11-03T09:30:00Z"));
    const first = await sweep(turf);
    const again = await sweep(turf);
    expect(first).toMatchObject({ claimed: 1, sent: 1, skipped: 0 });
    expect(again.claimed).toBe(0);
    const reminders = turf.fake
      .callsTo("chat.postMessage")
      .filter((c) => String(c.args.text).startsWith("Reminder"));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.args.channel).toBe(dmChannelOf(SLACK.morgan));
  });

  it("refuses a non-arbiter's click politely, ephemerally, and changes nothing", async () => {
    const card = await cardOf(turf, disputeId);
    const opened = turf.fake.callsTo("views.open").length;
    const responseUrl = turf.fake.responseUrl();
    await turf.send(
      blockAction({
        userId: SLACK.dana,
        actionId: ACTIONS.transfer,
        value: disputeId,
        message: card,
        responseUrl,
      }),
    );
    const reply = await turf.fake.waitForResponse((r) => r.url === responseUrl);
    expect(reply.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(reply.body.text)).toMatch(/only the arbiter assigned to it can act/);
    expect(turf.fake.callsTo("views.open")).toHaveLength(opened);
  });

  it("opens the decision modal for the arbiter, with rule scopes and how many accounts each covers", async () => {
    const card = await cardOf(turf, disputeId);
    await turf.send(
      blockAction({
        userId: SLACK.morgan,
        actionId: ACTIONS.transfer,
        value: disputeId,
        message: card,
        responseUrl: turf.fake.responseUrl(),
      }),
    );
    const opened = turf.fake.callsTo("views.open").at(-1);
    const view = opened?.args.view as {
      callback_id: string;
      blocks: {
        element?: { options?: { text: { text: string }; description: { text: string }; value: string }[] };
      }[];
    };
    expect(view.callback_id).toBe("dispute_decide");
    const options = view.blocks.flatMap((b) => b.element?.options ?? []);
    const emea = await turf.db.prisma.account.count({ where: { region: "EMEA", sizeBand: "MM" } });
    expect(options.map((o) => [JSON.parse(o.value).kind, o.description.text])).toEqual(
      expect.arrayContaining([
        ["account_only", "1 account today"],
        ["region_expansion", `${emea} accounts today`],
        ["same_parent", "1 account today"],
      ]),
    );
  });

  it("applies a decision once — double submit and a retried request change nothing more", async () => {
    const account = await accountId(turf, CRM.globexDe);
    const hannah = await repId(turf, SLACK.hannah);
    const dana = await repId(turf, SLACK.dana);
    const text = "EMEA mid-market belongs with the EMEA team; Hannah built the German relationship.";
    const request = submitDecision(turf, SLACK.morgan, disputeId, "transfer", text, regionScope);
    const [first, second] = await Promise.all([turf.send(request), turf.send(request)]);
    const third = await turf.send(request, { retry: { num: 1, reason: "http_timeout" } });
    const bodies = [first, second, third].map((r) => r.body);
    expect(bodies.filter((b) => b === "")).toHaveLength(1);
    for (const b of bodies.filter((b) => b !== "")) expect(b).toContain("already been decided");

    const dispute = await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect(dispute).toMatchObject({ status: "resolved", decision: "transfer", decisionText: text });
    const history = await turf.db.prisma.ownership.findMany({
      where: { accountId: account },
      orderBy: { effectiveFrom: "asc" },
    });
    expect(history.map((h) => [h.repId, h.cause])).toEqual([
      [dana, "import"],
      [hannah, "dispute"],
    ]);
    const rules = await turf.db.prisma.rule.findMany({ where: { disputeId } });
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ kind: "decision", text, outcome: { type: "rep", repId: hannah } });
    expect(history[1]?.ruleId).toBe(rules[0]?.id);
    // The deal Hannah already works on stays hers; nothing about opportunities moved.
    const opp = await turf.db.prisma.opportunity.findUniqueOrThrow({
      where: { crmId: "0060000000GLOBDE01" },
    });
    expect(opp.ownerRepId).toBe(hannah);

    const updates = turf.fake.callsTo("chat.update");
    expect(updates).toHaveLength(1);
    const card = await cardOf(turf, disputeId);
    expect(updates[0]?.args).toMatchObject({ channel: card.channelId, ts: card.ts });
    const blocks = updates[0]?.args.blocks as { type: string }[];
    expect(blocks.some((b) => b.type === "actions")).toBe(false);
    expect(JSON.stringify(blocks)).toContain("Decided by");
    const decisionDms = turf.fake
      .callsTo("chat.postMessage")
      .filter((c) => String(c.args.text).includes(text));
    expect(decisionDms.map((c) => c.args.channel).sort()).toEqual(
      [dmChannelOf(SLACK.hannah), dmChannelOf(SLACK.dana)].sort(),
    );
    const audit = await turf.db.prisma.auditEvent.findMany({
      where: { subjectId: disputeId, action: { in: ["dispute.decided", "dispute.applied"] } },
    });
    expect(audit).toHaveLength(2);
  });

  it("does not escalate a decided dispute when its deadline passes", async () => {
    turf.clock.set(new Date("2026-11-04T10:00:00Z"));
    const report = await sweep(turf);
    expect(report).toMatchObject({ sent: 0, skipped: 2 });
    expect(
      turf.fake.callsTo("chat.postMessage").filter((c) => String(c.args.text).startsWith("Escalated")),
    ).toEqual([]);
  });

  it("answers the next matching case by the new rule at filing, without reaching the arbiter", async () => {
    const account = await accountId(turf, CRM.brightpathUk);
    const cardsBefore = turf.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === dmChannelOf(SLACK.morgan)).length;
    const res = await submitFiling(turf, SLACK.hannah, account, {
      category: "segment_change",
      reason: "Another EMEA mid-market account for the EMEA team.",
    });
    const body = res.json as { response_action: string; view: { blocks: unknown[] } };
    expect(body.response_action).toBe("update");
    expect(JSON.stringify(body.view.blocks)).toContain("EMEA mid-market belongs with the EMEA team");
    expect(await turf.db.prisma.dispute.count()).toBe(1);
    const owner = await turf.db.prisma.ownership.findFirstOrThrow({
      where: { accountId: account, effectiveTo: null },
    });
    expect(owner).toMatchObject({ repId: await repId(turf, SLACK.hannah), cause: "rule" });
    expect(
      turf.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === dmChannelOf(SLACK.morgan)),
    ).toHaveLength(cardsBefore);
  });
});
