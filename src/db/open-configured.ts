// Opens the database the configuration names and brings its schema up to date. Shared by `npm start`
// and the CLI so both see the same database. Loading the sample company is a use case, so main.ts
// does it (services/sample-data.ts), not this storage module.
import type { Logger } from "pino";
import type { CoreEnv } from "../config/env.ts";
import { type Database, IMPORT_SHARED_BUFFERS_MB, openDatabase } from "./client.ts";
import { type LockRole, resolveDataDir } from "./data-dir.ts";
import { applyMigrations } from "./migrate.ts";

export async function openConfiguredDatabase(
  env: CoreEnv,
  logger: Logger,
  /** importing: for `turf import` (embedded: with IMPORT_SHARED_BUFFERS_MB of shared_buffers). */
  options: { role?: LockRole; importing?: boolean } = {},
): Promise<Database> {
  // The same folder from any working directory: a relative TURF_DATA_DIR is relative to the project root.
  const db = await openDatabase(
    env.DATABASE_URL
      ? { databaseUrl: env.DATABASE_URL }
      : {
          dataDir: resolveDataDir(env.TURF_DATA_DIR),
          role: options.role ?? "app",
          sharedBuffersMb: options.importing ? IMPORT_SHARED_BUFFERS_MB : undefined,
          onLockLost: (error) =>
            logger.error(
              { err: error },
              "lost the embedded database's lock; another process may now open it",
            ),
        },
  );
  try {
    const migrations = await applyMigrations(db);
    logger.info(
      { database: db.describe, applied: migrations.applied, upToDate: migrations.alreadyApplied },
      "database ready",
    );
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
