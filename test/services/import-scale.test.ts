// Imports that scale: accounts and opportunities go through the database a batch at a time, so what
// only the whole file settles (a parent further on, a key given twice in different batches, a
// cycle) is checked across batches; progress counts rows written; --out gets every change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCsv } from "../../src/services/import/import-csv.ts";
import type { ImportChange, ImportProgress } from "../../src/services/import/types.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";

const now = new Date("2026-11-02T09:00:00Z");
// Two rows a batch: every file below spans several batches.
const options = { now, actor: "test", batchRows: 2 };
const HEADER = "crm_id,name,domain,parent_crm_id,owner_email";
const OWNER = "dana@turf-demo.example";

async function errorsOf(db: TestDatabase, text: string) {
  const result = await importCsv(db.prisma, "accounts", `${HEADER}\n${text}\n`, options);
  if (result.ok) throw new Error("expected the import to be refused");
  return result.errors;
}

describe.each(databaseKinds())("batched import on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await loadSampleData(db.prisma, now);
  });
  afterAll(async () => db.drop());

  it("links a parent that comes batches later in the file", async () => {
    const rows = [
      `001SCALECHILD1,Scale Child One,scale-child-one.com,001SCALEPARENT,${OWNER}`,
      "001SCALEFILL01,Scale Filler One,scale-filler-one.com,,",
      "001SCALEFILL02,Scale Filler Two,scale-filler-two.com,,",
      "001SCALEPARENT,Scale Parent,scale-parent.com,,",
    ];
    const result = await importCsv(db.prisma, "accounts", `${HEADER}\n${rows.join("\n")}\n`, options);
    expect(result.ok && result.summary).toMatchObject({ created: 4, updated: 0 });
    const child = await db.prisma.account.findUniqueOrThrow({
      where: { crmId: "001SCALECHILD1" },
      include: { parent: true, ownerships: true },
    });
    expect(child.parent?.crmId).toBe("001SCALEPARENT");
    expect(child.ownerships).toHaveLength(1);
    // The same file again changes nothing, the late parent included.
    const again = await importCsv(db.prisma, "accounts", `${HEADER}\n${rows.join("\n")}\n`, options);
    expect(again.ok && again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
  });

  it("finds a key given twice in different batches, and within one, case-insensitively", async () => {
    const errors = await errorsOf(
      db,
      [
        "001SCALEDUP1,Dup One,dup-one.com,,",
        "001SCALEDUP2,Dup Two,dup-two.com,,",
        "001SCALEDUP3,Dup Three,dup-three.com,,",
        "001scaledup1,Dup One Again,dup-one-again.com,,",
        "001SCALEDUP5,Dup Five,dup-five.com,,",
        "001SCALEDUP5,Dup Five Again,dup-five-again.com,,",
      ].join("\n"),
    );
    expect(errors).toEqual([
      { line: 5, message: 'crm_id "001scaledup1" appears twice (first on line 2)' },
      { line: 7, message: 'crm_id "001scaledup5" appears twice (first on line 6)' },
    ]);
    expect(await db.prisma.account.count({ where: { crmId: { startsWith: "001SCALEDUP" } } })).toBe(0);
  });

  it("refuses a parent that is nowhere, and a cycle, with their lines; nothing is kept", async () => {
    const before = await db.prisma.account.count();
    expect(
      await errorsOf(
        db,
        [
          "001SCALEORPH1,Orphan One,orphan-one.com,,",
          "001SCALEORPH2,Orphan Two,orphan-two.com,,",
          "001SCALEORPH3,Orphan Three,orphan-three.com,001NOWHERE,",
        ].join("\n"),
      ),
    ).toEqual([{ line: 4, message: 'parent_crm_id "001NOWHERE" is not an account in this file or in Turf' }]);
    expect(
      await errorsOf(
        db,
        [
          "001SCALECYC1,Cycle One,cycle-one.com,001SCALECYC3,",
          "001SCALECYC2,Cycle Two,cycle-two.com,001SCALECYC1,",
          "001SCALECYC3,Cycle Three,cycle-three.com,001SCALECYC2,",
        ].join("\n"),
      ),
    ).toEqual([
      {
        line: 2,
        message: "parent_crm_id makes a cycle: 001SCALECYC1 → 001SCALECYC3 → 001SCALECYC2 → 001SCALECYC1",
      },
    ]);
    expect(await db.prisma.account.count()).toBe(before);
  });

  it("names the cycle, not a row whose parents lead into it, and the check comes to an end", async () => {
    const before = await db.prisma.account.count();
    expect(
      await errorsOf(
        db,
        [
          "001SCALELOOPIN,Loop Inlet,loop-inlet.com,001SCALELOOP1,",
          "001SCALELOOP1,Loop One,loop-one.com,001SCALELOOP2,",
          "001SCALELOOP2,Loop Two,loop-two.com,001SCALELOOP1,",
        ].join("\n"),
      ),
    ).toEqual([
      { line: 3, message: "parent_crm_id makes a cycle: 001SCALELOOP1 → 001SCALELOOP2 → 001SCALELOOP1" },
    ]);
    expect(await db.prisma.account.count()).toBe(before);
  });

  it("counts rows written in its progress, and hands every change to the sink beyond the listed ones", async () => {
    const rows = Array.from(
      { length: 1203 },
      (_, i) => `001SCALEMANY${String(i).padStart(5, "0")},Many ${i} Ltd,many-${i}.com,,`,
    );
    const progress: ImportProgress[] = [];
    const sunk: ImportChange[] = [];
    const result = await importCsv(db.prisma, "accounts", `${HEADER}\n${rows.join("\n")}\n`, {
      ...options,
      batchRows: 500,
      onProgress: (p) => progress.push(p),
      writeChanges: async (changes) => {
        for await (const c of changes) sunk.push(c);
      },
    });
    expect(result.ok && result.summary).toMatchObject({ created: 1203 });
    expect(result.ok && result.summary.changes).toHaveLength(1000);
    expect(sunk).toHaveLength(1203);
    expect(sunk.at(-1)).toEqual({ line: 1204, key: "001SCALEMANY01202", action: "created", columns: [] });
    const writing = progress.filter((p) => p.phase === "writing").map((p) => p.done);
    expect(writing).toEqual([500, 1000, 1203, 1203]);
  });

  it("does not write while a problem is pending: a bad row after written batches leaves nothing", async () => {
    const before = await db.prisma.account.count();
    const errors = await errorsOf(
      db,
      [
        "001SCALELATE1,Late One,late-one.com,,",
        "001SCALELATE2,Late Two,late-two.com,,",
        "001SCALELATE3,Late Three,late-three.com,,",
        "001SCALELATE4,Late Four,late-four.com,,ghost@nowhere.example",
      ].join("\n"),
    );
    expect(errors).toEqual([
      { line: 5, message: 'owner_email "ghost@nowhere.example" is not a rep; import reps first' },
    ]);
    expect(await db.prisma.account.count()).toBe(before);
  });
});
