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

/** A batch's COPY text with the ids made for new rows (random UUIDs) blanked, so two reads compare. */
function withoutNewIds(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString("utf8")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<new id>");
}

describe("import batches read by the worker thread", () => {
  it("are the batches read here, moved across as bytes, with every row's problem", async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { stagedAccounts } = await import("../../src/services/import/accounts.ts");
    const { validRows } = await import("../../src/services/import/valid-rows.ts");
    const { workerBatches } = await import("../../src/services/import/batches.ts");
    const dir = mkdtempSync(join(tmpdir(), "turf-batches-"));
    try {
      const lines = ["crm_id,name,domain,region,industry,employees"];
      for (let i = 0; i < 3_000; i++)
        lines.push(`C-${i},Ünïcode Company ${i},company${i}.com,EMEA,Software,${10 + i}`);
      lines.splice(1_500, 0, "C-bad,A Company,acompany.com,EMEA,Software,lots");
      const path = join(dir, "accounts.csv");
      writeFileSync(path, `${lines.join("\n")}\n`);

      const hereErrors: { line: number; message: string }[] = [];
      const here: { from: number; to: number; text: string }[] = [];
      for await (const batch of batchesOf(
        stagedAccounts,
        validRows("accounts", (await import("node:fs")).createReadStream(path), hereErrors) as never,
        hereErrors,
        { maxErrors: 10 },
      ))
        here.push({ from: batch.from, to: batch.to, text: withoutNewIds(batch.bytes) });

      const workerErrors: { line: number; message: string }[] = [];
      const there: typeof here = [];
      for await (const batch of workerBatches({ kind: "accounts", path, maxErrors: 10 }, workerErrors))
        there.push({ from: batch.from, to: batch.to, text: withoutNewIds(batch.bytes) });

      expect(there.length).toBeGreaterThan(1);
      expect(there).toEqual(here);
      expect(there.at(-1)?.to).toBe(3_000);
      expect(there.map((b) => b.text).join("")).toContain("Ünïcode Company 2999");
      expect(workerErrors).toEqual(hereErrors);
      expect(workerErrors.map((e) => e.line)).toEqual([1_501]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("an import file with more problems than are listed", () => {
  it("stops reading at the limit and closes the file, on a stream the parser had to wait for", async () => {
    const { createReadStream, mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { MAX_ERRORS, validRows } = await import("../../src/services/import/valid-rows.ts");
    const dir = mkdtempSync(join(tmpdir(), "turf-problems-"));
    try {
      const lines = ["crm_id,name,employees"];
      // Every row is wrong, and the file is far larger than the parser takes before it waits.
      for (let i = 0; i < 3 * MAX_ERRORS; i++) lines.push(`C-${i},Company ${i},${"many".repeat(20)}`);
      const path = join(dir, "accounts.csv");
      writeFileSync(path, `${lines.join("\n")}\n`);
      const file = createReadStream(path, { highWaterMark: 1024 });
      const errors: { line: number; message: string }[] = [];
      let valid = 0;
      for await (const _ of validRows("accounts", file, errors)) valid++;
      expect(valid).toBe(0);
      expect(errors).toHaveLength(MAX_ERRORS);
      expect(errors[0]?.line).toBe(2);
      expect(errors[0]?.message).toMatch(/employees/);
      expect(file.destroyed).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("an import file that cannot be read", () => {
  it("is reported in words (a folder), with no line, and nothing valid comes out", async () => {
    const { createReadStream, mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { validRows } = await import("../../src/services/import/valid-rows.ts");
    const dir = mkdtempSync(join(tmpdir(), "turf-unreadable-"));
    try {
      const errors: { line: number; message: string }[] = [];
      let valid = 0;
      for await (const _ of validRows("accounts", createReadStream(dir), errors)) valid++;
      expect(valid).toBe(0);
      expect(errors).toEqual([
        { line: 0, message: "the file could not be read: it is a folder, not a file" },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
