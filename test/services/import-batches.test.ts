// A big import's rows go to the database in batches: the first is small, so the database starts
// while the rest is still being read, and each next one doubles up to the most a batch holds.
import { describe, expect, it } from "vitest";
import { BATCH_ROWS, batchesOf, type Shaper } from "../../src/services/import/batches.ts";
import type { ValidRow } from "../../src/services/import/valid-rows.ts";

const shaper: Shaper<string> = {
  stage: (row, { seq, line }) => ({ cells: [seq, line, row] }),
  key: (row) => row,
};

async function* rows(count: number): AsyncGenerator<ValidRow<string>> {
  for (let i = 0; i < count; i++) yield { line: i + 2, row: `key-${i}` };
}

async function sizes(count: number, batchRows?: number): Promise<number[]> {
  const out: number[] = [];
  for await (const batch of batchesOf(shaper, rows(count), [], { batchRows, maxErrors: 10 }))
    out.push(batch.to - batch.from + 1);
  return out;
}

describe("import batches", () => {
  it("start small and double up to the most a batch holds", async () => {
    expect(BATCH_ROWS).toBe(25_000);
    expect(await sizes(100_000)).toEqual([2_500, 5_000, 10_000, 20_000, 25_000, 25_000, 12_500]);
  });

  it("never exceed a smaller batch size asked for", async () => {
    expect(await sizes(7, 2)).toEqual([2, 2, 2, 1]);
  });
});
