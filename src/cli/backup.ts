// `turf backup FILE` / `turf restore FILE`: the embedded database as one file (PGlite's own dump of
// its data folder, a tar). PostgreSQL has its own tools (pg_dump / pg_restore) for this.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { act, type CliContext, type CommandModule } from "./context.ts";

function embeddedOnly(context: CliContext, verb: string): boolean {
  if (!context.env.DATABASE_URL) return true;
  context.err(
    `turf ${verb} works on the embedded database; with DATABASE_URL set, use pg_dump / pg_restore on the server.`,
  );
  return false;
}

/** Reps or accounts in the folder's database (a folder without Turf's tables holds nothing of ours). */
async function holdsData(dir: string): Promise<boolean> {
  const { PGlite } = await import("@electric-sql/pglite");
  const pglite = await PGlite.create({ dataDir: dir });
  try {
    const result = await pglite.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM "Rep") + (SELECT count(*) FROM "Account") AS n`,
    );
    return Number(result.rows[0]?.n ?? 0) > 0;
  } catch {
    return false;
  } finally {
    await pglite.close();
  }
}

export const backupModule: CommandModule = {
  register(program, context) {
    program
      .command("backup")
      .description("write the embedded database to FILE (a tar of its data folder)")
      .argument("<file>", "where to write the backup, e.g. turf-2026-11-02.tar")
      .action(
        act(context, async (file: string) => {
          if (!embeddedOnly(context, "backup")) return 2;
          const db = await context.database();
          const dump = await (db.dumpDataDir as NonNullable<typeof db.dumpDataDir>)();
          writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
          context.err(`Wrote a backup of ${db.describe} to ${file}.`);
          return 0;
        }),
      );
    program
      .command("restore")
      .description("replace the embedded database with a backup made by `turf backup`")
      .argument("<file>", "a file written by `turf backup`")
      .option("--force", "replace a database that already holds data")
      .action(
        act(context, async (file: string, options: { force?: boolean }) => {
          if (!embeddedOnly(context, "restore")) return 2;
          if (!existsSync(file)) {
            context.err(`No such file: ${file}`);
            return 2;
          }
          const dir = resolve(context.env.TURF_DATA_DIR);
          const { PGlite } = await import("@electric-sql/pglite");
          const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
          if (existsSync(dir) && readdirSync(dir).length > 0) {
            if (!options.force && (await holdsData(dir))) {
              context.err(
                `The embedded database in ${dir} already holds data; nothing was changed. Run again with --force to replace it (back it up first with turf backup).`,
              );
              return 1;
            }
            rmSync(dir, { recursive: true, force: true });
          }
          let pglite: InstanceType<typeof PGlite>;
          try {
            pglite = await PGlite.create({
              dataDir: dir,
              loadDataDir: new Blob([readFileSync(file)]),
              extensions: { pg_trgm },
            });
          } catch {
            rmSync(dir, { recursive: true, force: true });
            context.err(`${file} is not a backup written by turf backup; nothing was restored.`);
            return 1;
          }
          await pglite.close();
          // Opening through the CLI applies any migrations newer than the backup.
          const restored = await context.database();
          context.err(`Restored ${file} into ${restored.describe}.`);
          return 0;
        }),
      );
  },
};
