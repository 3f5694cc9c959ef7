// A generated book loaded once and kept for later bench runs: generating and loading a million
// accounts takes minutes, measuring a lookup takes seconds. PGlite keeps its data folder under
// bench/out/ (gitignored); PostgreSQL keeps a database named after the book and the migrations.
// A bench that writes (re-evaluation writes ownership) asks for a `writable` copy of the cached book.
import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { type Database, openDatabase } from "../src/db/client.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import type { BookOptions } from "./book.ts";
import { bulkLoadBook } from "./bulk-load.ts";
import { fmt, print, timeIt } from "./support.ts";

export type BenchTarget = { name: string; db: Database; close(): Promise<void> };

const OUT = "bench/out";

function bookKey(options: BookOptions): string {
  const migrations = readdirSync("prisma/migrations").sort().join(",");
  const hash = createHash("sha256").update(migrations).digest("hex").slice(0, 8);
  return `${options.accounts}_${options.reps}_${options.seed}_${hash}`;
}

async function load(db: Database, options: BookOptions): Promise<void> {
  const loaded = await timeIt(() => bulkLoadBook(db.prisma, options, new Date("2026-11-01T00:00:00Z")));
  process.stderr.write(
    `  (generated and loaded ${options.accounts.toLocaleString()} accounts in ${fmt(loaded.ms)})\n`,
  );
  // Frozen and all-visible, as a book that autovacuum has been through: otherwise the first read of
  // each copy sets every row's hint bits and dirties the whole book inside whichever run is timed first.
  await db.prisma.$executeRawUnsafe("VACUUM (FREEZE, ANALYZE)");
}

/**
 * The book on PGlite, from bench/out/ when an earlier run left it there. A writable book is a copy
 * of the cached one (a bench that writes never spoils the cache), removed on close.
 */
export async function embeddedBook(options: BookOptions, writable = false): Promise<BenchTarget> {
  if (writable) {
    const cached = await embeddedBook(options);
    await cached.close();
    const copy = join(OUT, `pglite_${bookKey(options)}_${randomBytes(3).toString("hex")}`);
    cpSync(join(OUT, `pglite_${bookKey(options)}`), copy, { recursive: true });
    const db = await openDatabase({ dataDir: copy });
    return {
      name: "PGlite (embedded)",
      db,
      async close() {
        await db.close();
        rmSync(copy, { recursive: true, force: true });
      },
    };
  }
  const dir = join(OUT, `pglite_${bookKey(options)}`);
  const marker = join(dir, ".turf-bench-loaded");
  if (!existsSync(marker)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = await openDatabase({ dataDir: dir });
  if (!existsSync(marker)) {
    await applyMigrations(db);
    await load(db, options);
    if (!writable) writeFileSync(marker, new Date().toISOString());
  } else print("  (book reused from an earlier run)");
  return {
    name: "PGlite (embedded)",
    db,
    async close() {
      await db.close();
      if (writable) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The book on PostgreSQL (adminUrl's server), kept as a database for later runs. A writable book is
 * a copy made with CREATE DATABASE … TEMPLATE, dropped on close.
 */
export async function postgresBook(
  adminUrl: string,
  options: BookOptions,
  writable = false,
): Promise<BenchTarget> {
  if (writable) {
    const cached = await postgresBook(adminUrl, options);
    await cached.close();
    const copy = `turf_bench_${bookKey(options)}_${randomBytes(3).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    // FILE_COPY (PostgreSQL 15+) copies the files after a checkpoint; the default writes the whole book
    // into the WAL, whose checkpoints then fall inside the timed runs.
    const version = Number((await admin.query("SHOW server_version_num")).rows[0]?.server_version_num);
    const strategy = version >= 150_000 ? " STRATEGY = FILE_COPY" : "";
    await admin.query(`CREATE DATABASE ${copy} TEMPLATE turf_bench_${bookKey(options)}${strategy}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${copy}`;
    const db = await openDatabase({ databaseUrl: url.toString() });
    return {
      name: "PostgreSQL",
      db,
      async close() {
        await db.close();
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const name = `turf_bench_${bookKey(options)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
  let ready = false;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (exists) {
    const probe = new pg.Client({ connectionString: url.toString() });
    await probe.connect();
    ready =
      (
        await probe
          .query("SELECT 1 FROM pg_tables WHERE tablename = 'turf_bench_loaded'")
          .catch(() => ({ rowCount: 0 }))
      ).rowCount === 1;
    await probe.end();
    if (!ready) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  }
  if (!ready) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const db = await openDatabase({ databaseUrl: url.toString() });
  if (!ready) {
    await applyMigrations(db);
    await load(db, options);
    if (!writable)
      await db.prisma.$executeRawUnsafe("CREATE TABLE turf_bench_loaded (at timestamptz DEFAULT now())");
  } else print("  (book reused from an earlier run)");
  return {
    name: "PostgreSQL",
    db,
    async close() {
      await db.close();
      if (!writable) return;
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
