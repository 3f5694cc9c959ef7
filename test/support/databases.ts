// Data-layer tests run on every database Turf supports: embedded PGlite always, and PostgreSQL when
// TEST_DATABASE_URL is set (.ci/run sets it and fails if the server is unreachable).
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { applyMigrations, readMigrations } from "../../src/db/migrate.ts";

export type DatabaseKind = "embedded" | "postgres";

export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ["embedded", "postgres"] : ["embedded"];
}

// The migrated template is cached on disk, keyed by the migrations' checksums, so that test files
// running in separate workers (and later runs) share one initdb.
let templatePromise: Promise<Blob> | undefined;
/** A dump of a migrated embedded database (openDatabase's loadDataDir), made once. */
export function embeddedTemplate(): Promise<Blob> {
  templatePromise ??= (async () => {
    const key = createHash("sha256")
      .update(
        readMigrations()
          .map((m) => m.checksum)
          .join(","),
      )
      .digest("hex")
      .slice(0, 16);
    const file = join(tmpdir(), `turf-test-template-${key}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const db = await openDatabase({ dataDir: null });
    await applyMigrations(db);
    const dump = await (db.dumpDataDir as () => Promise<Blob>)();
    await db.close();
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return dump;
  })();
  return templatePromise;
}

export type TestDatabase = Database & { url?: string; drop(): Promise<void> };

/** A fresh, empty, migrated database of the given kind; drop() removes it. */
export async function freshDatabase(
  kind: DatabaseKind,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  let db: Database;
  let url: string | undefined;
  let dropRemote = async () => {};
  if (kind === "embedded") {
    // initdb in WASM takes seconds; cloning a migrated template takes about one.
    const template = options.migrate === false ? undefined : await embeddedTemplate();
    db = await openDatabase({ dataDir: null, loadDataDir: template });
  } else {
    const admin = process.env.TEST_DATABASE_URL as string;
    const name = `turf_test_${randomBytes(6).toString("hex")}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    const u = new URL(admin);
    u.pathname = `/${name}`;
    url = u.toString();
    db = await openDatabase({ databaseUrl: url });
    dropRemote = async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  if (options.migrate !== false) await applyMigrations(db);
  let dropped = false;
  return Object.assign(db, {
    url,
    async drop() {
      if (dropped) return;
      dropped = true;
      await db.close();
      await dropRemote();
    },
  });
}
