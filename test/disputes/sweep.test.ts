import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/config/clock.ts";
import { openDatabase } from "../../src/db/client.ts";
import { applyMigrations } from "../../src/db/migrate.ts";
import { LEASE_MS, type SweepDeps, sweepDisputeNotices } from "../../src/jobs/dispute-sweep.ts";
import type { NoticeComposer } from "../../src/jobs/job.ts";
import { shortRef } from "../../src/services/disputes/file-dispute.ts";
import { createServices } from "../../src/services/index.ts";
import type { Notifier } from "../../src/services/outbox/index.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { noticeMessages } from "../../src/slack/listeners/disputes/send.ts";
import type { FakeSlackApi } from "../harness/fake-slack-api.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";
import { ESCALATION_CHANNEL, notifierOf, SLACK, silent, sweep, USERS } from "./support.ts";

const OPENED = new Date("2026-11-02T09:00:00Z");
const at = (hours: number) => new Date(OPENED.getTime() + hours * 3_600_000);

/** Opens disputes on accounts no written rule decides, claimant Hannah or Lucas, until `count` are open. */
async function openDisputes(db: TestDatabase["prisma"], count: number): Promise<string[]> {
  const services = createServices(db, fixedClock(OPENED));
  const accounts = await db.account.findMany({
    where: { region: "EMEA" },
    orderBy: { crmId: "asc" },
    select: { id: true },
  });
  const ids: string[] = [];
  for (const account of accounts) {
    for (const claimant of [SLACK.hannah, SLACK.lucas]) {
      if (ids.length >= count) return ids;
      const filed = await services.disputes.file({
        accountId: account.id,
        claimantSlackUserId: claimant,
        proposedOwnerSlackUserId: claimant,
        category: "other",
        reason: "I have worked this account for two quarters already.",
        evidence: null,
        opportunityLink: null,
      });
      if (filed.ok) {
        ids.push(filed.value.disputeId);
        break;
      }
    }
  }
  return ids;
}

/** Every notice message the fakes received, by the dispute reference it names. */
function noticeRefs(fakes: FakeSlackApi[], pattern: RegExp, channel?: string): string[] {
  return fakes
    .flatMap((f) => f.callsTo("chat.postMessage"))
    .filter((c) => pattern.test(String(c.args.text)) && (channel === undefined || c.args.channel === channel))
    .map((c) => JSON.stringify(c.args.blocks).match(/D-[0-9A-F]{8}/)?.[0] ?? "none");
}

describe.runIf(databaseKinds().includes("postgres"))("two app instances sweeping one PostgreSQL", () => {
  let db: TestDatabase;
  let second: TestDatabase;
  let a: TurfUnderTest;
  let b: TurfUnderTest;
  let refs: string[];

  beforeAll(async () => {
    db = await freshDatabase("postgres");
    await loadSampleData(db.prisma, OPENED);
    const ids = await openDisputes(db.prisma, 24);
    refs = ids.map(shortRef).sort();
    // A second pool on the same database, as a second instance would have.
    const other = await openDatabase({ databaseUrl: db.url as string });
    second = Object.assign(other, { url: db.url, drop: () => other.close() });
    a = await startTurf({ db, users: USERS, now: OPENED });
    b = await startTurf({ db: second, users: USERS, now: OPENED });
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await second?.drop();
    await db?.drop();
  });

  it.each([
    ["24-hour reminders", 30, /^Reminder:/, undefined],
    ["4-hour reminders", 46, /^⏰ Last call/, undefined],
    ["escalations", 49, /^Escalated/, ESCALATION_CHANNEL],
  ] as const)("sends the %s exactly once between them", async (_label, hours, pattern, channel) => {
    expect(refs).toHaveLength(24);
    a.clock.set(at(hours));
    b.clock.set(at(hours));
    const [ra, rb] = await Promise.all([
      sweep(a, { instanceId: "a", batch: 5 }),
      sweep(b, { instanceId: "b", batch: 5 }),
    ]);
    expect(ra.sent + rb.sent).toBe(24);
    expect(ra.failed + rb.failed + ra.lost + rb.lost).toBe(0);
    expect(noticeRefs([a.fake, b.fake], pattern, channel).sort()).toEqual(refs);
    const [again1, again2] = await Promise.all([
      sweep(a, { instanceId: "a" }),
      sweep(b, { instanceId: "b" }),
    ]);
    expect(again1.claimed + again2.claimed).toBe(0);
  });

  it("left every notice marked once and escalated every dispute once", async () => {
    const notices = await db.prisma.disputeNotice.findMany();
    expect(notices).toHaveLength(72);
    for (const n of notices) expect(n.sentAt).not.toBeNull();
    expect(await db.prisma.dispute.count({ where: { status: "escalated" } })).toBe(24);
    expect(await db.prisma.auditEvent.count({ where: { action: "dispute.escalated" } })).toBe(24);
  });
});

