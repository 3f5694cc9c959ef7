// prisma/schema.prisma and prisma/migrations must describe the same database. One PostgreSQL
// database is built by applying the migrations, another by Prisma's own "create from empty" SQL for
// the current schema; their catalogs must match exactly. Runs where the dev-only migration tool is
// installed (.ci/run installs it): `npm install --prefix tools/migration-diff`.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { RawSession } from "../../src/db/client.ts";
import { freshDatabase, type TestDatabase } from "../support/databases.ts";

const toolInstalled = existsSync("tools/migration-diff/node_modules/prisma");
const canRun = toolInstalled && Boolean(process.env.TEST_DATABASE_URL);

async function catalog(s: RawSession) {
  const q = (sql: string) => s.query(sql);
  return {
    columns: await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
                      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
                      ORDER BY table_name, column_name`),
    indexes: await q(
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
    ),
    constraints:
      await q(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
                          WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY conname`),
    enums: await q(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`,
    ),
    extensions: await q(`SELECT extname FROM pg_extension ORDER BY extname`),
  };
}

describe.runIf(canRun)("schema drift (PostgreSQL)", () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it("the migrations build exactly the database schema.prisma describes", async () => {
    const fromMigrations = await freshDatabase("postgres");
    const fromSchema = await freshDatabase("postgres", { migrate: false });
    dbs.push(fromMigrations, fromSchema);
    const sql = execFileSync(process.execPath, ["scripts/schema-sql.mjs"], { encoding: "utf8" });
    expect(sql).toContain("CREATE TABLE");
    await fromSchema.withRawSession((s) => s.execScript(sql));
    const a = await fromMigrations.withRawSession(catalog);
    const b = await fromSchema.withRawSession(catalog);
    expect(a).toEqual(b);
  }, 120_000);
});

describe.runIf(!canRun)("schema drift", () => {
  it("needs TEST_DATABASE_URL and tools/migration-diff installed (CI has both)", () => {
    expect(canRun).toBe(false);
  });
});
