// Applies prisma/migrations/*/migration.sql in order and records each in `_prisma_migrations` with
// Prisma's own columns and checksums (sha256 of the file), so `prisma migrate deploy` on a machine
// that can run Prisma's native engine accepts the same history. We apply migrations ourselves because
// that engine cannot be downloaded here (see README, "Offline Prisma").
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database, RawSession } from "./client.ts";

export const MIGRATIONS_DIR = resolve(fileURLToPath(new URL("../../prisma/migrations", import.meta.url)));

// Any fixed number: every Turf instance takes the same advisory lock, so only one migrates at a time.
const MIGRATION_LOCK_KEY = 7_301_994;

export type Migration = { name: string; sql: string; checksum: string };

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
);`;

export type MigrationResult = { applied: string[]; alreadyApplied: number };

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function applyMigrations(db: Database, migrations = readMigrations()): Promise<MigrationResult> {
  return db.withRawSession((session) => applyInSession(session, migrations));
}

async function applyInSession(db: RawSession, migrations: Migration[]): Promise<MigrationResult> {
  await db.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  try {
    await db.execScript(CREATE_HISTORY_TABLE);
    const rows = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((row) => [row.migration_name, row]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const previous = done.get(migration.name);
      if (previous?.finished_at) {
        if (previous.checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.name} was edited after it was applied (checksum differs). ` +
              "Add a new migration instead of changing an applied one.",
          );
        }
        continue;
      }
      if (previous) {
        throw new MigrationError(
          `Migration ${migration.name} started earlier but never finished; inspect the database, then mark it rolled back.`,
        );
      }
      const id = randomUUID();
      // The script and its history row commit together: a failed migration leaves no trace to clean up.
      await db
        .execScript(
          `BEGIN;\n${migration.sql}\n;INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('${id}', '${migration.checksum}', '${migration.name.replace(/'/g, "''")}', now(), now(), 1);\nCOMMIT;`,
        )
        .catch(async (error: unknown) => {
          await db.execScript("ROLLBACK;").catch(() => undefined);
          throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
        });
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: migrations.length - applied.length };
  } finally {
    await db.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
  }
}
