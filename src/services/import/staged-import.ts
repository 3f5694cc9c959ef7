// The import of the big kinds (accounts, opportunities), built to scale to millions of rows in
// bounded memory, and as strict as the others. The file streams in, a batch at a time:
//  1. each row is checked as it is read (cells, its schema, what the kind adds); a bad row is
//     reported with its line;
//  2. each batch is COPied into a temporary batch table, resolved in SQL against what is stored (the
//     account, parent, rep, owner each row names) into plan rows that say what changes, and, while
//     nothing is wrong, written: only rows whose values change, so progress counts rows written.
//     The next batch is read while the database works on this one;
//  3. at the end, keys given twice, parents further on in the file, missing parents and cycles are
//     settled over the whole plan; counts, the change list and disagreements come from the plan.
// All of it is one transaction: any problem rolls everything back, a dry run rolls back at the end.
// A file with bad rows is still read to its end (up to maxErrors problems), so every problem is
// listed in one run; row problems and duplicate keys first, references once every row is well formed.
import { type Db, type RawTransaction, rawDriverOf } from "../../db/client.ts";
import { clearBatch, duplicateKeys, prepareSession, recordImportAudit } from "../../db/import-staging.ts";
import { analyzeWhenStale, estimatedRows } from "../../db/table-statistics.ts";
import type { Batch, Shaper } from "./batches.ts";
import type { RowError } from "./csv-reader.ts";
import { deferredIndexes } from "./deferred-indexes.ts";
import {
  emptySummary,
  type ImportChange,
  type ImportOptions,
  type ImportResult,
  type ImportSummary,
  LISTED,
  type OwnerDisagreement,
} from "./types.ts";

/** What one big kind brings to the staged import (stage and key shape its batches, see batches.ts). */
export type StagedKind<Row> = Shaper<Row> & {
  kind: "accounts" | "opportunities";
  /** The tables its writes fill (their secondary indexes may be built at the end, deferred-indexes.ts). */
  tables: readonly string[];
  /** The batch table rows are COPied into, and its columns in the order stage() gives cells. */
  batchTable: string;
  columns: readonly string[];
  /** The plan table every batch's plan rows go to (crm_id, line, seq, …). */
  planTable: string;
  createStaging(session: RawTransaction): Promise<void>;
  /** Plans the batch: how many of its rows change, and its references that can never resolve (at most limit). */
  planBatch(
    session: RawTransaction,
    limit: number,
  ): Promise<{ toWrite: number; work: unknown; problems: RowError[] }>;
  /** Writes the batch's changed rows (seq in range). */
  writeBatch(
    session: RawTransaction,
    range: { from: number; to: number },
    options: ImportOptions,
    work: unknown,
  ): Promise<void>;
  /** References only the whole file settles (a parent further on); written says whether every batch was. */
  finishReferences?(
    session: RawTransaction,
    written: boolean,
    options: ImportOptions,
    limit: number,
  ): Promise<RowError[]>;
  /** Checks on the rows as written (a parent cycle). */
  afterWrites?(session: RawTransaction): Promise<RowError[]>;
  counts(session: RawTransaction): Promise<PlanCounts>;
  changes(session: RawTransaction): AsyncGenerator<ImportChange[]>;
  disagreements?(session: RawTransaction): AsyncGenerator<OwnerDisagreement[]>;
};

/** From the plan: rows, rows to create and to update, disagreements. */
export type PlanCounts = { rows: number; created: number; updated: number; disagreements: number };

class Stop {
  constructor(readonly result: ImportResult) {}
}

