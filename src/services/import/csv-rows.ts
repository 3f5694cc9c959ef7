// Reads a CSV file into records with their line numbers, using csv-parse (RFC 4180 quoting, BOMs,
// CRLF). Column names are trimmed and lower-cased so "CRM_ID " and "crm_id" are the same column.

import type { Readable } from "node:stream";
import { parse } from "csv-parse";

export type CsvRecord = { line: number; values: Record<string, string> };

export type CsvReadResult =
  | { ok: true; columns: string[]; records: CsvRecord[] }
  | { ok: false; errors: RowError[] };

export type RowError = { line: number; message: string };

export async function readCsv(input: Readable | string): Promise<CsvReadResult> {
  let columns: string[] = [];
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      columns = header.map((h) => h.trim().toLowerCase());
      return columns;
    },
    skip_empty_lines: true,
    trim: true,
    info: true,
    relax_column_count: false,
  });
  const records: CsvRecord[] = [];
  try {
    const source = typeof input === "string" ? [input] : input;
    const done = (async () => {
      for await (const item of parser as AsyncIterable<{
        record: Record<string, string>;
        info: { lines: number };
      }>) {
        records.push({ line: item.info.lines, values: item.record });
      }
    })();
    for await (const chunk of source) parser.write(chunk);
    parser.end();
    await done;
  } catch (error) {
    const e = error as { lines?: number; message: string };
    return {
      ok: false,
      errors: [{ line: e.lines ?? 0, message: `the file is not valid CSV: ${e.message}` }],
    };
  }
  return { ok: true, columns, records };
}

/** Names the columns a file lacks, so the admin fixes the header instead of every row. */
export function missingColumns(columns: string[], required: readonly string[]): string[] {
  return required.filter((c) => !columns.includes(c));
}
