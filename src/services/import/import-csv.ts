// `turf import <kind> <file.csv>`: all-or-nothing. The file is read as it streams in; every cell is
// checked (UTF-8, no control characters, a length limit) and every row parsed by its kind's schema;
// every reference is resolved before anything is written. Any problem aborts the import, nothing is
// written, and every problem is reported with its line number. Rows are upserted by their key and
// only rows whose stored values change are written and counted, so re-importing a file changes
// nothing. A dry run computes the same change list inside a transaction and rolls it back.
//
// Adding a kind: a schema in row-schemas.ts, a `KindImporter` in its own module, one line in IMPORTERS.
import type { Readable } from "node:stream";
import { recordAudit } from "../../db/audit.ts";
import type { Db } from "../../db/client.ts";
import { ensureDefaultRules } from "../rules/default-rules.ts";
import { importAccounts } from "./accounts.ts";
import { importArbiterRows } from "./arbiters.ts";
import { type RowError, readCsvRecords } from "./csv-reader.ts";
import { importOpportunities } from "./opportunities.ts";
import { importReps } from "./reps.ts";
import {
  describeRowIssues,
  type ImportKind,
  KNOWN_COLUMNS,
  REQUIRED_COLUMNS,
  ROW_SCHEMAS,
} from "./row-schemas.ts";
import { importTerritories } from "./territories.ts";
import {
  type ImportOptions,
  type ImportResult,
  type ImportSummary,
  type KindImporter,
  type Parsed,
  RowErrors,
} from "./types.ts";

export type { ImportChange, ImportOptions, ImportResult, ImportSummary, OwnerDisagreement } from "./types.ts";

const IMPORTERS: Record<ImportKind, { key: string; run: KindImporter<never> }> = {
  territories: { key: "name", run: importTerritories as KindImporter<never> },
  reps: { key: "email", run: importReps as KindImporter<never> },
  accounts: { key: "crm_id", run: importAccounts as KindImporter<never> },
  opportunities: { key: "crm_id", run: importOpportunities as KindImporter<never> },
  arbiters: { key: "key", run: importArbiterRows as KindImporter<never> },
};

/** Longest cell accepted; keys and names are far shorter, and the database indexes them. */
export const MAX_CELL_LENGTH = 500;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;
// Big books take a while in one transaction; Prisma's 5 s default would abort them half-way.
const TRANSACTION_OPTIONS = { timeout: 30 * 60_000, maxWait: 60_000 };
const MAX_ERRORS = 1000;

/** A problem in one cell, or null. */
export function checkCell(column: string, value: string): string | null {
  // csv-parse turns bytes that are not UTF-8 into U+FFFD; a real CSV never holds that character.
  if (value.includes("\ufffd"))
    return `${column} is not valid UTF-8 (save the file as CSV UTF-8; nothing was imported)`;
  if (CONTROL.test(value)) return `${column} contains a control character (tab, line break or NUL)`;
  if (value.length > MAX_CELL_LENGTH) return `${column} is longer than ${MAX_CELL_LENGTH} characters`;
  return null;
}

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
  const schema = ROW_SCHEMAS[kind];
  const importer = IMPORTERS[kind];
  const errors: RowError[] = [];
  const rows: Parsed<unknown>[] = [];
  const firstLineOfKey = new Map<string, number>();
  for await (const record of readCsvRecords(
    input,
    { known: KNOWN_COLUMNS[kind], required: REQUIRED_COLUMNS[kind] },
    errors,
  )) {
    if (errors.length >= MAX_ERRORS) break;
    const cellProblems = Object.entries(record.values)
      .map(([column, value]) => checkCell(column, value))
      .filter((p): p is string => p !== null);
    if (cellProblems.length > 0) {
      errors.push({ line: record.line, message: cellProblems.join("; ") });
      continue;
    }
    const result = schema.safeParse(record.values);
    if (!result.success) {
      errors.push({ line: record.line, message: describeRowIssues(result.error) });
      continue;
    }
    const key = String((result.data as Record<string, unknown>)[importer.key]).toLowerCase();
    const earlier = firstLineOfKey.get(key);
    if (earlier !== undefined) {
      errors.push({
        line: record.line,
        message: `${importer.key} "${key}" appears twice (first on line ${earlier})`,
      });
      continue;
    }
    firstLineOfKey.set(key, record.line);
    rows.push({ line: record.line, row: result.data });
    if (rows.length % 5000 === 0) options.onProgress?.({ phase: "validating", done: rows.length, total: 0 });
  }
  if (errors.length > 0) return fail(errors);
  const prepared = await importer.run(db, rows as Parsed<never>[], options);
  if (!prepared.ok) return fail(prepared.errors);
  try {
    const summary = await db.$transaction(async (tx) => {
      const summary = await prepared.write(tx);
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
    return { ok: true, summary };
  } catch (error) {
    if (error instanceof DryRun) return { ok: true, summary: error.summary };
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

function fail(errors: RowError[]): ImportResult {
  return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
}
