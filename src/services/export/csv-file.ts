// Writes rows as CSV with csv-stringify, guarding against formula injection with the rule the rebalance
// preview export uses (csvCell in src/services/rebalance/export-preview.ts) (a cell starting with = + - @ is read by spreadsheets as a formula).

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { stringify } from "csv-stringify";

/** A cell a spreadsheet shows as text: csvCell's guard without its quoting (csv-stringify quotes). */
export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Streams rows to a file; resolves when everything is on disk. */
export async function writeCsvFile(
  path: string,
  columns: readonly string[],
  rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>,
): Promise<number> {
  const file = createWriteStream(path);
  const csv = stringify({ header: true, columns: [...columns] });
  csv.pipe(file);
  let count = 0;
  for await (const row of rows) {
    if (!csv.write(row.map(safeCell))) await once(csv, "drain");
    count++;
  }
  csv.end();
  await once(file, "finish");
  return count;
}
