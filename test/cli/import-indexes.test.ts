// A first import into an empty book builds its indexes once at the end (src/db/import-indexes.ts):
// the admin is told so on stderr once every row is written, and a dry run, which builds nothing, is not.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Company, sampleCompany, turf } from "./support.ts";

describe("turf import into an empty book", () => {
  let company: Company;
  const dir = mkdtempSync(join(tmpdir(), "turf-cli-indexes-"));
  beforeAll(async () => {
    company = await sampleCompany({ sample: false });
  });
  afterAll(async () => {
    await company.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it("says when it builds the book's indexes again, after the rows; a dry run does not", {
    timeout: 120_000,
  }, async () => {
    const file = join(dir, "accounts.csv");
    writeFileSync(file, "crm_id,name,domain\nACC-1,Acme Corp,acme.com\nACC-2,Globex,globex.com\n");
    const dry = await turf(["import", "accounts", file, "--dry-run"], { company });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).not.toContain("indexes of the book again");

    const run = await turf(["import", "accounts", file], { company });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Imported 2 accounts: 2 created");
    expect(run.stderr).toMatch(/Every row is written; building \d+ indexes of the book again/);
    // Stdout is data: the notice is not in it.
    expect(run.stdout).not.toContain("indexes");
  });
});
