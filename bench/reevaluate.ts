// Full-book re-evaluation through the database, and fuzzy /owner lookup latency at scale:
// 100k accounts on PGlite, and 1M on PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set.
// Run alone: npx tsx bench/reevaluate.ts [pgliteAccounts=100000] [postgresAccounts=1000000]
import { lookupOwner } from "../src/services/ownership/lookup-owner.ts";
import { reevaluateBook } from "../src/services/ownership/reevaluate-book.ts";
import { generateAccountRows } from "./book.ts";
import { bulkLoadBook } from "./bulk-load.ts";
import { benchDatabases, fmt, latencies, print, timeIt, typo } from "./support.ts";

const SIZES = [Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 1_000_000)];
const SEED = 7;
const SAMPLES = 1000;

async function main(): Promise<void> {
  const makers = await benchDatabases();
  for (const [i, make] of makers.entries()) {
    const accounts = SIZES[i] ?? SIZES[0] ?? 100_000;
    const reps = accounts >= 1_000_000 ? 500 : 200;
    const target = await make();
    try {
      print(`\n[${target.name}] ${accounts.toLocaleString()} accounts, ${reps} reps`);
      const options = { accounts, reps, seed: SEED };
      const load = await timeIt(() =>
        bulkLoadBook(target.db.prisma, options, new Date("2026-11-01T00:00:00Z")),
      );
      print(`  bulk load (not the importer)       ${fmt(load.ms)}`);
      if (target.db.kind === "postgres") await target.db.prisma.$executeRawUnsafe("ANALYZE");
      const first = await timeIt(() =>
        reevaluateBook(target.db.prisma, { now: new Date("2026-11-02T00:00:00Z"), actor: "bench" }),
      );
      const r = first.value;
      print(
        `  re-evaluate (first run)            ${fmt(first.ms)}  (${r.changed} changed, ${r.unchanged} unchanged, ${r.held.length} held, ${r.whiteSpace.length} white space)`,
      );
      const second = await timeIt(() =>
        reevaluateBook(target.db.prisma, { now: new Date("2026-11-03T00:00:00Z"), actor: "bench" }),
      );
      print(`  re-evaluate (nothing to change)    ${fmt(second.ms)}  (${second.value.changed} changed)`);
      const sample: { crmId: string; name: string }[] = [];
      const step = Math.floor(accounts / SAMPLES) || 1;
      let n = 0;
      for (const row of generateAccountRows(options)) {
        if (n++ % step === 0) sample.push({ crmId: row.crm_id, name: row.name });
      }
      const ask = (q: string) => lookupOwner(target.db.prisma, q, { slackUserId: null, now: new Date() });
      for (const s of sample.slice(0, 20)) await ask(s.name);
      for (const [label, query] of [
        ["exact name", (s: (typeof sample)[number]) => s.name],
        ["fuzzy name (typo)", (s: (typeof sample)[number], j: number) => typo(s.name, j)],
      ] as const) {
        let right = 0;
        const l = await latencies(sample.length, async (j) => {
          const s = sample[j] as (typeof sample)[number];
          const a = await ask(query(s, j));
          if (a.status === "found" && a.card.account.crmId === s.crmId) right++;
        });
        print(
          `  /owner ${label.padEnd(20)}        p50 ${fmt(l.p50)}  p99 ${fmt(l.p99)}  (${right}/${sample.length} right account)`,
        );
      }
    } finally {
      await target.drop();
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
