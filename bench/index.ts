// npm run bench: every benchmark, one after another, each in its own process so one's memory and
// JIT state do not colour the next, and each followed by its peak RSS and the CPU steal while it ran.
// `npm run bench -- import` runs only those whose name contains it; `--large` is handed to every bench
// (1M accounts on PostgreSQL where a bench supports it; BENCH_DATABASE_URL or TEST_DATABASE_URL).
// To add a bench: one entry below (name, file, what it measures).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const BENCHES = [
  {
    name: "lookup",
    file: "bench/lookup.ts",
    what: "/owner exact and fuzzy latency and accuracy next to a B-tree probe, the owner card and pg_trgm",
  },
  {
    name: "import-lookup",
    file: "bench/import-lookup.ts",
    what: "import time and /owner lookup latency (100k accounts)",
  },
  {
    name: "matching-accuracy",
    file: "bench/matching-accuracy.ts",
    what: "fuzzy match accuracy on the labelled set",
  },
  {
    name: "rules-engine",
    file: "bench/rules-engine.ts",
    what: "rules engine throughput (1M accounts in memory)",
  },
  {
    name: "import",
    file: "bench/import.ts",
    what: "CSV import next to its COPY floor, peak RSS (100k accounts on PGlite; 1M on PostgreSQL with --large, on PGlite with --large --embedded)",
  },
  { name: "reevaluate", file: "bench/reevaluate.ts", what: "full-book re-evaluation through the database" },
  { name: "disputes", file: "bench/disputes.ts", what: "dispute sweep and filing-to-card latency" },
  { name: "rebalance-draft", file: "bench/rebalance-draft.ts", what: "rebalance draft time and balance" },
  { name: "signals", file: "bench/signals.ts", what: "signal ingest: sustained 500/s, burst, duplicates" },
];

const flags = process.argv.slice(2).filter((a) => a.startsWith("--"));
const filter = process.argv.slice(2).find((a) => !a.startsWith("--"));
let failed = 0;
for (const bench of BENCHES) {
  if (filter && !bench.name.includes(filter)) continue;
  if (!existsSync(bench.file)) continue;
  process.stdout.write(`\n=== ${bench.name}: ${bench.what}\n`);
  const result = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      "./bench/peak-rss.ts",
      "--import",
      "./bench/cpu-steal.ts",
      bench.file,
      ...flags,
    ],
    { stdio: "inherit" },
  );
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
