// `turf <command>`: RevOps admin commands. They use the same configuration and database as the app.
import { createReadStream, existsSync } from "node:fs";
import { Presets, SingleBar } from "cli-progress";
import dotenv from "dotenv";
import { systemClock } from "../config/clock.ts";
import { ConfigError, loadCoreEnv } from "../config/env.ts";
import { createLogger } from "../config/logger.ts";
import type { Database } from "../db/client.ts";
import { projectRoot } from "../db/data-dir.ts";
import { openConfiguredDatabase } from "../db/open-configured.ts";
import { importCsv } from "../services/import/import-csv.ts";
import { IMPORT_KINDS, type ImportKind } from "../services/import/row-schemas.ts";
import { loadSampleData } from "../services/sample-data.ts";
import { CLI_COMMANDS, type CliContext } from "./commands.ts";

// .env of the project, from any working directory (the data folder resolves the same way).
dotenv.config({ path: `${projectRoot()}/.env`, quiet: true });

const USAGE = `Usage: turf <command>

  migrate                          apply pending database migrations
  import <kind> <file.csv>         import ${IMPORT_KINDS.join(" | ")} (all-or-nothing; re-import is safe)
  sample-data                      load the sample company into an empty database
${CLI_COMMANDS.map((c) => `  ${c.usage.padEnd(33)}${c.summary}`).join("\n")}
  help                             this text

Settings come from .env (see .env.example): DATABASE_URL for PostgreSQL, else the embedded database
in TURF_DATA_DIR.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const env = loadCoreEnv(process.env);
  // The CLI prints for a person; the service logs stay quiet unless asked for.
  const logger = createLogger({ level: process.env.LOG_LEVEL ? env.LOG_LEVEL : "warn" });
  const now = systemClock.now();
  const db = await openConfiguredDatabase(env, logger, { now, loadSample: false, role: "cli" });
  try {
    switch (command) {
      case "migrate":
        console.log(`Database ${db.describe} is up to date.`);
        return 0;
      case "import":
        return await runImport(db, args);
      case "sample-data": {
        const summaries = await loadSampleData(db.prisma, now);
        for (const s of summaries)
          console.log(`${s.kind}: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged`);
        return 0;
      }
      default: {
        const found = CLI_COMMANDS.find((c) => c.name === command);
        if (!found) {
          console.error(`Unknown command "${command}".\n\n${USAGE}`);
          return 2;
        }
        const context: CliContext = {
          db,
          env,
          logger,
          now,
          out: (line) => console.log(line),
          err: (line) => console.error(line),
        };
        return await found.run(args, context);
      }
    }
  } finally {
    await db.close();
  }
}

async function runImport(db: Database, args: string[]): Promise<number> {
  const [kind, file] = args;
  if (!kind || !IMPORT_KINDS.includes(kind as ImportKind) || !file) {
    console.error(`Usage: turf import <${IMPORT_KINDS.join("|")}> <file.csv>`);
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`No such file: ${file}`);
    return 2;
  }
  const bar = process.stdout.isTTY
    ? new SingleBar(
        { format: " {phase} [{bar}] {percentage}% | {value}/{total} rows" },
        Presets.shades_classic,
      )
    : null;
  let started = false;
  const result = await importCsv(db.prisma, kind as ImportKind, createReadStream(file), {
    now: systemClock.now(),
    actor: `cli:${process.env.USER ?? "admin"}`,
    onProgress: ({ phase, done, total }) => {
      if (!bar || total < 1000) return;
      if (!started) {
        bar.start(total, done, { phase });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { phase });
    },
  });
  bar?.stop();
  if (!result.ok) {
    console.error(
      `Nothing was imported: ${result.errors.length} problem(s) in ${file}. Fix them and run the import again.`,
    );
    for (const e of result.errors.slice(0, 50)) console.error(`  line ${e.line}: ${e.message}`);
    if (result.errors.length > 50) console.error(`  … and ${result.errors.length - 50} more`);
    return 1;
  }
  const s = result.summary;
  console.log(
    `Imported ${s.rows} ${s.kind}: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged.`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(`turf: ${(error as Error).message}`);
    process.exit(1);
  },
);