export async function importStaged<Row>(
  db: Db,
  staged: StagedKind<Row>,
  batches: (errors: RowError[]) => AsyncIterable<Batch>,
  options: ImportOptions & { maxErrors: number },
): Promise<ImportResult> {
  const driver = rawDriverOf(db);
  if (!driver) throw new Error("imports need a database opened by openDatabase (src/db/client.ts)");
  try {
    return await driver.withRawTransaction(async (session) => {
      await prepareSession(session);
      await staged.createStaging(session);
      const indexes = await deferredIndexes(session, staged.tables, driver.kind);
      const sizesBefore = await estimatedRows(session, staged.tables);
      const rowErrors: RowError[] = [];
      const referenceErrors: RowError[] = [];
      let written = 0;
      // Writing stops at the first problem (everything will be rolled back); checking goes on.
      let writing = true;
      const processBatch = async (batch: Batch) => {
        await clearBatch(session, staged.batchTable);
        await session.copyFrom(staged.batchTable, staged.columns, batch.bytes);
        // A second insert of one key would abort the transaction; the end reports it with its lines.
        if (batch.twice) writing = false;
        const { toWrite, work, problems } = await staged.planBatch(session, options.maxErrors);
        if (problems.length > 0) {
          writing = false;
          referenceErrors.push(...problems.slice(0, options.maxErrors - referenceErrors.length));
        }
        if (!writing || rowErrors.length > 0) {
          writing = false;
          return;
        }
        await indexes.beforeWriting(written);
        await staged.writeBatch(session, batch, options, work);
        // Embedded, the import's WAL would otherwise stay on disk until the process ends (see db/wal.ts).
        await session.checkpointWhenDue();
        written += toWrite;
        options.onProgress?.({ phase: "writing", done: written, total: 0 });
      };
      // One batch in the database while the next is read (by the worker, or here while the database
      // answers on PostgreSQL).
      let failed: { error: unknown } | undefined;
      let inFlight: Promise<void> = Promise.resolve();
      for await (const batch of batches(rowErrors)) {
        await inFlight;
        if (failed) throw failed.error;
        inFlight = processBatch(batch).catch((error: unknown) => {
          failed = { error };
        });
      }
      await inFlight;
      if (failed) throw failed.error;

      if (rowErrors.length < options.maxErrors) {
        const limit = options.maxErrors - rowErrors.length;
        for (const d of await duplicateKeys(session, staged.planTable, limit)) {
          rowErrors.push({
            line: d.line,
            message: `crm_id "${d.key}" appears twice (first on line ${d.firstLine})`,
          });
        }
      }
      if (rowErrors.length > 0) throw new Stop(fail(rowErrors));
      const late = (await staged.finishReferences?.(session, writing, options, options.maxErrors)) ?? [];
      referenceErrors.push(...late);
      if (referenceErrors.length > 0) throw new Stop(fail(referenceErrors.slice(0, options.maxErrors)));
      const cycles = (await staged.afterWrites?.(session)) ?? [];
      if (cycles.length > 0) throw new Stop(fail(cycles));
      // A dry run rolls back, and the rollback brings the dropped indexes back as they were.
      if (!options.dryRun) {
        await indexes.rebuild((done, total) => options.onProgress?.({ phase: "indexing", done, total }));
        // The first lookups after a big import plan with statistics of the book as it now is.
        await analyzeWhenStale(session, sizesBefore, written);
      }

      const counts = await staged.counts(session);
      options.onProgress?.({ phase: "writing", done: written, total: written });
      const summary: ImportSummary = {
        ...emptySummary(staged.kind, counts.rows, options.dryRun === true),
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.rows - counts.created - counts.updated,
        disagreementCount: counts.disagreements,
      };
      summary.changes = await listed(staged.changes(session), options.writeChanges);
      summary.disagreements = await listed(
        staged.disagreements?.(session) ?? emptyPages(),
        options.writeDisagreements,
      );
      await recordImportAudit(session, {
        actor: options.actor,
        kind: staged.kind,
        at: options.now,
        details: {
          rows: summary.rows,
          created: summary.created,
          updated: summary.updated,
          unchanged: summary.unchanged,
          disagreements: summary.disagreementCount,
        },
      });
      if (options.dryRun) throw new Stop({ ok: true, summary });
      return { ok: true as const, summary };
    });
  } catch (error) {
    if (error instanceof Stop) return error.result;
    return fail([{ line: 0, message: databaseRefusal(error) }]);
  }
}

async function* emptyPages<T>(): AsyncGenerator<T[]> {}

async function* flatten<T>(pages: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const page of pages) yield* page;
}

/** The first LISTED items; every item goes to sink when there is one. */
async function listed<T>(
  pages: AsyncGenerator<T[]>,
  sink: ((items: AsyncIterable<T>) => Promise<void>) | undefined,
): Promise<T[]> {
  const first: T[] = [];
  const keep = async function* (items: AsyncIterable<T>) {
    for await (const item of items) {
      if (first.length < LISTED) first.push(item);
      yield item;
    }
  };
  if (sink) {
    await sink(keep(flatten(pages)));
    return first;
  }
  for await (const page of pages) {
    for (const item of page) {
      if (first.length >= LISTED) break;
      first.push(item);
    }
    if (first.length >= LISTED) break;
  }
  await pages.return(undefined);
  return first;
}

/** A database error in words an admin can act on, without the raw SQL. */
function databaseRefusal(error: unknown): string {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e.code === "23505") return `the database refused a duplicate ${e.constraint ?? "key"}`;
  const message = e.message ?? String(error);
  return `the database refused the import (${message.split("\n").at(-1)?.slice(0, 200) ?? "unknown error"})`;
}

function fail(errors: RowError[]): ImportResult {
  return { ok: false, errors: [...errors].sort((a, b) => a.line - b.line) };
}
