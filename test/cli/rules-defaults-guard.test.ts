// A database filled only with `turf import` starts with the default rules (the README promises a new
// database starts with them), so `rules reevaluate` does not turn the book into white space; and a
// re-evaluation that would take too many accounts from their reps stops until --yes.
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.ts";
import { SAMPLE_DATA_DIR } from "../../src/services/sample-data.ts";
import { databaseKinds, freshDatabase, type TestDatabase } from "../support/databases.ts";

const NOW = new Date("2026-11-02T09:00:00Z");

async function cli(db: TestDatabase, args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    env: { LOG_LEVEL: "silent", ...env },
    now: NOW,
    database: db,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const owned = (db: TestDatabase) =>
  db.prisma.ownership.count({ where: { effectiveTo: null, repId: { not: null } } });

describe.each(databaseKinds())("default rules and the re-evaluation guard on %s", (kind) => {
  let db: TestDatabase;
  afterEach(async () => db.drop());

  async function importSample() {
    db = await freshDatabase(kind);
    for (const k of ["territories", "reps", "accounts", "opportunities"]) {
      const run = await cli(db, ["import", k, join(SAMPLE_DATA_DIR, `${k}.csv`)]);
      expect(run.code, run.stderr).toBe(0);
    }
  }

  it("`turf import` alone installs the default rules, and re-evaluation keeps the book owned", async () => {
    await importSample();
    const ids = (await db.prisma.rule.findMany({ select: { id: true } })).map((r) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "named-accounts",
        "overlap-international-expansion",
        "overlap-parent-subsidiary",
        "overlap-reseller-channel",
        "territory-na-commercial",
        "territory-emea",
      ]),
    );
    // Every territory with written criteria gets one (a named-account territory has none to match on).
    const territories = await db.prisma.territory.count({ where: { model: { not: "named" } } });
    expect(ids.filter((id) => id.startsWith("territory-"))).toHaveLength(territories);
    // Importing again adds no second copy.
    const run = await cli(db, ["import", "territories", join(SAMPLE_DATA_DIR, "territories.csv")]);
    expect(run.code).toBe(0);
    expect(await db.prisma.rule.count()).toBe(ids.length);

    const before = await owned(db);
    const first = await cli(db, ["rules", "reevaluate", "--yes"]);
    expect(first.code, first.stderr).toBe(0);
    // White space gets owners; nothing collapses into white space (the issue saw 260 → 94 → 0).
    expect(await owned(db)).toBeGreaterThanOrEqual(before);
    const second = await cli(db, ["rules", "reevaluate"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/: 0 changed owner/);
  }, 120_000);

  it("a re-evaluation that would take more than the allowed share stops, prints the summary, and needs --yes", async () => {
    await importSample();
    await cli(db, ["rules", "reevaluate", "--yes"]);
    // A rule set gone wrong: every territory rule disabled.
    for (const r of await db.prisma.rule.findMany({ where: { kind: "territory" } }))
      expect((await cli(db, ["rules", "disable", r.id])).code).toBe(0);
    const before = await owned(db);
    const history = await db.prisma.ownership.count();

    const refused = await cli(db, ["rules", "reevaluate"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/would change owner \(\d+ taken from a rep\)/);
    expect(refused.stderr).toMatch(
      /^Re-evaluation would take \d+ of \d+ owned accounts \([\d.]+ %\) from their reps, above the limit of 20 % \(TURF_REEVALUATE_MAX_CHANGE_SHARE\)\. Nothing was changed\./,
    );
    expect(await db.prisma.ownership.count()).toBe(history);

    // A higher limit lets it through; so does --yes.
    const allowed = await cli(db, ["rules", "reevaluate"], { TURF_REEVALUATE_MAX_CHANGE_SHARE: "1" });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(await owned(db)).toBeLessThan(before);
  }, 120_000);

  it("--yes applies a large change at once", async () => {
    await importSample();
    await cli(db, ["rules", "reevaluate", "--yes"]);
    for (const r of await db.prisma.rule.findMany({ where: { kind: "territory" } }))
      await cli(db, ["rules", "disable", r.id]);
    const before = await owned(db);
    const run = await cli(db, ["rules", "reevaluate", "--yes"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\d+ changed owner/);
    expect(await owned(db)).toBeLessThan(before);
  }, 120_000);
});
