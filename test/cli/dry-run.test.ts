// Dry runs through the CLI: the same change list the real run writes, and nothing written.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Company, ROOT, sampleCompany, turf } from "./support.ts";

describe("dry runs and honest imports through turf", () => {
  let company: Company;
  const dir = mkdtempSync(join(tmpdir(), "turf-cli-dry-"));
  beforeAll(async () => {
    company = await sampleCompany();
  });
  afterAll(async () => {
    await company.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it("rules add --dry-run and rules reevaluate --dry-run write nothing; the real run does what they said", {
    timeout: 300_000,
  }, async () => {
    const addDry = await turf(["rules", "add", "--dry-run", join(ROOT, "test/cli/every-kind-rules.yaml")], {
      company,
    });
    expect(addDry.code).toBe(0);
    expect(addDry.stdout).toContain("Dry run, nothing written: would add 2 rule(s)");
    const exported = await turf(["rules", "export"], { company });
    expect(exported.stdout).not.toContain("decision-northwind");

    const out = join(dir, "changes.csv");
    const dry = await turf(["rules", "reevaluate", "--dry-run", "--out", out], { company });
    expect(dry.code).toBe(0);
    const count = Number(/would change the owner of (\d+) account/.exec(dry.stdout)?.[1]);
    expect(count).toBeGreaterThan(0);
    const rows = parse(readFileSync(out, "utf8"), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(count);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      "crm_id",
      "account",
      "from_owner_email",
      "to_owner_email",
      "rule_id",
      "reason",
    ]);
    const real = await turf(["rules", "reevaluate", "--out", join(dir, "real.csv")], { company });
    expect(real.stdout).toContain(`Changed the owner of ${count} account(s)`);
    expect(readFileSync(join(dir, "real.csv"), "utf8")).toBe(readFileSync(out, "utf8"));
  });

  it("re-importing the CRM's accounts after re-evaluation updates nothing and reports disagreements", {
    timeout: 300_000,
  }, async () => {
    const disagreements = join(dir, "disagreements.csv");
    const again = await turf(
      ["import", "accounts", join(ROOT, "data/sample/accounts.csv"), "--disagreements", disagreements],
      { company },
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Imported \d+ accounts: 0 created, 0 updated/);
    expect(again.stdout).toMatch(/CRM says \S+@turf-demo\.example, Turf says \S+ because /);
    const rows = parse(readFileSync(disagreements, "utf8"), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]?.crm_owner_email).not.toBe(rows[0]?.turf_owner_email);

    const wrong = join(dir, "owner.csv");
    writeFileSync(wrong, "crm_id,name,owner\n001000000000GLOBEX,Globex Corporation,dana@turf-demo.example\n");
    const refused = await turf(["import", "accounts", wrong], { company });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("line 1: unknown column owner (did you mean owner_email?)");
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a folder given as the file, saying so, for book rows and signals alike", async () => {
    for (const kind of ["accounts", "signals"]) {
      const refused = await turf(["import", kind, dir], { company });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`${dir} is a folder: give the path of the CSV file itself.`);
      expect(refused.stdout).toBe("");
    }
  });
});
