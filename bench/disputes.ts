// Dispute sweep and filing-to-card latency. With 10k open disputes (30k notice rows): the time and
// query count of a sweep that finds nothing due (what every instance runs each minute), of a sweep
// that sends 1,000 due reminders through a fake Slack Web API, and the latency from the dispute
// modal's Submit (a signed request to the real Bolt app) to the arbiter's card being posted.
// PGlite always; PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set.
// Run alone: npx tsx bench/disputes.ts   (npm run bench -- disputes)
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { fixedClock } from "../src/config/clock.ts";
import type { Db } from "../src/db/client.ts";
import { sweepDisputeNotices } from "../src/jobs/dispute-sweep.ts";
import { createServices } from "../src/services/index.ts";
import { loadSampleData } from "../src/services/sample-data.ts";
import { noticeMessages } from "../src/slack/listeners/disputes/send.ts";
import { outboxClient, slackTransport } from "../src/slack/outbox-transport.ts";
import { submitFiling, USERS } from "../test/disputes/support.ts";
import { startFakeSlackApi } from "../test/harness/fake-slack-api.ts";
import { startTurf } from "../test/support/turf-app.ts";
import { benchDatabases, fmt, latencies, timeIt } from "./support.ts";

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
      const sweep = () =>
        sweepDisputeNotices(
          {
            services,
            logger,
            notifier: services.outbox.notifier(slackTransport(outboxClient("xoxb-bench", fake.url)), logger, {
              instance: "bench",
            }),
            composeNotice: noticeMessages,
          },
          { instanceId: "bench", maxBatches: 1000 },
        );

      counted.reset();
      const idle = await timeIt(sweep);
      lines.push(`  sweep, nothing due                 ${fmt(idle.ms)}  ${counted.count()} queries`);

      clock.set(new Date(OPENED.getTime() + HOUR + 60_000));
      counted.reset();
      const busy = await timeIt(sweep);
      const q = counted.count();
      lines.push(
        `  sweep, ${busy.value.sent.toLocaleString()} reminders due            ${fmt(busy.ms)}  ${q} queries (${(q / Math.max(1, busy.value.sent)).toFixed(1)} per notice, ${fmt(busy.ms / Math.max(1, busy.value.sent))} per notice incl. its Slack calls via the outbox)`,
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
