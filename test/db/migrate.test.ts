import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "../../src/db/migrate.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";

describe.each(databaseKinds())("migrations on %s", (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it("applies every migration once and records it like Prisma does", async () => {
    db = await freshDatabase(kind, { migrate: false });
    const first = await applyMigrations(db);
    expect(first.applied).toEqual(readMigrations().map((m) => m.name));
    const second = await applyMigrations(db);
    expect(second).toEqual({ applied: [], alreadyApplied: readMigrations().length });
    const rows = await db.withRawSession((s) =>
      s.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
      ),
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(
      readMigrations().map((m) => [m.name, m.checksum]),
    );
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("refuses a migration edited after it was applied", async () => {
    db = await freshDatabase(kind);
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    await expect(applyMigrations(db, edited)).rejects.toThrow(/edited after it was applied/);
  });

  it("rolls a failing migration back whole and records nothing", async () => {
    db = await freshDatabase(kind);
    const broken = [
      ...readMigrations(),
      {
        name: "29990101000000_broken",
        sql: 'CREATE TABLE "Half" (id int); SELECT no_such_function();',
        checksum: "x",
      },
    ];
    await expect(applyMigrations(db, broken)).rejects.toThrow(/29990101000000_broken failed/);
    const tables = await db.withRawSession((s) =>
      s.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'Half'`),
    );
    expect(tables[0]?.n).toBe(0);
    const recorded = await db.withRawSession((s) =>
      s.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`),
    );
    expect(recorded).toHaveLength(0);
  });

  it("lets Prisma read and write through the driver adapter", async () => {
    db = await freshDatabase(kind);
    const rep = await db.prisma.rep.create({
      data: { email: "dana@turf-demo.example", name: "Dana Whitfield", roles: ["rep"], capacityWeight: 1.2 },
    });
    const found = await db.prisma.rep.findUnique({ where: { email: "dana@turf-demo.example" } });
    expect(found?.id).toBe(rep.id);
    expect(found?.roles).toEqual(["rep"]);
    await expect(
      db.prisma.rep.create({ data: { email: "dana@turf-demo.example", name: "Again", roles: [] } }),
    ).rejects.toMatchObject({ code: "P2002" });
  });
});
