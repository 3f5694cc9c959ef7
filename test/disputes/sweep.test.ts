import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/config/clock.ts";
import { openDatabase } from "../../src/db/client.ts";
import { applyMigrations } from "../../src/db/migrate.ts";
import { LEASE_MS } from "../../src/jobs/dispute-sweep.ts";
import { shortRef } from "../../src/services/disputes/file-dispute.ts";
import { createServices } from "../../src/services/index.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import type { FakeSlackApi } from "../harness/fake-slack-api.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";
import { startTurf, type TurfUnderTest } from "../support/turf-app.ts";
import { ESCALATION_CHANNEL, SLACK, sweep, USERS } from "./support.ts";

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
