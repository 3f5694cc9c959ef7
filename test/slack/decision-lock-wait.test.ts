import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISPUTE_ACTION, FILING_BLOCK } from "../../src/slack/views/disputes/ids.ts";
import {
  ALEX,
  accountId,
  CRM,
  decideForReseller,
  fileDispute,
  repId,
  SLACK,
  submitDecision,
  submitFiling,
  USERS,
} from "../disputes/support.ts";
import { blockAction } from "../harness/slack-payloads.ts";
import { databaseKinds } from "../support/databases.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

// A re-evaluation of a big book holds its accounts' locks while it runs (seconds at 1M accounts). A
// dispute step that would move one of them (a sign-off, a decision, a filing a rule decides) gives up
// after a bounded wait and says so, keeping a modal open, instead of Slack's own error after 3 s;
// done again once the run is over, it applies. PostgreSQL only: embedded, there is one connection and
// nothing to wait for.
/** The lock a re-evaluation's writes take on every account they move (db/ownership-bulk.ts). */
const REGION_SCOPE = { kind: "region_expansion", region: "EMEA", sizeBand: "MM" };
const RE_EVALUATION_LOCK = `SELECT id FROM "Account" WHERE id = $1 FOR KEY SHARE`;

describe.runIf(databaseKinds().includes("postgres"))("dispute steps while the account is locked", () => {
  let turf: TurfUnderTest;
  let holder: pg.Client;

  beforeAll(async () => {
    turf = await startTurf({
      kind: "postgres",
      users: { ...USERS, [ALEX]: { tz: "America/Denver" } },
      disputes: { lockWaitMs: 200 },
    });
    holder = new pg.Client({ connectionString: turf.db.url as string });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    await turf.stop();
  });

  it("refuses a manager's sign-off as busy too, and applies it when clicked again", async () => {
    const disputeId = await decideForReseller(turf, CRM.frostholm);
    const account = await accountId(turf, CRM.frostholm);
    const click = async () => {
      const responseUrl = turf.fake.responseUrl();
      await turf.send(
        blockAction({
          userId: SLACK.marcus,
          actionId: DISPUTE_ACTION.signOff,
          value: disputeId,
          message: { channelId: "D0MARCUS01", ts: "1767225600.000700" },
          responseUrl,
        }),
      );
      return String((await turf.fake.waitForResponse((r) => r.url === responseUrl)).body.text);
    };

    await holder.query("BEGIN");
    await holder.query(RE_EVALUATION_LOCK, [account]);
    expect(await click()).toMatch(/saving another change to this account.*Try again/);
    const waiting = await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect(waiting.signedOffAt).toBeNull();
    expect(await turf.db.prisma.rule.count({ where: { disputeId } })).toBe(0);

    await holder.query("COMMIT");
    expect(await click()).toMatch(/Signed off/);
    const owner = await turf.db.prisma.ownership.findFirstOrThrow({
      where: { accountId: account, effectiveTo: null },
    });
    expect(owner).toMatchObject({ repId: await repId(turf, ALEX), cause: "dispute" });
  });
  it("is refused as busy in the modal, changes nothing, and applies when submitted again", async () => {
    const disputeId = await fileDispute(turf, SLACK.hannah, CRM.globexDe);
    const account = await accountId(turf, CRM.globexDe);
    const hannah = await repId(turf, SLACK.hannah);
    const text = "EMEA mid-market belongs with the EMEA team; Hannah built the German relationship.";
    const request = submitDecision(turf, SLACK.morgan, disputeId, "transfer", text, REGION_SCOPE);

    const cardUpdates = turf.fake.callsTo("chat.update").length;
    await holder.query("BEGIN");
    await holder.query(RE_EVALUATION_LOCK, [account]);
    const busy = await turf.send(request);
    const body = busy.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(Object.values(body.errors).join(" ")).toMatch(/saving another change to this account.*Try again/);
    const open = await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect(open.status).toBe("open");
    expect(await turf.db.prisma.rule.count({ where: { disputeId } })).toBe(0);
    expect(turf.fake.callsTo("chat.update")).toHaveLength(cardUpdates);

    await holder.query("COMMIT");
    const again = await turf.send(request);
    expect(again.status).toBe(200);
    expect(again.body).toBe("");
    const decided = await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect(decided).toMatchObject({ status: "resolved", decision: "transfer" });
    const owner = await turf.db.prisma.ownership.findFirstOrThrow({
      where: { accountId: account, effectiveTo: null },
    });
    expect(owner).toMatchObject({ repId: hannah, cause: "dispute" });
  });

  // The decision above wrote a rule for EMEA mid-market: BrightPath UK is decided by it, and filing
  // on it moves the account to Hannah (rule-answer.ts) instead of opening a dispute.
  it("refuses a filing that a rule decides as busy, keeps the form, and answers it when submitted again", async () => {
    const account = await accountId(turf, CRM.brightpathUk);
    const values = {
      category: "segment_change",
      reason: "Another EMEA mid-market account for the EMEA team.",
    };
    await holder.query("BEGIN");
    await holder.query(RE_EVALUATION_LOCK, [account]);
    const busy = await submitFiling(turf, SLACK.hannah, account, values);
    const body = busy.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors[FILING_BLOCK.reason]).toMatch(/saving another change to this account.*Try again/);
    const hannah = await repId(turf, SLACK.hannah);
    const before = await turf.db.prisma.ownership.findFirst({
      where: { accountId: account, effectiveTo: null },
    });
    expect(before?.repId ?? null).not.toBe(hannah);
    expect(await turf.db.prisma.dispute.count({ where: { accountId: account } })).toBe(0);

    await holder.query("COMMIT");
    const answered = await submitFiling(turf, SLACK.hannah, account, values);
    const view = answered.json as { response_action: string; view: { blocks: unknown[] } };
    expect(view.response_action).toBe("update");
    expect(JSON.stringify(view.view.blocks)).toContain("EMEA mid-market belongs with the EMEA team");
    const after = await turf.db.prisma.ownership.findFirstOrThrow({
      where: { accountId: account, effectiveTo: null },
    });
    expect(after).toMatchObject({ repId: hannah, cause: "rule" });
  });
});
