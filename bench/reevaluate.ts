// Full-book re-evaluation through the database next to its floors measured in the same run: reading
// the account columns through the driver (no joins), the rules engine alone over the book in memory,
// and writing the changes alone (unnest insert of as many ownership rows). 100k accounts on PGlite;
// with --large, 1M on PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL).
// Run alone: npx tsx bench/reevaluate.ts [--large]
import { performance } from "node:perf_hooks";
import { forEachBookPage, forEachPage } from "../src/db/book.ts";
import { reevaluateBook } from "../src/services/ownership/reevaluate-book.ts";
import { currentRuleBook } from "../src/services/ownership/rule-set-cache.ts";
import { type BenchTarget, embeddedBook, postgresBook } from "./cached-book.ts";
import { fmt, peakRss, postgresAdminUrl, print, timeIt } from "./support.ts";

const LARGE = process.argv.includes("--large");
const ACCOUNTS = LARGE ? 1_000_000 : 100_000;
const REPS = LARGE ? 500 : 200;
const SEED = 20261123; // the same book as bench/lookup.ts, so both use one cached copy

async function floors(target: BenchTarget): Promise<{ read: number; engine: number }> {
  const db = target.db.prisma;
  // Read floor: the account columns and current owners, streamed through the driver, no joins.
  let n = 0;
  const read = await timeIt(() =>
    forEachPage(
      db,
      `SELECT id, "crmId", name, "parentId", country, region, industry, employees, "sizeBand"::text, "icpFit", "lastActivityAt", named FROM "Account"`,
      [],
      10_000,
      (rows) => {
        n += rows.length;
      },
    ),
  );
  // Engine floor: the same evaluations on the book already in memory (read time excluded).
  const book = await currentRuleBook(db);
  const rows: Parameters<Parameters<typeof forEachBookPage>[2]>[0] = [];
  await forEachBookPage(db, {}, async (page) => {
    for (const r of page) rows.push(r);
  });
  const start = performance.now();
  for (const r of rows) {
    book.compiled.evaluate(
      { account: r.account, parentCrmId: r.parentCrmId, openOpportunities: [] },
      r.currentRepId,
      r.parentRepId,
    );
  }
  const engine = performance.now() - start;
  rows.length = 0;
  print(`  floor: read account columns         ${fmt(read.ms)}  (${n.toLocaleString()} rows)`);
  print(`  floor: engine alone                 ${fmt(engine)}`);
  return { read: read.ms, engine };
}

async function main(): Promise<void> {
  const options = { accounts: ACCOUNTS, reps: REPS, seed: SEED };
  let target: BenchTarget;
  if (LARGE) {
    const admin = postgresAdminUrl();
    if (!admin) throw new Error("--large needs BENCH_DATABASE_URL or TEST_DATABASE_URL (PostgreSQL)");
    print(`[PostgreSQL] ${ACCOUNTS.toLocaleString()} accounts, ${REPS} reps`);
    target = await postgresBook(admin, options, true);
  } else {
    print(`[PGlite] ${ACCOUNTS.toLocaleString()} accounts, ${REPS} reps`);
    target = await embeddedBook(options, true);
  }
  try {
    const floor = await floors(target);
    const first = await timeIt(() =>
      reevaluateBook(target.db.prisma, { now: new Date("2026-11-02T00:00:00Z"), actor: "bench" }),
    );
    const r = first.value;
    print(
      `  re-evaluate (first run)             ${fmt(first.ms)}  (${r.changed} changed, ${r.unchanged} unchanged, ${r.held.length} held, ${r.whiteSpace.length} white space)`,
    );
    const second = await timeIt(() =>
      reevaluateBook(target.db.prisma, { now: new Date("2026-11-03T00:00:00Z"), actor: "bench" }),
    );
    const base = floor.read + floor.engine;
    print(
      `  re-evaluate (nothing to change)     ${fmt(second.ms)}  (${second.value.changed} changed)  ×${(second.ms / base).toFixed(2)} (read + engine floors)`,
    );
  } finally {
    await target.close();
  }
  print(`  peak RSS ${peakRss()}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
