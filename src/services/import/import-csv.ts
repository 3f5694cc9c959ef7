// `turf import <kind> <file.csv>`: all-or-nothing. The file is read as it streams in; every cell is
// checked (UTF-8, no control characters, a length limit) and every row parsed by its kind's schema;
// every reference is resolved before anything is written. Any problem aborts the import, nothing is
// written, and every problem is reported with its line number. Rows are upserted by their key and
// only rows whose stored values change are written and counted, so re-importing a file changes
// nothing. A dry run computes the same change list inside a transaction and rolls it back.
//
// The big kinds (accounts, opportunities) never hold the file: they stage it in the database and
// resolve it there (staged-import.ts). The small ones (territories, reps, arbiters) are held and
// resolved in memory by a `KindImporter`.
//
// Adding a kind: a schema in row-schemas.ts, a `KindImporter` (or a `StagedKind` for a kind that can
// have millions of rows) in its own module, one line in IMPORTERS or STAGED.
import { ReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { recordAudit } from "../../db/audit.ts";
import type { Db } from "../../db/client.ts";
import { ensureDefaultRules } from "../rules/default-rules.ts";
import { stagedAccounts } from "./accounts.ts";
import { importArbiterRows } from "./arbiters.ts";
import { batchesOf, workerBatches, workerCanRead } from "./batches.ts";
import type { RowError } from "./csv-reader.ts";
import { stagedOpportunities } from "./opportunities.ts";
import { importReps } from "./reps.ts";
import type { ImportKind } from "./row-schemas.ts";
import { importStaged, type StagedKind } from "./staged-import.ts";
import { importTerritories } from "./territories.ts";
import { MAX_ERRORS, type ValidRow, validRows } from "./valid-rows.ts";

export { checkCell, MAX_CELL_LENGTH } from "./valid-rows.ts";

import {
  type ImportOptions,
  type ImportResult,
  type ImportSummary,
  type KindImporter,
  LISTED,
  type Parsed,
  RowErrors,
} from "./types.ts";

export type { ImportChange, ImportOptions, ImportResult, ImportSummary, OwnerDisagreement } from "./types.ts";

type SmallKind = Exclude<ImportKind, BigKind>;
type BigKind = "accounts" | "opportunities";

const IMPORTERS: Record<SmallKind, { key: string; run: KindImporter<never> }> = {
  territories: { key: "name", run: importTerritories as KindImporter<never> },
  reps: { key: "email", run: importReps as KindImporter<never> },
  arbiters: { key: "key", run: importArbiterRows as KindImporter<never> },
};

const STAGED: Record<BigKind, StagedKind<never>> = {
  accounts: stagedAccounts as StagedKind<never>,
  opportunities: stagedOpportunities as StagedKind<never>,
};

// Big books take a while in one transaction; Prisma's 5 s default would abort them half-way.
const TRANSACTION_OPTIONS = { timeout: 30 * 60_000, maxWait: 60_000 };

class DryRun extends Error {
  constructor(readonly summary: ImportSummary) {
    super("dry run");
  }
}

export async function importCsv(
  db: Db,
  kind: ImportKind,
  input: Readable | string,
  options: ImportOptions,
): Promise<ImportResult> {
  const rows = (errors: RowError[]) => validRows(kind, input, errors);
  if (kind === "accounts" || kind === "opportunities") {
    const staged = STAGED[kind];
    // A file is read by a worker thread, in parallel with the database; a string or other stream here.
    const path = input instanceof ReadStream && typeof input.path === "string" ? input.path : null;
    const batches = (errors: RowError[]) =>
      path && workerCanRead()
        ? workerBatches({ kind, path, batchRows: options.batchRows, maxErrors: MAX_ERRORS }, errors)
        : batchesOf(staged, rows(errors), errors, { batchRows: options.batchRows, maxErrors: MAX_ERRORS });
    const result = await importStaged(db, staged, batches, { ...options, maxErrors: MAX_ERRORS });
    // A database filled by import starts with the default rules, as one filled with the sample does.
    if (result.ok && !result.summary.dryRun) await ensureDefaultRules(db, options.now);
    return result;
  }
  return importSmall(db, kind, rows, options);
}

async function importSmall(
  db: Db,
  kind: SmallKind,
  validated: (errors: RowError[]) => AsyncIterable<ValidRow<unknown>>,
  options: ImportOptions,
): Promise<ImportResult> {
  const importer = IMPORTERS[kind];
  const errors: RowError[] = [];
  const rows: Parsed<unknown>[] = [];
  const firstLineOfKey = new Map<string, number>();
  for await (const { line, row } of validated(errors)) {
    const key = String((row as Record<string, unknown>)[importer.key]).toLowerCase();
    const earlier = firstLineOfKey.get(key);
    if (earlier !== undefined) {
      errors.push({ line, message: `${importer.key} "${key}" appears twice (first on line ${earlier})` });
      continue;
    }
    firstLineOfKey.set(key, line);
    rows.push({ line, row });
    if (rows.length % 5000 === 0) options.onProgress?.({ phase: "validating", done: rows.length, total: 0 });
  }
  if (errors.length > 0) return fail(errors);
  const prepared = await importer.run(db, rows as Parsed<never>[], options);
  if (!prepared.ok) return fail(prepared.errors);
  try {
    const summary = await db.$transaction(async (tx) => {
      const summary = await prepared.write(tx);
      summary.disagreementCount = summary.disagreements.length;
      await recordAudit(tx, {
        actor: options.actor,
        action: `import.${kind}`,
        subjectType: "import",
        subjectId: kind,
        details: {
          rows: summary.rows,
          created: summary.created,
          updated: summary.updated,
          unchanged: summary.unchanged,
          disagreements: summary.disagreements.length,
        },
        at: options.now,
      });
      if (options.dryRun) throw new DryRun(summary);
      return summary;
    }, TRANSACTION_OPTIONS);
    // A database filled by import starts with the default rules, as one filled with the sample does.
    await ensureDefaultRules(db, options.now);
    return { ok: true, summary: await listedSummary(summary, options) };
  } catch (error) {
    if (error instanceof DryRun) return { ok: true, summary: await listedSummary(error.summary, options) };
    if (error instanceof RowErrors) return fail(error.errors);
    // Checks above catch what a file can get wrong; anything left is named, never dumped raw.
    const message = (error as Error).message ?? String(error);
    const constraint = /Unique constraint failed on the fields: \(([^)]*)\)/.exec(message)?.[1];
    return fail([
      {
        line: 0,
        message: constraint
          ? `the database refused a duplicate ${constraint.replace(/`/g, "")}`
          : `the database refused the import (${message.split("\n").at(-1)?.slice(0, 200) ?? "unknown error"})`,
      },
    ]);
  }
}

/** Hands the full lists to the sinks, then keeps the first LISTED, as the staged kinds do. */
async function listedSummary(summary: ImportSummary, options: ImportOptions): Promise<ImportSummary> {
  await options.writeChanges?.(iterate(summary.changes));
  await options.writeDisagreements?.(iterate(summary.disagreements));
  return {
    ...summary,
    changes: summary.changes.slice(0, LISTED),
    disagreements: summary.disagreements.slice(0, LISTED),
  };
}

async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

function fail(errors: RowError[]): ImportResult {
  return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
}
