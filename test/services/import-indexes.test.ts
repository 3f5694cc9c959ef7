// A big import into an empty or small book drops the secondary indexes of the tables it fills and
// builds them again before it commits (src/services/import/deferred-indexes.ts). Whatever happens,
// the tables keep every index they had: after an import, after a refused one, after a process that
// died between the drop and the rebuild.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { importCsv } from "../../src/services/import/import-csv.ts";
import { loadSampleData } from "../../src/services/sample-data.ts";
import { databaseKinds, embeddedTemplate, freshDatabase, type TestDatabase } from "../support/databases.ts";

const now = new Date("2026-11-02T09:00:00Z");
const HEADER = "crm_id,name,domain,parent_crm_id,owner_email";
const OWNER = "dana@turf-demo.example";
const TABLES = ["Account", "AccountDomain", "Ownership", "AuditEvent", "Opportunity"];

type Index = { name: string; definition: string; oid: string };

/** Every index of the tables big imports fill: name, definition, and oid (a rebuilt index has a new one). */
async function indexesOf(db: Database): Promise<Index[]> {
  return db.withRawSession((s) =>
    s.query<Index>(
      `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS definition, c.oid::text AS oid
       FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       WHERE t.relname = ANY ($1::text[]) AND t.relnamespace = 'public'::regnamespace
       ORDER BY c.relname`,
      [TABLES],
    ),
  );
}

const definitions = (indexes: Index[]) => indexes.map(({ name, definition }) => ({ name, definition }));
const oidOf = (indexes: Index[], name: string) => indexes.find((i) => i.name === name)?.oid;

function accountsCsv(count: number, prefix: string, extra: string[] = []): string {
  const rows = Array.from(
    { length: count },
    (_, i) =>
      `${prefix}${String(i).padStart(5, "0")},${prefix} Company ${i},${prefix.toLowerCase()}-${i}.com,,${OWNER}`,
  );
  return `${HEADER}\n${[...rows, ...extra].join("\n")}\n`;
}

/** A book with reps (the owner above) and no accounts. */
async function repsOnly(db: Database): Promise<void> {
  const reps = `email,name,slack_user_id,team,roles,capacity_weight,territory\n${OWNER},Dana Okafor,,AMER,,1.0,\n`;
  const result = await importCsv(db.prisma, "reps", reps, { now, actor: "test" });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
}

