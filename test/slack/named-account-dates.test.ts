// The guide's named-account rule: an account that lands on the named list "is removed from the
// original geographic or vertical rep's book on the first of the next quarter, with the original rep
// credited for any in-flight opportunities through closure". Driven through /owner, /owner why,
// App Home and `turf rules explain`, then applied by the claimed job on the date.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.ts";
import type { JobDeps } from "../../src/jobs/index.ts";
import { pendingChangesApplyJob } from "../../src/jobs/pending-changes-apply.ts";
import { reevaluateBook } from "../../src/services/ownership/reevaluate-book.ts";
import { applyDuePendingChanges } from "../../src/services/rules/apply-pending-changes.ts";
import { installDefaultRules } from "../../src/services/rules/default-rules.ts";
import { addRulesFromFile } from "../../src/services/rules/rule-file-import.ts";
import { eventCallback, slashCommand } from "../harness/slack-payloads.ts";
import { databaseKinds } from "../support/databases.ts";
import { GUIDE_COMPANY, importCompany } from "../support/guide-company.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";

const NOW = new Date("2026-11-02T09:00:00Z");
const NAMED_RULE = `
rules:
  - id: named-nimbus
    kind: named
    matcher: { field: account.crmId, op: eq, value: 001GNAMED }
    outcome: { type: rep, rep: olga@guide.example }
    text: Named account list - Nimbus Systems is a strategic account for Olga Strand
`;
const COMPANY = {
  ...GUIDE_COMPANY,
  accounts: [
    ...GUIDE_COMPANY.accounts,
    "001GNAMED,Nimbus Systems,nimbus.io,,US,NA,Software,900,MM,5,2026-10-01,true,dana@guide.example",
  ],
  opportunities: [
    ...(GUIDE_COMPANY.opportunities ?? []),
    "006GNAMED1,001GNAMED,dana@guide.example,120000,Negotiation,true,direct,",
  ],
};

const cases = databaseKinds().flatMap((kind) => [
  { kind, timeZone: "UTC", startMonth: 1, day: "1 Jan 2027", instant: "2027-01-01T00:00:00.000Z" },
  // Berlin with a fiscal year from February: the next quarter starts 1 Feb 2027 at midnight in
  // Berlin, which is still 31 January in UTC.
  { kind, timeZone: "Europe/Berlin", startMonth: 2, day: "1 Feb 2027", instant: "2027-01-31T23:00:00.000Z" },
]);

