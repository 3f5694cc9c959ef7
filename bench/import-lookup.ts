// Import time and /owner lookup latency on a generated book, through the service layer, on the
// embedded database and (when BENCH_DATABASE_URL or TEST_DATABASE_URL is set) on PostgreSQL.
// Run alone: npx tsx bench/import-lookup.ts [accounts=100000]
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importCsv } from "../src/services/import/import-csv.ts";
import { IMPORT_KINDS } from "../src/services/import/row-schemas.ts";
import { lookupOwner } from "../src/services/ownership/lookup-owner.ts";
import { numberArgument } from "./args.ts";
import { generateAccountRows, writeBookCsvFiles } from "./book.ts";
import { benchDatabases, fmt, latencies, print, timeIt, typo } from "./support.ts";

const ACCOUNTS = numberArgument(100_000, "the account count");
const REPS = 200;
const SEED = 20261123;
const SAMPLES = 1000;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "turf-book-"));
  const files = await writeBookCsvFiles(dir, { accounts: ACCOUNTS, reps: REPS, seed: SEED });
  const sampleRows: { crmId: string; domain: string; name: string }[] = [];
  const step = Math.floor(ACCOUNTS / SAMPLES) || 1;
  let i = 0;
  for (const row of generateAccountRows({ accounts: ACCOUNTS, reps: REPS, seed: SEED })) {
    if (i % step === 0)
      sampleRows.push({ crmId: row.crm_id, domain: row.domain.split(";")[0] ?? "", name: row.name });
    i++;
  }
  print(`book: ${ACCOUNTS.toLocaleString()} accounts, ${REPS} reps (generated, seed ${SEED})`);
  for (const make of await benchDatabases()) {
    const target = await make();
    try {
      print(`\n[${target.name}]`);
      let total = 0;
      for (const kind of IMPORT_KINDS) {
        if (kind === "arbiters") continue; // the generated book has no arbiters file
        const { ms, value } = await timeIt(() =>
          importCsv(target.db.prisma, kind, createReadStream(files[kind]), {
            now: new Date("2026-11-02T00:00:00Z"),
            actor: "bench",
          }),
        );
        if (!value.ok) throw new Error(`${kind} import failed: ${JSON.stringify(value.errors.slice(0, 3))}`);
        total += ms;
        print(`  import ${kind.padEnd(13)} ${String(value.summary.rows).padStart(8)} rows  ${fmt(ms)}`);
      }
      print(`  import total                       ${fmt(total)}`);
      const reimport = await timeIt(() =>
        importCsv(target.db.prisma, "accounts", createReadStream(files.accounts), {
          now: new Date(),
          actor: "bench",
        }),
      );
      print(`  re-import accounts (no changes)    ${fmt(reimport.ms)}`);
      const ask = (q: string) => lookupOwner(target.db.prisma, q, { slackUserId: null, now: new Date() });
      // Warm the connection and caches so the first sample doesn't measure start-up.
      for (const r of sampleRows.slice(0, 20)) await ask(r.crmId);
      const kinds: [string, (r: (typeof sampleRows)[number], i: number) => string][] = [
        ["exact CRM id", (r) => r.crmId],
        ["exact domain", (r) => r.domain],
        ["exact name", (r) => r.name],
        ["fuzzy name (typo)", (r, j) => typo(r.name, j)],
      ];
      for (const [label, query] of kinds) {
        let found = 0;
        const l = await latencies(sampleRows.length, async (j) => {
          const r = sampleRows[j] as (typeof sampleRows)[number];
          const answer = await ask(query(r, j));
          if (answer.status === "found" && answer.card.account.crmId === r.crmId) found++;
        });
        print(
          `  /owner ${label.padEnd(20)} p50 ${fmt(l.p50)}  p99 ${fmt(l.p99)}  max ${fmt(l.max)}  (${found}/${sampleRows.length} answered with the right account)`,
        );
      }
    } finally {
      await target.drop();
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
