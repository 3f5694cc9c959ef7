// First start on an empty database loads the sample company in data/sample, so a newcomer can ask
// /owner globex.com right away. It goes through the same importer an admin uses.
import { createReadStream } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import type { Db } from "../db/client.ts";
import { type ImportSummary, importCsv } from "./import/import-csv.ts";
import { IMPORT_KINDS } from "./import/row-schemas.ts";
import { ensureDefaultRules } from "./rules/default-rules.ts";

export const SAMPLE_DATA_DIR = resolve(fileURLToPath(new URL("../../data/sample", import.meta.url)));

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [reps, accounts] = await Promise.all([db.rep.count(), db.account.count()]);
  return reps === 0 && accounts === 0;
}

export async function loadSampleData(db: Db, now: Date, dir = SAMPLE_DATA_DIR): Promise<ImportSummary[]> {
  const summaries: ImportSummary[] = [];
  for (const kind of IMPORT_KINDS) {
    const result = await importCsv(db, kind, createReadStream(join(dir, `${kind}.csv`)), {
      now,
      actor: "sample-data",
    });
    if (!result.ok) {
      const first = result.errors
        .slice(0, 5)
        .map((e) => `line ${e.line}: ${e.message}`)
        .join("; ");
      throw new Error(`The sample ${kind}.csv does not import: ${first}`);
    }
    summaries.push(result.summary);
  }
  await ensureDefaultRules(db, now, "sample-data");
  return summaries;
}

/** First start: an empty database gets the sample company; anything already there is left alone. */
export async function loadSampleDataIfEmpty(db: Db, now: Date, logger: Logger): Promise<void> {
  if (!(await isDatabaseEmpty(db))) return;
  const summaries = await loadSampleData(db, now);
  logger.info(
    { loaded: Object.fromEntries(summaries.map((s) => [s.kind, s.created])) },
    "empty database: loaded the sample company",
  );
}
