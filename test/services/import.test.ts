import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCsv } from "../../src/services/import/import-csv.ts";
import { lookupOwner } from "../../src/services/ownership/lookup-owner.ts";
import { loadSampleData, SAMPLE_DATA_DIR } from "../../src/services/sample-data.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";

const now = new Date("2026-11-02T09:00:00Z");
const options = { now, actor: "test" };
const sample = (kind: string) => readFileSync(join(SAMPLE_DATA_DIR, `${kind}.csv`), "utf8");

describe.each(databaseKinds())("CSV import on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await loadSampleData(db.prisma, now);
  });
  afterAll(async () => db.drop());

  it("loads the sample company with owners from the CRM", async () => {
    expect(await db.prisma.account.count()).toBeGreaterThanOrEqual(250);
    expect(await db.prisma.rep.count()).toBeGreaterThanOrEqual(10);
    const globex = await db.prisma.account.findFirstOrThrow({
      where: { name: "Globex Corporation" },
      include: { domains: true },
    });
    expect(globex.domains.map((d) => d.domain)).toContain("globex.com");
    const subsidiary = await db.prisma.account.findFirstOrThrow({
      where: { name: "Globex Deutschland GmbH" },
    });
    expect(subsidiary.parentId).toBe(globex.id);
  });

  it("re-importing the same files changes nothing", async () => {
    const before = await db.prisma.ownership.count();
    for (const k of ["territories", "reps", "accounts", "opportunities"] as const) {
      const result = await importCsv(db.prisma, k, sample(k), options);
      expect(result.ok && result.summary).toMatchObject({ created: 0, updated: 0 });
    }
    expect(await db.prisma.ownership.count()).toBe(before);
  });

  it("rejects a file with bad rows whole, naming every line and reason", async () => {
    const csv = [
      "crm_id,name,domain,size_band,icp_fit,owner_email,parent_crm_id",
      "001NEW000000000001,Fresh Co,fresh.example.com,SMB,3,,",
      "001NEW000000000002,Bad Band Ltd,badband.com,HUGE,3,,",
      "001NEW000000000003,Bad Fit Inc,badfit.com,MM,9,,",
      "001NEW000000000004,Nobody Owns,nobody.com,MM,2,ghost@nowhere.example,",
      "001NEW000000000005,Orphan GmbH,orphan.de,MM,2,,001DOESNOTEXIST0000",
      "001NEW000000000001,Twice Co,twice.com,SMB,1,,",
    ].join("\n");
    const result = await importCsv(db.prisma, "accounts", csv, options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 7]);
    expect(result.errors[0]?.message).toMatch(/size_band must be one of SMB, MM, ENT/);
    expect(result.errors[1]?.message).toMatch(/icp_fit must be between 1 and 5/);
    expect(result.errors[2]?.message).toMatch(/appears twice \(first on line 2\)/);
    // References are only checked once every row is well-formed; fix those and they are reported too.
    const second = await importCsv(
      db.prisma,
      "accounts",
      csv
        .split("\n")
        .filter((_, i) => ![2, 3, 6].includes(i))
        .join("\n"),
      options,
    );
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.errors.map((e) => e.message)).toEqual([
      'owner_email "ghost@nowhere.example" is not a rep; import reps first',
      'parent_crm_id "001DOESNOTEXIST0000" is not an account in this file or in Turf',
    ]);
    expect(await db.prisma.account.count({ where: { crmId: { startsWith: "001NEW" } } })).toBe(0);
  });

  it("names missing header columns instead of failing every row", async () => {
    const result = await importCsv(db.prisma, "opportunities", "crm_id,amount\n006X,100\n", options);
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 1, message: "the header lacks the required column(s) account_crm_id, stage, is_open" },
      ],
    });
  });

  it("answers who owns globex.com with the sample owner", async () => {
    const answer = await lookupOwner(db.prisma, "globex.com", { slackUserId: "U0TEST0001", now });
    expect(answer.status).toBe("found");
    if (answer.status !== "found") return;
    expect(answer.card.account.name).toBe("Globex Corporation");
    expect(answer.card.owner?.name).toBe("Dana Whitfield");
    expect(answer.card.since).toEqual(now);
  });
});

describe("import audit", () => {
  it("writes an audit event for every owner of record it assigns", async () => {
    const db = await freshDatabase("embedded");
    try {
      await loadSampleData(db.prisma, now);
      const owned = await db.prisma.ownership.count({ where: { cause: "import" } });
      expect(owned).toBeGreaterThan(0);
      expect(await db.prisma.auditEvent.count({ where: { action: "ownership.imported" } })).toBe(owned);
      expect(await db.prisma.auditEvent.count({ where: { action: "import.accounts" } })).toBe(1);
    } finally {
      await db.drop();
    }
  });
});
