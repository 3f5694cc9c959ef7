// PGlite runs no checkpointer, so without Turf's own checkpoints every byte of WAL written stays in
// pg_wal until the process ends, and a checkpoint at close keeps up to max_wal_size (1 GB by default).
// These tests write several times the checkpoint distance and look at pg_wal on disk.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { walSinceCheckpoint } from "../../src/db/wal.ts";
import type { JobDeps } from "../../src/jobs/index.ts";
import { walCheckpointJob } from "../../src/jobs/wal-checkpoint.ts";
import { importCsv } from "../../src/services/import/import-csv.ts";
import { embeddedTemplate } from "../support/databases.ts";

const MB = 2 ** 20;
// Small, so a few seconds of writing passes it several times; segments are 16 MB.
const CHECKPOINT_AFTER_MB = 16;
// The WAL since the last checkpoint, the segments it kept for reuse, and the segment being written.
const BOUND = (2 * CHECKPOINT_AFTER_MB + 16) * MB;

function walOnDisk(dataDir: string): number {
  const dir = join(dataDir, "pg_wal");
  return readdirSync(dir)
    .filter((name) => /^[0-9A-F]{24}$/.test(name))
    .reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

async function walPosition(db: Database): Promise<number> {
  const [row] = await db.withRawSession((s) =>
    s.query<{ at: number }>("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::float8 AS at"),
  );
  return Number(row?.at);
}

describe("the embedded database's WAL", () => {
  let dataDir = "";
  let db: Database | undefined;
  const open = async (template?: Blob) => {
    dataDir = mkdtempSync(join(tmpdir(), "turf-wal-"));
    db = await openDatabase({ dataDir, loadDataDir: template, checkpointAfterMb: CHECKPOINT_AFTER_MB });
    return db;
  };
  afterEach(async () => {
    await db?.close();
    db = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("stays within about twice the checkpoint distance while writing, and within it after closing", async () => {
    const database = await open(await embeddedTemplate());
    await database.withRawSession((s) => s.execScript("CREATE TABLE filler (id int, v text)"));
    const start = await walPosition(database);
    let peak = 0;
    let checkpoints = 0;
    for (let round = 0; round < 10; round++) {
      await database.withRawSession((s) =>
        s.transaction(async (tx) => {
          await tx.query("INSERT INTO filler SELECT g, repeat('x', 1000) FROM generate_series(1, 8000) g");
          // Inside the writing transaction, as an import does it.
          if (await tx.checkpointWhenDue()) checkpoints++;
        }),
      );
      peak = Math.max(peak, walOnDisk(dataDir));
    }
    // Kept, this much WAL would be well past the bound.
    expect((await walPosition(database)) - start).toBeGreaterThan(64 * MB);
    expect(peak).toBeLessThanOrEqual(BOUND);
    expect(checkpoints).toBeGreaterThanOrEqual(3);
    await database.close();
    db = undefined;
    // max_wal_size: the checkpoint at close keeps 32 MB (by default min_wal_size, 80 MB, or more).
    expect(walOnDisk(dataDir)).toBeLessThanOrEqual(32 * MB);
  }, 60_000);

  it("is checkpointed between an import's batches", async () => {
    const database = await open(await embeddedTemplate());
    const start = await walPosition(database);
    const rows = Array.from(
      // About 1 MB of WAL a thousand rows (into an empty book, the import builds the secondary indexes
      // once at its end, which logs little): enough to pass the checkpoint distance.
      { length: 30_000 },
      (_, i) => `001WAL${String(i).padStart(8, "0")},Walden Supply ${i},walden-supply-${i}.com`,
    );
    let peak = 0;
    const result = await importCsv(database.prisma, "accounts", `crm_id,name,domain\n${rows.join("\n")}\n`, {
      now: new Date("2026-11-02T09:00:00Z"),
      actor: "test",
      batchRows: 1_000,
      onProgress: () => {
        peak = Math.max(peak, walOnDisk(dataDir));
      },
    });
    expect(result.ok).toBe(true);
    const written = (await walPosition(database)) - start;
    expect(written).toBeGreaterThan(CHECKPOINT_AFTER_MB * MB);
    // A checkpoint during the import: less WAL since the last one than the import wrote.
    const since = await database.withRawSession((s) => walSinceCheckpoint((sql) => s.query(sql)));
    expect(since).toBeLessThan(written);
    expect(peak).toBeLessThanOrEqual(BOUND);
  }, 60_000);

  it("is checkpointed by the app's job once enough has been written since the last checkpoint", async () => {
    const database = await open(await embeddedTemplate());
    await database.withRawSession((s) => s.execScript("CREATE TABLE filler (id int, v text)"));
    const since = () => database.withRawSession((s) => walSinceCheckpoint((sql) => s.query(sql)));
    const deps = { db: database.prisma, logger: { debug() {} } } as unknown as JobDeps;
    await database.withRawSession((s) =>
      s.query("INSERT INTO filler SELECT g, repeat('x', 1000) FROM generate_series(1, 4000) g"),
    );
    // Less than the distance: the tick leaves it.
    const little = await since();
    await walCheckpointJob.run(deps);
    expect(await since()).toBeGreaterThanOrEqual(little);
    await database.withRawSession((s) =>
      s.query("INSERT INTO filler SELECT g, repeat('x', 1000) FROM generate_series(1, 16000) g"),
    );
    expect(await since()).toBeGreaterThan(CHECKPOINT_AFTER_MB * MB);
    await walCheckpointJob.run(deps);
    expect(await since()).toBeLessThan(MB);
  }, 60_000);
});