// The child claims the due notices and is SIGKILLed before marking any: nothing is lost, and after
// the lease a fresh sweep sends each exactly once.
describe.each(databaseKinds())("a sweeper killed between claim and send (%s)", (kind) => {
  let db: TestDatabase;
  let dataDir: string | null = null;
  let target: string;
  let disputes: string[];

  beforeAll(async () => {
    if (kind === "postgres") {
      db = await freshDatabase("postgres");
      target = db.url as string;
    } else {
      dataDir = mkdtempSync(join(tmpdir(), "turf-fault-"));
      const opened = await openDatabase({ dataDir });
      await applyMigrations(opened);
      db = Object.assign(opened, { drop: () => opened.close() });
      target = dataDir;
    }
    await loadSampleData(db.prisma, OPENED);
    disputes = await openDisputes(db.prisma, 3);
    // PGlite is single-process: hand the folder to the child.
    if (kind === "embedded") await db.close();
  }, 120_000);
  afterAll(async () => {
    if (kind === "postgres") await db.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("sends every claimed notice exactly once after the lease runs out", async () => {
    expect(disputes).toHaveLength(3);
    const script = fileURLToPath(new URL("./fixtures/claim-and-die.ts", import.meta.url));
    const child = spawn("npx", ["tsx", script, target, at(30).toISOString(), String(LEASE_MS)], {
      stdio: ["ignore", "pipe", "inherit"],
      // Its own process group, so SIGKILL reaches the node process under npx and tsx, not just npx.
      detached: true,
    });
    const claimed = await new Promise<string[]>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (line) resolve((JSON.parse(line) as { claimed: string[] }).claimed);
      });
      child.on("exit", (code) => reject(new Error(`child exited (${code}) before claiming`)));
    });
    const killed = new Promise((resolve) => child.on("exit", resolve));
    process.kill(-(child.pid as number), "SIGKILL");
    await killed;
    expect(claimed).toHaveLength(3);

    const reopened =
      kind === "postgres"
        ? db
        : Object.assign(await openDatabase({ dataDir }), { drop: async () => undefined });
    const turf = await startTurf({ db: reopened as TestDatabase, users: USERS, now: at(30) });
    try {
      const during = await sweep(turf, { instanceId: "survivor" });
      expect(during.claimed).toBe(0);
      turf.clock.set(new Date(at(30).getTime() + LEASE_MS + 60_000));
      const after = await sweep(turf, { instanceId: "survivor" });
      expect(after).toMatchObject({ claimed: 3, sent: 3 });
      expect((await sweep(turf, { instanceId: "survivor" })).claimed).toBe(0);
      const notices = await turf.db.prisma.disputeNotice.findMany({ where: { id: { in: claimed } } });
      for (const n of notices)
        expect(n).toMatchObject({ claimedBy: "survivor", attempts: 2, sentAt: expect.any(Date) });
      expect(noticeRefs([turf.fake], /^Reminder:/).sort()).toEqual(disputes.map(shortRef).sort());
    } finally {
      await turf.stop();
      if (kind === "embedded") await reopened.close();
    }
  }, 120_000);
});

