// Dispute sweep and filing-to-card latency. With 10k open disputes (30k notice rows): the time and
// query count of a sweep that finds nothing due (what every instance runs each minute); 1,000 due
// reminders swept into the outbox (floor: one INSERT … SELECT of as many outbox rows) and delivered
// (floor: the fake Slack Web API's own time for as many posts); 1,000 more swept end to end; and the
// latency from the dispute modal's Submit (a signed request to the real Bolt app) to the arbiter's
// card being posted. Each figure is printed next to its floor measured in the same run.
// PGlite always; PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set.
// Run alone: npx tsx bench/disputes.ts   (npm run bench -- disputes)
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { fixedClock } from "../src/config/clock.ts";
import type { Db } from "../src/db/client.ts";
import { BATCH, sweepDisputeNotices } from "../src/jobs/dispute-sweep.ts";
import { createServices } from "../src/services/index.ts";
import { loadSampleData } from "../src/services/sample-data.ts";
import { noticeMessages } from "../src/slack/listeners/disputes/send.ts";
import { outboxClient, slackTransport } from "../src/slack/outbox-transport.ts";
import { submitFiling, USERS } from "../test/disputes/support.ts";
import { startFakeSlackApi } from "../test/harness/fake-slack-api.ts";
import { startTurf } from "../test/support/turf-app.ts";
import { benchDatabases, fmt, latencies, peakRss, timeIt } from "./support.ts";

const OPEN = 10_000;
const DUE = 1_000;
const FILINGS = 40;
const OPENED = new Date("2026-11-02T09:00:00Z");
const HOUR = 3_600_000;

/** A client that counts every query Prisma issues (model operations and raw SQL). */
function counting(db: Db): { db: Db; count: () => number; reset: () => void } {
  let n = 0;
  const extended = db.$extends({
    query: {
      async $allOperations({ args, query }) {
        n++;
        return query(args);
      },
    },
  });
  return { db: extended as unknown as Db, count: () => n, reset: () => (n = 0) };
}

/** 10k open disputes spread over the sample book; DUE of them opened 23 h ago, the rest just now. */
async function seedDisputes(db: Db, now: Date): Promise<void> {
  const [accounts, reps] = await Promise.all([
    db.account.findMany({ select: { id: true } }),
    db.rep.findMany({ where: { roles: { has: "rep" } }, select: { id: true } }),
  ]);
  const arbiter = await db.rep.findFirstOrThrow({ where: { roles: { has: "arbiter" } } });
  for (let start = 0; start < OPEN; start += 2000) {
    const disputes = [];
    const notices = [];
    for (let i = start; i < Math.min(OPEN, start + 2000); i++) {
      const id = randomUUID();
      // Opened 23 h ago: their 24-hour reminder falls due one hour from `now`.
      const openedAt = i < DUE ? new Date(now.getTime() - 23 * HOUR) : now;
      const dueAt = new Date(openedAt.getTime() + 48 * HOUR);
      const claimant = reps[i % reps.length]?.id as string;
      disputes.push({
        id,
        accountId: accounts[i % accounts.length]?.id as string,
        claimantRepId: claimant,
        proposedOwnerRepId: claimant,
        category: "other" as const,
        reason: "Bench dispute: I have worked this account for two quarters.",
        arbiterRepId: arbiter.id,
        openedAt,
        dueAt,
      });
      for (const [kind, hoursBefore] of [
        ["reminder_24h", 24],
        ["reminder_4h", 4],
        ["escalation", 0],
      ] as const) {
        notices.push({
          id: randomUUID(),
          disputeId: id,
          kind,
          dueAt: new Date(dueAt.getTime() - hoursBefore * HOUR),
        });
      }
    }
    await db.dispute.createMany({ data: disputes });
    await db.disputeNotice.createMany({ data: notices });
  }
}

