// `turf backup` / `turf restore` of the embedded database, as processes.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Company, sampleCompany, turf } from "./support.ts";

describe("turf backup and restore (embedded database)", () => {
  let company: Company;
  const dir = mkdtempSync(join(tmpdir(), "turf-cli-backup-"));
  beforeAll(async () => {
    company = await sampleCompany({ kind: "embedded" });
  });
  afterAll(async () => {
    await company.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it("backs up, restores into an empty folder, and refuses to overwrite data without --force", {
    timeout: 240_000,
  }, async () => {
    const file = join(dir, "turf.tar");
    const backup = await turf(["backup", file], { company });
    expect(backup.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(backup.stdout).toBe("");

    const copy = { env: { TURF_DATA_DIR: join(dir, "restored") }, remove: async () => {} };
    const restored = await turf(["restore", file], { company: copy });
    expect(restored.code).toBe(0);
    const rules = await turf(["rules", "export"], { company: copy });
    const original = await turf(["rules", "export"], { company });
    expect(rules.stdout).toContain("territory-emea");
    expect(rules.stdout).toBe(original.stdout);

    const refused = await turf(["restore", file], { company: copy });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("already holds data; nothing was changed");
    const forced = await turf(["restore", "--force", file], { company: copy });
    expect(forced.code).toBe(0);
  });
});
