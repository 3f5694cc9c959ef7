import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadSampleData } from "../../src/services/sample-data.ts";
import {
  ACTIONS,
  ALEX,
  accountId,
  CRM,
  cardOf,
  decideForReseller,
  dmChannelOf,
  ESCALATION_CHANNEL,
  fileDispute,
  repId,
  SLACK,
  submitDecision,
  sweep,
  USERS,
} from "../disputes/support.ts";
import { blockAction, eventCallback, slashCommand, viewSubmission } from "../harness/slack-payloads.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

const OPENED = new Date("2026-11-02T09:00:00Z");
const at = (hours: number) => new Date(OPENED.getTime() + hours * 3_600_000);

// Ask for info, a restart between filing and deadline, reminders after downtime, escalation to the
// backup arbiter and the channel at 48 h, and the views — on one database that outlives the app.
describe("the 48-hour clock across a restart, with a question thread and escalation", () => {
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
  });
  afterAll(async () => {
    await turf.stop();
    await db.drop();
  });
  afterEach(() => {
    expect(turf.fake.violations).toEqual([]);
  });

  it("/owner dispute <query> opens the dispute modal with the command's trigger_id", async () => {
    const trigger = "1234567890.123456789012.abcdefabcdefabcdefabcdefabcdefab";
    const res = await turf.send(
      slashCommand({
        command: "/owner",
        text: "dispute globex.de",
        userId: SLACK.hannah,
        triggerId: trigger,
        responseUrl: turf.fake.responseUrl(),
      }),
    );
    expect(res.status).toBe(200);
    const opened = await turf.fake.waitForCall("views.open");
    expect(opened.args.trigger_id).toBe(trigger);
    expect(JSON.parse((opened.args.view as { private_metadata: string }).private_metadata)).toEqual({
      accountId: await accountId(turf, CRM.globexDe),
    });
  });

  it("routes by the team's arbiter assignment, with its backup", async () => {
    disputeId = await fileDispute(turf, SLACK.hannah, CRM.globexDe);
    const dispute = await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect(dispute.arbiterRepId).toBe(await repId(turf, SLACK.morgan));
    expect(dispute.backupArbiterRepId).toBe(await repId(turf, SLACK.marcus));
  });

  it("asks the claimant in a DM thread and adds the reply (delivered twice) to the dispute once", async () => {
    const card = await cardOf(turf, disputeId);
    await turf.send(
      blockAction({
        userId: SLACK.morgan,
        actionId: ACTIONS.askInfo,
        value: disputeId,
        message: card,
        responseUrl: turf.fake.responseUrl(),
      }),
    );
    const askView = turf.fake.callsTo("views.open").at(-1)?.args.view as { callback_id: string } | undefined;
    expect(askView?.callback_id).toBe("dispute_ask");
    const asked = await turf.send(
      viewSubmission({
        userId: SLACK.morgan,
        callbackId: "dispute_ask",
        privateMetadata: JSON.stringify({ disputeId }),
        values: {
          question: {
            question_input: { type: "plain_text_input", value: "Who signed the German contract?" },
          },
        },
      }),
    );
    expect(asked.body).toBe("");
    const question = turf.fake
      .callsTo("chat.postMessage")
      .find((c) => String(c.args.text).includes("Who signed the German contract?"));
    expect(question?.args.channel).toBe(dmChannelOf(SLACK.hannah));
    expect((await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe(
      "info_requested",
    );
    const note = await turf.db.prisma.disputeNote.findFirstOrThrow({
      where: { disputeId, kind: "info_request" },
    });
    const threadTs = String(note.slackTs).split(":")[1] as string;

    const reply = eventCallback(
      {
        type: "message.im",
        user: SLACK.hannah,
        text: "Our Munich office did, in September.",
        channel: dmChannelOf(SLACK.hannah),
        threadTs,
        parentUserId: "U0TURFBOT1",
      },
      { eventId: "Ev0REPLY00001" },
    );
    expect((await turf.send(reply)).status).toBe(200);
    expect((await turf.send(reply, { retry: { num: 1, reason: "http_timeout" } })).status).toBe(200);
    const replies = await turf.db.prisma.disputeNote.findMany({ where: { disputeId, kind: "info_reply" } });
    expect(replies.map((r) => r.text)).toEqual(["Our Munich office did, in September."]);
    const toArbiter = turf.fake
      .callsTo("chat.postMessage")
      .filter((c) => String(c.args.text).includes("Munich office"));
    expect(toArbiter).toHaveLength(1);
    expect(toArbiter[0]?.args).toMatchObject({ channel: card.channelId, thread_ts: card.ts });
    const dispute = await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    // Asking paused nothing.
    expect(dispute).toMatchObject({ status: "open", dueAt: at(48) });
  });

  it("shows the arbiter's queue and the claimant's open dispute on App Home and in /owner disputes", async () => {
    await turf.send(eventCallback({ type: "app_home_opened", user: SLACK.morgan }));
    const home = await turf.fake.waitForCall("views.publish", (c) => c.args.user_id === SLACK.morgan);
    const homeJson = JSON.stringify(home.args.view);
    expect(homeJson).toContain("Disputes waiting for your decision");
    expect(homeJson).toContain("Globex Deutschland GmbH");
    expect(homeJson).toContain("48 h left");
    const responseUrl = turf.fake.responseUrl();
    await turf.send(slashCommand({ command: "/owner", text: "disputes", userId: SLACK.hannah, responseUrl }));
    const listed = await turf.fake.waitForResponse((r) => r.url === responseUrl);
    expect(JSON.stringify(listed.body)).toContain("Your open disputes");
    expect(JSON.stringify(listed.body)).toContain("Globex Deutschland GmbH");
  });

  it("survives a restart: the next instance sends the 4-hour reminder after downtime, skipping the stale 24-hour one", async () => {
    await turf.stop();
    turf = await startTurf({ db, users: USERS, now: at(45) });
    const report = await sweep(turf, { instanceId: "after-restart" });
    expect(report).toMatchObject({ sent: 1, skipped: 1 });
    const notices = await turf.db.prisma.disputeNotice.findMany({
      where: { disputeId },
      orderBy: { dueAt: "asc" },
    });
    expect(notices.map((n) => [n.kind, n.sentAt !== null, n.skippedAt !== null])).toEqual([
      ["reminder_24h", false, true],
      ["reminder_4h", true, false],
      ["escalation", false, false],
    ]);
    const reminders = turf.fake
      .callsTo("chat.postMessage")
      .filter((c) => String(c.args.text).includes("Last call"));
    expect(reminders.map((c) => c.args.channel)).toEqual([dmChannelOf(SLACK.morgan)]);
  });

  it("escalates exactly once at 48 h: backup arbiter and channel get the card, both reps are told", async () => {
    turf.clock.set(at(48));
    const [a, b] = await Promise.all([
      sweep(turf, { instanceId: "one" }),
      sweep(turf, { instanceId: "two" }),
    ]);
    expect(a.sent + b.sent).toBe(1);
    expect((await sweep(turf)).claimed).toBe(0);
    expect((await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe(
      "escalated",
    );
    const escalations = turf.fake
      .callsTo("chat.postMessage")
      .filter((c) => String(c.args.text).startsWith("Escalated"));
    expect(escalations.map((c) => c.args.channel).sort()).toEqual(
      [dmChannelOf(SLACK.marcus), ESCALATION_CHANNEL].sort(),
    );
    for (const e of escalations) expect(JSON.stringify(e.args.blocks)).toContain(ACTIONS.keep);
    const told = turf.fake
      .callsTo("chat.postMessage")
      .filter((c) => String(c.args.text).includes("passed its 48-hour deadline and has been escalated"));
    expect(told.map((c) => c.args.channel).sort()).toEqual(
      [dmChannelOf(SLACK.hannah), dmChannelOf(SLACK.dana)].sort(),
    );
    expect(
      await turf.db.prisma.auditEvent.count({ where: { subjectId: disputeId, action: "dispute.escalated" } }),
    ).toBe(1);
  });

  it("lets the backup decide after escalation and refuses a bystander in the channel", async () => {
    const inChannel = { channelId: ESCALATION_CHANNEL, ts: "1767225600.000900" };
    const bystander = turf.fake.responseUrl();
    await turf.send(
      blockAction({
        userId: SLACK.sofie,
        actionId: ACTIONS.keep,
        value: disputeId,
        message: inChannel,
        responseUrl: bystander,
      }),
    );
    expect(String((await turf.fake.waitForResponse((r) => r.url === bystander)).body.text)).toMatch(
      /only the assigned arbiter or the backup arbiter/,
    );
    const opened = turf.fake.callsTo("views.open").length;
    await turf.send(
      blockAction({
        userId: SLACK.marcus,
        actionId: ACTIONS.keep,
        value: disputeId,
        message: inChannel,
        responseUrl: turf.fake.responseUrl(),
      }),
    );
    expect(turf.fake.callsTo("views.open")).toHaveLength(opened + 1);
    const account = await accountId(turf, CRM.globexDe);
    const crm = await turf.db.prisma.account.findUniqueOrThrow({ where: { id: account } });
    const res = await turf.send(
      submitDecision(
        turf,
        SLACK.marcus,
        disputeId,
        "keep",
        "Dana keeps it: the parent relationship drives the German deal.",
        { kind: "account_only", accountCrmId: crm.crmId },
      ),
    );
    expect(res.body).toBe("");
    expect(await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } })).toMatchObject({
      status: "resolved",
      decision: "keep",
    });
  });
});