// A batch is one transaction: a failure before its commit (here the outbox write) leaves every
// notice as it was — unclaimed, unmarked, nothing queued — and the next sweep sends each once. A
// notice that cannot be worded fails alone: its claim is given back with the error, the rest go out.
describe.each(databaseKinds())("a sweep batch that fails part-way (%s)", (kind) => {
  let turf: TurfUnderTest;
  let refs: string[];

  beforeAll(async () => {
    turf = await startTurf({ kind, users: USERS, now: OPENED });
    refs = (await openDisputes(turf.db.prisma, 3)).map(shortRef).sort();
  }, 120_000);
  afterAll(async () => {
    await turf?.stop();
  });

  const deps = (overrides: Partial<SweepDeps>): SweepDeps => ({
    services: turf.services,
    logger: silent,
    notifier: notifierOf(turf),
    composeNotice: noticeMessages,
    escalationChannel: ESCALATION_CHANNEL,
    ...overrides,
  });

  it("rolls the claim back with the batch when the outbox write fails, and sends each notice once after", async () => {
    expect(refs).toHaveLength(3);
    turf.clock.set(at(30));
    const failing: Notifier = {
      ...notifierOf(turf),
      enqueue: async () => {
        throw new Error("outbox write failed");
      },
    };
    await expect(sweepDisputeNotices(deps({ notifier: failing }), { instanceId: "doomed" })).rejects.toThrow(
      "outbox write failed",
    );
    const due = await turf.db.prisma.disputeNotice.findMany({ where: { kind: "reminder_24h" } });
    expect(due).toHaveLength(3);
    for (const n of due)
      expect(n).toMatchObject({
        claimedBy: null,
        claimedAt: null,
        attempts: 0,
        sentAt: null,
        skippedAt: null,
      });
    expect(await turf.db.prisma.outboxMessage.count({ where: { purpose: "dispute.reminder_24h" } })).toBe(0);

    expect(await sweep(turf, { instanceId: "survivor" })).toMatchObject({ claimed: 3, sent: 3, failed: 0 });
    expect((await sweep(turf, { instanceId: "survivor" })).claimed).toBe(0);
    expect(noticeRefs([turf.fake], /^Reminder:/).sort()).toEqual(refs);
  });

  it("gives back the claim of a notice it cannot word and sends the others; the next sweep sends it once", async () => {
    turf.clock.set(at(46));
    const [unlucky] = refs;
    const composeNotice: NoticeComposer = (step, options) => {
      if (shortRef(step.details.dispute.id) === unlucky) throw new Error("cannot word this one");
      return noticeMessages(step, options);
    };
    const first = await sweepDisputeNotices(deps({ composeNotice }), { instanceId: "one" });
    expect(first).toMatchObject({ claimed: 3, sent: 2, failed: 1, lost: 0 });
    const given = await turf.db.prisma.disputeNotice.findMany({
      where: { kind: "reminder_4h", sentAt: null, skippedAt: null },
    });
    expect(given).toHaveLength(1);
    expect(given[0]).toMatchObject({ claimedBy: null, claimedAt: null, lastError: "cannot word this one" });

    expect(await sweep(turf, { instanceId: "two" })).toMatchObject({ claimed: 1, sent: 1, failed: 0 });
    expect(noticeRefs([turf.fake], /^⏰ Last call/).sort()).toEqual(refs);
  });
});

// A withdrawal holds the dispute row and then waits for its notices; the sweep holds notices and
// then claims the dispute. The sweep never waits on a held dispute (no deadlock): it gives the
// escalation back, and the next sweep escalates once the other transaction is done.
describe.runIf(databaseKinds().includes("postgres"))(
  "an escalation while another transaction holds the dispute",
  () => {
    let turf: TurfUnderTest;
    let disputeId: string;

    beforeAll(async () => {
      turf = await startTurf({ kind: "postgres", users: USERS, now: OPENED });
      [disputeId] = (await openDisputes(turf.db.prisma, 1)) as [string];
    }, 120_000);
    afterAll(async () => {
      await turf?.stop();
    });

    it("gives the escalation back without waiting, and escalates once at the next sweep", async () => {
      turf.clock.set(at(49));
      const holder = new pg.Client({ connectionString: turf.db.url });
      await holder.connect();
      try {
        await holder.query("BEGIN");
        // What a withdrawal's or a decision's status claim takes: the row updated, not yet committed.
        await holder.query(`UPDATE "Dispute" SET "updatedAt" = now() WHERE id = $1`, [disputeId]);
        const held = await sweep(turf, { instanceId: "one" });
        expect(held).toMatchObject({ failed: 1, sent: 0 });
        const escalation = await turf.db.prisma.disputeNotice.findFirstOrThrow({
          where: { disputeId, kind: "escalation" },
        });
        expect(escalation).toMatchObject({ sentAt: null, skippedAt: null, claimedBy: null });
        expect(escalation.lastError).toMatch(/retried at the next sweep/);
        expect((await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe(
          "open",
        );
        await holder.query("ROLLBACK");
      } finally {
        await holder.end();
      }
      const after = await sweep(turf, { instanceId: "two" });
      expect(after.failed).toBe(0);
      expect((await turf.db.prisma.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe(
        "escalated",
      );
      expect(
        await turf.db.prisma.auditEvent.count({
          where: { subjectId: disputeId, action: "dispute.escalated" },
        }),
      ).toBe(1);
      expect(noticeRefs([turf.fake], /^Escalated/, ESCALATION_CHANNEL)).toEqual([shortRef(disputeId)]);
    });
  },
);
