// Reads a CSV file as it streams in (csv-parse: RFC 4180 quoting, BOMs, CRLF) into records keyed by
// column name, each with its line number. Strict about what an admin can get wrong without noticing:
// a column Turf does not know or a column given twice stops the import (naming the column and the
// one probably meant), and a row with a bad quote or the wrong number of cells is reported with its
// line and skipped, so every problem in the file is listed in one run.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import { distance } from "fastest-levenshtein";

export type RowError = { line: number; message: string };
export type CsvRecord = { line: number; values: Record<string, string> };
export type CsvSpec = { known: readonly string[]; required: readonly string[] };

/** The known column an unknown one was probably meant to be: `owner` → `owner_email`. */
export function suggestColumn(column: string, known: readonly string[]): string | null {
  const prefixed = known.find((k) => k.startsWith(column) || column.startsWith(k));
  if (prefixed) return prefixed;
  const contained = known.find((k) => k.split("_").includes(column));
  if (contained) return contained;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(column, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(column.length / 3)) ? best : null;
}

export function checkHeader(columns: string[], spec: CsvSpec): RowError[] {
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const column of columns) {
    if (column === "") {
      errors.push({ line: 1, message: "the header has an empty column name" });
    } else if (seen.has(column)) {
      errors.push({ line: 1, message: `the column ${column} appears twice in the header` });
    } else if (!spec.known.includes(column)) {
      const hint = suggestColumn(column, spec.known);
      errors.push({
        line: 1,
        message: `unknown column ${column}${hint ? ` (did you mean ${hint}?)` : ""}; the columns are ${spec.known.join(", ")}`,
      });
    }
    seen.add(column);
  }
  const missing = spec.required.filter((c) => !seen.has(c));
  if (missing.length > 0)
    errors.push({ line: 1, message: `the header lacks the required column(s) ${missing.join(", ")}` });
  return errors;
}

/**
 * Streams records; header problems end the read at once (every row would be wrong), row problems
 * are collected in `errors` and the row skipped.
 */
export async function* readCsvRecords(
  input: Readable | string,
  spec: CsvSpec,
  errors: RowError[],
): AsyncGenerator<CsvRecord> {
  let headerOk = true;
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      const columns = header.map((h) => h.trim().toLowerCase());
      const problems = checkHeader(columns, spec);
      if (problems.length > 0) {
        errors.push(...problems);
        headerOk = false;
      }
      // Duplicates are reported above; renaming keeps csv-parse from merging them silently.
      return columns.map((c, i) => (columns.indexOf(c) === i ? c : `${c}#${i}`));
    },
    skip_empty_lines: true,
    trim: true,
    info: true,
    relax_column_count: false,
    skip_records_with_error: true,
    on_skip: (error: { lines?: number; message: string; code?: string } | undefined) => {
      if (!error) return;
      errors.push({ line: error.lines ?? 0, message: describeParseError(error) });
    },
  });
  // pipeline feeds the parser as fast as it is read and, when the read stops early (a problem too
  // many, or the caller's), closes the file; a hand-written feed waited for a "drain" that a closed
  // parser never sends, and the import hung. A failed read reaches the loop below as the parser's
  // error; the rejection here only repeats it, or says the parser was closed early on purpose.
  const source = typeof input === "string" ? Readable.from([input]) : input;
  const feeding = pipeline(source, parser).catch(() => undefined);
  try {
    for await (const item of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      if (!headerOk) break;
      yield { line: item.info.lines, values: item.record };
    }
  } catch (error) {
    const e = error as { lines?: number; message: string; code?: string };
    errors.push({ line: e.lines ?? 0, message: describeParseError(e) });
  } finally {
    parser.destroy();
    await feeding;
  }
}

/** Why a file could not be read at all, in words (Node's error codes for the usual cases). */
const UNREADABLE: Record<string, string> = {
  EISDIR: "it is a folder, not a file",
  ENOENT: "there is no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
};

function describeParseError(e: { message: string; code?: string; syscall?: string }): string {
  // A system error (reading the file failed), not a parse error: say so, without a line.
  if (e.syscall !== undefined)
    return `the file could not be read: ${(e.code && UNREADABLE[e.code]) ?? e.message}`;
  switch (e.code) {
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
    case "CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH":
      return "this row has a different number of cells than the header";
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted cell is never closed";
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return 'a quote inside a cell must be doubled ("") and the cell quoted';
    default:
      // csv-parse's sentence without the raw row it sometimes quotes.
      return `not valid CSV: ${(e.message.split(":")[0] ?? e.message).trim()}`;
  }
}
