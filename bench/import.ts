// Import speed next to its floor, measured in the same run (issue 15): Turf's importer on a generated
// book (accounts + opportunities from CSV files, after territories and reps), and the floor: COPY of
// the same rows, already shaped, into the indexed Account, AccountDomain, Ownership, AuditEvent and
// Opportunity tables of a fresh database. Prints both and the ratio, and the same files imported
// again (every row unchanged: a nightly CRM sync). The import runs in a process of its own
// (bench/import-child.ts), so its peak RSS is the import's, printed next to what that process held
// once open and migrated; on PGlite, also pg_wal's size during the import and after closing.
// npx tsx bench/import.ts [accounts=100000]           PGlite (embedded)
// npx tsx bench/import.ts --large                     1M accounts on PostgreSQL
// npx tsx bench/import.ts 1000000 --postgres          the same, spelled out (BENCH_DATABASE_URL or TEST_DATABASE_URL)
// npx tsx bench/import.ts --large --embedded          1M accounts on PGlite
import { spawn } from "node:child_process";
import { createReadStream, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { openDatabase } from "../src/db/client.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import { orderedId } from "../src/db/ordered-ids.ts";
import { domainLabel, registrableDomain, searchKeysFor } from "../src/domain/matching/normalize.ts";
import { importCsv } from "../src/services/import/import-csv.ts";
import { numberArgument } from "./args.ts";
import { generateAccountRows, generateOpportunityRows, writeBookCsvFiles } from "./book.ts";
import type { ImportChildJob, ImportChildResult } from "./import-child.ts";
import { fmt, postgresAdminUrl, print, timeIt } from "./support.ts";

const args = process.argv.slice(2);
const LARGE = args.includes("--large");
const ACCOUNTS = numberArgument(LARGE ? 1_000_000 : 100_000, "the account count");
const ON_POSTGRES = (LARGE && !args.includes("--embedded")) || args.includes("--postgres");
const REPS = 200;
const SEED = 20261123;
const NOW = new Date("2026-11-02T00:00:00Z");

/** COPY text (tab-separated, \N for null) for one table. */
function copyText(rows: unknown[][]): string {
  const cell = (v: unknown) =>
    v === null || v === undefined
      ? "\\N"
      : (v instanceof Date ? v.toISOString() : typeof v === "object" ? JSON.stringify(v) : String(v))
          .replace(/\\/g, "\\\\")
          .replace(/\t/g, "\\t")
          .replace(/\n/g, "\\n");
  return rows.map((r) => r.map(cell).join("\t")).join("\n") + (rows.length ? "\n" : "");
}

/**
 * The rows the importer ends up storing, shaped for COPY (built before the clock starts), with ids made
 * as the importer makes them: growing ids land on the keys' last pages, random ones anywhere, and a
 * floor with random ids would be slower than the import for that alone.
 */
function floorTables(repIdByEmail: Map<string, string>) {
  const accountId = new Map<string, string>();
  const account: unknown[][] = [];
  const domain: unknown[][] = [];
  const ownership: unknown[][] = [];
  const audit: unknown[][] = [];
  for (const row of generateAccountRows({ accounts: ACCOUNTS, reps: REPS, seed: SEED }))
    accountId.set(row.crm_id, orderedId());
  for (const row of generateAccountRows({ accounts: ACCOUNTS, reps: REPS, seed: SEED })) {
    const id = accountId.get(row.crm_id) as string;
    const keys = searchKeysFor({ name: row.name, domains: [] });
    account.push([
      id,
      row.crm_id,
      row.name,
      keys.normalizedName,
      keys.compactName,
      keys.coreName,
      keys.acronym,
      row.parent_crm_id ? accountId.get(row.parent_crm_id) : null,
      row.country || null,
      row.region || null,
      row.industry || null,
      row.employees || null,
      row.size_band || null,
      row.icp_fit || null,
      row.last_activity_at || null,
      row.named === "true",
      NOW,
    ]);
    const seen = new Set<string>();
    for (const raw of row.domain.split(";").filter(Boolean)) {
      const d = registrableDomain(raw);
      if (!d || seen.has(d)) continue;
      seen.add(d);
      domain.push([id, d, (domainLabel(d) ?? d).replace(/-/g, "")]);
    }
    const rep = row.owner_email ? repIdByEmail.get(row.owner_email.toLowerCase()) : undefined;
    if (rep) {
      ownership.push([orderedId(), id, rep, null, "import", "Owner of record in the CRM import", NOW]);
      audit.push([NOW, "bench", "ownership.imported", "account", id, null, { repId: rep }]);
    }
  }
  const opportunity: unknown[][] = [];
  for (const o of generateOpportunityRows({ accounts: ACCOUNTS, reps: REPS, seed: SEED }))
    opportunity.push([
      orderedId(),
      o.crm_id,
      accountId.get(o.account_crm_id),
      o.owner_email ? (repIdByEmail.get(o.owner_email.toLowerCase()) ?? null) : null,
      o.amount || "0",
      o.stage,
      o.is_open === "true",
      o.source || "direct",
      o.reseller || null,
      NOW,
    ]);
  return [
    {
      table: "Account",
      columns:
        'id, "crmId", name, "normalizedName", "compactName", "coreName", acronym, "parentId", country, region, industry, employees, "sizeBand", "icpFit", "lastActivityAt", named, "updatedAt"',
      text: copyText(account),
      rows: account.length,
    },
    {
      table: "AccountDomain",
      columns: '"accountId", domain, label',
      text: copyText(domain),
      rows: domain.length,
    },
    {
      table: "Ownership",
      columns: 'id, "accountId", "repId", "ruleId", cause, note, "effectiveFrom"',
      text: copyText(ownership),
      rows: ownership.length,
    },
    {
      table: "AuditEvent",
      columns: 'at, actor, action, "subjectType", "subjectId", "ruleId", details',
      text: copyText(audit),
      rows: audit.length,
    },
    {
      table: "Opportunity",
      columns:
        'id, "crmId", "accountId", "ownerRepId", amount, stage, "isOpen", source, reseller, "updatedAt"',
      text: copyText(opportunity),
      rows: opportunity.length,
    },
  ];
}

/** Run at the end even when the run fails: no database or folder is left behind. */
const cleanups: (() => Promise<void> | void)[] = [];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "turf-bench-import-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const files = await writeBookCsvFiles(dir, { accounts: ACCOUNTS, reps: REPS, seed: SEED });
  const admin = ON_POSTGRES ? postgresAdminUrl() : null;
  if (ON_POSTGRES && !admin) throw new Error("--postgres needs BENCH_DATABASE_URL or TEST_DATABASE_URL");
  const fresh = async (label: string) => {
    if (!admin) return openDatabase({ dataDir: join(dir, label) });
    const name = `turf_bench_import_${label}_${process.pid}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    cleanups.unshift(async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    });
    const u = new URL(admin);
    u.pathname = `/${name}`;
    return Object.assign(await openDatabase({ databaseUrl: u.toString() }), { url: u.toString() });
  };
  print(
    `book: ${ACCOUNTS.toLocaleString()} accounts + opportunities, ${REPS} reps on ${admin ? "PostgreSQL" : "PGlite"}`,
  );

  // Turf's importer: territories and reps here, the big kinds in a process of their own.
  const turf = await fresh("importer");
  await applyMigrations(turf);
  for (const kind of ["territories", "reps"] as const)
    await importCsv(turf.prisma, kind, createReadStream(files[kind]), { now: NOW, actor: "bench" });
  const reps = new Map(
    (await turf.prisma.rep.findMany({ select: { id: true, email: true } })).map((r) => [r.email, r.id]),
  );
  await turf.close();
  const walDir = admin ? null : join(dir, "importer", "pg_wal");
  let walPeak = 0;
  const walSampler = setInterval(() => {
    if (walDir) walPeak = Math.max(walPeak, walBytes(walDir));
  }, 200);
  const job: ImportChildJob = {
    target: admin
      ? { databaseUrl: (turf as unknown as { url: string }).url }
      : { dataDir: join(dir, "importer") },
    files: { accounts: files.accounts, opportunities: files.opportunities },
    now: NOW.toISOString(),
  };
  const child = await runImportChild(job).finally(() => clearInterval(walSampler));
  // Printed before the floor is measured, so a long run shows its first figure early.
  print(
    `  Turf import (accounts + opportunities) ${String(child.rows).padStart(9)} CSV rows  ${fmt(child.ms)} (${child.perKind.map((k) => `${k.kind} ${fmt(k.ms)}`).join(", ")})`,
  );
  // The same files again, as a nightly CRM sync would send them: every row unchanged, so the book
  // keeps its indexes (nothing outgrows it) and the import only reads and compares.
  const again = await runImportChild(job);
  print(
    `  the same files again (nothing changes) ${String(again.rows).padStart(9)} CSV rows  ${fmt(again.ms)} (${again.perKind.map((k) => `${k.kind} ${fmt(k.ms)}`).join(", ")}); peak RSS ${(again.peakRss / 2 ** 20).toFixed(0)} MB  (not compared with the floor)`,
  );

  // The floor: the same rows by COPY into the same indexed tables.
  const tables = floorTables(reps);
  const floorDb = await fresh("floor");
  await applyMigrations(floorDb);
  // Same rep ids as the importer's database, so the floor's rows reference existing reps.
  await floorDb.prisma.rep.createMany({
    data: [...reps].map(([email, id]) => ({ id, email, name: email })),
  });
  await floorDb.close();
  let floorMs = 0;
  if (admin) {
    const client = new pg.Client({ connectionString: (floorDb as unknown as { url: string }).url });
    await client.connect();
    const t = await timeIt(async () => {
      for (const { table, columns, text } of tables)
        await pipeline(
          Readable.from([text]),
          client.query(copyFrom(`COPY "${table}" (${columns}) FROM STDIN`)),
        );
    });
    floorMs = t.ms;
    await client.end();
  } else {
    const pglite = await PGlite.create({ dataDir: join(dir, "floor"), extensions: { pg_trgm } });
    const t = await timeIt(async () => {
      for (const { table, columns, text } of tables)
        await pglite.query(`COPY "${table}" (${columns}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
    });
    floorMs = t.ms;
    await pglite.close();
  }
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  print(
    `  floor: COPY into the indexed tables    ${String(tables.reduce((n, t) => n + t.rows, 0)).padStart(9)} table rows ${fmt(floorMs)}`,
  );
  print(`  ratio Turf / floor                     ${(child.ms / floorMs).toFixed(2)} (target ≤ 1.5)`);
  print(
    `  the import's process: peak RSS         ${mb(child.peakRss)} (target ≤ 500 MB; ${mb(child.openRss)} once open and migrated, as turf import opens it)`,
  );
  if (walDir)
    print(
      `  pg_wal                                 ${mb(walPeak)} at most during the import, ${mb(walBytes(walDir))} after closing`,
    );
}

/** The WAL segments' bytes on disk (a checkpoint may remove one between listing and reading it). */
function walBytes(walDir: string): number {
  let bytes = 0;
  for (const name of readdirSync(walDir))
    if (/^[0-9A-F]{24}$/.test(name))
      bytes += statSync(join(walDir, name), { throwIfNoEntry: false })?.size ?? 0;
  return bytes;
}

/** Runs bench/import-child.ts under tsx, as the turf CLI runs, and returns its figures. */
function runImportChild(job: ImportChildJob): Promise<ImportChildResult> {
  const root = resolve(import.meta.dirname, "..");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "bench/import-child.ts"), JSON.stringify(job)],
    {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  return new Promise((done, fail) => {
    let result: ImportChildResult | undefined;
    child.on("message", (message) => {
      result = message as ImportChildResult;
    });
    child.on("error", fail);
    child.on("exit", (code) =>
      result && code === 0 ? done(result) : fail(new Error(`the import's process exited with code ${code}`)),
    );
  });
}

try {
  await main();
} finally {
  for (const cleanup of cleanups) await cleanup();
}
