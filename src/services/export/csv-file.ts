// Writes rows as CSV with csv-stringify, guarding against formula injection with the rule the rebalance
// preview export uses (csvCell in src/services/rebalance/export-preview.ts) (a cell starting with = + - @ is read by spreadsheets as a formula).

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { stringify } from "csv-stringify";

/** A cell a spreadsheet shows as text: csvCell's guard without its quoting (csv-stringify quotes). */
export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

type Rows = AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>;

/** Streams rows to a file; resolves when everything is on disk. */
export async function writeCsvFile(path: string, columns: readonly string[], rows: Rows): Promise<number> {
  const file = createWriteStream(path);
  const count = await writeRows(file, "csv", columns, rows);
  file.end();
  await once(file, "finish");
  return count;
}

async function put(target: Writable, text: string): Promise<void> {
  if (!target.write(text)) await once(target, "drain");
}

/**
 * Streams rows as CSV (header first) or as JSON (an array of objects, one per line) into target,
 * waiting whenever it is full, so memory stays bounded however many rows come. Leaves target open.
 */
export async function writeRows(
  target: Writable,
  format: "csv" | "json",
  columns: readonly string[],
  rows: Rows,
): Promise<number> {
  let count = 0;
  if (format === "json") {
    await put(target, "[");
    for await (const row of rows) {
      const object = Object.fromEntries(columns.map((c, i) => [c, jsonValue(row[i])]));
      await put(target, `${count === 0 ? "\n" : ",\n"}${JSON.stringify(object)}`);
      count++;
    }
    await put(target, "\n]\n");
    return count;
  }
  const csv = stringify({ header: true, columns: [...columns] });
  const piped = new Promise<void>((resolve, reject) => {
    csv.on("data", (chunk: Buffer) => {
      if (!target.write(chunk)) {
        csv.pause();
        target.once("drain", () => csv.resume());
      }
    });
    csv.on("end", resolve);
    csv.on("error", reject);
  });
  for await (const row of rows) {
    if (!csv.write(row.map(safeCell))) await once(csv, "drain");
    count++;
  }
  csv.end();
  await piped;
  return count;
}

function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  return value ?? null;
}
