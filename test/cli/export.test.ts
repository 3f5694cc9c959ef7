// `turf export` as a process: stdout is the data alone (logs on), and --since is required for changes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Company, sampleCompany, turf } from "./support.ts";

describe("turf export", () => {
  let company: Company;
  beforeAll(async () => {
    company = await sampleCompany();
  });
  afterAll(async () => company.remove());

  it("writes ownership as JSON on stdout with logs on stderr; changes needs --since", {
    timeout: 120_000,
  }, async () => {
    const ownership = await turf(["export", "ownership", "--format", "json"], { company });
    expect(ownership.code).toBe(0);
    expect(ownership.stderr).toContain("database ready");
    const rows = JSON.parse(ownership.stdout) as Record<string, unknown>[];
    expect(rows.length).toBe(300);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      "crm_id",
      "account",
      "domains",
      "owner_email",
      "owner_name",
      "owner_since",
      "cause",
      "rule_id",
      "reason",
    ]);
    expect(rows.find((r) => r.crm_id === "001000000000GLOBEX")?.owner_email).toBe("dana@turf-demo.example");
    const changes = await turf(["export", "changes"], { company });
    expect(changes.code).toBe(2);
    expect(changes.stderr).toContain("needs --since DATE");
  });
});
