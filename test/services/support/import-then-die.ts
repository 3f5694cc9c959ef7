// A `turf import` that dies half-way: opens the database, imports accounts, and once the first batch
// is written (the import has dropped the indexes it builds at the end, and not built them yet) kills
// its own process with SIGKILL, so nothing runs after it: no rollback, no close. Run by
// test/services/import-indexes.test.ts in a process of its own.
import { openDatabase } from "../../../src/db/client.ts";
import { importCsv } from "../../../src/services/import/import-csv.ts";

type Job = { target: { dataDir: string } | { databaseUrl: string }; csv: string; now: string };

const job = JSON.parse(process.argv[2] as string) as Job;
const db = await openDatabase(job.target);
await importCsv(db.prisma, "accounts", job.csv, {
  now: new Date(job.now),
  actor: "test",
  batchRows: 2,
  onProgress: ({ phase, done }) => {
    if (phase === "writing" && done > 0) process.kill(process.pid, "SIGKILL");
  },
});
// Not reached: the import above must have died.
process.exit(3);
