// Drives `turf` as a process, the way an admin runs it: exit code, stdout and stderr.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { freshDatabase } from "../support/databases.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const NOW = new Date("2026-11-02T09:00:00Z");

export type Run = { code: number; stdout: string; stderr: string };

/** Runs `turf args…` against the given company (its database settings) with LOG_LEVEL=info. */
export function turf(
  args: string[],
  options: { company?: Company; env?: Record<string, string> } = {},
): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src/cli/index.ts"), ...args],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          USER: "revops",
          // Logs on: they must never reach stdout.
          LOG_LEVEL: "info",
          DATABASE_URL: "",
          TURF_DATA_DIR: join(tmpdir(), "turf-cli-unused"),
          ...options.company?.env,
          ...options.env,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** A database the CLI processes open: its settings, a handle for checks, and cleanup. */
export type Company = { env: Record<string, string>; remove(): Promise<void> };

/**
 * A database holding the sample company, built in-process (faster than `turf sample-data`): on
 * PostgreSQL when TEST_DATABASE_URL is set (opening it per process is quick), else an embedded
 * database in a temp folder. Never run two processes at once on one embedded folder.
 */
export async function sampleCompany(
  options: { sample?: boolean; kind?: "embedded" | "postgres" } = {},
): Promise<Company> {
  const kind = options.kind ?? (process.env.TEST_DATABASE_URL ? "postgres" : "embedded");
  const db = await freshDatabase(kind);
  if (options.sample !== false) await loadSampleData(db.prisma, NOW);
  if (kind === "postgres") {
    return { env: { DATABASE_URL: db.url as string }, remove: () => db.drop() };
  }
  const dump = await (db.dumpDataDir as () => Promise<Blob>)();
  await db.drop();
  const dir = mkdtempSync(join(tmpdir(), "turf-cli-"));
  const pglite = await PGlite.create({ dataDir: dir, loadDataDir: dump, extensions: { pg_trgm } });
  await pglite.close();
  return { env: { TURF_DATA_DIR: dir }, remove: async () => rmSync(dir, { recursive: true, force: true }) };
}
