// A big import's rows go to the database in batches: the first is small, so the database starts
// while the rest is still being read, and each next one doubles up to the most a batch holds, in rows
// and in text (so rows of long cells do not make batches that fill the reader's memory).
import { describe, expect, it } from "vitest";
import { BATCH_BYTES, BATCH_ROWS, batchesOf, type Shaper } from "../../src/services/import/batches.ts";
import type { ValidRow } from "../../src/services/import/valid-rows.ts";

const shaper: Shaper<string> = {
  stage: (row, { seq, line }) => ({ cells: [seq, line, row] }),
  key: (row) => row,
};

async function* rows(count: number, width = 0): AsyncGenerator<ValidRow<string>> {
  for (let i = 0; i < count; i++) yield { line: i + 2, row: `key-${i}-${"x".repeat(width)}` };
}

async function batches(count: number, options: { batchRows?: number; width?: number } = {}) {
  const out: { rows: number; bytes: number }[] = [];
  for await (const batch of batchesOf(shaper, rows(count, options.width), [], {
    batchRows: options.batchRows,
    maxErrors: 10,
  }))
    out.push({ rows: batch.to - batch.from + 1, bytes: batch.bytes.length });
  return out;
}

async function sizes(count: number, batchRows?: number): Promise<number[]> {
  return (await batches(count, { batchRows })).map((b) => b.rows);
}

describe("import batches", () => {
  it("start small and double up to the most a batch holds", async () => {
    expect(BATCH_ROWS).toBe(25_000);
    expect(await sizes(100_000)).toEqual([2_500, 5_000, 10_000, 20_000, 25_000, 25_000, 12_500]);
  });

  it("never exceed a smaller batch size asked for", async () => {
    expect(await sizes(7, 2)).toEqual([2, 2, 2, 1]);
  });

  it("end at so much text, whatever the rows' count", async () => {
    // Rows of about 2,000 characters: 4,000 of them are twice what a batch may hold.
    const wide = await batches(12_000, { width: 2_000 });
    expect(wide.reduce((n, b) => n + b.rows, 0)).toBe(12_000);
    expect(wide.length).toBeGreaterThan(2);
    for (const b of wide) expect(b.bytes).toBeLessThan(BATCH_BYTES + 2_100);
  });
});