describe("a decision racing the escalation", () => {
  let turf: TurfUnderTest;
  beforeAll(async () => {
    turf = await startTurf({ users: USERS, now: OPENED });
  });
  afterAll(async () => turf.stop());

  it("resolves once whichever lands first", async () => {
    const disputeId = await fileDispute(turf, SLACK.hannah, CRM.globexDe);
    turf.clock.set(at(48));
    const decision = submitDecision(turf, SLACK.morgan, disputeId, "transfer", "EMEA team takes it.", {
      kind: "account_only",
      accountCrmId: CRM.globexDe,
    });
    const [, res] = await Promise.all([sweep(turf), turf.send(decision)]);
    expect(res.body).toBe("");
    const dispute = await turf.db.prisma.dispute.findUniqueOrThrow({
      where: { id: disputeId },
      include: { notices: true },
    });
    expect(dispute.status).toBe("resolved");
    const escalation = dispute.notices.find((n) => n.kind === "escalation");
    expect([escalation?.sentAt, escalation?.skippedAt].filter((v) => v !== null)).toHaveLength(1);
    expect(
      await turf.db.prisma.ownership.count({ where: { accountId: dispute.accountId, causeRef: disputeId } }),
    ).toBe(1);
    expect(await turf.db.prisma.rule.count({ where: { disputeId } })).toBe(1);
    expect(
      await turf.db.prisma.auditEvent.count({ where: { subjectId: disputeId, action: "dispute.decided" } }),
    ).toBe(1);
  });
});

