// Imports that say the truth: every mistake the issue found in a real admin's files is refused with
// its line, and counts count only rows whose stored values change.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCsv } from "../../src/services/import/import-csv.ts";
import { reevaluateBook } from "../../src/services/ownership/reevaluate-book.ts";
import { loadSampleData, SAMPLE_DATA_DIR } from "../../src/services/sample-data.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";

const now = new Date("2026-11-02T09:00:00Z");
const options = { now, actor: "test" };
const sample = (kind: string) => readFileSync(join(SAMPLE_DATA_DIR, `${kind}.csv`), "utf8");
const ACCOUNT_HEADER =
  "crm_id,name,domain,parent_crm_id,country,region,industry,employees,size_band,icp_fit,last_activity_at,named,owner_email";

async function errorsOf(
  db: TestDatabase,
  kind: "accounts" | "reps" | "opportunities",
  text: string | Readable,
) {
  const result = await importCsv(db.prisma, kind, text, options);
  if (result.ok) throw new Error("expected the import to be refused");
  return result.errors;
}

describe.each(databaseKinds())("strict CSV import on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await loadSampleData(db.prisma, now);
  });
  afterAll(async () => db.drop());

  it("refuses unknown and duplicated columns, naming them with a suggestion", async () => {
    expect(await errorsOf(db, "accounts", "crm_id,name,owner\n001X,Acme,dana@turf-demo.example\n")).toEqual([
      { line: 1, message: expect.stringContaining("unknown column owner (did you mean owner_email?)") },
    ]);
    expect(await errorsOf(db, "accounts", "crm_id,name,name\n001X,Acme,Acme Two\n")).toEqual([
      { line: 1, message: "the column name appears twice in the header" },
    ]);
  });

  it("reports short rows, long rows and bad quotes anywhere with their line, never the raw row", async () => {
    const text = `crm_id,name,country\n001A,Alpha,DE\n001B,Beta\n001C,"Gam"ma",DE\n001D,Delta,DE,extra\n001E,Epsilon,DE\n`;
    const errors = await errorsOf(db, "accounts", text);
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5]);
    for (const e of errors) expect(e.message).not.toMatch(/Beta|Gam|Delta|extra/);
  });

  it("refuses Latin-1 bytes, control characters, impossible dates, negative or huge amounts, long keys", async () => {
    const latin1 = Buffer.concat([
      Buffer.from("crm_id,name\n001A,Alpha\n001B,"),
      Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]), // "Müller" in Latin-1
      Buffer.from("\n"),
    ]);
    expect(await errorsOf(db, "accounts", Readable.from([latin1]))).toEqual([
      { line: 3, message: expect.stringContaining("name is not valid UTF-8") },
    ]);
    const dates = `crm_id,name,last_activity_at\n001A,Alpha,1\n001B,Beta,2026-02-30\n001C,Gamma,2026-02-28\n`;
    expect((await errorsOf(db, "accounts", dates)).map((e) => [e.line, e.message])).toEqual([
      [2, "last_activity_at must be a date that exists, written like 2026-10-31"],
      [3, "last_activity_at must be a date that exists, written like 2026-10-31"],
    ]);
    const nul = `crm_id,name\n001A,Al\u0000pha\n${"9".repeat(600)},Long\n`;
    expect((await errorsOf(db, "accounts", nul)).map((e) => e.line)).toEqual([2, 3]);
    const amounts =
      "crm_id,account_crm_id,stage,is_open,amount\n006A,001000000000GLOBEX,Open,true,-5\n006B,001000000000GLOBEX,Open,true,99999999999999\n";
    expect((await errorsOf(db, "opportunities", amounts)).map((e) => [e.line, e.message])).toEqual([
      [2, "amount must not be negative"],
      [3, "amount must be below 1,000,000,000,000"],
    ]);
  });

  it("refuses a Slack id another rep holds, with the line", async () => {
    const holder = await db.prisma.rep.findFirstOrThrow({ where: { slackUserId: { not: null } } });
    const text = `email,name,slack_user_id\nnew.rep@turf-demo.example,New Rep,${holder.slackUserId}\n`;
    expect(await errorsOf(db, "reps", text)).toEqual([
      { line: 2, message: `slack_user_id ${holder.slackUserId} belongs to the rep ${holder.email}` },
    ]);
  });

  it("dry run: reports what would change and writes nothing", async () => {
    const text = `${ACCOUNT_HEADER}\n001000000000NEWCO,Newco Ltd,newco.co.uk,,GB,EMEA,Software,40,SMB,3,2026-10-01,false,\n`;
    const before = await db.prisma.account.count();
    const audits = await db.prisma.auditEvent.count();
    const result = await importCsv(db.prisma, "accounts", text, { ...options, dryRun: true });
    expect(result.ok && result.summary).toMatchObject({ created: 1, updated: 0, dryRun: true });
    expect(result.ok && result.summary.changes).toEqual([
      { line: 2, key: "001000000000NEWCO", action: "created", columns: [] },
    ]);
    expect(await db.prisma.account.count()).toBe(before);
    expect(await db.prisma.auditEvent.count()).toBe(audits);
  });

  it("never lets the CRM owner override Turf's decision: re-import after re-evaluation updates nothing", async () => {
    await reevaluateBook(db.prisma, { now, actor: "test" });
    const owners = await db.prisma.ownership.findMany({
      where: { effectiveTo: null },
      orderBy: { accountId: "asc" },
    });
    for (let run = 0; run < 2; run++) {
      const result = await importCsv(db.prisma, "accounts", sample("accounts"), options);
      expect(result.ok && result.summary).toMatchObject({ created: 0, updated: 0 });
      if (!result.ok) return;
      for (const d of result.summary.disagreements) {
        expect(d.crmOwner).not.toBe(d.turfOwner);
        expect(d.because.length).toBeGreaterThan(5);
      }
    }
    const after = await db.prisma.ownership.findMany({
      where: { effectiveTo: null },
      orderBy: { accountId: "asc" },
    });
    expect(after).toEqual(owners);
  });

  it("counts an owner change from the CRM when Turf's owner came from the CRM too", async () => {
    const account = await db.prisma.account.findFirstOrThrow({
      where: { ownerships: { some: { effectiveTo: null, cause: "import" } } },
      include: { ownerships: { where: { effectiveTo: null } } },
    });
    const other = await db.prisma.rep.findFirstOrThrow({
      where: { id: { not: account.ownerships[0]?.repId ?? "" }, roles: { has: "rep" } },
    });
    const line = sample("accounts")
      .split("\n")
      .find((l) => l.startsWith(`${account.crmId},`)) as string;
    const moved = `${line.split(",").slice(0, -1).join(",")},${other.email}`;
    const result = await importCsv(db.prisma, "accounts", `${ACCOUNT_HEADER}\n${moved}\n`, options);
    expect(result.ok && result.summary).toMatchObject({ updated: 1, unchanged: 0 });
    expect(result.ok && result.summary.changes[0]?.columns).toEqual(["owner_email"]);
  });
});
