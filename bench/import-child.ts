// The import that bench/import.ts measures, in a process of its own: the bench generates the book
// (hundreds of MB it never gives back) and then starts this, so the peak RSS printed is the import's
// alone, next to what the same process holds once the database is open (as `turf import` opens it)
// and migrated, before any work. Sends its figures to the parent over IPC.
import { createReadStream } from "node:fs";
import { IMPORT_SHARED_BUFFERS_MB, openDatabase } from "../src/db/client.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import { importCsv } from "../src/services/import/import-csv.ts";
import { timeIt } from "./support.ts";

export type ImportChildJob = {
  target: { dataDir: string } | { databaseUrl: string };
  files: { accounts: string; opportunities: string };
  now: string;
};

export type ImportChildResult = {
  ms: number;
  perKind: { kind: string; ms: number }[];
  rows: number;
  /** RSS once the database is open and migrated, before the import. */
  openRss: number;
  /** The process's peak RSS, the kernel's high-water mark (it sees peaks a timer would miss). */
  peakRss: number;
};

const job = JSON.parse(process.argv[2] as string) as ImportChildJob;
const now = new Date(job.now);

// Opened as `turf import` opens it.
const db = await openDatabase(
  "dataDir" in job.target ? { ...job.target, sharedBuffersMb: IMPORT_SHARED_BUFFERS_MB } : job.target,
);
await applyMigrations(db);
const openRss = process.memoryUsage().rss;
let rows = 0;
const perKind: ImportChildResult["perKind"] = [];
const run = await timeIt(async () => {
  for (const kind of ["accounts", "opportunities"] as const) {
    let written = 0;
    const one = await timeIt(() =>
      importCsv(db.prisma, kind, createReadStream(job.files[kind]), {
        now,
        actor: "bench",
        onProgress: (p) => {
          if (p.phase === "writing") written = p.done;
        },
      }),
    );
    const result = one.value;
    if (!result.ok) throw new Error(`${kind}: ${JSON.stringify(result.errors.slice(0, 3))}`);
    // Progress counts rows written: its last figure is every row created or updated.
    const changed = result.summary.created + result.summary.updated;
    if (written !== changed)
      throw new Error(`${kind}: progress said ${written} written, the import ${changed}`);
    rows += result.summary.rows;
    perKind.push({ kind, ms: one.ms });
  }
});
await db.close();
const result: ImportChildResult = {
  ms: run.ms,
  perKind,
  rows,
  openRss,
  peakRss: process.resourceUsage().maxRSS * 1024,
};
// Disconnecting lets the process end once the figures are on their way.
process.send?.(result, () => process.disconnect());