export async function run(): Promise<string[]> {
  const lines: string[] = [];
  const logger = pino({ level: "silent" });
  for (const make of await benchDatabases()) {
    const target = await make();
    try {
      const db = target.db.prisma;
      await loadSampleData(db, OPENED);
      await seedDisputes(db, OPENED);
      if (target.db.kind === "postgres") await db.$executeRawUnsafe("ANALYZE");
      lines.push(
        `[${target.name}] ${OPEN.toLocaleString()} open disputes, ${(OPEN * 3).toLocaleString()} notice rows`,
      );

      const fake = await startFakeSlackApi({ users: USERS });
      const clock = fixedClock(OPENED);
      const counted = counting(db);
      const services = createServices(counted.db, clock);
      const transport = slackTransport(outboxClient("xoxb-bench", fake.url));
      const notifier = services.outbox.notifier(transport, logger, { instance: "bench" });
      const sweep = (options: { deliver?: boolean } = {}) =>
        sweepDisputeNotices(
          { services, logger, notifier, composeNotice: noticeMessages },
          { instanceId: "bench", maxBatches: 1000, ...options },
        );

      counted.reset();
      const idle = await timeIt(() => sweep());
      lines.push(`  sweep, nothing due                 ${fmt(idle.ms)}  ${counted.count()} queries`);

      // 1. The DUE 24-hour reminders, swept into the outbox without Slack, against the floor of
      //    writing as many outbox rows with one plain INSERT … SELECT.
      clock.set(new Date(OPENED.getTime() + HOUR + 60_000));
      counted.reset();
      const toOutbox = await timeIt(() => sweep({ deliver: false }));
      const q = counted.count();
      const batches = Math.ceil(toOutbox.value.claimed / BATCH);
      const insertFloor = await timeIt(() =>
        db.$executeRawUnsafe(
          `INSERT INTO "OutboxMessage" (id, kind, channel, ts, "threadTs", text, blocks, purpose, "subjectId",
                                        status, "dueAt", "createdAt", "sentAt")
           SELECT md5(random()::text || id), kind, channel, ts, "threadTs", text, blocks, 'bench.floor',
                  "subjectId", 'sent', "dueAt", "createdAt", "dueAt"
             FROM "OutboxMessage" WHERE purpose = 'dispute.reminder_24h'`,
        ),
      );
      lines.push(
        `  sweep, ${toOutbox.value.sent.toLocaleString()} reminders due → outbox    ${fmt(toOutbox.ms)}  ${q} queries in ${batches} batches (${(q / Math.max(1, batches)).toFixed(0)} per batch)  floor INSERT…SELECT ${insertFloor.value.toLocaleString()} rows ${fmt(insertFloor.ms)}  ratio ${(toOutbox.ms / insertFloor.ms).toFixed(1)}×`,
      );

      //    … delivered by the outbox, against the fake Slack API's own time for as many posts in one
      //    conversation (in order, as the outbox sends one DM conversation) plus its one conversations.open.
      const rows = await db.outboxMessage.findMany({ where: { purpose: "dispute.reminder_24h" } });
      const delivered = await timeIt(() => notifier.deliverDue());
      const arbiterDm = rows[0]?.channel as string;
      const slackFloor = await timeIt(async () => {
        const channel = await transport.openDm(arbiterDm);
        for (const r of rows)
          await transport.post({
            channel,
            text: r.text,
            blocks: r.blocks as unknown[] | null,
            threadTs: null,
            outboxId: r.id,
          });
      });
      lines.push(
        `  outbox delivers ${delivered.value.sent.toLocaleString()} DMs                ${fmt(delivered.ms)}  floor (fake Slack: ${rows.length.toLocaleString()} posts + 1 open, no database) ${fmt(slackFloor.ms)}  ratio ${(delivered.ms / slackFloor.ms).toFixed(1)}×`,
      );

      // 2. The DUE 4-hour reminders end to end (claim → outbox → Slack), the figure the target is set on:
      //    ≤ 2 s plus Slack's own latency for the same posts.
      clock.set(new Date(OPENED.getTime() + 21 * HOUR + 60_000));
      const before = fake.callsTo("chat.postMessage").length;
      const busy = await timeIt(() => sweep());
      const posts = fake.callsTo("chat.postMessage").length - before;
      const floor = insertFloor.ms + slackFloor.ms;
      lines.push(
        `  sweep, ${busy.value.sent.toLocaleString()} reminders due, delivered     ${fmt(busy.ms)}  (${posts.toLocaleString()} posts)  floor (INSERT…SELECT + fake Slack) ${fmt(floor)}  ratio ${(busy.ms / floor).toFixed(1)}×  beyond Slack's own time ${fmt(busy.ms - slackFloor.ms)} (target ≤ 2 s)  peak RSS ${peakRss()}`,
      );
      await fake.stop();

      const turf = await startTurf({
        db: Object.assign(target.db, { drop: async () => undefined }),
        users: USERS,
        now: new Date(OPENED.getTime() + 2 * HOUR),
      });
      try {
        const accounts = await db.account.findMany({
          where: { region: "NA" },
          orderBy: { crmId: "asc" },
          select: { id: true },
        });
        let k = 0;
        let filed = 0;
        const latency = await latencies(FILINGS, async () => {
          // Claimant Hannah (International) on NA accounts: territory rules don't decide those disputes.
          const account = accounts[k++ % accounts.length]?.id as string;
          const res = await submitFiling(turf, "U0X46LDYZAB", account, {
            category: "other",
            reason: "Bench filing: I sourced this account at a trade fair.",
          });
          if (res.body === "") filed++;
        });
        const cards = turf.fake
          .callsTo("chat.postMessage")
          .filter((c) => JSON.stringify(c.args.blocks ?? "").includes("dispute_transfer")).length;
        lines.push(
          `  filing → card posted (signed request to Bolt, ${filed} filed, ${cards} cards)  p50 ${fmt(latency.p50)}  p99 ${fmt(latency.p99)}  max ${fmt(latency.max)}`,
        );
      } finally {
        await turf.stop();
      }
    } finally {
      await target.drop();
    }
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run()
    .then((lines) => {
      for (const line of lines) process.stdout.write(`${line}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
}
