// The import of the big kinds (accounts, opportunities), built to scale to millions of rows in
// bounded memory, and as strict as the others:
//  1. the file streams in; each row is checked (cells, its schema, what the kind adds) and COPied, a
//     batch at a time, into a temporary staging table; a bad row is reported with its line;
//  2. keys given twice are found in SQL; then every reference is resolved in SQL into a plan table
//     that says per row what changes; a reference that points nowhere is reported with its line;
//  3. only rows whose values change are written, chunk by chunk (progress counts rows written);
//  4. counts, the change list and the disagreements come from the plan, streamed to their files.
// All of it is one transaction: any problem rolls everything back, a dry run rolls back at the end.

import type { Db } from "../../db/client.ts";
import { type RawTransaction, rawDriverOf } from "../../db/client.ts";
import {
  type CopyCell,
  copyLine,
  duplicateKeys,
  prepareSession,
  recordImportAudit,
} from "../../db/import-staging.ts";
import type { RowError } from "./csv-reader.ts";
import {
  emptySummary,
  type ImportChange,
  type ImportOptions,
  type ImportResult,
  type ImportSummary,
  LISTED,
  type OwnerDisagreement,
} from "./types.ts";

/** What one big kind brings to the staged import. */
export type StagedKind<Row> = {
  kind: "accounts" | "opportunities";
  table: string;
  columns: readonly string[];
  /** The row's staging cells, or the problems (beyond its schema's) that keep it out. */
  stage(row: Row, at: { seq: number; line: number }): { cells: CopyCell[] } | { problems: string[] };
  createStaging(session: RawTransaction): Promise<void>;
  /** Builds the plan and returns the references that point nowhere (at most limit). */
  plan(session: RawTransaction, limit: number): Promise<RowError[]>;
  counts(session: RawTransaction): Promise<PlanCounts>;
  writeChunk(
    session: RawTransaction,
    range: { from: number; to: number },
    options: ImportOptions,
  ): Promise<number>;
  /** Checks that need the rows written (a parent cycle); problems roll the import back. */
  afterWrites?(session: RawTransaction, chunk: number): Promise<RowError[]>;
  changes(session: RawTransaction): AsyncGenerator<ImportChange[]>;
  disagreements?(session: RawTransaction): AsyncGenerator<OwnerDisagreement[]>;
};

/** From the plan: rows staged, rows to create and to update, disagreements, the last seq. */
export type PlanCounts = {
  rows: number;
  created: number;
  updated: number;
  disagreements: number;
  last: number;
};

export type ValidRow<Row> = { line: number; row: Row };

const BATCH_ROWS = 20_000;
export const WRITE_CHUNK = 25_000;

class Stop {
  constructor(readonly result: ImportResult) {}
}

export async function importStaged<Row>(
  db: Db,
  staged: StagedKind<Row>,
  rows: (errors: RowError[]) => AsyncIterable<ValidRow<Row>>,
  options: ImportOptions & { maxErrors: number },
): Promise<ImportResult> {
  const driver = rawDriverOf(db);
  if (!driver) throw new Error("imports need a database opened by openDatabase (src/db/client.ts)");
  try {
    return await driver.withRawTransaction(async (session) => {
      await prepareSession(session);
      await staged.createStaging(session);
      const errors: RowError[] = [];
      await stageRows(session, staged, rows(errors), errors, options);
      if (errors.length < options.maxErrors) {
        for (const d of await duplicateKeys(session, staged.table, options.maxErrors - errors.length)) {
          errors.push({
            line: d.line,
            message: `crm_id "${d.key}" appears twice (first on line ${d.firstLine})`,
          });
        }
      }
      if (errors.length > 0) throw new Stop(fail(errors));
      const problems = await staged.plan(session, options.maxErrors);
      if (problems.length > 0) throw new Stop(fail(problems));

      const counts = await staged.counts(session);
      const total = counts.created + counts.updated;
      let written = 0;
      for (let from = 1; from <= counts.last; from += WRITE_CHUNK) {
        const n = await staged.writeChunk(session, { from, to: from + WRITE_CHUNK - 1 }, options);
        written += n;
        if (n > 0) options.onProgress?.({ phase: "writing", done: written, total });
      }
      const late = (await staged.afterWrites?.(session, WRITE_CHUNK)) ?? [];
      if (late.length > 0) throw new Stop(fail(late));

      const summary: ImportSummary = {
        ...emptySummary(staged.kind, counts.rows, options.dryRun === true),
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.rows - counts.created - counts.updated,
      };
      summary.changes = await listed(staged.changes(session), options.writeChanges);
      summary.disagreementCount = counts.disagreements;
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

/** Streams valid rows into the staging table, a COPY per batch, one batch in flight while the next is built. */
async function stageRows<Row>(
  session: RawTransaction,
  staged: StagedKind<Row>,
  rows: AsyncIterable<ValidRow<Row>>,
  errors: RowError[],
  options: ImportOptions & { maxErrors: number },
): Promise<void> {
  let batch: string[] = [];
  let seq = 0;
  let read = 0;
  let copyError: unknown;
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    await inFlight;
    if (copyError) throw copyError;
    const text = batch.join("");
    batch = [];
    inFlight = session.copyFrom(staged.table, staged.columns, text).catch((e: unknown) => {
      copyError = e;
    });
  };
  for await (const { line, row } of rows) {
    read++;
    const result = staged.stage(row, { seq: seq + 1, line });
    if ("problems" in result) {
      for (const message of result.problems) errors.push({ line, message });
      if (errors.length >= options.maxErrors) break;
      continue;
    }
    seq++;
    // Staged even after a bad row: a key given twice later in the file is still found and reported.
    batch.push(copyLine(result.cells));
    if (batch.length >= BATCH_ROWS) await flush();
    if (read % 10_000 === 0) options.onProgress?.({ phase: "validating", done: read, total: 0 });
  }
  if (batch.length > 0) await flush();
  await inFlight;
  if (copyError) throw copyError;
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