// Reseller-channel disputes decided for the reseller wait for a manager's sign-off on their own clock.
describe("channel exceptions", () => {
  let turf: TurfUnderTest;
  beforeAll(async () => {
    turf = await startTurf({ users: { ...USERS, U05NNF1EMVX: { tz: "America/Denver" } }, now: OPENED });
  });
  afterAll(async () => turf.stop());
  afterEach(() => {
    expect(turf.fake.violations).toEqual([]);
  });
  it("applies only after a manager signs off, once", async () => {
    const disputeId = await decideForReseller(turf, CRM.frostholm);
    const account = await accountId(turf, CRM.frostholm);
    const jordan = await repId(turf, SLACK.jordan);
    let dispute = await turf.db.prisma.dispute.findUniqueOrThrow({
      where: { id: disputeId },
      include: { notices: true },
    });
    expect(dispute).toMatchObject({ status: "resolved", signOffRequired: true, signOffDueAt: at(48) });
    expect(dispute.notices.map((n) => n.kind).sort()).toEqual([
      "escalation",
      "reminder_24h",
      "reminder_4h",
      "sign_off_expiry",
      "sign_off_reminder_24h",
      "sign_off_reminder_4h",
    ]);
    expect(
      (await turf.db.prisma.ownership.findFirstOrThrow({ where: { accountId: account, effectiveTo: null } }))
        .repId,
    ).toBe(jordan);
    expect(await turf.db.prisma.rule.count({ where: { disputeId } })).toBe(0);
    const request = turf.fake
      .callsTo("chat.postMessage")
      .find(
        (c) =>
          c.args.channel === dmChannelOf(SLACK.marcus) && String(c.args.text).startsWith("Sign-off needed"),
      );
    expect(JSON.stringify(request?.args.blocks)).toContain(ACTIONS.signOff);

    const dm = { channelId: dmChannelOf(SLACK.marcus), ts: "1767225600.000700" };
    const refused = turf.fake.responseUrl();
    await turf.send(
      blockAction({
        userId: SLACK.dana,
        actionId: ACTIONS.signOff,
        value: disputeId,
        message: dm,
        responseUrl: refused,
      }),
    );
    expect(String((await turf.fake.waitForResponse((r) => r.url === refused)).body.text)).toMatch(
      /Only a manager/,
    );
    const click = () =>
      turf.send(
        blockAction({
          userId: SLACK.marcus,
          actionId: ACTIONS.signOff,
          value: disputeId,
          message: dm,
          responseUrl: turf.fake.responseUrl(),
        }),
      );
    await Promise.all([click(), click()]);
    dispute = await turf.db.prisma.dispute.findUniqueOrThrow({
      where: { id: disputeId },
      include: { notices: true },
    });
    expect(dispute.signedOffByRepId).toBe(await repId(turf, SLACK.marcus));
    const owners = await turf.db.prisma.ownership.findMany({
      where: { accountId: account, causeRef: disputeId },
    });
    expect(owners.map((o) => o.repId)).toEqual([await repId(turf, ALEX)]);
    expect(await turf.db.prisma.rule.count({ where: { disputeId } })).toBe(1);
    turf.clock.set(at(49));
    const report = await sweep(turf);
    expect(report.sent).toBe(0);
  });

  it("without sign-off in 48 h the direct rep stays, and both reps are told once", async () => {
    turf.clock.set(at(50));
    const disputeId = await decideForReseller(turf, "001000000000GLOBEX");
    const account = await accountId(turf, "001000000000GLOBEX");
    const dana = await repId(turf, SLACK.dana);
    turf.clock.set(at(50 + 49));
    const report = await sweep(turf);
    expect(report).toMatchObject({ sent: 1 });
    expect((await sweep(turf)).claimed).toBe(0);
    const dispute = await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect(dispute.signOffExpiredAt).not.toBeNull();
    expect(
      (await turf.db.prisma.ownership.findFirstOrThrow({ where: { accountId: account, effectiveTo: null } }))
        .repId,
    ).toBe(dana);
    const told = turf.fake
      .callsTo("chat.postMessage")
      .filter((c) => String(c.args.text).includes("No manager signed off"));
    expect(told.map((c) => c.args.channel).sort()).toEqual(
      [dmChannelOf(ALEX), dmChannelOf(SLACK.dana)].sort(),
    );
    const late = turf.fake.responseUrl();
    await turf.send(
      blockAction({
        userId: SLACK.marcus,
        actionId: ACTIONS.signOff,
        value: disputeId,
        message: { channelId: dmChannelOf(SLACK.marcus), ts: "1767225600.000800" },
        responseUrl: late,
      }),
    );
    expect(String((await turf.fake.waitForResponse((r) => r.url === late)).body.text)).toMatch(
      /window .* has closed|no longer waiting/,
    );
  });
});
