// Opens the database the configuration names, brings its schema up to date, and loads the sample
// company on first start. Shared by `npm start` and the CLI so both see the same database.
import type { Logger } from "pino";
import type { CoreEnv } from "../config/env.ts";
import { isDatabaseEmpty, loadSampleData } from "../services/sample-data.ts";
import { type Database, openDatabase } from "./client.ts";
import { type LockRole, resolveDataDir } from "./data-dir.ts";
import { applyMigrations } from "./migrate.ts";

export async function openConfiguredDatabase(
  env: CoreEnv,
  logger: Logger,
  options: { now: Date; loadSample?: boolean; role?: LockRole },
): Promise<Database> {
  // The same folder from any working directory: a relative TURF_DATA_DIR is relative to the project root.
  const db = await openDatabase(
    env.DATABASE_URL
      ? { databaseUrl: env.DATABASE_URL }
      : {
          dataDir: resolveDataDir(env.TURF_DATA_DIR),
          role: options.role ?? "app",
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
    if ((options.loadSample ?? env.TURF_LOAD_SAMPLE_DATA) && (await isDatabaseEmpty(db.prisma))) {
      const summaries = await loadSampleData(db.prisma, options.now);
      logger.info(
        { loaded: Object.fromEntries(summaries.map((s) => [s.kind, s.created])) },
        "empty database: loaded the sample company",
      );
    }
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