describe.each(databaseKinds())("an import's deferred indexes on %s", (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it("into an empty book: builds the indexes again, the same ones, and they answer", async () => {
    db = await freshDatabase(kind);
    await repsOnly(db);
    const before = await indexesOf(db);
    const result = await importCsv(db.prisma, "accounts", accountsCsv(30, "001IDX"), {
      now,
      actor: "test",
      batchRows: 4,
    });
    expect(result.ok && result.summary).toMatchObject({ created: 30 });
    const after = await indexesOf(db);
    expect(definitions(after)).toEqual(definitions(before));
    // Built again (a new index), not left as it was.
    expect(oidOf(after, "Account_compactName_trgm_idx")).not.toBe(
      oidOf(before, "Account_compactName_trgm_idx"),
    );
    // The unique index the import's upserts rely on, and the one its plan reads, are never dropped.
    expect(oidOf(after, "Account_crmId_key")).toBe(oidOf(before, "Account_crmId_key"));
    expect(oidOf(after, "Ownership_accountId_idx")).toBe(oidOf(before, "Ownership_accountId_idx"));
    // The rebuilt trigram index finds what was imported.
    const found = await db.withRawSession((s) =>
      s.transaction(async (tx) => {
        await tx.query("SET LOCAL enable_seqscan = off");
        return tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Account"
           WHERE "compactName" % (SELECT "compactName" FROM "Account" WHERE "crmId" = '001IDX00007')`,
        );
      }),
    );
    expect(found[0]?.n ?? 0).toBeGreaterThan(0);
    // Opportunities: the same for their table.
    const opportunities = await importCsv(
      db.prisma,
      "opportunities",
      "crm_id,account_crm_id,owner_email,amount,stage,is_open,source,reseller\n" +
        "006IDX00001,001IDX00001,,1000,Discovery,true,direct,\n006IDX00002,001IDX00002,,2000,Won,false,direct,\n",
      { now, actor: "test", batchRows: 1 },
    );
    expect(opportunities.ok && opportunities.summary).toMatchObject({ created: 2 });
    const withOpportunities = await indexesOf(db);
    expect(definitions(withOpportunities)).toEqual(definitions(before));
    expect(oidOf(withOpportunities, "Opportunity_ownerRepId_idx")).not.toBe(
      oidOf(after, "Opportunity_ownerRepId_idx"),
    );
    expect(oidOf(withOpportunities, "Opportunity_crmId_key")).toBe(oidOf(after, "Opportunity_crmId_key"));
  });

  it("refused at the end of a file that outgrew the book: nothing written, every index as it was", async () => {
    db = await freshDatabase(kind);
    await loadSampleData(db.prisma, now);
    const accounts = await db.prisma.account.count();
    const before = await indexesOf(db);
    // Twice the rows the book holds (embedded, the indexes are dropped half-way), then a bad reference.
    const csv = accountsCsv(2 * accounts, "001FAIL", ["001FAILLAST,Fail Last,fail-last.com,001NOWHERE,"]);
    const result = await importCsv(db.prisma, "accounts", csv, { now, actor: "test", batchRows: 50 });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          line: 2 * accounts + 2,
          message: 'parent_crm_id "001NOWHERE" is not an account in this file or in Turf',
        },
      ],
    });
    expect(await db.prisma.account.count()).toBe(accounts);
    expect(await indexesOf(db)).toEqual(before);
  });

  it("into a book with rows: PostgreSQL keeps the indexes; embedded, until the import outgrows the book", async () => {
    db = await freshDatabase(kind);
    await loadSampleData(db.prisma, now);
    const before = await indexesOf(db);
    const small = await importCsv(db.prisma, "accounts", accountsCsv(10, "001SMALL"), {
      now,
      actor: "test",
      batchRows: 4,
    });
    expect(small.ok && small.summary).toMatchObject({ created: 10 });
    expect(await indexesOf(db)).toEqual(before);
    // A file with more rows than the book: embedded, the indexes are built again part-way.
    const accounts = await db.prisma.account.count();
    const big = await importCsv(db.prisma, "accounts", accountsCsv(2 * accounts, "001BIG"), {
      now,
      actor: "test",
      batchRows: 100,
    });
    expect(big.ok && big.summary).toMatchObject({ created: 2 * accounts });
    const after = await indexesOf(db);
    expect(definitions(after)).toEqual(definitions(before));
    const rebuilt =
      oidOf(after, "Account_compactName_trgm_idx") !== oidOf(before, "Account_compactName_trgm_idx");
    expect(rebuilt).toBe(kind === "embedded");
  });
});

describe.each(databaseKinds())("a process that dies mid-import on %s", (kind) => {
  let dataDir = "";
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = "";
  });

  it("leaves every index and no row of the import: the next open finds the book as it was", async () => {
    let target: { dataDir: string } | { databaseUrl: string };
    let reopen: () => Promise<Database>;
    if (kind === "embedded") {
      dataDir = mkdtempSync(join(tmpdir(), "turf-import-crash-"));
      const first = await openDatabase({ dataDir, loadDataDir: await embeddedTemplate() });
      await repsOnly(first);
      await first.close();
      target = { dataDir };
      reopen = () => openDatabase({ dataDir });
    } else {
      db = await freshDatabase(kind);
      await repsOnly(db);
      target = { databaseUrl: db.url as string };
      reopen = async () => db as Database;
    }
    const before = await (async () => {
      if (kind !== "embedded") return indexesOf(db as Database);
      const opened = await reopen();
      const indexes = await indexesOf(opened);
      await opened.close();
      return indexes;
    })();

    const exit = await runToDeath({ target, csv: accountsCsv(12, "001CRASH"), now: now.toISOString() });
    expect(exit.signal).toBe("SIGKILL");

    const after = await reopen();
    try {
      expect(definitions(await indexesOf(after))).toEqual(definitions(before));
      expect(await after.prisma.account.count()).toBe(0);
      // And the next import runs as on any empty book.
      const again = await importCsv(after.prisma, "accounts", accountsCsv(12, "001CRASH"), {
        now,
        actor: "test",
      });
      expect(again.ok && again.summary).toMatchObject({ created: 12 });
      expect(definitions(await indexesOf(after))).toEqual(definitions(before));
    } finally {
      if (kind === "embedded") await after.close();
    }
  });
});

function runToDeath(
  job: object,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const script = resolve(import.meta.dirname, "support/import-then-die.ts");
  const child = spawn(process.execPath, ["--import", "tsx", script, JSON.stringify(job)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((done, fail) => {
    child.on("error", fail);
    child.on("exit", (code, signal) => done({ code, signal, stderr }));
  });
}
