// Arbiters as data: set through `turf import arbiters` and `turf arbiters set`, listed by
// `turf arbiters list`, and used in a fixed order — territory, team, head of RevOps — with the
// backup from the same scope, as the arbiter's card says.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.ts";
import { importCsv } from "../../src/services/import/import-csv.ts";
import { CRM, dmChannelOf, fileDispute, SLACK, USERS } from "../disputes/support.ts";
import { databaseKinds } from "../support/databases.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

const SAMUEL = "U00LX58K71L"; // team Healthcare in data/sample
const NOW = new Date("2026-11-02T09:00:00Z");

describe.each(databaseKinds())("arbiters as data (%s)", (kind) => {
  let turf: TurfUnderTest;
  beforeAll(async () => {
    turf = await startTurf({ kind, users: USERS, now: NOW });
  });
  afterAll(async () => turf?.stop());

  async function cli(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(["arbiters", ...args], {
      database: turf.db,
      env: { TURF_HEAD_OF_REVOPS_EMAIL: "morgan@turf-demo.example" },
      now: NOW,
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  function cardTo(slackUserId: string, since: number): string {
    const card = turf.fake.calls
      .slice(since)
      .find((c) => c.method === "chat.postMessage" && c.args.channel === dmChannelOf(slackUserId));
    expect(card, `a card DMed to ${slackUserId}`).toBeDefined();
    return JSON.stringify(card?.args.blocks);
  }

  it("the sample company names a team arbiter with a backup", async () => {
    const { code, out } = await cli("list");
    expect(code).toBe(0);
    expect(out).toMatch(/team\s+Healthcare\s+Marcus Oyelaran <marcus@turf-demo.example>\s+Morgan Ellery/);
    expect(out).toMatch(
      /head of RevOps\s+everything else\s+Morgan Ellery <morgan@turf-demo.example>\s+none set/,
    );
    expect((await cli("list")).err).toContain("territory → team → head of RevOps");
  });

  it("routes to the claimant's team arbiter, and the card says whose arbiter and who backs up", async () => {
    const since = turf.fake.calls.length;
    const id = await fileDispute(turf, SAMUEL, CRM.brightpathUk);
    const dispute = await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id } });
    const marcus = await turf.db.prisma.rep.findUniqueOrThrow({ where: { slackUserId: SLACK.marcus } });
    const morgan = await turf.db.prisma.rep.findUniqueOrThrow({ where: { slackUserId: SLACK.morgan } });
    expect(dispute.arbiterRepId).toBe(marcus.id);
    expect(dispute.backupArbiterRepId).toBe(morgan.id);
    expect(cardTo(SLACK.marcus, since)).toContain(
      `<@${SLACK.marcus}> (team Healthcare's arbiter); backup: <@${SLACK.morgan}>`,
    );
  });

  it("a territory arbiter set from the CLI comes before the team's", async () => {
    const bad = await cli("set", "--territory", "EMEA", "--arbiter", "nobody@turf-demo.example");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("arbiter nobody@turf-demo.example is not a rep in Turf");
    expect((await cli("set", "--team", "X", "--territory", "EMEA", "--arbiter", "a@b.example")).code).toBe(2);
    const ok = await cli(
      "set",
      "--territory",
      "EMEA",
      "--arbiter",
      "sofie@turf-demo.example",
      "--backup",
      "marcus@turf-demo.example",
    );
    expect(ok.code).toBe(0);
    expect((await cli("list")).out).toMatch(/territory\s+EMEA\s+Sofie Lindqvist.*Marcus Oyelaran/);

    const since = turf.fake.calls.length;
    const id = await fileDispute(turf, SLACK.lucas, CRM.rookhaven);
    const dispute = await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id } });
    const sofie = await turf.db.prisma.rep.findUniqueOrThrow({ where: { slackUserId: SLACK.sofie } });
    expect(dispute.arbiterRepId).toBe(sofie.id);
    expect(cardTo(SLACK.sofie, since)).toContain(
      `<@${SLACK.sofie}> (the EMEA territory's arbiter); backup: <@${SLACK.marcus}>`,
    );
  });

  it("imports arbiters all-or-nothing, with each bad line named, and re-importing changes nothing", async () => {
    const bad = [
      "team,territory,arbiter_email,backup_arbiter_email",
      "International,,sofie@turf-demo.example,morgan@turf-demo.example",
      "International,EMEA,sofie@turf-demo.example,",
      ",,ghost@turf-demo.example,",
    ].join("\n");
    const failed = await importCsv(turf.db.prisma, "arbiters", bad, { now: NOW, actor: "test" });
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(failed.errors[0]?.message).toContain("name either a team or a territory");
    const unknown = [
      "team,territory,arbiter_email,backup_arbiter_email",
      "International,,sofie@turf-demo.example,morgan@turf-demo.example",
      "Americas,,ghost@turf-demo.example,",
    ].join("\n");
    const refused = await importCsv(turf.db.prisma, "arbiters", unknown, { now: NOW, actor: "test" });
    expect(refused.ok ? [] : refused.errors).toEqual([
      { line: 3, message: "arbiter ghost@turf-demo.example is not a rep in Turf (import reps first)" },
    ]);
    expect(
      await turf.db.prisma.arbiterAssignment.findUnique({ where: { team: "International" } }),
    ).toBeNull();

    const good = [
      "team,territory,arbiter_email,backup_arbiter_email",
      "International,,sofie@turf-demo.example,morgan@turf-demo.example",
    ].join("\n");
    const first = await importCsv(turf.db.prisma, "arbiters", good, { now: NOW, actor: "test" });
    expect(first.ok && first.summary).toMatchObject({ rows: 1, updated: 1, unchanged: 0 });
    const again = await importCsv(turf.db.prisma, "arbiters", good, { now: NOW, actor: "test" });
    expect(again.ok && again.summary).toMatchObject({ rows: 1, updated: 0, unchanged: 1 });
    expect((await cli("list")).out).toMatch(/team\s+International\s+Sofie Lindqvist.*Morgan Ellery/);
  });
});