describe.each(cases)("named-account moves wait for the next quarter on $kind, $timeZone", (c) => {
  let turf: TurfUnderTest;
  const calendar = { timeZone: c.timeZone, startMonth: c.startMonth };
  const sentence = `moves to Olga Strand on ${c.day} — named account list`;
  const ownerOf = async (crmId: string) =>
    (
      await turf.db.prisma.ownership.findFirst({
        where: { account: { crmId }, effectiveTo: null },
        include: { rep: true },
      })
    )?.rep?.name ?? null;

  beforeAll(async () => {
    turf = await startTurf({
      kind: c.kind,
      now: NOW,
      sampleData: false,
      settings: { calendar },
      prepare: async (db) => {
        await importCompany(db.prisma, COMPANY, NOW);
        if ((await db.prisma.rule.count()) === 0) await installDefaultRules(db.prisma, NOW);
        await reevaluateBook(db.prisma, { now: NOW, actor: "test", calendar });
        const added = await addRulesFromFile(db.prisma, NAMED_RULE, "revops", NOW);
        expect(added.ok).toBe(true);
      },
    });
  }, 180_000);
  afterAll(async () => turf.stop());

  async function ask(text: string) {
    const responseUrl = turf.fake.responseUrl();
    await turf.send(slashCommand({ command: "/owner", text, userId: "U0GDANA01", responseUrl }));
    return turf.fake.responses.find((r) => r.url === responseUrl)?.body as { text: string };
  }

  it("re-evaluation stores one pending change dated the quarter's first day, and a re-run adds none", async () => {
    const first = await reevaluateBook(turf.db.prisma, { now: NOW, actor: "test", calendar });
    expect(first.scheduled).toBe(1);
    expect(await ownerOf("001GNAMED")).toBe("Dana Kim");
    const second = await reevaluateBook(turf.db.prisma, { now: NOW, actor: "test", calendar });
    expect(second.scheduled).toBe(0);
    expect(second.changed).toBe(0);
    const rows = await turf.db.prisma.pendingChange.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.effectiveAt.toISOString()).toBe(c.instant);
    expect(rows[0]?.status).toBe("pending");
  });

  it("/owner shows the current owner and the dated move", async () => {
    const reply = await ask("nimbus.io");
    expect(reply.text).toMatch(/^Nimbus Systems is owned by Dana Kim\./);
    expect(reply.text).toContain(`It ${sentence}.`);
  });

  it("/owner why shows the move and the rule that dates it", async () => {
    const why = await ask("why nimbus.io");
    expect(why.text).toContain(`It ${sentence}.`);
    expect(why.text).toContain(
      "The move waits for the first day of the next fiscal quarter (named account list)",
    );
  });

  it("App Home lists the move for the receiving rep", async () => {
    await turf.send(eventCallback({ type: "app_home_opened", user: "U0GOLGA01", tab: "home" }));
    const publish = await turf.fake.waitForCall("views.publish", (p) => p.args.user_id === "U0GOLGA01");
    expect(JSON.stringify(publish.args.view)).toContain(`Nimbus Systems ${sentence}`);
  });

  it("`turf rules explain` prints the move", async () => {
    const out: string[] = [];
    const code = await runCli(["rules", "explain", "nimbus.io"], {
      env: {
        TURF_TIMEZONE: c.timeZone,
        TURF_FISCAL_YEAR_START_MONTH: String(c.startMonth),
        LOG_LEVEL: "silent",
      },
      now: NOW,
      database: turf.db,
      out: (line) => out.push(line),
      err: () => {},
    });
    expect(code).toBe(0);
    expect(out).toContain(`pending: ${sentence}`);
  });

  it("the job applies it exactly once on the date; in-flight deals stay credited to the original rep", async () => {
    const deps = {
      db: turf.db.prisma,
      clock: turf.clock,
      logger: pino({ level: "silent" }),
    } as unknown as JobDeps;
    turf.clock.set(new Date(new Date(c.instant).getTime() - 1000));
    await pendingChangesApplyJob.run(deps);
    expect(await ownerOf("001GNAMED")).toBe("Dana Kim");

    turf.clock.set(new Date(c.instant));
    // Two sweeps at once (two instances): one applies, the other finds nothing to claim.
    const [a, b] = await Promise.all([
      applyDuePendingChanges(turf.db.prisma, { now: turf.clock.now() }),
      applyDuePendingChanges(turf.db.prisma, { now: turf.clock.now() }),
    ]);
    expect(a.applied + b.applied).toBe(1);
    await pendingChangesApplyJob.run(deps);
    expect(await ownerOf("001GNAMED")).toBe("Olga Strand");
    const history = await turf.db.prisma.ownership.findMany({ where: { account: { crmId: "001GNAMED" } } });
    expect(history.filter((h) => h.effectiveTo === null)).toHaveLength(1);
    expect(history.find((h) => h.effectiveTo === null)?.effectiveFrom.toISOString()).toBe(c.instant);
    const deal = await turf.db.prisma.opportunity.findUniqueOrThrow({
      where: { crmId: "006GNAMED1" },
      include: { owner: true },
    });
    expect(deal.owner?.name).toBe("Dana Kim");
    expect((await turf.db.prisma.pendingChange.findFirstOrThrow()).status).toBe("applied");
    // The rules now agree with the owner: nothing left to schedule or change.
    const after = await reevaluateBook(turf.db.prisma, { now: turf.clock.now(), actor: "test", calendar });
    expect(after.scheduled).toBe(0);
    expect(await turf.db.prisma.pendingChange.count({ where: { status: "pending" } })).toBe(0);
    const reply = await ask("nimbus.io");
    expect(reply.text).toMatch(/^Nimbus Systems is owned by Olga Strand\./);
    expect(reply.text).not.toContain("moves to");
  });
});
