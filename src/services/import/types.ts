// What every per-kind importer shares: options, the summary it returns, and the change list a dry
// run prints and `--out` writes.
import type { Db, Tx } from "../../db/client.ts";
import type { RowError } from "./csv-reader.ts";
import type { ImportKind } from "./row-schemas.ts";

/**
 * Reading counts rows read and checked (total unknown until the end); writing counts rows written;
 * indexing counts the indexes a big import built again at its end, once every row is written.
 */
export type ImportProgress = { phase: "validating" | "writing" | "indexing"; done: number; total: number };

/** How many changes and disagreements a summary lists; the sinks in ImportOptions get them all. */
export const LISTED = 1000;

export type ImportOptions = {
  now: Date;
  actor: string;
  /** Compute exactly what would change, then write nothing. */
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Gets every change in file order while the import runs (`--out`), however many there are. */
  writeChanges?: (changes: AsyncIterable<ImportChange>) => Promise<void>;
  /** Rows per batch for accounts and opportunities (default 25,000); tests make it small. */
  batchRows?: number;
  /** Gets every owner disagreement in file order (`--disagreements`). */
  writeDisagreements?: (disagreements: AsyncIterable<OwnerDisagreement>) => Promise<void>;
};

/** One row whose stored values change: created, or updated with the columns that differ. */
export type ImportChange = { line: number; key: string; action: "created" | "updated"; columns: string[] };

/** The CRM's owner of record differs from the owner Turf's rules or people decided. */
export type OwnerDisagreement = {
  line: number;
  crmId: string;
  account: string;
  crmOwner: string;
  turfOwner: string | null;
  because: string;
};

export type ImportSummary = {
  kind: ImportKind;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  dryRun: boolean;
  /** The first LISTED rows that change, in file order (created + updated counts them all). */
  changes: ImportChange[];
  /** The first LISTED disagreements, in file order. */
  disagreements: OwnerDisagreement[];
  disagreementCount: number;
};

export type ImportResult = { ok: true; summary: ImportSummary } | { ok: false; errors: RowError[] };

export type Parsed<T> = { line: number; row: T };

/** A per-kind importer: validated rows in, the writes (inside `tx`) and the summary out. */
export type KindImporter<T> = (
  db: Db,
  rows: Parsed<T>[],
  options: ImportOptions,
) => Promise<{ ok: false; errors: RowError[] } | { ok: true; write: (tx: Tx) => Promise<ImportSummary> }>;

export function emptySummary(kind: ImportKind, rows: number, dryRun: boolean): ImportSummary {
  return {
    kind,
    rows,
    created: 0,
    updated: 0,
    unchanged: 0,
    dryRun,
    changes: [],
    disagreements: [],
    disagreementCount: 0,
  };
}

/** Names of the fields whose values differ between what is stored and what the row writes. */
export function changedColumns(stored: Record<string, unknown>, next: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(next)) {
    const before = stored[key];
    const same =
      before instanceof Date || value instanceof Date
        ? (before as Date | null)?.getTime?.() === (value as Date | null)?.getTime?.()
        : JSON.stringify(before) === JSON.stringify(value);
    if (!same) out.push(key);
  }
  return out;
}

/** A kind importer that finds row problems only while writing throws these (nothing is kept). */
export class RowErrors extends Error {
  constructor(readonly errors: RowError[]) {
    super("row errors");
  }
}
