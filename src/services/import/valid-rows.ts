// The checks every imported row passes as it is read: each cell (UTF-8, no control characters, a
// length limit), then its kind's schema. Shared by the importer and its reading worker.
import type { Readable } from "node:stream";
import { type RowError, readCsvRecords } from "./csv-reader.ts";
import {
  describeRowIssues,
  type ImportKind,
  KNOWN_COLUMNS,
  REQUIRED_COLUMNS,
  ROW_SCHEMAS,
} from "./row-schemas.ts";

/** Longest cell accepted; keys and names are far shorter, and the database indexes them. */
export const MAX_CELL_LENGTH = 500;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;
/** An import stops reading at this many problems. */
export const MAX_ERRORS = 1000;

/** A problem in one cell, or null. */
export function checkCell(column: string, value: string): string | null {
  // csv-parse turns bytes that are not UTF-8 into U+FFFD; a real CSV never holds that character.
  if (value.includes("\ufffd"))
    return `${column} is not valid UTF-8 (save the file as CSV UTF-8; nothing was imported)`;
  if (CONTROL.test(value)) return `${column} contains a control character (tab, line break or NUL)`;
  if (value.length > MAX_CELL_LENGTH) return `${column} is longer than ${MAX_CELL_LENGTH} characters`;
  return null;
}

export type ValidRow<Row> = { line: number; row: Row };

/** Rows whose cells and schema are right, with their line; problems go to errors (at most MAX_ERRORS). */
export async function* validRows(
  kind: ImportKind,
  input: Readable | string,
  errors: RowError[],
): AsyncGenerator<ValidRow<unknown>> {
  const schema = ROW_SCHEMAS[kind];
  for await (const record of readCsvRecords(
    input,
    { known: KNOWN_COLUMNS[kind], required: REQUIRED_COLUMNS[kind] },
    errors,
  )) {
    if (errors.length >= MAX_ERRORS) break;
    const cellProblems: string[] = [];
    for (const column in record.values) {
      const problem = checkCell(column, record.values[column] as string);
      if (problem !== null) cellProblems.push(problem);
    }
    if (cellProblems.length > 0) {
      errors.push({ line: record.line, message: cellProblems.join("; ") });
      continue;
    }
    const result = schema.safeParse(record.values);
    if (!result.success) {
      errors.push({ line: record.line, message: describeRowIssues(result.error) });
      continue;
    }
    yield { line: record.line, row: result.data };
  }
}
